"""Loop sizes known before run time: more items than the cap is a problem at lint and submit.

The cap is ``ARGOCTL_MAX_LOOP_ITEMS`` (``argoctl.parse.limits``); the engine applies the same cap
to loops whose size only run time knows (``withParam`` from outputs, templated sequences).
"""

from __future__ import annotations

import json
from typing import Any

from argoctl.parse import limits
from argoctl.validate.kinds import as_dict, has_tag, text


def loop_size_error(items: list[Any], param: str, sequence: Any) -> str | None:
    """Argo-style sentence when a written-out loop exceeds the cap, else ``None``."""
    limit = limits.max_loop_items()
    kind, count = "withItems", len(items)
    if param and not has_tag(param):
        kind, count = "withParam", _json_list_length(param)
    elif sequence is not None:
        kind, count = "withSequence", _sequence_length(as_dict(sequence))
    if count <= limit:
        return None
    return (f"{kind} expands to {count:,} items, more than the limit of {limit:,} "
            f"(set {limits.LOOP_ITEMS_ENV} to change it)")


def _json_list_length(param: str) -> int:
    try:
        value = json.loads(param)
    except ValueError:
        return 0  # not JSON: the engine reports that at run time, as Argo does
    return len(value) if isinstance(value, list) else 0


def _sequence_length(sequence: dict[str, Any]) -> int:
    start = _literal_int(sequence.get("start"), default=0)
    if sequence.get("count") is not None:
        count = _literal_int(sequence.get("count"))
        return count if count is not None and count > 0 else 0
    end = _literal_int(sequence.get("end"))
    if start is None or end is None:
        return 0
    return abs(end - start) + 1


def _literal_int(value: Any, default: int | None = None) -> int | None:
    """An integer written in the manifest; ``None`` for templated or malformed values."""
    if value is None:
        return default
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    raw = text(value).strip()
    body = raw[1:] if raw[:1] in "+-" else raw
    return int(raw) if body.isascii() and body.isdigit() else None
