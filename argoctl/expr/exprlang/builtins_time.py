"""expr-lang's time builtins: ``now``, ``duration``, ``date``, ``timezone``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argoctl.expr import gotime
from argoctl.expr.exprlang.errors import ExprRuntimeError
from argoctl.expr.gofmt import type_name

DATE_LAYOUTS = ("2006-01-02", "15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00",
                "02 Jan 06 15:04 MST", "Monday, 02-Jan-06 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST")


def want_str(value: Any) -> str:
    """Go's ``args[i].(string)`` type assertion."""
    if type(value) is str:
        return value
    raise ExprRuntimeError(f"interface conversion: interface {{}} is {type_name(value)}, not string")


def _now(*args: Any) -> gotime.GoTime:
    if not args:
        return gotime.now()
    if len(args) == 1 and isinstance(args[0], gotime.GoLocation):
        return gotime.GoTime(gotime.now().value.astimezone(args[0].tz))
    raise ExprRuntimeError(f"invalid number of arguments (expected 0, got {len(args)})")


def _duration(text: Any) -> gotime.GoDuration:
    try:
        return gotime.parse_duration(want_str(text))
    except gotime.TimeError as exc:
        raise ExprRuntimeError(str(exc)) from exc


def _date(*args: Any) -> gotime.GoTime:
    zone = None
    if args and isinstance(args[0], gotime.GoLocation):
        zone, args = args[0].tz, args[1:]
    if not args or len(args) > 3:
        raise ExprRuntimeError(f"invalid number of arguments (expected at least 1, got {len(args)})")
    text = want_str(args[0])
    try:
        if len(args) == 3:
            zone = gotime.load_location(want_str(args[2])).tz
        if len(args) >= 2:
            return gotime.parse_layout(want_str(args[1]), text, zone or gotime.UTC)
    except gotime.TimeError as exc:
        raise ExprRuntimeError(str(exc)) from exc
    for layout in DATE_LAYOUTS:
        try:
            return gotime.parse_layout(layout, text, zone or gotime.UTC)
        except gotime.TimeError:
            continue
    raise ExprRuntimeError(f"invalid date {text}")


def _timezone(name: Any) -> gotime.GoLocation:
    try:
        return gotime.load_location(want_str(name))
    except gotime.TimeError as exc:
        raise ExprRuntimeError(str(exc)) from exc



TIME_BUILTINS: dict[str, Callable[..., Any]] = {"now": _now, "duration": _duration, "date": _date, "timezone": _timezone}
