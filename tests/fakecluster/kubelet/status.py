"""Pod and container status documents as the kubelet writes them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from tests.fakecluster.meta import rfc3339

JSON = dict[str, Any]
POD_MESSAGE_LIMIT = 12 * 1024


def container_id(pod_uid: str, name: str, restart: int) -> str:
    digest = hashlib.sha256(f"{pod_uid}/{name}/{restart}".encode()).hexdigest()
    return f"containerd://{digest}"


def image_id(image: str) -> str:
    digest = hashlib.sha256(image.encode()).hexdigest()
    return f"{image.split(':')[0]}@sha256:{digest}"


@dataclass
class ContainerState:
    """What the kubelet knows of one container; rendered into containerStatuses."""

    name: str
    image: str
    state: JSON = field(default_factory=lambda: {"waiting": {"reason": "ContainerCreating"}})
    last_state: JSON = field(default_factory=dict)
    restart_count: int = 0
    ready: bool = False
    started: bool = False
    run_id: str = ""

    def set_waiting(self, reason: str, message: str = "") -> None:
        self.state = {"waiting": {"reason": reason, **({"message": message} if message else {})}}
        self.ready = self.started = False

    def set_running(self, started_at: float, run_id: str) -> None:
        self.state = {"running": {"startedAt": rfc3339(started_at)}}
        self.run_id = run_id
        self.ready = self.started = True

    def set_terminated(self, exit_code: int, reason: str, started_at: float, finished_at: float,
                       message: str, run_id: str) -> None:
        terminated: JSON = {"exitCode": exit_code, "reason": reason, "startedAt": rfc3339(started_at),
                            "finishedAt": rfc3339(finished_at), "containerID": run_id}
        if message:
            terminated["message"] = message
        self.state = {"terminated": terminated}
        self.run_id = run_id
        self.ready = self.started = False

    def restart(self) -> None:
        self.last_state = self.state
        self.restart_count += 1

    @property
    def terminated(self) -> JSON | None:
        value = self.state.get("terminated")
        return value if isinstance(value, dict) else None

    def to_wire(self) -> JSON:
        status: JSON = {"name": self.name, "image": self.image, "imageID": "", "ready": self.ready,
                        "restartCount": self.restart_count, "started": self.started,
                        "state": self.state, "lastState": self.last_state}
        if self.run_id:
            status["containerID"] = self.run_id
        if "waiting" not in self.state:
            status["imageID"] = image_id(self.image)
        return status


def cap_messages(states: list[ContainerState]) -> None:
    """Keep the pod's termination messages within 12 KiB, as the kubelet does."""
    finished = [s.terminated for s in states if s.terminated and s.terminated.get("message")]
    total = sum(len(t["message"].encode()) for t in finished if t)
    if total <= POD_MESSAGE_LIMIT or not finished:
        return
    share = POD_MESSAGE_LIMIT // len(finished)
    for terminated in finished:
        if terminated:
            terminated["message"] = terminated["message"].encode()[:share].decode(errors="ignore")


def condition(kind: str, true: bool, reason: str = "", message: str = "") -> JSON:
    entry: JSON = {"type": kind, "status": "True" if true else "False", "lastProbeTime": None,
                   "lastTransitionTime": rfc3339()}
    if reason:
        entry["reason"] = reason
    if message:
        entry["message"] = message
    return entry


def merge_conditions(old: list[JSON], new: list[JSON]) -> list[JSON]:
    """Keep lastTransitionTime of conditions whose status did not change."""
    previous = {c.get("type"): c for c in old}
    merged = []
    for entry in new:
        before = previous.get(entry["type"])
        if before is not None and before.get("status") == entry["status"]:
            entry = {**entry, "lastTransitionTime": before.get("lastTransitionTime")}
        merged.append(entry)
    return merged
