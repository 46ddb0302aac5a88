"""CronWorkflows over a store, as Argo's cron controller keeps them: read them with their current
status, store them (status kept, CronJobs synced), and ``trigger``: one decision of the pure
core (``argoctl.cron``) applied: history deleted, runs terminated (Replace), the run created,
the status written back. The local scheduler loop is ``runtime/cronscheduler.py``, backfill is
``runtime/cronbackfill.py``, the cluster's CronJobs ``runtime/cronjobs.py``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from argoctl.cron import decide as core
from argoctl.cron.spec import (
    ANNOTATION_LAST_SCHEDULE,
    LABEL_COMPLETED,
    LABEL_CRON,
    latest_activation,
)
from argoctl.errors import ArgoctlError, ConflictError, NotFoundError, UsageError
from argoctl.runtime.deletion import delete_history
from argoctl.sources import using_system

if TYPE_CHECKING:
    from argoctl.runtime.wiring import Wiring
    from argoctl.stores.base import Store

JSON = dict[str, Any]
KIND = "CronWorkflow"
Report = Callable[[str], None]


def get_cron(wiring: Wiring, name: str) -> JSON:
    try:
        return dict(wiring.store().get_object(KIND, name))
    except NotFoundError as exc:
        raise NotFoundError(f'cronworkflows.argoproj.io "{name}" not found') from exc


def create_or_update(wiring: Wiring, cron: JSON, *, update: bool) -> JSON:
    """``cron create`` (the name must be free) or ``cron update`` (it must exist), then ``apply``."""
    name = str(cron["metadata"]["name"])
    try:
        get_cron(wiring, name)
        exists = True
    except NotFoundError:
        exists = False
    if update and not exists:
        raise NotFoundError(f'cronworkflows.argoproj.io "{name}" not found')
    if not update and exists:
        raise UsageError(f'Failed to create cron workflow: cronworkflows.argoproj.io "{name}" already exists',
                         hint="change it with: argoctl cron update FILE")
    return apply(wiring, cron)


def apply(wiring: Wiring, cron: JSON) -> JSON:
    """Store ``cron`` keeping the stored status (Argo keeps it in a subresource), then sync its
    CronJobs; the stored cron."""
    from argoctl.runtime import cronjobs

    store = wiring.store()
    name = str(cron["metadata"]["name"])
    try:
        current = store.get_object(KIND, name)
    except NotFoundError:
        current = {}
    cron = {**cron, "status": current["status"]} if current.get("status") else dict(cron)
    used = ((current.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION_LAST_SCHEDULE)
    if used is not None:  # the controller's own annotation survives the user's update, as in Argo
        meta = cron["metadata"] = dict(cron.get("metadata") or {})
        meta["annotations"] = {ANNOTATION_LAST_SCHEDULE: used, **(meta.get("annotations") or {})}
    store.put_object(KIND, cron)
    stored = dict(store.get_object(KIND, name))
    cronjobs.sync(wiring, stored)
    return stored


def set_suspend(wiring: Wiring, name: str, suspend: bool) -> JSON:
    """``spec.suspend`` set and stored, the CronJobs following it."""
    from argoctl.runtime import cronjobs

    cron = get_cron(wiring, name)
    cron.setdefault("spec", {})["suspend"] = suspend
    wiring.store().put_object(KIND, cron)
    cronjobs.sync(wiring, cron)
    return cron


def delete(wiring: Wiring, names: list[str], *, every: bool = False, report: Report) -> None:
    """Delete the crons ``names`` (``every``: all of them) and their CronJobs, one line each."""
    from argoctl.runtime import cronjobs

    store = wiring.store()
    targets = [str(o["metadata"]["name"]) for o in store.list_objects(KIND)] if every else list(names)
    if not targets:
        raise UsageError("give cron workflow names or --all")
    for name in targets:
        try:
            store.delete_object(KIND, name)
        except NotFoundError as exc:
            raise NotFoundError(f'cronworkflows.argoproj.io "{name}" not found') from exc
        cronjobs.remove(wiring, name)
        report(f'CronWorkflow "{name}" deleted')


def _terminate(wiring: Wiring, name: str, now: str, report: Report) -> None:
    from argoctl.engine.types import Shutdown
    from argoctl.runtime.supervise import Supervisor

    supervisor = Supervisor(wiring, report=report)
    try:
        state = supervisor.load(name)
    except NotFoundError:
        return
    if state.completed:
        return  # argo: "already shut down", a warning only
    supervisor.send(state, Shutdown("Terminate"), now)


def create_workflow(wiring: Wiring, manifest: JSON, now: datetime) -> str:
    """Store the workflow the core built (its name fixed: ``<cron>-<unix seconds>``)."""
    from argoctl.runtime import workflows
    from argoctl.runtime.submit import SubmitOptions

    manifest = dict(manifest)
    manifest["metadata"] = {k: v for k, v in manifest["metadata"].items() if k != "ownerReferences"}
    return str(workflows.create(wiring, manifest, SubmitOptions(), now).name)


def refresh(wiring: Wiring, name: str) -> JSON:
    """Argo's reaction to its workflows' events: status (active, succeeded, failed, stopStrategy)
    brought up to date and the history limits applied; the stored cron is returned."""
    store = wiring.store()
    cron = get_cron(wiring, name)
    with using_system():  # stopStrategy expressions may read the clock
        reconciled = core.reconcile(cron, store.list_workflows({LABEL_CRON: name}))
    delete_history(wiring, reconciled.delete)
    _store_status(wiring, reconciled.cron)
    _suspend_if_stopped(wiring, cron, reconciled.cron)
    return reconciled.cron


def with_current_status(crons: list[JSON], store: Store) -> list[JSON]:
    """The crons as Argo's controller would show them now (status reconciled; nothing written)."""
    if not crons:
        return crons
    workflows = list(store.list_workflows(LABEL_CRON))
    with using_system():
        return [core.reconcile(cron, workflows).cron for cron in crons]


