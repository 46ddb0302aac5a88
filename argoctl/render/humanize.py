"""Go-compatible time formatting: the humanized durations and timestamps ``argo`` prints.

Short form (``argo list`` AGE/DURATION, the get tree's DURATION): ``0s 5s 1m 2h 3d`` (one unit).
Long form (``argo get`` Duration): ``1 minute 30 seconds`` (up to two units, Go's wording kept,
including its ``1 hours`` plural). Relative: ``5 minutes ago`` / ``3 seconds from now`` / ``now``.
Timestamps: ``Mon Jan 02 15:04:05 -0700`` and Go's ``time.Time`` default ``String()`` form.

Everything is pure: the current time is always passed in. Missing timestamps are Go's zero time
(``0001-01-01T00:00:00Z``), so the arithmetic matches what Go prints for them.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final

ZERO_TIME: Final = datetime(1, 1, 1, tzinfo=UTC)

_NS: Final = 1
_SECOND: Final = 1_000_000_000 * _NS
_MINUTE: Final = 60 * _SECOND
_HOUR: Final = 60 * _MINUTE
_DAY: Final = 24 * _HOUR
_WEEK: Final = 7 * _DAY
_MONTH: Final = 30 * _DAY
_YEAR: Final = 12 * _MONTH
_LONG_TIME: Final = 37 * _YEAR
_MAX_DURATION: Final = 2**63 - 1  # Go's time.Duration saturates here

# (upper bound exclusive, format, divisor); %d = elapsed // divisor, %s = the label
_Magnitude = tuple[int, str, int]

_RELATIVE: Final[tuple[_Magnitude, ...]] = (
    (_SECOND, "now", _SECOND),
    (2 * _SECOND, "1 second %s", 1),
    (_MINUTE, "%d seconds %s", _SECOND),
    (2 * _MINUTE, "1 minute %s", 1),
    (_HOUR, "%d minutes %s", _MINUTE),
    (2 * _HOUR, "1 hour %s", 1),
    (_DAY, "%d hours %s", _HOUR),
    (2 * _DAY, "1 day %s", 1),
    (_WEEK, "%d days %s", _DAY),
    (2 * _WEEK, "1 week %s", 1),
    (_MONTH, "%d weeks %s", _WEEK),
    (2 * _MONTH, "1 month %s", 1),
    (_YEAR, "%d months %s", _MONTH),
    (18 * _MONTH, "1 year %s", 1),
    (2 * _YEAR, "2 years %s", 1),
    (_LONG_TIME, "%d years %s", _YEAR),
    (_MAX_DURATION, "a long while %s", 1),
)
# the long-duration table differs from the relative one only in its first entry
_TRUNCATED: Final[tuple[_Magnitude, ...]] = ((_SECOND, "0 seconds", _SECOND), *_RELATIVE[1:])
_SHORT: Final[tuple[_Magnitude, ...]] = (
    (_SECOND, "0s", _SECOND),
    (2 * _SECOND, "1s %s", 1),
    (_MINUTE, "%ds %s", _SECOND),
    (2 * _MINUTE, "1m %s", 1),
    (_HOUR, "%dm %s", _MINUTE),
    (2 * _HOUR, "1h %s", 1),
    (_DAY, "%dh %s", _HOUR),
    (2 * _DAY, "1d %s", 1),
    (_WEEK, "%dd %s", _DAY),
)

_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 timestamp (``2024-05-01T10:00:00Z``) as an aware datetime; ``None`` if unset."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _delta_ns(delta: timedelta) -> int:
    """A timedelta in nanoseconds, saturated like Go's ``time.Duration``."""
    nanos = (delta.days * 86_400 + delta.seconds) * _SECOND + delta.microseconds * 1000
    return max(-_MAX_DURATION - 1, min(_MAX_DURATION, nanos))


def _elapsed_ns(start: datetime, finish: datetime) -> int:
    """``finish - start`` in nanoseconds, saturated like Go's ``Time.Sub``."""
    return _delta_ns(_aware(finish) - _aware(start))


