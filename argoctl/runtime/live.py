"""One live workflow as a user asks for it (``get``, ``watch``, ``wait``...): ``@latest`` is the
newest; one whose ``ttlStrategy`` is over is deleted now and not found.

Kept apart from ``argoctl.runtime.workflows`` so that ``get`` reads the stored JSON without
importing the model's state classes (``argoctl.model.wire`` prints it).
"""

from __future__ import annotations

from argoctl.errors import NotFoundError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: ``get`` does not import typing for it
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any

    from argoctl.runtime.wiring import Wiring


def not_found(wiring: Wiring, name: str) -> NotFoundError:
    return NotFoundError(f'workflows.argoproj.io "{name}" not found',
                         hint=f"list workflows with: argoctl list -n {wiring.namespace}")


def find_live(wiring: Wiring, name: str, now: datetime, *, report: Callable[[str], None]) -> dict[str, Any]:
    """The stored workflow ``name`` (``@latest``: the newest), unless its TTL is over (then it is
    deleted: ``argoctl.runtime.deletion.unexpired``, whose ``report`` says why one could not be)."""
    from argoctl.runtime.deletion import unexpired

    if name == "@latest":
        name = latest_name(wiring)
    try:
        found = wiring.store().get_workflow(name)
    except NotFoundError as exc:
        raise not_found(wiring, name) from exc
    if not unexpired(wiring, [found], now, report=report):
        raise not_found(wiring, name)
    return found


def latest_name(wiring: Wiring) -> str:
    """``@latest``: the name of the workflow created last."""
    found = list(wiring.store().list_workflows())
    if not found:
        raise NotFoundError("no workflows found", hint="submit one with: argoctl submit FILE")
    latest = max(found, key=lambda w: str((w.get("metadata") or {}).get("creationTimestamp", "")))
    return str(latest["metadata"]["name"])
