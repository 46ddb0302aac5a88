"""argoctl: run Argo Workflows manifests with no Argo controller.

Layers (each imports only from the layers listed before it):
errors, model -> parse -> expr -> validate -> engine -> backends, stores -> runtime -> api, render -> cli.
Only ``argoctl.kube`` and ``argoctl.backends.kube`` import ``kubernetes``, lazily.

The Python API (``argoctl.run``, ``argoctl.Client``, ``argoctl.Run``, the exceptions) lives in
``argoctl.api`` and is imported on first use, so ``import argoctl`` (and ``argoctl --help``) stay cheap.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: ``import argoctl`` (every command, the fork server) need not load typing

__version__ = "0.1.0"

if TYPE_CHECKING:
    from typing import Any

    from argoctl.api import (
        ArgoctlError,
        Client,
        ClusterUnavailable,
        InvalidManifest,
        NodeResult,
        NotFoundError,
        Outputs,
        Run,
        WorkflowFailed,
        run,
    )

__all__ = ["ArgoctlError", "Client", "ClusterUnavailable", "InvalidManifest", "NodeResult", "NotFoundError",
           "Outputs", "Run", "WorkflowFailed", "__version__", "run"]
_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module("argoctl.api"), name)
    raise AttributeError(f"module 'argoctl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
