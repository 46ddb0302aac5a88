"""What Argo's cron controller (``workflow/cron/operator.go``) does, as pure functions.

``reconcile`` keeps ``status.active``/``succeeded``/``failed`` and applies the history limits and
``stopStrategy`` against the cron's workflows; ``due`` says which scheduled time to run at ``now``;
``decide`` applies suspend, the stopped phase, ``when`` and ``concurrencyPolicy`` to one scheduled
time and returns the Workflow to create (Argo's name, labels, annotations, owner). Callers store
the returned cron and act on ``terminate``/``delete``/``workflow``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from argoctl.cron.spec import (
    ANNOTATION_LAST_SCHEDULE,
    ANNOTATION_SCHEDULED,
    FULFILLED,
    LABEL_COMPLETED,
    LABEL_CRON,
    latest_activation,
    parse_time,
    rfc3339,
    schedule_string,
    workflow_name,
)
from argoctl.errors import ArgoctlError
from argoctl.expr import evaluate_bool, evaluate_when, substitute
from argoctl.expr.gotime import GoTime

JSON = dict[str, Any]
ON_TIME = timedelta(seconds=59)  # a run counts as on time up to 59 s late (argo's inferScheduledTime)
PROPAGATED_LABELS = ("workflows.argoproj.io/creator", "workflows.argoproj.io/creator-email",
                     "workflows.argoproj.io/creator-preferred-username")
SPEC_ERROR = "SpecError"
SUBMISSION_ERROR = "SubmissionError"


@dataclass(frozen=True)
class Reconciled:
    cron: JSON
    delete: tuple[str, ...] = ()  # workflows past the history limits, oldest first


@dataclass(frozen=True)
class Decision:
    run: bool
    reason: str
    cron: JSON  # the CronWorkflow to store (status, labels)
    scheduled: datetime | None = None
    workflow: JSON | None = None
    terminate: tuple[str, ...] = field(default=())  # concurrencyPolicy Replace


def _phase(workflow: Mapping[str, Any]) -> str:
    return str((workflow.get("status") or {}).get("phase") or "")


def _name(obj: Mapping[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def _reference(workflow: Mapping[str, Any], namespace: str) -> JSON:
    meta = workflow.get("metadata") or {}
    ref = {"kind": "Workflow", "apiVersion": workflow.get("apiVersion") or "argoproj.io/v1alpha1",
           "name": meta.get("name"), "namespace": meta.get("namespace") or namespace}
    for key in ("uid", "resourceVersion"):
        if meta.get(key):
            ref[key] = meta[key]
    return ref


def own_workflows(cron: Mapping[str, Any], workflows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    name = _name(cron)
    return [wf for wf in workflows if ((wf.get("metadata") or {}).get("labels") or {}).get(LABEL_CRON) == name]


def reconcile(cron: Mapping[str, Any], workflows: Sequence[Mapping[str, Any]]) -> Reconciled:
    """``reconcileActiveWfs`` + ``enforceHistoryLimit``: finished active workflows count as succeeded
    or failed (and may meet ``stopStrategy``); unfinished ones join ``active``."""
    result = copy.deepcopy(dict(cron))
    status = result.setdefault("status", {})
    namespace = str((cron.get("metadata") or {}).get("namespace") or "")
    mine = own_workflows(cron, workflows)
    by_name = {_name(wf): wf for wf in mine}
    active = list(status.get("active") or [])
    names = {ref.get("name") for ref in active}
    active += [_reference(wf, namespace) for wf in mine if _name(wf) not in names and _phase(wf) not in FULFILLED]
    kept = []
    for ref in active:
        workflow = by_name.get(str(ref.get("name")))
        if workflow is None:
            continue
        phase = _phase(workflow)
        if phase not in FULFILLED:
            kept.append(ref)
            continue
        key = "succeeded" if phase == "Succeeded" else "failed"
        status[key] = int(status.get(key) or 0) + 1
        if stop_condition(result):
            mark_completed(result)
    status["active"] = kept
    if not kept:
        del status["active"]
    return Reconciled(result, history_to_delete(cron, mine))


def history_to_delete(cron: Mapping[str, Any], workflows: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Finished workflows beyond ``successfulJobsHistoryLimit`` (default 3) and
    ``failedJobsHistoryLimit`` (default 1), the oldest (by ``finishedAt``) going first."""
    spec = cron.get("spec") or {}
    doomed: list[str] = []
    for phases, key, default in (({"Succeeded"}, "successfulJobsHistoryLimit", 3),
                                 ({"Failed", "Error"}, "failedJobsHistoryLimit", 1)):
        limit = spec.get(key)
        keep = int(limit) if isinstance(limit, int) and limit >= 0 else default
        done = [wf for wf in workflows if _phase(wf) in phases]
        done.sort(key=lambda wf: str((wf.get("status") or {}).get("finishedAt") or ""), reverse=True)
        doomed += [_name(wf) for wf in done[keep:]]
    return tuple(doomed)


