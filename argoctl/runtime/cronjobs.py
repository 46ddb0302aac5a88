"""One ``batch/v1`` CronJob per schedule of a stored CronWorkflow: Kubernetes' own CronJob
controller is the scheduler on a cluster. Each job's pod runs the argoctl driver image (the image
and service account of ``submit --driver pod``) with ``argoctl cron trigger NAME --wait``, which
applies one decision of ``argoctl.cron`` and drives the workflow it creates to its end.

The CronJob keeps ``concurrencyPolicy: Allow`` (Argo's Allow/Forbid/Replace act on workflows, in
the trigger); ``timezone`` becomes ``spec.timeZone``, ``startingDeadlineSeconds`` and ``suspend``
carry over. Every CronJob is labelled ``argoctl.io/cron-workflow=NAME`` and owned by the object
that stores the CronWorkflow, so deleting it garbage-collects the CronJobs, their Jobs and Pods.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from argoctl.cron.spec import schedule_lines
from argoctl.runtime.driverpod import HOME_PATH, HOME_VOLUME, DriverSettings

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient
    from argoctl.runtime.wiring import Wiring

JSON = dict[str, Any]
CRON_LABEL = "argoctl.io/cron-workflow"
SCHEDULE_ANNOTATION = "argoctl.io/schedule"
GROUP, VERSION, RESOURCE = "batch", "v1", "cronjobs"
JOB_ENV = "ARGOCTL_CRON_JOB"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"  # set on a Job's pods by Kubernetes >= 1.27
MAX_CRONJOB_NAME = 52  # Kubernetes: a CronJob name leaves 11 characters for its Jobs' suffix


def cronjob_name(cron: str, index: int, count: int) -> str:
    """``<cron>`` for a single schedule, ``<cron>-<index>`` for several; hashed to fit 52."""
    base = cron if count == 1 else f"{cron}-{index}"
    if len(base) <= MAX_CRONJOB_NAME:
        return base
    digest = hashlib.sha256(base.encode()).hexdigest()[:5]
    return f"{base[:MAX_CRONJOB_NAME - 6].rstrip('-')}-{digest}"


def scheduled_time_of_job(job: str) -> datetime | None:
    """The scheduled time a CronJob's Job stands for: Kubernetes names it
    ``<cronjob>-<scheduled unix time // 60>``."""
    _, _, minutes = job.rpartition("-")
    if not minutes.isdigit() or len(minutes) < 7:
        return None
    return datetime.fromtimestamp(int(minutes) * 60, UTC)


def build(cron: Mapping[str, Any], namespace: str, *, settings: DriverSettings, owner: JSON | None,
          argv: Sequence[str]) -> list[JSON]:
    """The CronJobs of ``cron``, one per schedule; suspended with the cron, or once its
    ``stopStrategy`` has stopped it (Argo's phase Stopped: no run would start)."""
    meta = cron.get("metadata") or {}
    spec = dict(cron.get("spec") or {})
    spec["suspend"] = bool(spec.get("suspend")) or (cron.get("status") or {}).get("phase") == "Stopped"
    name = str(meta.get("name"))
    lines = schedule_lines(spec)
    return [_cronjob(name, namespace, line, cronjob_name(name, i, len(lines)), spec, settings, owner, argv)
            for i, line in enumerate(lines)]


def _cronjob(cron: str, namespace: str, line: str, name: str, spec: Mapping[str, Any],
             settings: DriverSettings, owner: JSON | None, argv: Sequence[str]) -> JSON:
    suspended = bool(spec.get("suspend"))
    labels = {CRON_LABEL: cron, "app.kubernetes.io/name": "argoctl-cron", "app.kubernetes.io/managed-by": "argoctl"}
    env: list[JSON] = [{"name": "ARGOCTL_BACKEND", "value": "kubernetes"}, {"name": "ARGOCTL_HOME", "value": HOME_PATH},
           {"name": "PYTHONUNBUFFERED", "value": "1"}, {"name": "NO_COLOR", "value": "1"}]
    env.extend({"name": key, "value": value} for key, value in settings.env)
    # the Job's name, <cronjob>-<minutes since the epoch of the scheduled time>, tells the trigger its time
    env.append({"name": JOB_ENV, "valueFrom": {"fieldRef": {"fieldPath": f"metadata.labels['{JOB_NAME_LABEL}']"}}})
    args = [*argv, "cron", "trigger", cron, "--wait", "--job", f"$({JOB_ENV})"]
    container = {"name": "trigger", "image": settings.image, "args": args,
                 "env": env, "volumeMounts": [{"name": HOME_VOLUME, "mountPath": HOME_PATH}],
                 "resources": {"requests": {"cpu": "50m", "memory": "128Mi"}}}
    # a trigger that crashes is restarted and takes over the run it created (it exits 0 once the run ends)
    pod_spec = {"serviceAccountName": settings.service_account, "restartPolicy": "OnFailure",
                "terminationGracePeriodSeconds": 10, "containers": [container],
                "volumes": [{"name": HOME_VOLUME, "emptyDir": {}}]}
    metadata: JSON = {"name": name, "namespace": namespace, "labels": labels,
                      "annotations": {SCHEDULE_ANNOTATION: line}}
    if owner:
        metadata["ownerReferences"] = [owner]
    body: JSON = {
        "schedule": line, "concurrencyPolicy": "Allow", "suspend": suspended,
        "successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 1,
        "jobTemplate": {"metadata": {"labels": labels},
                        "spec": {"backoffLimit": 3, "template": {"metadata": {"labels": labels}, "spec": pod_spec}}},
    }
    if spec.get("timezone"):
        body["timeZone"] = spec["timezone"]
    if isinstance(spec.get("startingDeadlineSeconds"), int):
        body["startingDeadlineSeconds"] = spec["startingDeadlineSeconds"]
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": metadata, "spec": body}


