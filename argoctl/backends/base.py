"""The backend protocol and the messages that cross it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from argoctl.model.pods import ContainerUpdate, PodRequest, PodUpdate

__all__ = ["ArtifactIO", "Backend", "ContainerUpdate", "PathResolver", "PodRequest", "PodUpdate"]

JSON = dict[str, Any]


class Backend(Protocol):
    """Runs pods. Every method is idempotent: starting a pod that already exists adopts it."""

    def start(self, request: PodRequest) -> None: ...

    def kill(self, pod_name: str, *, reason: str) -> None: ...

    def remove(self, pod_name: str, *, selector: JSON | None = None) -> None:
        """Delete a finished pod (``podGC``) if its labels match ``selector``; a missing one is fine."""
        ...

    def workflow_deleted(self, workflow_name: str, pods: Sequence[str]) -> None:
        """The workflow is gone from the store: its pods go too, as Kubernetes' garbage collector
        deletes pods whose owner was deleted (a pod still stopping may be left to its backend)."""
        ...

    def wait(self, timeout: float) -> Sequence[PodUpdate]:
        """Block until something happened to a pod, or ``timeout`` seconds passed."""
        ...

    def adopt(self, requests: Sequence[PodRequest]) -> Sequence[PodUpdate]:
        """After a driver restart: the current state of pods started by an earlier driver."""
        ...

    def read_logs(self, pod_name: str, container: str = "main", *, timestamps: bool = False) -> str:
        """The container's log; with ``timestamps`` each line starts with its RFC3339 time."""
        ...

    def close(self) -> None: ...


class ArtifactIO(Protocol):
    """Moves a pod's artifacts; backends call it around the main container.

    ``root`` is the directory that stands for the container's filesystem view as the backend
    lays it out (a path ``/tmp/x`` in the container is ``resolve("/tmp/x")`` on the host).
    Errors raise ``argoctl.errors.BackendError`` with a message naming the artifact and location;
    the node then ends in ``Error`` as Argo's artifact load/save failures do.
    """

    def load_inputs(self, request: PodRequest, resolve: PathResolver) -> None: ...

    def save_outputs(self, request: PodRequest, resolve: PathResolver) -> list[JSON]:
        """Upload ``template.outputs.artifacts``; returns Argo artifact objects with locations."""
        ...

    def handover(self) -> tuple[str, JSON]:
        """How to rebuild this object in another process: a ``"module:callable"`` factory and
        the JSON it takes (the local backend's pod runner does this; no pickling)."""
        ...


class PathResolver(Protocol):
    def __call__(self, container_path: str) -> str: ...
