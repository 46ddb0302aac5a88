"""``volumeClaimTemplates`` volumes deleted with their workflow, per ``volumeClaimGC``.

A claim template's engine volume is labelled with its workflow and strategy when it is created
(with the workflow's first pod that mounts it). When the workflow completes, the volumes its
strategy names are removed (``OnWorkflowSuccess``, Argo's default: only when it succeeded;
``OnWorkflowCompletion``: always). An engine refuses to remove a volume that a container, even a
stopped one, still mounts: such a volume is noted beside the pods' logs and removed when the
workflow's last pod is removed (podGC).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from argoctl.backends.docker import naming
from argoctl.backends.docker.engine import Engine

JSON = dict[str, Any]
LABEL_CLAIM_GC = "io.argoctl.volume-claim-gc"
ON_SUCCESS, ON_COMPLETION = "OnWorkflowSuccess", "OnWorkflowCompletion"
PENDING_DIR = ".claims-due"


def volume_labels(namespace: str, pod_name: str, workflow: str, mount: JSON) -> dict[str, str]:
    """An engine volume's labels: a pod's emptyDir carries its pod, a claim template its workflow."""
    labels = {naming.LABEL_MANAGED: "1", naming.LABEL_NAMESPACE: namespace}
    if mount.get("pod"):
        labels[naming.LABEL_POD] = pod_name
    if mount.get("claim_gc"):
        labels.update({naming.LABEL_WORKFLOW: workflow, LABEL_CLAIM_GC: str(mount["claim_gc"])})
    return labels


def _pending_file(log_dir: Path, workflow: str) -> Path:
    return log_dir / PENDING_DIR / f"{workflow}.json"


def collect(engine: Engine, namespace: str, log_dir: Path, workflow: str, phase: str) -> list[str]:
    """Remove the claim volumes due at the workflow's completion in ``phase``; the names removed."""
    strategies = [ON_COMPLETION, ON_SUCCESS] if phase == "Succeeded" else [ON_COMPLETION]
    due: list[str] = []
    for strategy in strategies:
        labels = naming.workflow_filter(namespace, workflow)["label"] + [f"{LABEL_CLAIM_GC}={strategy}"]
        due += engine.volumes({"label": labels})
    removed = [name for name in due if engine.remove_unused_volume(name)]
    in_use = [name for name in due if name not in removed]
    if in_use:
        path = _pending_file(log_dir, workflow)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(in_use))
    return removed


def release_pending(engine: Engine, log_dir: Path, workflow: str) -> None:
    """The workflow's last pod is gone: remove the claim volumes its completion left in use."""
    path = _pending_file(log_dir, workflow)
    try:
        names = [str(name) for name in json.loads(path.read_text())]
    except (OSError, ValueError):
        return
    left = [name for name in names if not engine.remove_unused_volume(name)]
    if left:
        path.write_text(json.dumps(left))
    else:
        path.unlink()
