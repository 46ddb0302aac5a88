"""The Kubernetes backend: each pod-producing node becomes a real Pod, created with the user's
own credentials (pods, pods/log; nothing installed in the cluster).

``podspec`` builds the manifest (pure; ``podparts`` and ``specpatch`` hold its pieces),
``helper`` is the in-pod wrapper through which outputs leave a pod of any image, ``status``
maps a Pod to Argo's node phase and message, ``collect`` reads outputs from termination
messages and logs, ``watcher`` keeps one watch per workflow, ``backend.KubeBackend`` implements
the ``Backend`` protocol. May import ``argoctl.backends.base``, ``.images``, ``.outputs``,
``argoctl.model``, ``argoctl.config``, ``argoctl.errors`` and ``argoctl.kube`` (the raw-JSON
client; ``kubernetes`` itself is imported lazily there). Called by ``argoctl.runtime`` through the
``Backend`` protocol and by ``argoctl.cli.app.App.backend``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from argoctl.backends.kube.backend import KubeBackend

__all__ = ["KubeBackend"]


def __getattr__(name: str) -> Any:
    if name == "KubeBackend":
        from argoctl.backends.kube.backend import KubeBackend

        return KubeBackend
    raise AttributeError(name)