def _collection(namespace: str) -> str:
    from argoctl.kube import paths

    return paths.collection(namespace, RESOURCE, group=GROUP, version=VERSION)


def existing(client: KubeClient, namespace: str, cron: str) -> list[JSON]:
    found = client.list(_collection(namespace), label_selector=f"{CRON_LABEL}={cron}").get("items") or []
    return [item for item in found if ((item.get("metadata") or {}).get("labels") or {}).get(CRON_LABEL) == cron]


def reconcile(client: KubeClient, namespace: str, cron: Mapping[str, Any], *, settings: DriverSettings,
              owner: JSON | None, argv: Sequence[str]) -> list[JSON]:
    """Create or replace the wanted CronJobs and delete the others of this cron."""
    wanted = build(cron, namespace, settings=settings, owner=owner, argv=argv)
    current = {str(item["metadata"]["name"]): item for item in existing(client, namespace, str(cron["metadata"]["name"]))}
    written = []
    for body in wanted:
        name = str(body["metadata"]["name"])
        found = current.pop(name, None)
        if found is None:
            written.append(client.create(_collection(namespace), body))
        else:
            body["metadata"]["resourceVersion"] = found["metadata"].get("resourceVersion")
            written.append(client.replace(f"{_collection(namespace)}/{name}", body))
    for name in current:
        _delete(client, namespace, name)
    return written


def _delete(client: KubeClient, namespace: str, name: str) -> None:
    client.delete(f"{_collection(namespace)}/{name}", propagation="Background", missing_ok=True)


def delete_all(client: KubeClient, namespace: str, cron: str) -> None:
    """Delete the CronJobs of ``cron`` (their Jobs and Pods follow by garbage collection)."""
    for item in existing(client, namespace, cron):
        _delete(client, namespace, str(item["metadata"]["name"]))


# ---- on a Wiring: a no-op without a cluster ----------------------------------------------------


def _on_cluster(wiring: Wiring) -> bool:
    from argoctl.stores.configmap import ConfigMapStore

    return isinstance(wiring.store(), ConfigMapStore)


def sync(wiring: Wiring, cron: Mapping[str, Any]) -> None:
    """On a cluster: one CronJob per schedule, following the stored CronWorkflow ``cron``."""
    if not _on_cluster(wiring):
        return
    from argoctl.runtime.driverpod import load_settings

    reconcile(wiring.kube_client(), wiring.namespace, cron, settings=load_settings(),
              owner=_owner(wiring, str(cron["metadata"]["name"])), argv=child_argv(wiring))


def remove(wiring: Wiring, cron: str) -> None:
    """On a cluster: the CronJobs of ``cron`` deleted."""
    if _on_cluster(wiring):
        delete_all(wiring.kube_client(), wiring.namespace, cron)


def _owner(wiring: Wiring, name: str) -> JSON | None:
    """An ownerReference to the ConfigMap that stores the CronWorkflow (None if it is gone)."""
    from argoctl.errors import NotFoundError
    from argoctl.kube import paths
    from argoctl.stores import cmcodec

    path = paths.item(wiring.namespace, "configmaps", cmcodec.object_configmap_name("CronWorkflow", name))
    try:
        return cmcodec.owner_reference(wiring.kube_client().get(path))
    except NotFoundError:
        return None


def child_argv(wiring: Wiring) -> list[str]:
    """The global options a CronJob's pod passes to its argoctl: this command's resolved settings,
    as for a driver pod (no kubeconfig, local path or secret: the pod uses its service account)."""
    from argoctl.runtime.wiring import child_invocation

    return list(child_invocation(wiring, in_cluster=True).args)
