"""Reading a local pod's files into ``PodUpdate``s (driver side).

``update_from_files`` returns an update only when something changed since the last one reported
(phase, message, container states), unless ``force``; ``pod_deleted`` is Argo's outcome for a pod
whose runner vanished without a status.
"""

from __future__ import annotations

import json
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argoctl.backends.base import ContainerUpdate, PodRequest, PodUpdate
from argoctl.backends.local import podfiles
from argoctl.backends.local.procs import now_rfc3339

POD_DELETED = "pod deleted"
_HOST = socket.gethostname()


@dataclass(slots=True)
class PodWatch:
    request: PodRequest
    pod_dir: Path
    pipe_fd: int | None = None
    process: subprocess.Popen[bytes] | None = None
    last: PodUpdate | None = None


def _containers(items: Any) -> tuple[ContainerUpdate, ...]:
    updates = []
    for item in items or []:
        updates.append(ContainerUpdate(
            name=str(item.get("name", "")), phase=str(item.get("phase", "Pending")),
            exit_code=item.get("exit_code"), message=str(item.get("message", "")),
            started_at=item.get("started_at"), finished_at=item.get("finished_at"),
        ))
    return tuple(updates)


def _to_update(watch: PodWatch, data: dict[str, Any]) -> PodUpdate:
    phase = str(data.get("phase", "Pending"))
    template = watch.request.template
    return PodUpdate(
        node_id=watch.request.node_id, pod_name=watch.request.pod_name, phase=phase,
        message=str(data.get("message") or ""), outputs=data.get("outputs"),
        started_at=data.get("started_at"), finished_at=data.get("finished_at"),
        pod_ip="127.0.0.1", host_node_name=_HOST,
        daemoned=bool(template.get("daemon")) and phase == "Running",
        containers=_containers(data.get("containers")),
    )


def _signature(update: PodUpdate | None) -> str:
    if update is None:
        return ""
    containers = [(c.name, c.phase, c.exit_code) for c in update.containers]
    return json.dumps([update.phase, update.message, containers])


def update_from_files(watch: PodWatch, *, force: bool = False) -> PodUpdate | None:
    """The pod's current update from ``status.json`` or ``state.json``, if new (or ``force``)."""
    data = podfiles.read_json(watch.pod_dir / podfiles.STATUS)
    if data is None:
        data = podfiles.read_json(watch.pod_dir / podfiles.STATE)
        if data is None or (data.get("phase") == "Pending" and not data.get("containers") and not force):
            return None
    update = _to_update(watch, data)
    if not force and _signature(update) == _signature(watch.last):
        return None
    return update


def pod_deleted(watch: PodWatch) -> PodUpdate:
    """A pod whose runner is gone without a status (or that was never started)."""
    started = watch.last.started_at if watch.last else None
    return PodUpdate(
        node_id=watch.request.node_id, pod_name=watch.request.pod_name, phase="Error",
        message=POD_DELETED, started_at=started, finished_at=now_rfc3339(),
        host_node_name=_HOST,
    )
