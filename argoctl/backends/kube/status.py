"""A Pod's status as Argo reads it (argo-semantics §5.4): node phase, message, containerSet
members, daemon readiness, timestamps. Pure; outputs are read by ``collect``.

* Pending → Pending, message = the first waiting container's ``reason: message``, else the
  ``Unschedulable`` condition; image pull failures are noted (``pull_failure``) so the backend can
  fail the node after a grace period.
* Running → Running (``daemoned`` once every container is ready, for daemon templates).
* Succeeded → Succeeded (a daemon that ends is Failed).
* Failed → ``infer_failed``: the pod's own message (eviction, deadline) → Failed; else the first
  failing container, init containers first, then the main ones: ``argoctl-init`` and
  ``argoctl-outputs`` (Argo's init and wait) → Error, a main container → Failed
  ``main: Error (exit code 1)``, a container that never started → Error
  ``Pod failed before <c> container starts due to <reason>: <message>``; sidecars that exit 137/143
  are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from argoctl.backends.base import ContainerUpdate
from argoctl.backends.kube import helper
from argoctl.backends.kube.podspec import PodInfo

JSON = dict[str, Any]
PULL_FAILURES = frozenset({"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
                           "RegistryUnavailable"})
TERMINAL = ("Succeeded", "Failed")


@dataclass(frozen=True, slots=True)
class PodView:
    """What the pod says, before outputs are read."""

    phase: str
    message: str = ""
    daemoned: bool = False
    started_at: str | None = None
    finished_at: str | None = None
    pod_ip: str = ""
    host_node_name: str = ""
    containers: tuple[ContainerUpdate, ...] = ()
    main_exit_code: int | None = None
    pull_failure: str = ""  # "<reason>: <message>" while an image cannot be pulled

    @property
    def terminal(self) -> bool:
        return self.phase in ("Succeeded", "Failed", "Error")


def _statuses(pod: JSON, key: str) -> list[JSON]:
    return [s for s in (pod.get("status") or {}).get(key) or [] if isinstance(s, dict)]


def _state(status: JSON, which: str) -> JSON | None:
    value = (status.get("state") or {}).get(which)
    return value if isinstance(value, dict) else None


def _reason_text(reason: str, message: str) -> str:
    return f"{reason}: {message}" if message else reason


def pending_reason(pod: JSON) -> str:
    """Argo's ``getPendingReason``."""
    for status in _statuses(pod, "containerStatuses"):
        waiting = _state(status, "waiting")
        if waiting is not None:
            return _reason_text(str(waiting.get("reason") or ""), str(waiting.get("message") or ""))
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("reason") == "Unschedulable":
            return _reason_text("Unschedulable", str(condition.get("message") or ""))
    return ""


def pull_failure(pod: JSON) -> str:
    """``reason: message`` of a container whose image cannot be pulled, or ""."""
    for status in _statuses(pod, "initContainerStatuses") + _statuses(pod, "containerStatuses"):
        waiting = _state(status, "waiting")
        if waiting is not None and waiting.get("reason") in PULL_FAILURES:
            return _reason_text(str(waiting["reason"]), str(waiting.get("message") or ""))
    return ""


def own_message(terminated: JSON, name: str, info: PodInfo) -> str:
    """A container's termination message, unless it is the wrapper's (outputs or a skip note)."""
    message = str(terminated.get("message") or "")
    if name in info.wrapped and (message.startswith("@@") or message.startswith(helper.SKIPPED_PREFIX)):
        return ""
    return message


def _failure_text(name: str, terminated: JSON, info: PodInfo) -> str:
    text = f"{terminated.get('reason') or 'Error'} (exit code {terminated.get('exitCode')})"
    message = own_message(terminated, name, info)
    return f"{name}: {text}: {message}" if message else f"{name}: {text}"


