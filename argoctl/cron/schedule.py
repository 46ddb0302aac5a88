"""Cron lines as Argo's cron library (robfig/cron v3, ``ParseStandard``) reads them, and its ``Next``.

Five fields (minute hour day-of-month month day-of-week), ``*``/``?``, ranges, steps, lists, month
and weekday names; ``@yearly``/``@annually``/``@monthly``/``@weekly``/``@daily``/``@midnight``/
``@hourly``; ``@every DURATION``; a ``CRON_TZ=Zone``/``TZ=Zone`` prefix. ``next_time`` walks the
fields in the schedule's zone the way robfig's ``SpecSchedule.Next`` does, so daylight-saving
transitions behave as in Argo: a local time skipped by a spring-forward does not run that day, and
one repeated by a fall-back runs twice. Pure: no I/O beyond the zone database (``zoneinfo``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argoctl.errors import ArgoctlError

STAR = 1 << 63  # robfig's starBit: the field was * or ?
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class _Bounds:
    low: int
    high: int
    names: dict[str, int]


_MINUTES = _Bounds(0, 59, {})
_HOURS = _Bounds(0, 23, {})
_DOM = _Bounds(1, 31, {})
_MONTH = _Bounds(1, 12, {name: i + 1 for i, name in enumerate(_MONTHS)})
_DOW = _Bounds(0, 6, {name: i for i, name in enumerate(_DAYS)})
_DURATION_PART = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


class ScheduleError(ArgoctlError):
    """A cron line robfig/cron would reject; the message is robfig's."""


@dataclass(frozen=True)
class Schedule:
    """A parsed line: bit sets per field (robfig's layout), or a constant delay for ``@every``."""

    text: str
    zone: tzinfo
    minute: int = 0
    hour: int = 0
    dom: int = 0
    month: int = 0
    dow: int = 0
    every: float = 0.0  # seconds, for @every

    def next(self, after: datetime) -> datetime | None:
        """The first activation strictly after ``after`` (aware), or None within five years."""
        return next_time(self, after)


def _all(bounds: _Bounds) -> int:
    return _bits(bounds.low, bounds.high, 1) | STAR


def _bits(low: int, high: int, step: int) -> int:
    return sum(1 << value for value in range(low, high + 1, step))


def _number(text: str, names: dict[str, int]) -> int:
    if text.lower() in names:
        return names[text.lower()]
    if not text.isdigit():
        raise ScheduleError(f"failed to parse int from {text}: strconv.Atoi: parsing {text!r}: invalid syntax")
    return int(text)


def _range(expression: str, bounds: _Bounds) -> int:
    range_and_step = expression.split("/")
    low_high = range_and_step[0].split("-")
    extra = 0
    if low_high[0] in ("*", "?"):
        start, end, extra = bounds.low, bounds.high, STAR
    else:
        start = _number(low_high[0], bounds.names)
        if len(low_high) > 2:
            raise ScheduleError(f"too many hyphens: {expression}")
        end = _number(low_high[1], bounds.names) if len(low_high) == 2 else start
    step = 1
    if len(range_and_step) > 2:
        raise ScheduleError(f"too many slashes: {expression}")
    if len(range_and_step) == 2:
        step = _number(range_and_step[1], {})
        if len(low_high) == 1:  # "N/step" means "N-max/step"
            end = bounds.high
        if step > 1:
            extra = 0
    if start < bounds.low:
        raise ScheduleError(f"beginning of range ({start}) below minimum ({bounds.low}): {expression}")
    if end > bounds.high:
        raise ScheduleError(f"end of range ({end}) above maximum ({bounds.high}): {expression}")
    if start > end:
        raise ScheduleError(f"beginning of range ({start}) beyond end of range ({end}): {expression}")
    if step == 0:
        raise ScheduleError(f"step of range should be a positive number: {expression}")
    return _bits(start, end, step) | extra


def _field(text: str, bounds: _Bounds) -> int:
    bits = 0
    for part in text.split(","):
        bits |= _range(part, bounds)
    return bits