def _env(cron: Mapping[str, Any]) -> JSON:
    """Argo's ``expressionEnv`` (``cronworkflow.annotations`` is the labels there too: kept)."""
    meta = cron.get("metadata") or {}
    status = cron.get("status") or {}
    labels = dict(meta.get("labels") or {})
    last = parse_time(status.get("lastScheduledTime"))
    return {
        "cronworkflow.name": str(meta.get("name") or ""),
        "cronworkflow.namespace": str(meta.get("namespace") or ""),
        "cronworkflow.labels": labels,
        "cronworkflow.annotations": labels,
        "cronworkflow.failed": int(status.get("failed") or 0),
        "cronworkflow.succeeded": int(status.get("succeeded") or 0),
        "cronworkflow.lastScheduledTime": GoTime(last) if last else None,
    }


def stop_condition(cron: Mapping[str, Any]) -> bool:
    """Whether ``spec.stopStrategy.expression`` (expr-lang) holds."""
    strategy = (cron.get("spec") or {}).get("stopStrategy")
    if not strategy:
        return False
    try:
        return evaluate_bool(str(strategy.get("expression") or ""), _env(cron))
    except ArgoctlError as exc:
        raise ArgoctlError(f"failed to evaluate stop expression: {exc}") from exc


def when_holds(cron: Mapping[str, Any]) -> bool:
    """``spec.when``: ``{{cronworkflow.*}}`` substituted, then govaluate (``""`` holds)."""
    text = str((cron.get("spec") or {}).get("when") or "")
    if not text:
        return True
    env = _env(cron)
    meta = cron.get("metadata") or {}
    env["cronworkflow.labels.json"] = json.dumps(meta.get("labels"), separators=(",", ":"))
    env["cronworkflow.annotations.json"] = json.dumps(meta.get("annotations"), separators=(",", ":"))
    return evaluate_when(substitute(text, env))


def mark_completed(cron: JSON) -> None:
    cron.setdefault("status", {})["phase"] = "Stopped"
    cron.setdefault("metadata", {}).setdefault("labels", {})[LABEL_COMPLETED] = "true"


def set_condition(cron: JSON, kind: str, message: str) -> None:
    """Upsert a condition (a submission error also counts as a failed run, as Argo does)."""
    status = cron.setdefault("status", {})
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != kind]
    conditions.append({"type": kind, "status": "True", "message": message})
    status["conditions"] = conditions
    if kind == SUBMISSION_ERROR:
        status["failed"] = int(status.get("failed") or 0) + 1


def clear_condition(cron: JSON, kind: str) -> None:
    status = cron.setdefault("status", {})
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != kind]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def due(cron: Mapping[str, Any], now: datetime) -> datetime | None:
    """The scheduled time to run at ``now``, or None. The latest activation not yet run (after
    ``lastScheduledTime`` and the cron's creation) runs when it is at most 59 s old (on time), or,
    with ``startingDeadlineSeconds``, when missed but still inside the deadline; older missed
    activations are skipped, as Argo's ``runOutstandingWorkflows`` does."""
    latest = latest_activation(cron, now)
    if latest is None:
        return None
    last = parse_time((cron.get("status") or {}).get("lastScheduledTime"))
    created = parse_time((cron.get("metadata") or {}).get("creationTimestamp"))
    if (last is not None and latest <= last) or (created is not None and latest < created.replace(microsecond=0)):
        return None
    if now - latest <= ON_TIME:
        return latest
    deadline = (cron.get("spec") or {}).get("startingDeadlineSeconds")
    if last is not None and isinstance(deadline, int) and now < latest + timedelta(seconds=deadline) \
            and not using_new_schedule(cron):
        return latest
    return None


