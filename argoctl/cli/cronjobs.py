"""CronWorkflows on a cluster: keep one ``batch/v1`` CronJob per schedule in step with the stored
CronWorkflow (``argoctl.runtime.cronjobs`` builds and applies them). A no-op without a cluster."""

from __future__ import annotations

from typing import Any

from argoctl.cli.app import App
from argoctl.cron.spec import ANNOTATION_LAST_SCHEDULE
from argoctl.errors import NotFoundError

JSON = dict[str, Any]


def _on_cluster(app: App) -> bool:
    from argoctl.stores.configmap import ConfigMapStore

    return isinstance(app.store(), ConfigMapStore)


def sync(app: App, cron: JSON) -> None:
    if not _on_cluster(app):
        return
    from argoctl.runtime import cronjobs
    from argoctl.runtime.driverpod import load_settings

    cronjobs.reconcile(app.kube_client(), app.namespace, cron, settings=load_settings(),
                       owner=_owner(app, str(cron["metadata"]["name"])), argv=child_argv(app))


def _owner(app: App, name: str) -> JSON | None:
    """An ownerReference to the ConfigMap that stores the CronWorkflow (None if it is gone)."""
    from argoctl.kube import paths
    from argoctl.stores import cmcodec

    path = paths.item(app.namespace, "configmaps", cmcodec.object_configmap_name("CronWorkflow", name))
    try:
        return cmcodec.owner_reference(app.kube_client().get(path))
    except NotFoundError:
        return None


def apply(app: App, cron: JSON) -> JSON:
    """Store ``cron`` keeping the stored status (Argo keeps it in a subresource), then sync its CronJobs."""
    store = app.store()
    name = str(cron["metadata"]["name"])
    try:
        current = store.get_object("CronWorkflow", name)
    except NotFoundError:
        current = {}
    cron = {**cron, "status": current["status"]} if current.get("status") else dict(cron)
    used = ((current.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION_LAST_SCHEDULE)
    if used is not None:  # the controller's own annotation survives the user's update, as in Argo
        meta = cron["metadata"] = dict(cron.get("metadata") or {})
        meta["annotations"] = {ANNOTATION_LAST_SCHEDULE: used, **(meta.get("annotations") or {})}
    store.put_object("CronWorkflow", cron)
    stored = dict(store.get_object("CronWorkflow", name))
    sync(app, stored)
    return stored


def remove(app: App, name: str) -> None:
    if not _on_cluster(app):
        return
    from argoctl.runtime import cronjobs

    cronjobs.delete_all(app.kube_client(), app.namespace, name)


def child_argv(app: App) -> list[str]:
    """The global options a CronJob's pod passes to its argoctl: this command's resolved settings,
    as for a driver pod (no kubeconfig, local path or secret: the pod uses its service account)."""
    from argoctl.runtime.wiring import child_invocation

    return list(child_invocation(app.wiring, in_cluster=True).args)