def get_with_status(wiring: Wiring, name: str) -> JSON:
    return with_current_status([get_cron(wiring, name)], wiring.store())[0]


def _namespace_stores(wiring: Wiring) -> list[Store]:
    """One store per namespace, for ``-A``: the local store's namespace directories, or the
    cluster's namespaces with the ConfigMap store."""
    from argoctl.stores.configmap import ConfigMapStore
    from argoctl.stores.factory import open_store
    from argoctl.stores.local import LocalStore

    store = wiring.store()
    if isinstance(store, LocalStore):
        root = store.home / "namespaces"
        names = sorted(d.name for d in root.iterdir() if d.is_dir()) if root.is_dir() else []
        return [LocalStore(store.home, name) for name in names]
    if isinstance(store, ConfigMapStore):
        found = wiring.kube_client().list("/api/v1/namespaces").get("items") or []
        return [open_store("configmap", namespace=str(ns["metadata"]["name"]), client=wiring.kube_client())
                for ns in found]
    raise UsageError("--all-namespaces needs the local or the ConfigMap store")


def list_crons(wiring: Wiring, *, all_namespaces: bool = False) -> list[JSON]:
    """The CronWorkflows of this namespace (of every namespace with ``all_namespaces``), by
    namespace and name, with their current status."""
    found: list[JSON] = []
    for store in _namespace_stores(wiring) if all_namespaces else [wiring.store()]:
        crons = sorted((dict(o) for o in store.list_objects(KIND)), key=lambda o: str(o["metadata"]["name"]))
        found += with_current_status(crons, store)
    return found


@dataclasses.dataclass(frozen=True)
class Outcome:
    decision: core.Decision
    created: str = ""  # the workflow created, if any
    deleted: tuple[str, ...] = ()


def trigger(wiring: Wiring, name: str, scheduled: datetime | None, *, now: datetime, report: Report,
            wall: datetime | None = None) -> Outcome:
    """Argo's cron run for one scheduled time (default: the latest activation at or before
    ``now``): reconcile the status and history, decide, terminate (Replace), create, store.
    ``wall`` (default ``now``) stamps what is written: the run's creation, the Terminate command
    (``cron run --now`` pretends ``now`` but writes at the real time)."""
    from argoctl.model.timefmt import rfc3339

    wall = wall or now
    store = wiring.store()
    cron = get_cron(wiring, name)
    with using_system():  # `when` and stopStrategy expressions may read the clock or randomness
        reconciled = core.reconcile(cron, store.list_workflows({LABEL_CRON: name}))
        if scheduled is None:
            scheduled = latest_activation(reconciled.cron, now) or now.replace(second=0, microsecond=0)
        decision = core.decide(reconciled.cron, scheduled)
    delete_history(wiring, reconciled.delete)
    for running in decision.terminate:
        _terminate(wiring, running, rfc3339(wall), report)
    created = ""
    result = decision.cron
    if decision.run and decision.workflow is not None:
        try:
            created = create_workflow(wiring, decision.workflow, wall)
        except ConflictError:  # this scheduled time already ran (a second scheduler, a retried job)
            result = reconciled.cron
            decision = dataclasses.replace(decision, run=False, reason="already created")
        except (ArgoctlError, OSError) as exc:
            result = dict(reconciled.cron)
            core.set_condition(result, core.SUBMISSION_ERROR, f"Failed to submit Workflow: {exc}")
            decision = dataclasses.replace(decision, run=False, reason=str(exc))
    _store_status(wiring, result)
    _suspend_if_stopped(wiring, cron, result)
    return Outcome(dataclasses.replace(decision, cron=result), created, reconciled.delete)


def _store_status(wiring: Wiring, cron: JSON) -> None:
    """Write what the controller owns (status, the completed label, the last-used-schedule
    annotation) onto the cron as stored now, as Argo's merge patch does: a ``cron suspend`` or
    ``update`` made meanwhile is kept."""
    fresh = get_cron(wiring, str(cron["metadata"]["name"]))
    meta = dict(fresh.get("metadata") or {})
    labels = (cron.get("metadata") or {}).get("labels") or {}
    annotations = (cron.get("metadata") or {}).get("annotations") or {}
    if LABEL_COMPLETED in labels:
        meta["labels"] = {**(meta.get("labels") or {}), LABEL_COMPLETED: labels[LABEL_COMPLETED]}
    if ANNOTATION_LAST_SCHEDULE in annotations:
        meta["annotations"] = {**(meta.get("annotations") or {}),
                               ANNOTATION_LAST_SCHEDULE: annotations[ANNOTATION_LAST_SCHEDULE]}
    wiring.store().put_object(KIND, {**fresh, "metadata": meta, "status": cron.get("status") or {}})


def _suspend_if_stopped(wiring: Wiring, before: JSON, after: JSON) -> None:
    """On a cluster, a cron its stopStrategy just stopped has its CronJobs suspended."""
    def stopped(cron: JSON) -> bool:
        return (cron.get("status") or {}).get("phase") == "Stopped"

    if stopped(after) and not stopped(before):
        from argoctl.runtime import cronjobs

        cronjobs.sync(wiring, after)
