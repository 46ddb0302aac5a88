"""CronWorkflow schedule syntax: standard 5-field cron lines and ``@`` descriptors."""

from __future__ import annotations

import re

DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
# (name, minimum, maximum, names accepted in place of numbers)
_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
    ("day of week", 0, 6, ("sun", "mon", "tue", "wed", "thu", "fri", "sat")),
)
_DURATION = re.compile(r"^([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$")


def schedule_error(schedule: str) -> str:
    """Why ``schedule`` is not a valid cron line, or ``""``."""
    line = schedule.strip()
    if line.startswith(("TZ=", "CRON_TZ=")):
        _, _, line = line.partition(" ")
        line = line.strip()
    if line.startswith("@every "):
        duration = line[len("@every ") :].strip()
        return "" if _DURATION.match(duration) else f"failed to parse duration {line}"
    if line.startswith("@"):
        return "" if line in DESCRIPTORS else f"unrecognized descriptor: {line}"
    fields = line.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: {fields}"
    for text, (name, low, high, names) in zip(fields, _FIELDS, strict=True):
        error = _field_error(text, low, high, names)
        if error:
            return f"{name} field {text!r}: {error}"
    return ""


def _field_error(text: str, low: int, high: int, names: tuple[str, ...]) -> str:
    for part in text.split(","):
        base, _, step = part.partition("/")
        if step and not step.isdigit():
            return f"bad step {step!r}"
        if base in ("*", "?"):
            continue
        bounds = base.split("-")
        if len(bounds) > 2:
            return f"bad range {base!r}"
        for bound in bounds:
            value = _value(bound, names)
            if value is None:
                return f"bad value {bound!r}"
            # day of week accepts 7 for Sunday
            if not low <= value <= (7 if names and names[0] == "sun" else high):
                return f"value {value} out of range [{low}, {high}]"
    return ""


def _value(text: str, names: tuple[str, ...]) -> int | None:
    if text.isdigit():
        return int(text)
    lowered = text.lower()
    if lowered in names:
        index = names.index(lowered)
        return index + 1 if names[0] == "jan" else index
    return None
