"""Artifact garbage collection: Argo's ``artifactGC``, done by the driver instead of GC pods.

An output artifact's strategy is its own ``artifactGC.strategy``, else the workflow's
``spec.artifactGC.strategy`` (a referenced WorkflowTemplate's when the workflow sets none), else
``Never``. Only the artifacts of Pod nodes are collected, as Argo does. ``OnWorkflowCompletion``
runs when the workflow completes (and, if that was missed, when it is deleted);
``OnWorkflowDeletion`` when ``argoctl delete`` removes it. A deleted artifact gets
``deleted: true``; each strategy done is recorded in ``status.artifactGCStatus.strategiesProcessed``;
a failure becomes the ``ArtifactGCError`` condition, and (unless ``forceFinalizerRemoval``) keeps
the workflow from being deleted, as Argo's finalizer does.

``collect`` is pure apart from the ``delete`` callback (the workflow's ``ArtifactIO.delete``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]
# for one workflow, its ArtifactIO's ``delete(artifact)`` (the repository is the workflow's)
ArtifactDeleter = Callable[[WorkflowState], Callable[[JSON], None]]
ON_COMPLETION = "OnWorkflowCompletion"
ON_DELETION = "OnWorkflowDeletion"
NEVER = "Never"
ERROR_CONDITION = "ArtifactGCError"


def _workflow_strategy(workflow: JSON) -> str:
    spec = workflow.get("spec") or {}
    stored = (workflow.get("status") or {}).get("storedWorkflowTemplateSpec") or {}
    for source in (spec, stored):
        strategy = str((source.get("artifactGC") or {}).get("strategy") or "")
        if strategy:
            return strategy
    return ""


def strategy_of(workflow: JSON, artifact: JSON) -> str:
    """Argo's ``GetArtifactGCStrategy``: the artifact's, else the workflow's, else ``Never``."""
    own = str((artifact.get("artifactGC") or {}).get("strategy") or "")
    return own or _workflow_strategy(workflow) or NEVER


def _pod_artifacts(workflow: JSON) -> Iterator[JSON]:
    for node in ((workflow.get("status") or {}).get("nodes") or {}).values():
        if node.get("type") == "Pod":
            yield from (node.get("outputs") or {}).get("artifacts") or ()


def has_gc(workflow: JSON) -> bool:
    """Whether any output artifact of the workflow is to be collected (Argo's ``HasArtifactGC``)."""
    return any(strategy_of(workflow, a) != NEVER for a in _pod_artifacts(workflow))


def pending(workflow: JSON, strategy: str) -> list[JSON]:
    """The artifacts ``strategy`` still has to delete."""
    return [a for a in _pod_artifacts(workflow) if strategy_of(workflow, a) == strategy and not a.get("deleted")]


def all_deleted(workflow: JSON) -> bool:
    """Argo's ``allArtifactsDeleted``: nothing left that some strategy should delete."""
    return not any(strategy_of(workflow, a) != NEVER and not a.get("deleted") for a in _pod_artifacts(workflow))


def processed(workflow: JSON, strategy: str) -> bool:
    gc_status = (workflow.get("status") or {}).get("artifactGCStatus") or {}
    return bool((gc_status.get("strategiesProcessed") or {}).get(strategy))


def force_removal(workflow: JSON) -> bool:
    """``spec.artifactGC.forceFinalizerRemoval``: a failed collection does not block deletion."""
    return bool(((workflow.get("spec") or {}).get("artifactGC") or {}).get("forceFinalizerRemoval"))


def collect(workflow: JSON, strategies: Sequence[str],
            delete: Callable[[JSON], None]) -> tuple[JSON | None, list[str]]:
    """Run each of ``strategies`` not yet processed: the updated workflow (None when nothing
    changed) and the error of each artifact that could not be deleted."""
    todo = [s for s in strategies if not processed(workflow, s) and s in (ON_COMPLETION, ON_DELETION)]
    if not todo or not has_gc(workflow):
        return None, []
    updated = copy.deepcopy(workflow)
    errors: list[str] = []
    for strategy in todo:
        for artifact in pending(updated, strategy):
            try:
                delete(artifact)
            except Exception as err:  # each failure is recorded, the rest still go
                errors.append(str(getattr(err, "message", None) or err))
                continue
            artifact["deleted"] = True
        gc_status = updated.setdefault("status", {}).setdefault("artifactGCStatus", {})
        gc_status.setdefault("strategiesProcessed", {})[strategy] = True
    if errors:
        _upsert_condition(updated, errors[-1])
    return updated, errors


def _upsert_condition(workflow: JSON, message: str) -> None:
    """Argo's ``UpsertCondition``: one condition per type, the latest message wins."""
    conditions = [c for c in workflow["status"].get("conditions") or [] if c.get("type") != ERROR_CONDITION]
    conditions.append({"type": ERROR_CONDITION, "status": "True", "message": message})
    workflow["status"]["conditions"] = conditions
