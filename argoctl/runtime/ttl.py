"""``ttlStrategy``: when a completed workflow is deleted (Argo's TTL controller).

``secondsAfterFailure`` for a Failed or Error workflow, else ``secondsAfterSuccess`` for a
Succeeded one, else ``secondsAfterCompletion``; counted from ``status.finishedAt``. With no
controller, argoctl enforces it where it looks: the driver deletes a workflow whose TTL is already
over when it completes (e.g. ``secondsAfterCompletion: 0``), and ``list``/``get`` delete the
expired workflows they come across before answering. Pure.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from argoctl.model import phases as ph
from argoctl.model.timefmt import parse_time

JSON = dict[str, Any]


def _strategy(workflow: JSON) -> JSON:
    spec = workflow.get("spec") or {}
    stored = (workflow.get("status") or {}).get("storedWorkflowTemplateSpec") or {}
    found = spec.get("ttlStrategy") or stored.get("ttlStrategy")
    return found if isinstance(found, dict) else {}


def expires_at(workflow: JSON) -> datetime | None:
    """When the (Argo-shaped) workflow is to be deleted, or None (no TTL, or not completed)."""
    strategy = _strategy(workflow)
    status = workflow.get("status") or {}
    phase, finished = str(status.get("phase") or ""), status.get("finishedAt")
    if not strategy or phase not in ph.COMPLETED_PHASES or not finished:
        return None
    seconds = None
    if phase in (ph.FAILED, ph.ERROR) and strategy.get("secondsAfterFailure") is not None:
        seconds = strategy["secondsAfterFailure"]
    elif phase == ph.SUCCEEDED and strategy.get("secondsAfterSuccess") is not None:
        seconds = strategy["secondsAfterSuccess"]
    elif strategy.get("secondsAfterCompletion") is not None:
        seconds = strategy["secondsAfterCompletion"]
    if seconds is None:
        return None
    try:
        return parse_time(str(finished)) + timedelta(seconds=int(seconds))
    except (TypeError, ValueError):
        return None


def expired(workflow: JSON, now: datetime) -> bool:
    at = expires_at(workflow)
    return at is not None and at <= now