def using_new_schedule(cron: Mapping[str, Any]) -> bool:
    """Argo's ``IsUsingNewSchedule``: the schedule changed since the last run (missed runs of the
    old schedule are then not made up)."""
    used = ((cron.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION_LAST_SCHEDULE)
    return used is not None and used != schedule_string(cron.get("spec") or {}, with_timezone=True)


def to_workflow(cron: Mapping[str, Any], scheduled: datetime, name: str | None = None) -> JSON:
    """Argo's ``ConvertCronWorkflowToWorkflowWithProperties``."""
    meta = cron.get("metadata") or {}
    spec = cron.get("spec") or {}
    cron_labels = meta.get("labels") or {}
    labels = {key: cron_labels[key] for key in PROPAGATED_LABELS if key in cron_labels}
    labels[LABEL_CRON] = str(meta.get("name"))
    annotations = {ANNOTATION_SCHEDULED: rfc3339(scheduled)}
    extra = spec.get("workflowMetadata") or {}
    labels.update(extra.get("labels") or {})
    annotations.update(extra.get("annotations") or {})
    metadata: JSON = {"name": name or workflow_name(str(meta.get("name")), scheduled), "labels": labels,
                      "annotations": annotations}
    if meta.get("namespace"):
        metadata["namespace"] = meta["namespace"]
    if extra.get("finalizers"):
        metadata["finalizers"] = list(extra["finalizers"])
    if meta.get("uid"):
        metadata["ownerReferences"] = [{
            "apiVersion": cron.get("apiVersion") or "argoproj.io/v1alpha1", "kind": "CronWorkflow",
            "name": meta.get("name"), "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}]
    return {"apiVersion": cron.get("apiVersion") or "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": metadata, "spec": copy.deepcopy(spec.get("workflowSpec") or {})}


def decide(cron: Mapping[str, Any], scheduled: datetime) -> Decision:
    """Argo's ``run`` for one scheduled time on an already reconciled cron: stop condition,
    suspend, stopped phase, ``when``, ``concurrencyPolicy``; then the workflow and the new status."""
    result = copy.deepcopy(dict(cron))
    spec = result.get("spec") or {}
    try:
        if stop_condition(result):
            mark_completed(result)
    except ArgoctlError as exc:
        set_condition(result, SPEC_ERROR, f"failed to check CronWorkflow '{_name(result)}' stopping condition: {exc}")
        return Decision(False, str(exc), result, scheduled)
    status = result.setdefault("status", {})
    if spec.get("suspend"):
        return Decision(False, "suspended", result, scheduled)
    if status.get("phase") == "Stopped":
        return Decision(False, "stopped: the stop strategy's condition was met", result, scheduled)
    try:
        if not when_holds(result):
            return Decision(False, "`when` is false", result, scheduled)
    except ArgoctlError as exc:
        set_condition(result, SUBMISSION_ERROR, f"run policy error: {exc}")
        return Decision(False, f"run policy error: {exc}", result, scheduled)
    active = tuple(str(ref.get("name")) for ref in status.get("active") or [])
    policy = spec.get("concurrencyPolicy") or "Allow"
    if policy not in ("Allow", "Forbid", "Replace"):
        set_condition(result, SUBMISSION_ERROR, f"run policy error: invalid ConcurrencyPolicy: {policy}")
        return Decision(False, f"invalid ConcurrencyPolicy: {policy}", result, scheduled)
    if policy == "Forbid" and active:
        return Decision(False, "'ConcurrencyPolicy: Forbid' and has an active Workflow", result, scheduled)
    terminate = active if policy == "Replace" else ()
    workflow = to_workflow(result, scheduled)
    status["active"] = [*(status.get("active") or []), _reference(workflow, str(workflow["metadata"].get("namespace") or ""))]
    status["phase"] = "Active"
    status["lastScheduledTime"] = rfc3339(scheduled)
    annotations = result.setdefault("metadata", {}).setdefault("annotations", {})
    annotations[ANNOTATION_LAST_SCHEDULE] = schedule_string(spec, with_timezone=True)
    clear_condition(result, SUBMISSION_ERROR)
    return Decision(True, "due", result, scheduled, workflow, terminate)
