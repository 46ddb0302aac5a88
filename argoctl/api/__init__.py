"""The Python API of argoctl: ``run`` a workflow, or work with many through a ``Client``.

``import argoctl`` stays cheap: ``argoctl.run``, ``argoctl.Client`` and the exceptions are loaded
from here on first use. Nothing prints: notices go to the ``argoctl`` logger (and to a
``Client``'s ``on_notice`` callback). The CLI verbs run on the same ``argoctl.runtime`` code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.api.client import Client
from argoctl.api.errors import ClusterUnavailable, InvalidManifest, WorkflowFailed
from argoctl.api.result import NodeResult, Outputs, Run
from argoctl.api.sources import HasToDict, WorkflowLike
from argoctl.errors import ArgoctlError, NotFoundError

__all__ = ["ArgoctlError", "Client", "ClusterUnavailable", "HasToDict", "InvalidManifest", "NodeResult",
           "NotFoundError", "Outputs", "Run", "WorkflowFailed", "WorkflowLike", "run"]


def run(workflow: WorkflowLike, *, parameters: Mapping[str, Any] | None = None, backend: str | None = None,
        wait: bool = True) -> Run:
    """Submit ``workflow`` (a YAML/JSON/Hera ``.py`` path, a manifest dict, or a Hera ``Workflow``
    or anything with ``to_dict()``) with ``parameters`` (``-p``), on ``backend`` (``"local"`` or
    ``"kubernetes"``; default as the CLI: a configured cluster, else local). With ``wait`` (the
    default) it runs to its end here and raises ``WorkflowFailed`` (its ``.run`` attached) when the
    workflow fails; ``InvalidManifest`` lists every problem of a workflow that cannot run."""
    return Client(backend=backend).submit(workflow, parameters=parameters, wait=wait)
