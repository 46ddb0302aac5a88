"""What the backend remembers of each pod it started or adopted, and how a pod becomes a
``PodUpdate`` (outputs read before a final update is made, so the pod may be deleted after).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argoctl.backends.base import PodRequest, PodUpdate
from argoctl.backends.kube.collect import Bundle, collect_bundle
from argoctl.backends.kube.podspec import PodInfo
from argoctl.backends.kube.status import PodView, view_pod

JSON = dict[str, Any]
POD_DELETED = "pod deleted"
SaveArtifacts = Callable[[PodRequest, Bundle | None], tuple[list[JSON], str | None]]


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Tracked:
    """One pod of a node: its request, how to read it, and what was last reported."""

    request: PodRequest
    info: PodInfo | None = None
    signature: str = ""
    done: bool = False
    kill_reason: str = ""
    pull_since: float | None = None
    pull_message: str = ""
    started_at: str | None = None
    held: tuple[PodUpdate, float] | None = None  # a Pending update not shown yet, and when it is due

    def update(self, phase: str, message: str = "", **fields: Any) -> PodUpdate:
        return PodUpdate(node_id=self.request.node_id, pod_name=self.request.pod_name, phase=phase,
                         message=message, **fields)

    def final(self, phase: str, message: str) -> PodUpdate:
        """A last update made without the pod (deleted, killed, never created)."""
        self.done = True
        return self.update(phase, message, started_at=self.started_at, finished_at=now_rfc3339())


def signature(update: PodUpdate) -> str:
    members = [(c.name, c.phase, c.exit_code, c.message) for c in update.containers]
    return json.dumps([update.phase, update.message, update.daemoned, update.pod_ip, members])


def main_message(pod: JSON) -> str:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == "main":
            terminated = (status.get("state") or {}).get("terminated") or {}
            return str(terminated.get("message") or "")
    return ""


def observe(tracked: Tracked, pod: JSON, read_overflow: Callable[[], str],
            save_artifacts: SaveArtifacts | None = None) -> tuple[PodUpdate, PodView]:
    """The update ``pod`` stands for; for a finished pod its outputs are read (and its output
    artifacts saved) first."""
    info = tracked.info or PodInfo.from_pod(pod)
    tracked.info = info
    view = view_pod(pod, info)
    tracked.started_at = view.started_at or tracked.started_at
    phase, message = view.phase, view.message
    outputs: JSON | None = None
    if tracked.kill_reason and view.terminal:
        phase, message = "Failed", tracked.kill_reason
    elif view.terminal:
        outputs, error, bundle = collect_bundle(info, main_message(pod), view.main_exit_code, read_overflow)
        if outputs is not None and save_artifacts is not None:
            artifacts, artifact_error = save_artifacts(tracked.request, bundle)
            if artifacts:
                outputs["artifacts"] = artifacts
            error = error or artifact_error
        if error and phase == "Succeeded":
            phase, message = "Error", error
    update = tracked.update(
        phase, message, outputs=outputs, started_at=view.started_at, finished_at=view.finished_at,
        pod_ip=view.pod_ip, host_node_name=view.host_node_name, daemoned=view.daemoned,
        containers=view.containers)
    return update, view


def deleted(tracked: Tracked, pod: JSON, read_overflow: Callable[[], str],
            save_artifacts: SaveArtifacts | None = None) -> PodUpdate:
    """A pod that disappeared: its last known final state, the kill reason, or ``pod deleted``."""
    if tracked.kill_reason:
        return tracked.final("Failed", tracked.kill_reason)
    phase = str((pod.get("status") or {}).get("phase") or "")
    if phase in ("Succeeded", "Failed"):
        update, _ = observe(tracked, pod, read_overflow, save_artifacts)
        tracked.done = True
        return update
    return tracked.final("Error", POD_DELETED)
