"""Names and labels of the engine objects that make up a pod (pure).

Every container carries ``LABEL_MANAGED`` plus its namespace, pod, container, role, node and
attempt, and the workflow label Argo puts on pods; its name is deterministic
(``argoctl-<namespace>-<pod>-<container>``), so a second create of the same container fails with
a conflict instead of running it twice.
"""

from __future__ import annotations

import hashlib
import re

LABEL_MANAGED = "io.argoctl.managed"
LABEL_NAMESPACE = "io.argoctl.namespace"
LABEL_POD = "io.argoctl.pod"
LABEL_CONTAINER = "io.argoctl.container"
LABEL_ROLE = "io.argoctl.role"
LABEL_NODE = "io.argoctl.node-id"
LABEL_ATTEMPT = "io.argoctl.attempt"
LABEL_WORKFLOW = "workflows.argoproj.io/workflow"
_UNSAFE = re.compile(r"[^a-zA-Z0-9_.-]")
MAX_NAME = 200


def _safe(text: str) -> str:
    cleaned = _UNSAFE.sub("-", text)
    if len(cleaned) <= MAX_NAME:
        return cleaned
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{cleaned[:MAX_NAME - 13]}-{digest}"


def container_name(namespace: str, pod_name: str, container: str) -> str:
    return _safe(f"argoctl-{namespace}-{pod_name}-{container}")


def volume_name(namespace: str, scope: str, volume: str) -> str:
    """An engine volume: ``scope`` is the pod (emptyDir) or ``pvc`` (a claim)."""
    return _safe(f"argoctl-{namespace}-{scope}-{volume}")


def network_name(namespace: str, workflow_name: str) -> str:
    """The workflow's own network: its pods reach each other (and a daemon's ``{{pod.ip}}``) on it."""
    return _safe(f"argoctl-{namespace}-wf-{workflow_name}")


def workflow_filter(namespace: str, workflow_name: str) -> dict[str, list[str]]:
    """The label filter of one workflow's containers (or its network)."""
    return {"label": [f"{LABEL_MANAGED}=1", f"{LABEL_NAMESPACE}={namespace}", f"{LABEL_WORKFLOW}={workflow_name}"]}


def pod_filter(namespace: str, pod_name: str | None = None) -> dict[str, list[str]]:
    """The label filter of one pod's containers (or of every pod of ``namespace``)."""
    labels = [f"{LABEL_MANAGED}=1", f"{LABEL_NAMESPACE}={namespace}"]
    if pod_name is not None:
        labels.append(f"{LABEL_POD}={pod_name}")
    return {"label": labels}


def hostname(pod_name: str) -> str:
    """The pod's hostname as the kubelet makes it: at most 63 characters, no trailing ``-``/``.``."""
    return pod_name[:63].rstrip("-.")