def load_zone(name: str) -> tzinfo:
    """A zone by IANA name (``""`` and ``UTC`` are UTC); ScheduleError naming it when unknown."""
    if name in ("", "UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"provided bad location {name}: unknown time zone {name}") from exc


def _duration(text: str) -> float:
    total, position = 0.0, 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if not text or position != len(text):
        raise ScheduleError(f"failed to parse duration @every {text}: time: invalid duration {text!r}")
    return total


@lru_cache(maxsize=256)
def parse(line: str, default_zone: str = "") -> Schedule:
    """Parse one cron line (robfig's ``ParseStandard``); ``default_zone`` stands for ``time.Local``."""
    spec = line.strip()
    if not spec:
        raise ScheduleError("empty spec string")
    zone = load_zone(default_zone)
    if spec.startswith(("TZ=", "CRON_TZ=")):
        head, _, rest = spec.partition(" ")
        zone = load_zone(head.partition("=")[2])
        spec = rest.strip()
    if spec.startswith("@"):
        return _descriptor(line, spec, zone)
    fields = spec.split()
    if len(fields) != 5:
        raise ScheduleError(f"expected exactly 5 fields, found {len(fields)}: {fields}")
    return Schedule(line, zone, minute=_field(fields[0], _MINUTES), hour=_field(fields[1], _HOURS),
                    dom=_field(fields[2], _DOM), month=_field(fields[3], _MONTH), dow=_field(fields[4], _DOW))


def _descriptor(line: str, spec: str, zone: tzinfo) -> Schedule:
    every = "@every "
    if spec.startswith(every):
        seconds = _duration(spec[len(every):].strip())
        return Schedule(line, zone, every=max(1.0, float(int(seconds))))
    first = {"minute": 1, "hour": 1, "dom": 1 << 1, "month": 1 << 1, "dow": 1}
    every_of = {"minute": _all(_MINUTES), "hour": _all(_HOURS), "dom": _all(_DOM), "month": _all(_MONTH),
                "dow": _all(_DOW)}
    fixed = {"@yearly": ("minute", "hour", "dom", "month"), "@annually": ("minute", "hour", "dom", "month"),
             "@monthly": ("minute", "hour", "dom"), "@weekly": ("minute", "hour", "dow"),
             "@daily": ("minute", "hour"), "@midnight": ("minute", "hour"), "@hourly": ("minute",)}
    if spec not in fixed:
        raise ScheduleError(f"unrecognized descriptor: {spec}")
    fields = {name: (first[name] if name in fixed[spec] else every_of[name]) for name in first}
    return Schedule(line, zone, **fields)


def schedule_error(line: str) -> str:
    """Why robfig/cron rejects ``line``, or ``""``."""
    try:
        parse(line)
    except ScheduleError as exc:
        return str(exc)
    return ""


# ---- Next ---------------------------------------------------------------------------------


def _go_date(year: int, month: int, day: int, hour: int, minute: int, zone: tzinfo) -> datetime:
    """Go's ``time.Date`` in ``zone``: out-of-range values normalise; a local time that does not
    exist (spring-forward gap) takes the offset in effect after the transition's UTC instant, as
    Go does (02:30 in a 02:00→03:00 gap becomes 01:30 standard time)."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    naive = datetime(year, month, 1) + timedelta(days=day - 1, hours=hour, minutes=minute)
    local_unix = (naive - datetime(1970, 1, 1)).total_seconds()
    offset = _offset_at(local_unix, zone)
    utc = local_unix - offset
    corrected = _offset_at(utc, zone)
    if corrected != offset:
        offset = corrected
    return datetime.fromtimestamp(local_unix - offset, UTC).astimezone(zone)


def _offset_at(unix: float, zone: tzinfo) -> float:
    offset = datetime.fromtimestamp(unix, UTC).astimezone(zone).utcoffset()
    return offset.total_seconds() if offset else 0.0


def _add(moment: datetime, seconds: float, zone: tzinfo) -> datetime:
    return (moment.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(zone)


def _weekday(moment: datetime) -> int:
    return (moment.weekday() + 1) % 7  # Go: Sunday = 0


def _day_matches(schedule: Schedule, moment: datetime) -> bool:
    dom = bool(1 << moment.day & schedule.dom)
    dow = bool(1 << _weekday(moment) & schedule.dow)
    if schedule.dom & STAR or schedule.dow & STAR:
        return dom and dow
    return dom or dow


def next_time(schedule: Schedule, after: datetime) -> datetime | None:
    """robfig's ``Next``: the first activation strictly after ``after``; None past five years."""
    if after.tzinfo is None:
        after = after.replace(tzinfo=UTC)
    if schedule.every:
        base = after.replace(microsecond=0)
        return base + timedelta(seconds=schedule.every)
    zone = schedule.zone
    moment = after.astimezone(zone).replace(microsecond=0)
    moment = _add(moment, 1, zone)
    # with seconds fixed at 0 (standard parser), the next candidate starts at the next whole minute
    if moment.second:
        moment = _add(moment, 60 - moment.second, zone)
    result = _walk(schedule, moment, moment.year + 5)
    return None if result is None else result.astimezone(after.tzinfo)


# Each step is one of robfig's field loops: (moment, added, wrapped). ``added`` says a field has
# already moved (lower fields were reset then); ``wrapped`` sends the walk back to the month (goto WRAP).
_Step = tuple[datetime, bool, bool]


def _month_step(schedule: Schedule, moment: datetime, added: bool) -> _Step:
    zone = schedule.zone
    while not 1 << moment.month & schedule.month:
        if not added:
            added = True
            moment = _go_date(moment.year, moment.month, 1, 0, 0, zone)
        moment = _go_date(moment.year, moment.month + 1, moment.day, moment.hour, moment.minute, zone)
        if moment.month == 1:
            return moment, added, True
    return moment, added, False


def _day_step(schedule: Schedule, moment: datetime, added: bool) -> _Step:
    zone = schedule.zone
    while not _day_matches(schedule, moment):
        if not added:
            added = True
            moment = _go_date(moment.year, moment.month, moment.day, 0, 0, zone)
        moment = _go_date(moment.year, moment.month, moment.day + 1, moment.hour, moment.minute, zone)
        if moment.hour:  # midnight skipped by DST: back to it, as robfig does
            moment = _add(moment, (24 - moment.hour if moment.hour > 12 else -moment.hour) * 3600, zone)
        if moment.day == 1:
            return moment, added, True
    return moment, added, False


def _hour_step(schedule: Schedule, moment: datetime, added: bool) -> _Step:
    zone = schedule.zone
    while not 1 << moment.hour & schedule.hour:
        if not added:
            added = True
            moment = _go_date(moment.year, moment.month, moment.day, moment.hour, 0, zone)
        moment = _add(moment, 3600, zone)
        if moment.hour == 0:
            return moment, added, True
    return moment, added, False


def _minute_step(schedule: Schedule, moment: datetime, added: bool) -> _Step:
    while not 1 << moment.minute & schedule.minute:
        added = True
        moment = _add(moment, 60, schedule.zone)
        if moment.minute == 0:
            return moment, added, True
    return moment, added, False


_STEPS = (_month_step, _day_step, _hour_step, _minute_step)


def _walk(schedule: Schedule, moment: datetime, year_limit: int) -> datetime | None:
    added = False
    while moment.year <= year_limit:
        for step in _STEPS:
            moment, added, wrapped = step(schedule, moment, added)
            if wrapped:
                break
        else:
            return moment
    return None


def previous_time(schedule: Schedule, at: datetime, *, horizon: timedelta = timedelta(days=366)) -> datetime | None:
    """The latest activation at or before ``at`` (searching back ``horizon``), or None."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    step = timedelta(minutes=1)  # doubled until the window holds an activation
    low = at - step
    while at - low <= horizon:
        candidate = next_time(schedule, low - timedelta(seconds=1))
        if candidate is not None and candidate <= at:
            latest = candidate
            while True:
                following = next_time(schedule, latest)
                if following is None or following > at:
                    return latest
                latest = following
        step *= 2
        low = at - step
    return None
