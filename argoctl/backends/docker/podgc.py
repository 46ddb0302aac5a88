"""podGC on the engine: one pod's containers and emptyDir volumes, and with a workflow's last pod
its network and the claim volumes its completion left in use (``claims``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from argoctl.backends.docker import claims, naming
from argoctl.backends.docker.engine import Engine
from argoctl.model import labelselector

JSON = dict[str, Any]


def remove_pod(engine: Engine, namespace: str, log_dir: Path, pod_name: str, selector: JSON | None) -> bool:
    """Remove the pod unless one of its containers runs or ``selector`` does not match; True if removed."""
    rows = engine.containers(naming.pod_filter(namespace, pod_name))
    containers = [r for r in rows if (r.get("Labels") or {}).get(naming.LABEL_ROLE) != "infra"]
    if not rows or any(str(r.get("State", "")).lower() == "running" for r in containers):
        return False
    if selector and not labelselector.matches(selector, dict(rows[0].get("Labels") or {})):
        return False
    for row in [*containers, *(r for r in rows if r not in containers)]:  # the infra container last
        engine.remove(str(row.get("Id")))
    for volume in engine.volumes(naming.pod_filter(namespace, pod_name)):  # its emptyDirs
        engine.remove_volume(volume)
    workflow = str((rows[0].get("Labels") or {}).get(naming.LABEL_WORKFLOW, ""))
    if workflow and not engine.containers(naming.workflow_filter(namespace, workflow)):
        engine.remove_network(naming.network_name(namespace, workflow))  # its last pod is gone
        claims.release_pending(engine, log_dir, workflow)
    return True
