"""The local backend: pods run as host processes, each in a private root where the OS allows it.

``backend.LocalBackend`` (the driver side) starts one detached shim per pod
(``python -m argoctl.backends.local.shim POD_DIR``) and reads what it leaves in the pod directory;
``plan`` resolves images and volumes before a pod starts; ``sandbox``, ``runner``, ``procs`` and
``shim_outputs`` are the shim side. May import ``argoctl.backends.base``, ``.images``,
``.outputs``, ``argoctl.config`` and ``argoctl.errors``. Called by ``argoctl.runtime`` (through the
``Backend`` protocol) and by the CLI when it builds a backend. The shim-side modules import only
the standard library and each other, to keep a pod's start-up short.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from argoctl.backends.local.backend import LocalBackend

__all__ = ["LocalBackend"]


def __getattr__(name: str) -> Any:
    if name == "LocalBackend":  # imported lazily: the shim must not load the driver side
        from argoctl.backends.local.backend import LocalBackend

        return LocalBackend
    raise AttributeError(name)
