"""The docker backend: pods as groups of containers on a Docker Engine API (Docker or Podman).

``detect`` finds an engine that answers (no SDK import: it only pings the socket); ``backend``
holds ``DockerBackend`` (the driver side: start, watch, adopt, kill, logs, podGC), ``containers``
turns a template into container settings, ``transfer`` moves files in and out of containers
through the archive API. The official ``docker`` SDK is imported lazily, only by ``engine``.
May import ``argoctl.backends.base``, ``.outputs``, ``.datatemplate``, ``.local.plan`` (its
``$(VAR)`` expansion and duration parsing), ``argoctl.model`` and ``argoctl.errors``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from argoctl.backends.docker.backend import DockerBackend

__all__ = ["DockerBackend"]


def __getattr__(name: str) -> Any:
    if name == "DockerBackend":
        from argoctl.backends.docker.backend import DockerBackend

        return DockerBackend
    raise AttributeError(name)
