"""Pod garbage collection: Argo's ``podGC``, decided by the driver (Argo's controller does it).

Strategies (``spec.podGC.strategy``, a referenced WorkflowTemplate's when the workflow sets none):
``OnPodCompletion`` deletes each pod once its node is fulfilled, ``OnPodSuccess`` once it
succeeded, ``OnWorkflowCompletion`` every pod once the workflow completed, ``OnWorkflowSuccess``
every pod once it succeeded. ``labelSelector`` limits it to matching pods (checked by the backend,
which knows each pod's labels); ``deleteDelayDuration`` defers each deletion. Deliberate
difference: without ``deleteDelayDuration`` pods go at once (Argo's controller waits its
``podGCDeleteDelayDuration``, 5s, for its own bookkeeping; argoctl has read a pod's outputs into
the state before it decides). Pure: ``schedule`` says which pod goes when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argoctl.model import phases as ph
from argoctl.model.timefmt import parse_duration, parse_time
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STRATEGIES = ("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")


@dataclass(frozen=True, slots=True)
class PodGC:
    strategy: str
    selector: JSON | None = None
    delay: float = 0.0


def policy(state: WorkflowState) -> PodGC | None:
    """The workflow's pod GC, or None when its pods are kept."""
    stored = state.stored_workflow_template_spec or {}
    spec = state.spec.get("podGC") or stored.get("podGC") or {}
    strategy = str(spec.get("strategy") or "")
    if strategy not in STRATEGIES:
        return None
    delay = 0.0
    if spec.get("deleteDelayDuration"):
        try:
            delay = max(0.0, float(parse_duration(spec["deleteDelayDuration"])))
        except (TypeError, ValueError):
            delay = 0.0  # Argo logs a warning and keeps its default
    selector = spec.get("labelSelector")
    return PodGC(strategy, dict(selector) if isinstance(selector, dict) else None, delay)


def schedule(gc: PodGC, state: WorkflowState) -> list[tuple[str, datetime]]:
    """(pod name, when it may be deleted) for every pod the strategy deletes, as of ``state``."""
    if gc.strategy == "OnWorkflowCompletion" and not state.completed:
        return []
    if gc.strategy == "OnWorkflowSuccess" and not (state.completed and state.phase == ph.SUCCEEDED):
        return []
    due: list[tuple[str, datetime]] = []
    for node in state.nodes.values():
        pod = node.extra.get("pod")
        if node.type != ph.POD or not pod or not node.fulfilled:
            continue
        if gc.strategy == "OnPodSuccess" and node.phase != ph.SUCCEEDED:
            continue
        finished = state.finished_at if gc.strategy.startswith("OnWorkflow") else node.finished_at
        at = _time(finished) + timedelta(seconds=gc.delay)
        due.append((str(pod), at))
    return due


def _time(text: str | None) -> datetime:
    """When something finished; an unknown time counts as long ago (delete now)."""
    try:
        return parse_time(str(text)) if text else EPOCH
    except (TypeError, ValueError):
        return EPOCH
