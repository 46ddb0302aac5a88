"""What the driver knows of one pod, and what its containers' states say (pure).

``observe`` maps the engine's container list (one pod's rows) to per-container states;
``Pod.step`` decides the next move from them: which container to create or start, or the
phase to report. A container that was ever started is never started again (the exactly-once
rule), so the decision is the same for a pod this driver started and one it adopted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from argoctl.backends.base import PodRequest, PodUpdate
from argoctl.backends.docker import naming
from argoctl.backends.docker.containers import ContainerPlan

JSON = dict[str, Any]
_EXITED = re.compile(r"Exited \((-?\d+)\)")


@dataclass(frozen=True, slots=True)
class State:
    """One container as the engine lists it: ``created``, ``running`` or ``exited``."""

    status: str
    exit_code: int | None = None


def observe(rows: list[JSON]) -> dict[str, State]:
    """Kubernetes container name → state, from ``GET /containers/json`` rows of one pod."""
    states: dict[str, State] = {}
    for row in rows:
        name = str((row.get("Labels") or {}).get(naming.LABEL_CONTAINER, ""))
        status = str(row.get("State") or "").lower()
        exit_code = None
        if status in ("exited", "stopped", "dead"):
            match = _EXITED.search(str(row.get("Status") or ""))
            exit_code = int(match.group(1)) if match else None
            status = "exited"
        elif status in ("configured", "created"):
            status = "created"
        elif status in ("running", "paused", "restarting", "stopping"):
            status = "running"
        states[name] = State(status, exit_code)
    return states


@dataclass(slots=True)
class Pod:
    """One pod being driven: its request, containers (start order) and what was reported."""

    request: PodRequest
    plans: list[ContainerPlan]
    started: set[str] = field(default_factory=set)  # containers this driver started
    started_at: str | None = None
    kill_reason: str = ""
    kill_sent: bool = False
    pod_ip: str = ""
    last: PodUpdate | None = None
    done: bool = False
    failed_at: dict[str, float] = field(default_factory=dict)  # containerSet members awaiting a retry

    @property
    def container_set(self) -> bool:
        return "containerSet" in self.request.template

    def of_role(self, role: str) -> list[ContainerPlan]:
        return [plan for plan in self.plans if plan.role == role]

    def infra(self) -> ContainerPlan:
        return self.of_role("infra")[0]

    def containers(self) -> list[ContainerPlan]:
        """The pod's own containers (all but its infra container)."""
        return [plan for plan in self.plans if plan.role != "infra"]

    def main(self) -> ContainerPlan:
        return self.of_role("main")[0]

    def update(self, phase: str, **fields: Any) -> PodUpdate:
        return PodUpdate(node_id=self.request.node_id, pod_name=self.request.pod_name, phase=phase, **fields)


def next_init(pod: Pod, states: dict[str, State]) -> tuple[ContainerPlan | None, State | None]:
    """The first init container that has not exited 0 (with its state), or (None, None)."""
    for plan in pod.of_role("init"):
        state = states.get(plan.name)
        if state is None or state.status != "exited" or state.exit_code != 0:
            return plan, state
    return None, None
