"""Run the pure engine to completion against a scripted pod runner (tests and benchmarks).

``simulate`` feeds every ``RunPod`` to ``run_pod`` and the resulting ``PodUpdate`` back into the
engine, advancing a virtual clock; no processes, no threads, no sleeping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from argoctl.engine.reconcile import step
from argoctl.engine.types import EngineEnv, Event, KillPod, RunPod, WakeAt
from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.timefmt import rfc3339
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]
PodRunner = Callable[[PodRequest, datetime], PodUpdate]


@dataclass
class Simulation:
    state: WorkflowState
    steps: int = 0
    started: list[PodRequest] = field(default_factory=list)
    killed: list[KillPod] = field(default_factory=list)


def succeed(request: PodRequest, now: datetime) -> PodUpdate:
    """The no-op runner: every pod succeeds at once with no outputs but its exit code."""
    return PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Succeeded",
                     outputs={"exitCode": "0"}, finished_at=rfc3339(now))


def new_workflow(manifest: JSON, *, name: str = "wf", namespace: str = "argo",
                 created: str = "2024-01-01T00:00:00Z") -> WorkflowState:
    metadata = dict(manifest.get("metadata") or {})
    metadata.pop("generateName", None)
    metadata.update({"name": name, "namespace": namespace, "uid": "00000000-0000-0000-0000-000000000000",
                     "creationTimestamp": created})
    return WorkflowState(metadata=metadata, spec=dict(manifest.get("spec") or {}))


@dataclass(frozen=True, slots=True)
class SimOptions:
    """How ``simulate`` drives the engine: its environment, the start time, commands to send
    before each step, and how far the clock moves when nothing else wakes the workflow."""

    env: EngineEnv | None = None
    start: datetime | None = None
    commands: Callable[[Simulation, datetime], Iterable[Event]] | None = None
    tick: timedelta = timedelta(seconds=1)


def simulate(state: WorkflowState, run_pod: PodRunner = succeed, *, max_steps: int = 100_000,
             options: SimOptions | None = None) -> Simulation:
    """Drive the engine until the workflow completes (or ``max_steps``)."""
    opts = options or SimOptions()
    commands, tick = opts.commands, opts.tick
    # one environment for the whole run, as a driver keeps one: its caches (node IDs) outlive a step
    env = opts.env or EngineEnv()
    now = opts.start or datetime(2024, 1, 1, 0, 0, 0).astimezone()
    sim = Simulation(state)
    events: list[Event] = []
    pending: list[PodRequest] = []
    for _ in range(max_steps):
        if commands is not None:
            events.extend(commands(sim, now))
        sim.state, actions = step(sim.state, events, now=now, env=env)
        if sim.state.outbox:
            sim.state = sim.state.with_(outbox=())
        sim.steps += 1
        events = []
        wake: datetime | None = None
        for action in actions:
            if isinstance(action, RunPod):
                sim.started.append(action.request)
                pending.append(action.request)
            elif isinstance(action, KillPod):
                sim.killed.append(action)
                pending = [p for p in pending if p.pod_name != action.pod_name]
            elif isinstance(action, WakeAt):
                wake = action.at
        if sim.state.completed:
            return sim
        if pending:
            events.extend(run_pod(p, now) for p in pending)
            pending = []
            continue
        now = max(now + tick, wake) if wake is not None else now + tick
    return sim
