"""Go ``time`` values for the expression languages: ``Time``, ``Duration``, layouts, ``ParseDuration``.

Go formats and parses dates with a *reference layout* (``2006-01-02T15:04:05Z07:00``) rather than
``%Y`` codes; expr-lang's ``date``/``duration``/``now``, sprig's ``date`` family and govaluate's time
literals all rely on it, so it is reproduced here (UTC stands in for the controller's local zone).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

from argoctl.expr.sources import current as current_sources

UTC = dt.UTC
_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9,
       "h": 3600 * 10**9}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_LAYOUT_TOKENS = [
    "January", "Monday", "2006", "Z07:00:00", "-07:00:00", "Z070000", "-070000", "Z07:00", "-07:00",
    "Z0700", "-0700", "Jan", "Mon", "MST", "Z07", "-07", "002", "_2", "01", "02", "03", "04", "05", "06",
    "15", "PM", "pm", "1", "2", "3", "4", "5",
]
_FRACTION_RE = re.compile(r"[.,](0+|9+)")


class TimeError(ValueError):
    """A Go time parse failure."""


class GoDuration:
    """Go's ``time.Duration`` (int64 nanoseconds)."""

    go_type = "time.Duration"
    __slots__ = ("ns",)

    def __init__(self, ns: int) -> None:
        self.ns = int(ns)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoDuration) and other.ns == self.ns

    def __hash__(self) -> int:
        return hash(("duration", self.ns))

    def go_string(self) -> str:
        return format_duration(self.ns)

    def go_json(self) -> str:
        return str(self.ns)

    def __repr__(self) -> str:
        return f"GoDuration({format_duration(self.ns)})"

    def method(self, name: str) -> Any:
        methods: dict[str, Any] = {
            "Seconds": lambda: self.ns / 1e9, "Minutes": lambda: self.ns / 6e10,
            "Hours": lambda: self.ns / 3.6e12, "Milliseconds": lambda: int(self.ns / 1e6),
            "Microseconds": lambda: int(self.ns / 1e3), "Nanoseconds": lambda: self.ns,
            "String": lambda: format_duration(self.ns), "Abs": lambda: GoDuration(abs(self.ns)),
            "Round": lambda m: GoDuration(_round_to(self.ns, _ns_of(m))),
            "Truncate": lambda m: GoDuration(self.ns - self.ns % _ns_of(m) if _ns_of(m) > 0 else self.ns),
        }
        return methods.get(name)


def _ns_of(value: Any) -> int:
    return value.ns if isinstance(value, GoDuration) else int(value)


def _round_to(ns: int, multiple: int) -> int:
    if multiple <= 0:
        return ns
    remainder = abs(ns) % multiple
    base = abs(ns) - remainder
    rounded = base + multiple if remainder * 2 >= multiple else base
    return rounded if ns >= 0 else -rounded


