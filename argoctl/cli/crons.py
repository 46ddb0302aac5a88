"""CronWorkflows over a store: ``trigger`` (one decision of ``argoctl.cron`` applied), the local
foreground scheduler of ``cron run`` and ``cron backfill``."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from argoctl.cli.app import App
from argoctl.cron import decide as core
from argoctl.cron.spec import (
    ANNOTATION_LAST_SCHEDULE,
    FULFILLED,
    LABEL_BACKFILL,
    LABEL_COMPLETED,
    LABEL_CRON,
    activations,
    latest_activation,
)
from argoctl.errors import ArgoctlError, ConflictError, NotFoundError, StoreError, UsageError
from argoctl.sources import using_system

JSON = dict[str, Any]
KIND = "CronWorkflow"
SCHEDULER_LEASE = "argoctl-cron-scheduler"
LEASE_TTL = 30.0


def get_cron(app: App, name: str) -> JSON:
    try:
        return dict(app.store().get_object(KIND, name))
    except NotFoundError as exc:
        raise NotFoundError(f'cronworkflows.argoproj.io "{name}" not found') from exc


def _terminate(app: App, name: str) -> None:
    from argoctl.cli.commands.control import send
    from argoctl.engine.types import Shutdown

    try:
        state = app.store().get_workflow(name)
    except NotFoundError:
        return
    if ((state.get("status") or {}).get("phase") or "") in FULFILLED:
        return  # argo: "already shut down", a warning only
    send(app, name, Shutdown("Terminate"))


def create_workflow(app: App, manifest: JSON) -> str:
    """Store the workflow the core built (its name fixed: ``<cron>-<unix seconds>``)."""
    from argoctl.cli.commands.submit import SubmitArgs, create

    manifest = dict(manifest)
    manifest["metadata"] = {k: v for k, v in manifest["metadata"].items() if k != "ownerReferences"}
    state = create(app, manifest, SubmitArgs(), [])
    return str(state.name)


def refresh(app: App, name: str) -> JSON:
    """Argo's reaction to its workflows' events: status (active, succeeded, failed, stopStrategy)
    brought up to date and the history limits applied; the stored cron is returned."""
    store = app.store()
    cron = get_cron(app, name)
    with using_system():  # stopStrategy expressions may read the clock
        reconciled = core.reconcile(cron, store.list_workflows({LABEL_CRON: name}))
    for doomed in reconciled.delete:
        with contextlib.suppress(NotFoundError):
            store.delete_workflow(doomed)
    _store_status(app, reconciled.cron)
    _suspend_if_stopped(app, cron, reconciled.cron)
    return reconciled.cron


def with_current_status(app: App, crons: list[JSON], store: Any = None) -> list[JSON]:
    """The crons as Argo's controller would show them now (status reconciled; nothing written)."""
    if not crons:
        return crons
    workflows = list((store or app.store()).list_workflows(LABEL_CRON))
    with using_system():
        return [core.reconcile(cron, workflows).cron for cron in crons]


def _namespace_stores(app: App) -> list[Any]:
    """One store per namespace, for ``-A``: the local store's namespace directories, or the
    cluster's namespaces with the ConfigMap store."""
    from argoctl.stores.configmap import ConfigMapStore
    from argoctl.stores.factory import open_store
    from argoctl.stores.local import LocalStore

    store = app.store()
    if isinstance(store, LocalStore):
        root = store.home / "namespaces"
        names = sorted(d.name for d in root.iterdir() if d.is_dir()) if root.is_dir() else []
        return [LocalStore(store.home, name) for name in names]
    if isinstance(store, ConfigMapStore):
        found = app.kube_client().list("/api/v1/namespaces").get("items") or []
        return [open_store("configmap", namespace=str(ns["metadata"]["name"]), client=app.kube_client())
                for ns in found]
    raise UsageError("--all-namespaces needs the local or the ConfigMap store")


