"""Times and durations as Argo writes and reads them (RFC3339 seconds, Go durations)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

_GO_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


@lru_cache(maxsize=64)
def rfc3339(moment: datetime) -> str:
    """``2006-01-02T15:04:05Z`` (Kubernetes metav1.Time keeps whole seconds; a step formats its
    one ``now`` several times, hence the small cache)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=256)
def parse_time(text: str) -> datetime:
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def parse_duration(value: str | int | float) -> float:
    """Seconds in an Argo duration: an integer means seconds, else a Go duration (``1m30s``)."""
    if isinstance(value, bool):
        raise ValueError(f"invalid duration {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = value.strip()
    if re.fullmatch(r"[-+]?\d+", text):
        return float(int(text))
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    pos = 0
    total = 0.0
    for match in _GO_DURATION.finditer(body):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(body) or not body:
        raise ValueError(f'time: invalid duration "{text}"')
    return sign * total


def _truncated(seconds: float) -> str:
    s = int(seconds)
    if s < 1:
        return "0 seconds"
    if s < 2:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    if s < 120:
        return "1 minute"
    if s < 3600:
        return f"{s // 60} minutes"
    if s < 7200:
        return "1 hour"
    if s < 86400:
        return f"{s // 3600} hours"
    if s < 2 * 86400:
        return "1 day"
    return f"{s // 86400} days"


def humanize_duration(seconds: float) -> str:
    """Argo's long humanized duration: ``5 seconds``, ``1 minute 30 seconds``, ``2 hours 5 minutes``."""
    if seconds < 60:
        return _truncated(seconds)
    if seconds < 3600:
        return f"{_truncated(seconds)} {int(seconds % 60)} seconds"
    if seconds < 86400:
        return f"{_truncated(seconds)} {int((seconds / 60) % 60)} minutes"
    return f"{_truncated(seconds)} {int((seconds / 3600) % 24)} hours"