class GoTime:
    """Go's ``time.Time`` (an aware datetime; sub-microsecond precision is not kept)."""

    go_type = "time.Time"
    __slots__ = ("value",)

    def __init__(self, value: dt.datetime) -> None:
        self.value = value if value.tzinfo else value.replace(tzinfo=UTC)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoTime) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def go_string(self) -> str:
        return format_layout(self.value, "2006-01-02 15:04:05.999999999 -0700 MST")

    def go_json(self) -> str:
        return '"' + format_layout(self.value, "2006-01-02T15:04:05.999999999Z07:00") + '"'

    def __repr__(self) -> str:
        return f"GoTime({self.value.isoformat()})"

    def unix(self) -> int:
        return int((self.value - dt.datetime(1970, 1, 1, tzinfo=UTC)) // dt.timedelta(seconds=1))

    def method(self, name: str) -> Any:
        v = self.value
        methods: dict[str, Any] = {
            "Unix": self.unix, "UnixMilli": lambda: _unix_micro(v) // 1000, "UnixMicro": lambda: _unix_micro(v),
            "UnixNano": lambda: _unix_micro(v) * 1000, "Year": lambda: v.year, "Month": lambda: v.month,
            "Day": lambda: v.day, "Hour": lambda: v.hour, "Minute": lambda: v.minute, "Second": lambda: v.second,
            "Nanosecond": lambda: v.microsecond * 1000, "YearDay": lambda: v.timetuple().tm_yday,
            "Weekday": lambda: (v.weekday() + 1) % 7, "Format": lambda layout: format_layout(v, layout),
            "String": self.go_string, "UTC": lambda: GoTime(v.astimezone(UTC)), "Local": lambda: GoTime(v),
            "In": lambda loc: GoTime(v.astimezone(loc.tz)), "IsZero": lambda: v.year == 1 and v.month == 1,
            "Add": lambda d: GoTime(v + dt.timedelta(microseconds=_ns_of(d) / 1000)),
            "Sub": lambda other: GoDuration(_unix_micro(v) * 1000 - _unix_micro(other.value) * 1000),
            "AddDate": lambda y, m, d: GoTime(_add_date(v, y, m, d)),
            "Before": lambda other: v < other.value, "After": lambda other: v > other.value,
            "Equal": lambda other: v == other.value,
            "Truncate": lambda d: GoTime(_truncate(v, _ns_of(d))),
        }
        return methods.get(name)


class GoLocation:
    """Go's ``*time.Location`` (from ``timezone(name)``)."""

    go_type = "*time.Location"
    __slots__ = ("name", "tz")

    def __init__(self, name: str, tz: dt.tzinfo) -> None:
        self.name = name
        self.tz = tz

    def go_string(self) -> str:
        return self.name

    def method(self, name: str) -> Any:
        return {"String": lambda: self.name}.get(name)


def load_location(name: str) -> GoLocation:
    if name in ("", "UTC"):
        return GoLocation("UTC", UTC)
    if name == "Local":
        return GoLocation("Local", UTC)
    try:
        return GoLocation(name, zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise TimeError(f"unknown time zone {name}") from exc


def _unix_micro(value: dt.datetime) -> int:
    return (value - dt.datetime(1970, 1, 1, tzinfo=UTC)) // dt.timedelta(microseconds=1)


def _truncate(value: dt.datetime, ns: int) -> dt.datetime:
    if ns <= 0:
        return value
    micro = _unix_micro(value)
    step = max(ns // 1000, 1)
    return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=micro - micro % step)


def _add_date(value: dt.datetime, years: int, months: int, days: int) -> dt.datetime:
    month_index = value.month - 1 + months
    year = value.year + years + month_index // 12
    month = month_index % 12 + 1
    first = value.replace(year=year, month=month, day=1)
    return first + dt.timedelta(days=value.day - 1 + days)


def now() -> GoTime:
    """The injected clock's time (``argoctl.expr.sources``), in UTC as Go's ``time.Now()`` prints."""
    return GoTime(current_sources().now().astimezone(UTC))


# -- durations --------------------------------------------------------------------------------------------
_DURATION_RE = re.compile(r"(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> GoDuration:
    """Go's ``time.ParseDuration``: ``1h30m``, ``-1.5s``, ``300ms``, ``0``."""
    original = text
    sign = 1
    if text[:1] in "+-" and text:
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    if text == "0":
        return GoDuration(0)
    if not text:
        raise TimeError(f'time: invalid duration "{original}"')
    total = 0.0
    pos = 0
    while pos < len(text):
        match = _DURATION_RE.match(text, pos)
        if match is None or match.group(1) in ("", "."):
            if match is None and re.match(r"\d*\.?\d*", text[pos:]) and re.match(r"[\d.]+$", text[pos:]):
                raise TimeError(f'time: missing unit in duration "{original}"')
            raise TimeError(f'time: invalid duration "{original}"')
        total += float(match.group(1)) * _NS[match.group(2)]
        pos = match.end()
    return GoDuration(sign * round(total))


def format_duration(ns: int) -> str:
    """Go's ``Duration.String``: ``1h2m3.5s``, ``150ms``, ``0s``."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 10**9:
        for unit, size in (("ms", 10**6), ("µs", 10**3), ("ns", 1)):
            if ns >= size:
                return sign + _trim_fraction(ns, size) + unit
    hours, rest = divmod(ns, 3600 * 10**9)
    minutes, rest = divmod(rest, 60 * 10**9)
    out = sign
    if hours:
        out += f"{hours}h"
    if hours or minutes:
        out += f"{minutes}m"
    return out + _trim_fraction(rest, 10**9) + "s"


def _trim_fraction(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if not frac:
        return str(whole)
    width = len(str(unit)) - 1
    return f"{whole}.{str(frac).rjust(width, '0').rstrip('0')}"


# -- layouts -----------------------------------------------------------------------------------------------
def _split_layout(layout: str) -> list[tuple[bool, str]]:
    """Split a Go layout into (is_token, text) parts."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    literal = ""
    while pos < len(layout):
        frac = _FRACTION_RE.match(layout, pos)
        if frac and (frac.end() >= len(layout) or not layout[frac.end()].isdigit()) and pos > 0 \
                and layout[pos - 1].isdigit():
            parts.extend([(False, literal)] if literal else [])
            literal = ""
            parts.append((True, frac.group(0)))
            pos = frac.end()
            continue
        for token in _LAYOUT_TOKENS:
            if layout.startswith(token, pos) and not _inside_word(layout, pos, token):
                parts.extend([(False, literal)] if literal else [])
                literal = ""
                parts.append((True, token))
                pos += len(token)
                break
        else:
            literal += layout[pos]
            pos += 1
    if literal:
        parts.append((False, literal))
    return parts


def _inside_word(layout: str, pos: int, token: str) -> bool:
    if token in ("Jan", "Mon", "January", "Monday"):
        end = pos + len(token)
        return end < len(layout) and layout[end].islower()
    return False


def _zone_text(value: dt.datetime, token: str) -> str:
    offset = value.utcoffset() or dt.timedelta(0)
    seconds = int(offset.total_seconds())
    if token.startswith("Z") and seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    body = token.lstrip("Z-")
    forms = {"07:00:00": f"{hours:02d}:{minutes:02d}:{secs:02d}", "070000": f"{hours:02d}{minutes:02d}{secs:02d}",
             "07:00": f"{hours:02d}:{minutes:02d}", "0700": f"{hours:02d}{minutes:02d}", "07": f"{hours:02d}"}
    return sign + forms[body]


def format_layout(value: dt.datetime, layout: str) -> str:
    """``Time.Format(layout)``."""
    out: list[str] = []
    for is_token, text in _split_layout(layout):
        out.append(_format_token(value, text) if is_token else text)
    return "".join(out)


def _format_token(v: dt.datetime, token: str) -> str:
    hour12 = v.hour % 12 or 12
    simple: dict[str, str] = {
        "2006": f"{v.year:04d}", "06": f"{v.year % 100:02d}", "January": _MONTHS[v.month - 1],
        "Jan": _MONTHS[v.month - 1][:3], "01": f"{v.month:02d}", "1": str(v.month),
        "Monday": _DAYS[v.weekday()], "Mon": _DAYS[v.weekday()][:3], "02": f"{v.day:02d}",
        "_2": f"{v.day:2d}", "2": str(v.day), "002": f"{v.timetuple().tm_yday:03d}", "15": f"{v.hour:02d}",
        "03": f"{hour12:02d}", "3": str(hour12), "04": f"{v.minute:02d}", "4": str(v.minute),
        "05": f"{v.second:02d}", "5": str(v.second), "PM": "PM" if v.hour >= 12 else "AM",
        "pm": "pm" if v.hour >= 12 else "am", "MST": v.tzname() or "UTC",
    }
    if token in simple:
        return simple[token]
    if token[0] in ".,":
        digits = f"{v.microsecond:06d}000"[: len(token) - 1]
        if token[1] == "9":
            digits = digits.rstrip("0")
            return token[0] + digits if digits else ""
        return token[0] + digits
    return _zone_text(v, token)


def parse_layout(layout: str, text: str, tz: dt.tzinfo = UTC) -> GoTime:
    """``time.ParseInLocation(layout, text, tz)`` for the common layout tokens."""
    fields: dict[str, Any] = {"year": 1, "month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "micro": 0}
    pos = 0
    pm: bool | None = None
    offset: dt.tzinfo | None = None
    for is_token, part in _split_layout(layout):
        if not is_token:
            if not text.startswith(part, pos):
                raise _parse_error(layout, text, pos)
            pos += len(part)
            continue
        pos, pm_value, zone = _parse_token(part, text, pos, fields, layout)
        pm = pm_value if pm_value is not None else pm
        offset = zone or offset
    if pos != len(text):
        raise TimeError(f'parsing time "{text}": extra text: "{text[pos:]}"')
    hour = fields["hour"]
    if pm is not None:
        hour = hour % 12 + (12 if pm else 0)
    try:
        value = dt.datetime(max(fields["year"], 1), fields["month"], fields["day"], hour, fields["minute"],
                            fields["second"], fields["micro"], tzinfo=offset or tz)
    except ValueError as exc:
        raise TimeError(f'parsing time "{text}": day out of range') from exc
    return GoTime(value)


def _parse_error(layout: str, text: str, pos: int) -> TimeError:
    return TimeError(f'parsing time "{text}" as "{layout}": cannot parse "{text[pos:]}" as "{layout}"')


def _take_digits(text: str, pos: int, min_len: int, max_len: int) -> tuple[int, int]:
    end = pos
    while end < len(text) and end - pos < max_len and text[end].isdigit():
        end += 1
    if end - pos < min_len:
        raise TimeError(f'parsing time "{text}": bad number')
    return int(text[pos:end]), end


def _parse_token(token: str, text: str, pos: int, fields: dict[str, Any],
                 layout: str) -> tuple[int, bool | None, dt.tzinfo | None]:
    numeric = {"2006": ("year", 4, 4), "01": ("month", 2, 2), "1": ("month", 1, 2), "02": ("day", 2, 2),
               "2": ("day", 1, 2), "15": ("hour", 1, 2), "03": ("hour", 2, 2), "3": ("hour", 1, 2),
               "04": ("minute", 2, 2), "4": ("minute", 1, 2), "05": ("second", 2, 2), "5": ("second", 1, 2),
               "002": ("yday", 3, 3)}
    if token in numeric:
        name, low, high = numeric[token]
        fields[name], end = _take_digits(text, pos, low, high)
        return end, None, None
    if token == "06":
        year, end = _take_digits(text, pos, 2, 2)
        fields["year"] = year + (1900 if year >= 69 else 2000)
        return end, None, None
    if token == "_2":
        if text[pos : pos + 1] == " ":
            pos += 1
        fields["day"], end = _take_digits(text, pos, 1, 2)
        return end, None, None
    if token in ("January", "Jan", "Monday", "Mon"):
        names = _MONTHS if token.startswith("J") else _DAYS
        for index, name in enumerate(names):
            candidate = name if len(token) > 3 else name[:3]
            if text.startswith(candidate, pos):
                if names is _MONTHS:
                    fields["month"] = index + 1
                return pos + len(candidate), None, None
        raise _parse_error(layout, text, pos)
    if token in ("PM", "pm"):
        marker = text[pos : pos + 2].upper()
        if marker not in ("AM", "PM"):
            raise _parse_error(layout, text, pos)
        return pos + 2, marker == "PM", None
    if token[0] in ".,":
        match = re.match(r"[.,](\d+)", text[pos:])
        if not match:
            if token[1] == "9":
                return pos, None, None
            raise _parse_error(layout, text, pos)
        fields["micro"] = int((match.group(1) + "000000")[:6])
        return pos + match.end(), None, None
    if token == "MST":
        match = re.match(r"[A-Z]{3,5}|[+-]\d+", text[pos:])
        if not match:
            raise _parse_error(layout, text, pos)
        return pos + match.end(), None, None
    return _parse_zone(token, text, pos, layout)


def _parse_zone(token: str, text: str, pos: int, layout: str) -> tuple[int, bool | None, dt.tzinfo | None]:
    if token.startswith("Z") and text[pos : pos + 1] == "Z":
        return pos + 1, None, UTC
    body = token.lstrip("Z-")
    pattern = {"07:00:00": r"([+-])(\d\d):(\d\d):(\d\d)", "070000": r"([+-])(\d\d)(\d\d)(\d\d)",
               "07:00": r"([+-])(\d\d):(\d\d)", "0700": r"([+-])(\d\d)(\d\d)", "07": r"([+-])(\d\d)"}[body]
    match = re.match(pattern, text[pos:])
    if not match:
        raise _parse_error(layout, text, pos)
    parts = [int(g) for g in match.groups()[1:]] + [0, 0]
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2]
    sign = -1 if match.group(1) == "-" else 1
    return pos + match.end(), None, dt.timezone(dt.timedelta(seconds=sign * seconds))