def list_crons(app: App, *, all_namespaces: bool = False) -> list[JSON]:
    """The CronWorkflows of this namespace (of every namespace with ``all_namespaces``), by
    namespace and name, with their current status."""
    found: list[JSON] = []
    for store in _namespace_stores(app) if all_namespaces else [app.store()]:
        crons = sorted((dict(o) for o in store.list_objects(KIND)), key=lambda o: str(o["metadata"]["name"]))
        found += with_current_status(app, crons, store)
    return found


@dataclasses.dataclass(frozen=True)
class Outcome:
    decision: core.Decision
    created: str = ""  # the workflow created, if any
    deleted: tuple[str, ...] = ()


def trigger(app: App, name: str, scheduled: datetime | None, *, now: datetime) -> Outcome:
    """Argo's cron run for one scheduled time (default: the latest activation at or before
    ``now``): reconcile the status and history, decide, terminate (Replace), create, store."""
    store = app.store()
    cron = get_cron(app, name)
    with using_system():  # `when` and stopStrategy expressions may read the clock or randomness
        reconciled = core.reconcile(cron, store.list_workflows({LABEL_CRON: name}))
        if scheduled is None:
            scheduled = latest_activation(reconciled.cron, now) or now.replace(second=0, microsecond=0)
        decision = core.decide(reconciled.cron, scheduled)
    for doomed in reconciled.delete:
        with contextlib.suppress(NotFoundError):
            store.delete_workflow(doomed)
    for running in decision.terminate:
        _terminate(app, running)
    created = ""
    result = decision.cron
    if decision.run and decision.workflow is not None:
        try:
            created = create_workflow(app, decision.workflow)
        except ConflictError:  # this scheduled time already ran (a second scheduler, a retried job)
            result = reconciled.cron
            decision = dataclasses.replace(decision, run=False, reason="already created")
        except (ArgoctlError, OSError) as exc:
            result = dict(reconciled.cron)
            core.set_condition(result, core.SUBMISSION_ERROR, f"Failed to submit Workflow: {exc}")
            decision = dataclasses.replace(decision, run=False, reason=str(exc))
    _store_status(app, result)
    _suspend_if_stopped(app, cron, result)
    return Outcome(dataclasses.replace(decision, cron=result), created, reconciled.delete)


def _store_status(app: App, cron: JSON) -> None:
    """Write what the controller owns (status, the completed label, the last-used-schedule
    annotation) onto the cron as stored now, as Argo's merge patch does: a ``cron suspend`` or
    ``update`` made meanwhile is kept."""
    fresh = get_cron(app, str(cron["metadata"]["name"]))
    meta = dict(fresh.get("metadata") or {})
    labels = (cron.get("metadata") or {}).get("labels") or {}
    annotations = (cron.get("metadata") or {}).get("annotations") or {}
    if LABEL_COMPLETED in labels:
        meta["labels"] = {**(meta.get("labels") or {}), LABEL_COMPLETED: labels[LABEL_COMPLETED]}
    if ANNOTATION_LAST_SCHEDULE in annotations:
        meta["annotations"] = {**(meta.get("annotations") or {}),
                               ANNOTATION_LAST_SCHEDULE: annotations[ANNOTATION_LAST_SCHEDULE]}
    app.store().put_object(KIND, {**fresh, "metadata": meta, "status": cron.get("status") or {}})


def _suspend_if_stopped(app: App, before: JSON, after: JSON) -> None:
    """On a cluster, a cron its stopStrategy just stopped has its CronJobs suspended."""
    def stopped(cron: JSON) -> bool:
        return (cron.get("status") or {}).get("phase") == "Stopped"

    if stopped(after) and not stopped(before):
        from argoctl.cli import cronjobs

        cronjobs.sync(app, after)


# ---- the local scheduler ----------------------------------------------------------------------