def infer_failed(pod: JSON, info: PodInfo) -> tuple[str, str]:
    """Argo's ``inferFailedReason`` for a Failed pod: (node phase, message)."""
    pod_message = str((pod.get("status") or {}).get("message") or "")
    if pod_message:
        return "Failed", pod_message
    mains = set(info.main_names)
    containers = _statuses(pod, "containerStatuses")
    containers.sort(key=lambda s: 0 if s.get("name") in mains else 1)
    ordered = _statuses(pod, "initContainerStatuses") + containers
    if not ordered:
        meta = pod.get("metadata") or {}
        return "Failed", f"can't find failed message for pod {meta.get('name')} namespace {meta.get('namespace')}"
    main_succeeded = False
    for status in ordered:
        name = str(status.get("name", ""))
        waiting = _state(status, "waiting")
        if waiting is not None:
            return "Error", (f"Pod failed before {name} container starts due to "
                             f"{waiting.get('reason') or ''}: {waiting.get('message') or ''}")
        terminated = _state(status, "terminated")
        if terminated is None:
            continue
        code = int(terminated.get("exitCode") or 0)
        if code == 0:
            main_succeeded = main_succeeded or name in mains
            continue
        text = _failure_text(name, terminated, info)
        if name == helper.INIT_CONTAINER or (name == helper.OUTPUTS_CONTAINER and code not in (137, 143)):
            return "Error", text
        if name in mains or code not in (137, 143):
            return "Failed", text
    if main_succeeded:
        return "Succeeded", ""
    return "Failed", "pod failed: main container did not complete successfully"


def _member(status: JSON, pod_phase: str, info: PodInfo) -> ContainerUpdate:
    """A containerSet member's node phase (Argo's assessNodeStatus)."""
    name = str(status.get("name", ""))
    terminated = _state(status, "terminated")
    if terminated is not None:
        code = int(terminated.get("exitCode") or 0)
        times = {"started_at": terminated.get("startedAt"), "finished_at": terminated.get("finishedAt")}
        raw = str(terminated.get("message") or "")
        if name in info.wrapped and raw.startswith(helper.SKIPPED_PREFIX):
            return ContainerUpdate(name, "Failed", None, raw[len(helper.SKIPPED_PREFIX):], **times)
        if code == 0:
            return ContainerUpdate(name, "Succeeded", 0, "", **times)
        message = (f"{name}: {terminated.get('reason') or 'Error'} (exit code {code}): "
                   f"{own_message(terminated, name, info)}")
        return ContainerUpdate(name, "Error" if code == 64 else "Failed", code, message, **times)
    if pod_phase == "Failed":
        return ContainerUpdate(name, "Failed", None, "Pod Failed whilst container running")
    running = _state(status, "running")
    if running is not None:
        return ContainerUpdate(name, "Running", started_at=running.get("startedAt"))
    return ContainerUpdate(name, "Pending")


def _latest_finish(pod: JSON) -> str | None:
    latest: str | None = None
    for status in _statuses(pod, "initContainerStatuses") + _statuses(pod, "containerStatuses"):
        terminated = _state(status, "terminated")
        finished = terminated.get("finishedAt") if terminated else None
        if finished and (latest is None or str(finished) > latest):
            latest = str(finished)
    return latest


def main_exit_code(pod: JSON) -> int | None:
    """``outputs.exitCode``: the terminated state of the container named ``main``."""
    for status in _statuses(pod, "containerStatuses"):
        terminated = _state(status, "terminated")
        if status.get("name") == "main" and terminated is not None:
            return int(terminated.get("exitCode") or 0)
    return None


def _phase(pod: JSON, info: PodInfo) -> tuple[str, str, bool]:
    pod_phase = str((pod.get("status") or {}).get("phase") or "Pending")
    if pod_phase == "Pending":
        return "Pending", pending_reason(pod), False
    if pod_phase == "Running":
        ready = all(bool(s.get("ready")) for s in _statuses(pod, "containerStatuses"))
        return "Running", "", info.daemon and ready
    if pod_phase == "Succeeded":
        return ("Failed" if info.daemon else "Succeeded"), "", False
    if pod_phase == "Failed":
        phase, message = infer_failed(pod, info)
        return phase, message, False
    return "Error", f"Unexpected pod phase for {(pod.get('metadata') or {}).get('name')}: {pod_phase}", False


def view_pod(pod: JSON, info: PodInfo) -> PodView:
    """The node-level view of ``pod``."""
    status = pod.get("status") or {}
    phase, message, daemoned = _phase(pod, info)
    pod_phase = str(status.get("phase") or "Pending")
    members = tuple(_member(s, pod_phase, info) for s in _statuses(pod, "containerStatuses")
                    if s.get("name") in info.container_set)
    terminal = phase in ("Succeeded", "Failed", "Error")
    return PodView(
        phase=phase, message=message, daemoned=daemoned, started_at=status.get("startTime"),
        finished_at=_latest_finish(pod) if terminal else None,
        pod_ip=str(status.get("podIP") or ""), host_node_name=str((pod.get("spec") or {}).get("nodeName") or ""),
        containers=members, main_exit_code=main_exit_code(pod),
        pull_failure=pull_failure(pod) if pod_phase == "Pending" else "",
    )
