"""``--driver pod`` on the CLI's side: check the flag, mark a workflow as pod-driven, warn about
artifacts that would live in the driver pod. Starting, following and replacing driver pods is
``argoctl.runtime.supervise``'s job; the functions here are the CLI's calls into it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argoctl.cli.app import App
from argoctl.cli.workflows import supervisor
from argoctl.errors import UsageError
from argoctl.model.workflow import WorkflowState
from argoctl.runtime import driverpod

JSON = dict[str, Any]
DRIVERS = ("local", "pod")


def check_driver(app: App, driver: str) -> str:
    """``--driver``: local or pod; pod needs the kubernetes backend and the ConfigMap store."""
    if driver not in DRIVERS:
        raise UsageError(f"unknown driver {driver!r}", hint="use --driver local or --driver pod")
    if driver == "pod":
        from argoctl.stores.configmap import ConfigMapStore

        if app.backend_name != "kubernetes":
            raise UsageError("--driver pod needs the kubernetes backend",
                             hint="use --backend kubernetes (or ARGOCTL_BACKEND=kubernetes) with a cluster "
                                  "in your kubeconfig")
        if not isinstance(app.store(), ConfigMapStore):
            raise UsageError("--driver pod needs the workflow state in the cluster",
                             hint="drop --store / ARGOCTL_STORE: the kubernetes backend keeps it in ConfigMaps")
    return driver


def mark(workflow: JSON) -> JSON:
    """``workflow`` annotated as run by a driver pod (in place)."""
    metadata = workflow.setdefault("metadata", {})
    metadata["annotations"] = {**(metadata.get("annotations") or {}), driverpod.DRIVER_ANNOTATION: driverpod.POD_DRIVER}
    return workflow


def start(app: App, name: str, *, replacement: bool = False) -> str:
    """Create a driver pod for workflow ``name``; its pod name."""
    return supervisor(app).start_driver_pod(name, replacement=replacement)


def announce(app: App, name: str, pod: str) -> None:
    supervisor(app).announce(name, pod)


def warn_local_artifacts(app: App, state: WorkflowState) -> None:
    """A notice when output artifacts would live in the driver pod (``argoctl.runtime.driverpod``)."""
    notice = driverpod.local_artifacts_notice(app.store(), state)
    if notice:
        app.notice(notice)


def ensure(app: App, state: WorkflowState) -> None:
    """Make sure a driver pod is on ``state``'s workflow: start one unless one is alive."""
    supervisor(app).ensure_driver_pod(state)


def follow(app: App, name: str, on_change: Callable[[WorkflowState], None] | None = None) -> WorkflowState:
    """Follow a pod-driven workflow until it completes (``argoctl.runtime.supervise``)."""
    return supervisor(app).follow(name, on_change)
