"""Build the docker backend for the CLI: the engine's URL and where its logs are kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from argoctl.backends.docker.detect import candidates, find_engine
from argoctl.errors import BackendError


def store_lookup(store: Any) -> Callable[[str, str], Any]:
    """``lookup(kind, name)`` over the store's applied objects (ConfigMaps, Secrets); None if absent."""
    from argoctl.errors import ArgoctlError

    def lookup(kind: str, name: str) -> Any:
        try:
            return store.get_object(kind, name)
        except ArgoctlError:  # not there, or a name no object can have (an unresolved reference)
            return None

    return lookup


def docker_backend(home: Path, namespace: str, notices: Callable[[str], None], artifact_io: Any,
                   store: Any = None) -> Any:
    """A ``DockerBackend`` on the first engine that answers; ``BackendError`` (exit 3) when none does."""
    from argoctl.backends.docker.backend import DockerBackend

    url = find_engine()
    if url is None:
        tried = ", ".join(candidates())
        raise BackendError(f"no Docker Engine API answers (tried {tried})",
                           hint="start Docker or `podman system service`, or set DOCKER_HOST; "
                                "--backend local runs steps as host processes")
    return DockerBackend(url, home / "namespaces" / namespace / "docker-pods", namespace=namespace,
                         artifact_io=artifact_io, notices=notices,
                         lookup=store_lookup(store) if store is not None else None)
