"""A finished pod's outcome on disk (``log_dir/<pod>/final.json``), beside its kept logs.

Written before the final update is returned, so a driver that restarts, or a pod removed by
podGC, still reports the same outcome and outputs: a finished pod is never run again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from argoctl.backends.base import PodRequest, PodUpdate

FINAL = "final.json"
LAUNCHED = "launched"  # main was started: its container missing later means the pod was deleted


def write_final(directory: Path, update: PodUpdate) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    record = {"phase": update.phase, "message": update.message, "outputs": update.outputs,
              "started_at": update.started_at, "finished_at": update.finished_at, "pod_ip": update.pod_ip}
    temporary = directory / f".{FINAL}.tmp"
    temporary.write_text(json.dumps(record))
    os.replace(temporary, directory / FINAL)


def read_final(directory: Path, request: PodRequest) -> PodUpdate | None:
    try:
        record = json.loads((directory / FINAL).read_text())
    except (OSError, ValueError):
        return None
    return PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase=str(record["phase"]),
                     message=str(record.get("message") or ""), outputs=record.get("outputs"),
                     started_at=record.get("started_at"), finished_at=record.get("finished_at"),
                     pod_ip=str(record.get("pod_ip") or ""))


def mark_launched(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / LAUNCHED).touch()


def launched(directory: Path) -> bool:
    return (directory / LAUNCHED).exists()
