"""A containerSet pod on the engine: its containers by their ``dependencies``, with retries.

Every member is created up front (inputs placed in each) and started once its dependencies
exited 0; a member whose dependency failed never runs. A failed member is started again, in
place (its filesystem kept, as the executor reruns it in the same container), up to
``retryStrategy.retries`` times after ``duration``; the count is kept beside the pod's logs so a
restarted driver continues it. Members share the pod's network namespace (its infra
container's), as they do in Kubernetes: they reach each other on 127.0.0.1.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argoctl.backends.base import ContainerUpdate, PodUpdate
from argoctl.backends.docker.containers import ContainerPlan
from argoctl.backends.docker.pods import Pod, State
from argoctl.backends.local.plan import parse_duration
from argoctl.backends.outputs import container_phase_for_exit

JSON = dict[str, Any]


@dataclass(slots=True)
class SetProgress:
    """What one pass over the members decided."""

    to_start: list[ContainerPlan] = field(default_factory=list)
    to_restart: list[ContainerPlan] = field(default_factory=list)
    not_run: dict[str, str] = field(default_factory=dict)
    finished: bool = False


def _retries(pod: Pod) -> tuple[int, float]:
    strategy = (pod.request.template.get("containerSet") or {}).get("retryStrategy") or {}
    return int(strategy.get("retries") or 0), parse_duration(strategy.get("duration") or 0)


def _attempts_file(log_dir: Path, name: str) -> Path:
    return log_dir / f"{name}.restarts"


def restarts(log_dir: Path, name: str) -> int:
    try:
        return int(_attempts_file(log_dir, name).read_text())
    except (OSError, ValueError):
        return 0


def record_restart(log_dir: Path, name: str) -> None:
    log_dir.mkdir(parents=True, exist_ok=True)
    _attempts_file(log_dir, name).write_text(str(restarts(log_dir, name) + 1))


def plan_moves(pod: Pod, states: dict[str, State], log_dir: Path, failed_at: dict[str, float]) -> SetProgress:
    """The members to start or restart now, those that can never run, and whether all is done."""
    retries, backoff = _retries(pod)
    members = pod.of_role("main")
    done: dict[str, int] = {}  # name -> final exit code
    progress = SetProgress()
    for plan in members:
        state = states.get(plan.name)
        if state is not None and state.status == "exited" and state.exit_code is not None:
            if state.exit_code != 0 and not pod.kill_reason and restarts(log_dir, plan.name) < retries:
                first_seen = failed_at.setdefault(plan.name, time.monotonic())
                if time.monotonic() - first_seen >= backoff:
                    progress.to_restart.append(plan)
                continue
            done[plan.name] = state.exit_code
    waiting = [p for p in members if states.get(p.name, State("created")).status == "created"]
    changed = True
    while changed:  # a member blocked by a member that can never run is blocked too
        changed = False
        for plan in waiting:
            if plan.name in progress.not_run:
                continue
            deps = plan.dependencies
            blocked = [d for d in deps if d in progress.not_run or (d in done and done[d] != 0)]
            unknown = [d for d in deps if d not in {m.name for m in members}]
            if blocked or unknown or pod.kill_reason:
                progress.not_run[plan.name] = ("killed" if pod.kill_reason else
                                               f"dependency {(blocked or unknown)[0]!r} did not succeed")
                changed = True
    for plan in waiting:
        if plan.name not in progress.not_run and all(done.get(d) == 0 for d in plan.dependencies):
            progress.to_start.append(plan)
    settled = set(done) | set(progress.not_run)
    progress.finished = all(p.name in settled for p in members) and not progress.to_restart
    return progress


def container_updates(pod: Pod, states: dict[str, State], not_run: dict[str, str]) -> tuple[ContainerUpdate, ...]:
    """Argo's per-container nodes: 0 Succeeded, 64 Error, else Failed; Pending before start."""
    updates = []
    for plan in pod.of_role("main"):
        state = states.get(plan.name)
        if plan.name in not_run:
            updates.append(ContainerUpdate(plan.name, "Failed", message=not_run[plan.name]))
        elif state is None or state.status == "created":
            updates.append(ContainerUpdate(plan.name, "Pending"))
        elif state.status != "exited" or state.exit_code is None:
            updates.append(ContainerUpdate(plan.name, "Running", started_at=pod.started_at))
        else:
            code = state.exit_code
            updates.append(ContainerUpdate(plan.name, container_phase_for_exit(code), exit_code=code,
                                           message="" if code == 0 else f"Error (exit code {code})"))
    return tuple(updates)


def first_failure(pod: Pod, states: dict[str, State], not_run: dict[str, str]) -> str:
    """The pod's message: the first member (in order) that exited non-zero, else the first that
    never ran, or "" (as the local backend words it)."""
    for plan in pod.of_role("main"):
        state = states.get(plan.name)
        if state is not None and state.exit_code not in (None, 0):
            return f"{plan.name}: Error (exit code {state.exit_code})"
    for plan in pod.of_role("main"):
        if plan.name in not_run:
            return f"{plan.name}: {not_run[plan.name]}"
    return ""


def advance_set(backend: Any, pod: Pod, states: dict[str, State]) -> PodUpdate:
    """One move of a containerSet pod (``backend`` is the ``DockerBackend``); its ``PodUpdate``."""
    log_dir = backend.log_dir / pod.request.pod_name
    members = pod.of_role("main")
    if not any(p.name in states for p in members):
        if any(p.name in pod.started for p in members):
            deleted: PodUpdate = backend._final(pod, "Error", "pod deleted")
            return deleted
        if pod.kill_reason:
            killed: PodUpdate = backend._final(pod, "Failed", pod.kill_reason)
            return killed
        try:
            for member in members:
                backend._prepare(pod, [member], inputs_for=member)
            backend._prepare(pod, pod.of_role("sidecar"))
        except Exception as err:
            failed: PodUpdate = backend._final(pod, "Error", getattr(err, "message", None) or str(err))
            return failed
        pod.started_at = pod.started_at or backend_now()
        for sidecar in pod.of_role("sidecar"):
            backend._start(pod, sidecar)
        states = {p.name: State("created") for p in members}
    progress = plan_moves(pod, states, log_dir, pod.failed_at)
    for plan in progress.to_start:
        try:
            backend._start(pod, plan)
        except Exception as err:
            progress.not_run[plan.name] = getattr(err, "message", None) or str(err)
    for plan in progress.to_restart:
        record_restart(log_dir, plan.name)
        pod.failed_at.pop(plan.name, None)
        backend.engine.start(plan.engine_name)
    if not progress.finished:
        return pod.update("Running", started_at=pod.started_at,
                          containers=container_updates(pod, states, progress.not_run))
    finished: PodUpdate = backend._finish_set(pod, states, progress.not_run)
    return finished


def backend_now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