def _pick(elapsed_ns: int, table: tuple[_Magnitude, ...], earlier: str, later: str) -> str:
    """go-humanize's ``CustomRelTime``: the first magnitude larger than the gap, formatted."""
    label = earlier
    gap = elapsed_ns
    if gap < 0:
        label, gap = later, -gap
    _, fmt, divisor = next((m for m in table if m[0] > gap), table[-1])
    return fmt.replace("%d", str(gap // divisor)).replace("%s", label)


def _to_ns(duration: float | timedelta) -> int:
    if isinstance(duration, timedelta):
        return _delta_ns(duration)
    return round(duration * _SECOND)


def truncated_duration(duration: float | timedelta) -> str:
    """One unit, long words: ``0 seconds``, ``1 second``, ``5 minutes``, ``2 weeks``."""
    return _pick(_to_ns(duration), _TRUNCATED, "", "").strip()


def duration_long(duration: float | timedelta) -> str:
    """``argo get``'s Duration: up to two units, e.g. ``1 minute 30 seconds``, ``2 hours 5 minutes``."""
    nanos = _to_ns(duration)
    seconds = nanos / _SECOND
    head = truncated_duration(duration)
    if seconds < 60.0:
        return head
    if seconds / 60 < 60.0:
        return f"{head} {int(math.fmod(seconds, 60))} seconds"
    if seconds / 3600 < 24.0:
        return f"{head} {int(math.fmod(seconds / 60, 60))} minutes"
    return f"{head} {int(math.fmod(seconds / 3600, 24))} hours"


def duration_short(duration: float | timedelta) -> str:
    """One unit, short: ``0s``, ``5s``, ``1m``, ``2h``, ``3d`` (days beyond a week too: ``10d``)."""
    return _pick(_to_ns(duration), _SHORT, "", "").strip()


def relative_short(start: datetime | None, finish: datetime | None, *, now: datetime) -> str:
    """Short duration between two moments; an unfinished span runs to ``now`` (Go's rules)."""
    begin = start or ZERO_TIME
    end = finish or ZERO_TIME
    if finish is None and start is not None:
        end = now
    return _pick(_elapsed_ns(begin, end), _SHORT, "", "").strip()


def relative_long(start: datetime | None, finish: datetime | None, *, now: datetime) -> str:
    """Long duration between two moments; an unfinished span runs to ``now``."""
    begin = start or ZERO_TIME
    end = finish or ZERO_TIME
    if finish is None and start is not None:
        end = now
    return duration_long(_aware(end) - _aware(begin))


def time_ago(moment: datetime | None, *, now: datetime) -> str:
    """``5 minutes ago``, ``now``, ``3 seconds from now`` (go-humanize ``Time``)."""
    return _pick(_elapsed_ns(moment or ZERO_TIME, now), _RELATIVE, "ago", "from now")


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    moment = _aware(moment)
    return moment.astimezone(zone) if zone is not None else moment


def go_timestamp(moment: datetime | None, *, now: datetime) -> str:
    """``Mon Jan 02 15:04:05 -0700 (5 minutes ago)`` in ``now``'s time zone (UTC when naive)."""
    shown = _local(moment or ZERO_TIME, _aware(now).tzinfo)
    stamp = (
        f"{_WEEKDAYS[shown.weekday()]} {_MONTHS[shown.month - 1]} {shown.day:02d} "
        f"{shown.hour:02d}:{shown.minute:02d}:{shown.second:02d} {_offset(shown)}"
    )
    return f"{stamp} ({time_ago(moment, now=now)})"


def go_time_string(moment: datetime | None, *, zone: tzinfo | None = UTC) -> str:
    """Go's ``time.Time.String()``: ``2024-05-01 10:00:00 +0000 UTC`` (fraction only if non-zero)."""
    shown = _local(moment or ZERO_TIME, zone)
    text = (
        f"{shown.year:04d}-{shown.month:02d}-{shown.day:02d} "
        f"{shown.hour:02d}:{shown.minute:02d}:{shown.second:02d}"
    )
    if shown.microsecond:
        text += f".{shown.microsecond:06d}".rstrip("0")
    offset = _offset(shown)
    name = shown.tzname()
    if not name or name.startswith(("UTC+", "UTC-")):
        name = offset
    return f"{text} {offset} {name}"


def go_duration(seconds: int | float) -> str:
    """Go's ``time.Duration.String()`` for whole seconds: ``0s``, ``12s``, ``1m0s``, ``2h3m4s``."""
    total = int(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{sign}{minutes}m{secs}s"
    return f"{sign}{secs}s"
