"""What crosses the engine/backend seam: a pod to run, and what was observed of a pod.

Plain data, shared by the engine (which emits ``PodRequest`` and consumes ``PodUpdate``) and
the backends (which do the opposite).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PodRequest:
    """Everything a backend needs to run one pod-producing node.

    ``template`` is the fully substituted template (container/script/containerSet plus
    inputs, outputs, volumes, initContainers, sidecars, metadata, podSpecPatch...).
    """

    workflow_name: str
    workflow_uid: str
    namespace: str
    node_id: str
    node_name: str
    pod_name: str
    template: JSON
    # workflow-level pod settings (volumes, podMetadata, nodeSelector, securityContext, ...)
    workflow_spec: JSON = field(default_factory=dict)
    capture_result: bool = False
    deadline: str | None = None  # RFC3339, absolute: kill the pod at this time
    is_exit_handler: bool = False
    env: tuple[tuple[str, str], ...] = ()
    artifact_repository: JSON | None = None


@dataclass(frozen=True, slots=True)
class ContainerUpdate:
    """One container of a containerSet pod."""

    name: str
    phase: str
    exit_code: int | None = None
    message: str = ""
    started_at: str | None = None
    finished_at: str | None = None


@dataclass(frozen=True, slots=True)
class PodUpdate:
    """What a backend observed of a pod; the runtime feeds it to the engine as an event.

    ``phase`` is the node phase the pod maps to (Pending, Running, Succeeded, Failed, Error);
    ``outputs`` is Argo's Outputs shape (``parameters``, ``result``, ``exitCode``, ``artifacts``),
    collected before the update is sent, so a pod may be deleted afterwards.
    """

    node_id: str
    pod_name: str
    phase: str
    message: str = ""
    outputs: JSON | None = None
    started_at: str | None = None
    finished_at: str | None = None
    pod_ip: str = ""
    host_node_name: str = ""
    daemoned: bool = False
    containers: tuple[ContainerUpdate, ...] = ()


def pod_metadata(template: Mapping[str, Any], workflow_spec: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """A pod's own labels and annotations: workflow ``podMetadata``, then the template's ``metadata``
    (argoctl's and Argo's labels are added by the backend)."""
    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}
    for source in (workflow_spec.get("podMetadata") or {}, template.get("metadata") or {}):
        labels.update({str(k): str(v) for k, v in (source.get("labels") or {}).items()})
        annotations.update({str(k): str(v) for k, v in (source.get("annotations") or {}).items()})
    return labels, annotations
