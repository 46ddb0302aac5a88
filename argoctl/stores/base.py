"""The store protocol: workflows (state and archive), applied objects, logs, leases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

JSON = dict[str, Any]

# kinds ``argoctl apply`` stores besides workflows
OBJECT_KINDS = ("WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow", "ConfigMap", "Secret")
# argoctl's own kinds: user commands queued for a workflow's driver; finished workflows' archive
INTERNAL_KINDS = ("WorkflowCommand", "ArchivedWorkflow")


class Lease(NamedTuple):
    holder: str
    renewed_at: float  # unix seconds
    ttl_seconds: float

    def expired(self, now: float) -> bool:
        return now > self.renewed_at + self.ttl_seconds


class Store(Protocol):
    """Workflow objects are Argo-shaped JSON; ``metadata.resourceVersion`` guards every write."""

    namespace: str

    def create_workflow(self, workflow: JSON) -> JSON:
        """Store a new workflow; ConflictError if the name exists. Returns it with a resourceVersion."""
        ...

    def get_workflow(self, name: str) -> JSON:
        """NotFoundError if absent."""
        ...

    def update_workflow(self, workflow: JSON) -> JSON:
        """Write if ``metadata.resourceVersion`` is current, else ConflictError."""
        ...

    def list_workflows(self, labels: Mapping[str, str] | str | None = None) -> Sequence[JSON]:
        """Summaries of the workflows whose labels match (an equality mapping or a selector
        string such as ``a=b,c!=d,e in (f,g)``): metadata, spec without templates, and status
        whose nodes keep only id, name, displayName, type and phase."""
        ...

    def delete_workflow(self, name: str) -> None: ...

    def put_object(self, kind: str, obj: JSON) -> None: ...

    def get_object(self, kind: str, name: str) -> JSON: ...

    def list_objects(self, kind: str) -> Sequence[JSON]: ...

    def delete_object(self, kind: str, name: str) -> None: ...

    def append_log(self, workflow: str, pod_name: str, container: str, text: str) -> None: ...

    def read_log(self, workflow: str, pod_name: str, container: str) -> str: ...

    def acquire_lease(self, workflow: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        """Take or renew the driver lease; ConflictError naming the holder if another holds it."""
        ...

    def release_lease(self, workflow: str, holder: str) -> None: ...

    def get_lease(self, workflow: str) -> Lease | None: ...
