"""``cron backfill``: the runs a CronWorkflow would have made in a past period.

argo creates one "monitor" workflow whose resource steps create the runs; argoctl has no
controller to run resource templates for it, so it creates the runs itself, through the same
decision core (``argoctl.cron``): one workflow per activation of the cron's schedules in
``[start, end]``, ``generateName: <cron>-backfill-<name>-``, labelled
``workflows.argoproj.io/cron-workflow`` and ``workflows.argoproj.io/cron-workflow-backfill``, the
scheduled time (Go's ``Time.String()``, as argo) in the parameter ``argname``; serialised by a
mutex named after the backfill unless ``parallel``. Each run is handed over to a driver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from argoctl.cron import decide as core
from argoctl.cron.spec import LABEL_BACKFILL, activations

if TYPE_CHECKING:
    from argoctl.runtime.wiring import Wiring

JSON = dict[str, Any]
MAX_PREFIX = 52 - 6  # argo keeps generated names within 63 characters


@dataclass(frozen=True)
class Backfill:
    cron: str
    name: str  # the backfill's name: the mutex, part of the runs' names
    start: datetime
    end: datetime
    argname: str
    max_workflows: int
    parallel: bool


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


def backfill(wiring: Wiring, job: Backfill, *, now: datetime, value_of: Callable[[datetime], str],
             report: Callable[[str], None]) -> list[str]:
    """Create and hand over the runs of ``job`` (``value_of`` a scheduled time: its parameter's
    value); the workflows created, none when no time in the period is scheduled."""
    from argoctl.runtime import workflows
    from argoctl.runtime.crons import get_cron
    from argoctl.runtime.submit import SubmitOptions
    from argoctl.runtime.supervise import Supervisor

    cron = get_cron(wiring, job.cron)
    times = backfill_times(cron, job.start, job.end, job.max_workflows)
    prefix = f"{job.cron}-backfill-{job.name.lower()}"[:MAX_PREFIX]
    supervisor = Supervisor(wiring, report=report)
    created = []
    for scheduled in times:
        manifest = backfill_workflow(cron, scheduled, prefix=prefix, argname=job.argname,
                                     value=value_of(scheduled), parallel=job.parallel, mutex=job.name)
        state = workflows.create(wiring, manifest, SubmitOptions(), now)
        supervisor.hand_over(state.name, state)
        created.append(str(state.name))
    return created