class Scheduler:
    """``argoctl cron run``: one per store (its lease), firing what is due every few seconds."""

    def __init__(self, app: App, *, clock: Callable[[], datetime] | None = None,
                 on_created: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.clock = clock or (lambda: datetime.now(UTC))
        self.on_created = on_created or (lambda name: None)
        self.stopping = threading.Event()
        from argoctl.runtime.driver import holder_identity

        self.holder = holder_identity()

    def _lease(self) -> None:
        try:
            self.app.store().acquire_lease(SCHEDULER_LEASE, self.holder, LEASE_TTL, time.time())
        except ConflictError as exc:
            raise StoreError(f"another cron scheduler runs over this store ({exc})",
                             hint="one `argoctl cron run` per store; stop the other one first") from exc

    def tick(self) -> list[Outcome]:
        """Fire every CronWorkflow with a run due now; reconcile the others' status."""
        now = self.clock()
        outcomes = []
        for cron in self.app.store().list_objects(KIND):
            name = str(cron["metadata"]["name"])
            try:
                scheduled = core.due(cron, now)
            except ArgoctlError as exc:
                self.app.err(f"argoctl: cron {name}: {exc}")
                continue
            if scheduled is None:
                if (cron.get("status") or {}).get("active"):
                    with contextlib.suppress(ArgoctlError, OSError):  # tried again next tick
                        refresh(self.app, name)  # finished runs counted, history limits applied
                continue
            try:
                outcome = trigger(self.app, name, scheduled, now=now)
            except (ArgoctlError, OSError) as exc:  # one cron's trouble does not stop the others
                self.app.err(f"argoctl: cron {name}: {exc}")
                continue
            outcomes.append(outcome)
            self._report(name, outcome)
        return outcomes

    def _report(self, name: str, outcome: Outcome) -> None:
        if outcome.created:
            self.app.out(f"{outcome.decision.scheduled and outcome.decision.scheduled.isoformat()} "
                         f"{name}: created workflow {outcome.created}")
            self.on_created(outcome.created)
        else:
            self.app.out(f"{name}: not run: {outcome.decision.reason}")

    def run(self, *, once: bool = False) -> None:
        self._lease()
        previous = signal.signal(signal.SIGTERM, self._on_signal)
        try:
            while not self.stopping.is_set():
                self.tick()
                if once:
                    break
                self._lease()
                self.stopping.wait(_seconds_to_next_minute(self.clock()))
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.app.store().release_lease(SCHEDULER_LEASE, self.holder)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()


def _seconds_to_next_minute(now: datetime) -> float:
    """Wake a second past each minute (cron's granularity), at most 15 s apart (the lease)."""
    return min(15.0, 61.0 - now.second - now.microsecond / 1e6)


# ---- backfill ------------------------------------------------------------------------------------


def backfill_times(cron: JSON, start: datetime, end: datetime, limit: int) -> list[datetime]:
    return activations(cron.get("spec") or {}, start - timedelta(seconds=1), end, limit)


def backfill_workflow(cron: JSON, scheduled: datetime, *, prefix: str, argname: str, value: str,
                      parallel: bool, mutex: str) -> JSON:
    """One backfilled run: the cron's workflow under ``generateName: <prefix>-`` with the scheduled
    time as parameter ``argname``; serialised (a mutex, top priority) unless ``parallel``."""
    workflow = core.to_workflow(cron, scheduled)
    meta = workflow["metadata"]
    meta.pop("name")
    meta.pop("ownerReferences", None)
    meta["generateName"] = f"{prefix}-"
    meta["labels"][LABEL_BACKFILL] = str(cron["metadata"]["name"])
    spec = workflow["spec"]
    arguments = spec.setdefault("arguments", {})
    arguments["parameters"] = [*(arguments.get("parameters") or []), {"name": argname, "value": value}]
    if not parallel:
        spec["priority"] = 2**31 - 1
        spec["synchronization"] = {"mutexes": [{"name": mutex}]}
    return workflow
