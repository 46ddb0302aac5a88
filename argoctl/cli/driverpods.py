"""``--driver pod`` on this machine's side: start a workflow's driver pod, and follow a workflow
that a driver pod runs (``wait``, ``watch``, ``submit --wait``) without ever driving it here.

No lease is not a dead driver here: the pod may still be pulling its image or starting (or
restarting after a crash). Only when no driver pod is left alive (deleted, evicted, exited with
the workflow unfinished) is a replacement pod started; a pod that cannot start (image pull,
configuration, a crash loop) or that ended Failed is an error naming the pod.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from argoctl.cli.app import App
from argoctl.errors import BackendError, ClusterError, UsageError
from argoctl.model.workflow import WorkflowState
from argoctl.runtime import driverpod

JSON = dict[str, Any]
DRIVERS = ("local", "pod")
POLL_SECONDS = 0.2
MAX_REPLACEMENTS = 3  # per command: a driver pod that keeps vanishing is an error, not a loop


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
    from argoctl.stores.configmap import ConfigMapStore

    store = app.store()
    owner = store.owner_reference(name) if isinstance(store, ConfigMapStore) else None
    settings = driverpod.load_settings()
    try:
        pod = driverpod.create(app.kube_client(), name, app.namespace, settings=settings, owner=owner,
                               replacement=replacement)
    except ClusterError as err:
        raise _not_started(app, name, settings, err) from err
    return str(pod["metadata"]["name"])


def _not_started(app: App, name: str, settings: driverpod.DriverSettings, err: ClusterError) -> BackendError:
    """The driver pod could not be created: the workflow is stored but nothing drives it yet."""
    again = f"then start its driver with: argoctl wait {name} -n {app.namespace}"
    if "service account" in f"{err.message} {err.hint}".lower():
        return BackendError(
            f"cannot start the driver pod of workflow {name}: no service account "
            f"{settings.service_account!r} in namespace {app.namespace}",
            hint=f"kubectl apply -n {app.namespace} -f deploy/rbac.yaml (or set kubernetes.driverServiceAccount "
                 f"or {driverpod.SERVICE_ACCOUNT_ENV}); {again}")
    return BackendError(f"cannot start the driver pod of workflow {name}: {err.message}",
                        hint=f"{err.hint}; {again}" if err.hint else again)


def _logs_hint(app: App, pod: str) -> str:
    return f"kubectl logs -f {pod} -n {app.namespace}"


def announce(app: App, name: str, pod: str) -> None:
    app.err(f"argoctl: workflow {name} runs in driver pod {pod} (its log: {_logs_hint(app, pod)})")


_LOCATIONS = ("s3", "gcs", "http", "git", "raw", "azure", "oss", "hdfs", "artifactory", "hf")


def warn_local_artifacts(app: App, state: WorkflowState) -> None:
    """A notice when output artifacts would go to the default local repository: in a driver pod
    that is an emptyDir, gone with the pod."""
    from argoctl.runtime.environment import snapshot

    spec = state.stored_workflow_template_spec or state.spec
    templates = [*(spec.get("templates") or []), *(state.spec.get("templates") or [])]
    unplaced = [a for t in templates for a in ((t.get("outputs") or {}).get("artifacts") or [])
                if not any(key in a for key in _LOCATIONS)]
    if unplaced and not snapshot(app.store(), state).default_artifact_repository:
        app.notice(f"workflow {state.name} keeps output artifacts in the default local repository, which "
                   "lives in its driver pod and goes with it; configure an artifact repository "
                   "(artifactRepositoryRef or the artifact-repositories ConfigMap)")


def _pick(pods: list[JSON]) -> tuple[driverpod.DriverPod | None, bool]:
    """The driver pod that counts (the newest alive one, else the newest) and whether any existed."""
    alive = [p for p in pods if driverpod.read(p).alive]
    chosen = driverpod.newest(alive or pods)
    return (driverpod.read(chosen) if chosen is not None else None), bool(pods)


def ensure(app: App, state: WorkflowState) -> None:
    """Make sure a driver pod is on ``state``'s workflow: start one unless one is alive."""
    if state.completed:
        return
    view, existed = _pick(driverpod.list_pods(app.kube_client(), app.namespace, state.name))
    if view is not None and view.alive:
        return
    pod = start(app, state.name, replacement=existed)
    announce(app, state.name, pod)


def _cannot_run(app: App, name: str, view: driverpod.DriverPod) -> BackendError:
    kubectl = f"kubectl describe pod {view.name} -n {app.namespace}; {_logs_hint(app, view.name).replace(' -f', '')}"
    if view.state == driverpod.FAILED:
        return BackendError(f"the driver pod {view.name} of workflow {name} failed: {view.reason}",
                            hint=f"see: {kubectl}")
    return BackendError(
        f"the driver pod {view.name} of workflow {name} cannot run: {view.reason}",
        hint=f"see: {kubectl}; the workflow is kept: fix the cause (the image: {driverpod.IMAGE_ENV} or "
             f"kubernetes.driverImage; the permissions: deploy/rbac.yaml), delete the pod and re-attach with: "
             f"argoctl wait {name} -n {app.namespace}")


def follow(app: App, name: str, on_change: Callable[[WorkflowState], None] | None = None) -> WorkflowState:
    """Follow a pod-driven workflow in the store until it completes (see the module docstring)."""
    from argoctl.cli.workflows import lease_is_live, load, observe

    last_version = None
    pull_failing_since: dict[str, float] = {}
    replaced = 0
    grace: float | None = None
    while True:
        state, last_version = observe(app, name, on_change, last_version)
        if state.completed:
            return state
        if not lease_is_live(app, name):
            view, existed = _pick(driverpod.list_pods(app.kube_client(), app.namespace, name))
            if view is None or view.state in (driverpod.EXITED, driverpod.GONE):
                if load(app, name).completed:  # its driver finished between our reads
                    continue
                if replaced >= MAX_REPLACEMENTS:
                    raise BackendError(f"workflow {name} lost {replaced + 1} driver pods",
                                       hint=f"see: kubectl get pods -n {app.namespace} "
                                            f"-l {driverpod.DRIVER_OF_LABEL}={driverpod.label_value(name)}")
                pod = start(app, name, replacement=existed)
                replaced += 1
                if view is not None and view.state == driverpod.GONE:
                    app.err(f"argoctl: workflow {name}: its driver pod {view.name} is gone ({view.reason})")
                elif view is None and state.phase not in ("", "Pending"):
                    app.err(f"argoctl: workflow {name} has no driver pod left")
                announce(app, name, pod)
            elif view.state == driverpod.PULLING_FAILS:
                if grace is None:
                    grace = driverpod.load_settings().image_pull_grace
                first = pull_failing_since.setdefault(view.name, time.monotonic())
                if time.monotonic() - first >= grace:
                    raise _cannot_run(app, name, view)
            elif view.state in (driverpod.BROKEN, driverpod.FAILED):
                raise _cannot_run(app, name, view)
        time.sleep(POLL_SECONDS)
