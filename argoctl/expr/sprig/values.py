"""Sprig math, defaults, type, list, dict, JSON, date and semver functions."""

from __future__ import annotations

import copy
import datetime as _dt
import math
import re
from collections.abc import Callable
from typing import Any

from argoctl.expr import gotime
from argoctl.expr.exprlang.errors import ExprRuntimeError
from argoctl.expr.exprlang.runtime import deep_equal
from argoctl.expr.gofmt import JSONMarshalError, marshal, type_name
from argoctl.expr.gojson import GoJSONError, go_json_loads
from argoctl.expr.sources import current as current_sources
from argoctl.expr.sprig.convert import strval, to_float64, to_int64, to_list, typed


def _empty(value: Any) -> bool:
    if value is None or value is False or (value == 0 and type(value) in (int, float)):
        return True
    if isinstance(value, str | list | dict):
        return len(value) == 0
    return False


def _default(default: Any, *given: Any) -> Any:
    return default if not given or _empty(given[0]) else given[0]


def _int_div(a: Any, b: Any) -> int:
    divisor = to_int64(b)
    if divisor == 0:
        raise ExprRuntimeError("runtime error: integer divide by zero")
    quotient = abs(to_int64(a)) // abs(divisor)
    return quotient if (to_int64(a) >= 0) == (divisor > 0) else -quotient


def _int_mod(a: Any, b: Any) -> int:
    divisor = to_int64(b)
    if divisor == 0:
        raise ExprRuntimeError("runtime error: integer divide by zero")
    return int(math.fmod(to_int64(a), divisor))


def _seq(*args: Any) -> str:
    numbers = [to_int64(a) for a in args]
    if len(numbers) == 1:
        start, end, step = 1, numbers[0], 1 if numbers[0] >= 1 else -1
    elif len(numbers) == 2:
        start, end = numbers
        step = 1 if end >= start else -1
    elif len(numbers) == 3:
        start, step, end = numbers
        if step == 0 or (end - start) * step < 0:
            return ""
    else:
        return ""
    return " ".join(str(n) for n in range(start, end + (1 if step > 0 else -1), step))


def _until_step(start: int, stop: int, step: int) -> list[Any]:
    if step == 0 or (stop - start) * step < 0:
        return []
    return list(range(start, stop, step))


def _to_json(value: Any, indent: str = "", html: bool = True) -> str:
    try:
        return marshal(value, indent=indent, html=html)
    except JSONMarshalError:
        return ""


def _from_json(text: str) -> Any:
    try:
        return go_json_loads(text)
    except GoJSONError:
        return None


def _must_from_json(text: str) -> Any:
    try:
        return go_json_loads(text)
    except GoJSONError as exc:
        raise ExprRuntimeError(str(exc)) from None


def _kind_of(value: Any) -> str:
    if value is None:
        return "invalid"
    return {bool: "bool", int: "int", float: "float64", str: "string", list: "slice", dict: "map"}.get(
        type(value), "struct" if hasattr(value, "go_type") else "func")


def _type_of(value: Any) -> str:
    return "<nil>" if value is None else type_name(value)


def _without(items: Any, *remove: Any) -> list[Any]:
    return [item for item in to_list(items) if not any(deep_equal(item, r) for r in remove)]


def _uniq(items: Any) -> list[Any]:
    out: list[Any] = []
    for item in to_list(items):
        if not any(deep_equal(item, seen) for seen in out):
            out.append(item)
    return out


def _slice(items: Any, *indexes: Any) -> list[Any]:
    values = to_list(items)
    start = to_int64(indexes[0]) if indexes else 0
    end = to_int64(indexes[1]) if len(indexes) > 1 else len(values)
    return values[start:end]


def _chunk(size: int, items: Any) -> list[Any]:
    values = to_list(items)
    return [values[i : i + size] for i in range(0, len(values), size)] if size > 0 else []


def _dict(*pairs: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(pairs), 2):
        out[strval(pairs[i])] = pairs[i + 1] if i + 1 < len(pairs) else ""
    return out


def _merge(overwrite: bool) -> Callable[..., dict[str, Any]]:
    def merge(dst: dict[str, Any], *sources: dict[str, Any]) -> dict[str, Any]:
        for source in sources:
            _merge_into(dst, source or {}, overwrite)
        return dst

    return merge


def _merge_into(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> None:
    for key, value in src.items():
        if isinstance(dst.get(key), dict) and isinstance(value, dict):
            _merge_into(dst[key], value, overwrite)
        elif key not in dst or (overwrite and not _empty(value)) or _empty(dst[key]):
            dst[key] = value


def _dig(*args: Any) -> Any:
    if len(args) < 3:
        raise ExprRuntimeError("dig needs at least three arguments")
    *keys, default, current = args
    for key in keys:
        if not isinstance(current, dict) or strval(key) not in current:
            return default
        current = current[strval(key)]
    return current


def _rand_int(low: int, high: int) -> int:
    """sprig's ``randInt``: uniform in ``[low, high)`` (``low`` when the range is empty)."""
    return low + current_sources().below(max(high - 1, low) - low + 1)


def _date_value(value: Any) -> gotime.GoTime:
    if isinstance(value, gotime.GoTime):
        return value
    if type(value) is int:
        return gotime.GoTime(_dt.datetime.fromtimestamp(value, gotime.UTC))
    return gotime.now()


def _date_in_zone(layout: str, value: Any, zone: str) -> str:
    try:
        location = gotime.load_location(zone)
    except gotime.TimeError:
        location = gotime.load_location("UTC")
    return gotime.format_layout(_date_value(value).value.astimezone(location.tz), layout)


def _to_date(layout: str, text: str) -> Any:
    try:
        return gotime.parse_layout(layout, text)
    except (gotime.TimeError, KeyError, ValueError):
        return gotime.GoTime(_dt.datetime(1, 1, 1, tzinfo=gotime.UTC))


def _date_modify(modifier: str, value: Any) -> Any:
    try:
        return gotime.GoTime(value.value + _dt.timedelta(microseconds=gotime.parse_duration(modifier).ns / 1000))
    except (gotime.TimeError, AttributeError):
        return value


def _semver(text: str) -> tuple[int, int, int, str]:
    match = re.fullmatch(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?", text.strip())
    if not match:
        raise ExprRuntimeError("Invalid Semantic Version")
    return int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0), match.group(4) or ""


def _semver_compare(constraint: str, version: str) -> bool:
    have = _semver(version)
    for part in re.split(r"\s*,\s*|\s+", constraint.strip()):
        match = re.fullmatch(r"(>=|<=|!=|=|>|<|~|\^)?\s*(.+)", part)
        if not match:
            raise ExprRuntimeError(f"improper constraint: {constraint}")
        op, want = match.group(1) or "=", _semver(match.group(2).replace("x", "0").replace("*", "0"))
        checks = {"=": have[:3] == want[:3], "!=": have[:3] != want[:3], ">": have[:3] > want[:3],
                  "<": have[:3] < want[:3], ">=": have[:3] >= want[:3], "<=": have[:3] <= want[:3],
                  "~": have[:2] == want[:2] and have >= want, "^": have[0] == want[0] and have[:3] >= want[:3]}
        if not checks[op]:
            return False
    return True


def _biggest(first: Any, *rest: Any) -> int:
    return max([to_int64(first), *(to_int64(r) for r in rest)])


VALUE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "add1": lambda v: to_int64(v) + 1, "add": lambda *v: sum(to_int64(x) for x in v),
    "sub": lambda a, b: to_int64(a) - to_int64(b), "div": _int_div, "mod": _int_mod,
    "mul": lambda a, *v: math.prod([to_int64(a), *(to_int64(x) for x in v)]),
    "max": _biggest, "biggest": _biggest, "min": lambda a, *v: min([to_int64(a), *(to_int64(x) for x in v)]),
    "maxf": lambda a, *v: max([to_float64(a), *(to_float64(x) for x in v)]),
    "minf": lambda a, *v: min([to_float64(a), *(to_float64(x) for x in v)]),
    "add1f": lambda v: to_float64(v) + 1, "addf": lambda *v: float(sum(to_float64(x) for x in v)),
    "subf": lambda a, *v: to_float64(a) - sum(to_float64(x) for x in v),
    "divf": lambda a, *v: _divf(to_float64(a), [to_float64(x) for x in v]),
    "mulf": lambda a, *v: math.prod([to_float64(a), *(to_float64(x) for x in v)]),
    "ceil": lambda v: float(math.ceil(to_float64(v))), "floor": lambda v: float(math.floor(to_float64(v))),
    "round": lambda v, p, *r: _round(to_float64(v), to_int64(p), to_float64(r[0]) if r else 0.5),
    "randInt": lambda a, b: _rand_int(to_int64(a), to_int64(b)),
    "atoi": typed("s", lambda s: to_int64(s) if re.fullmatch(r"[+-]?\d+", s) else 0), "int": to_int64,
    "int64": to_int64, "float64": to_float64, "toDecimal": lambda v: _parse_octal(strval(v)), "seq": _seq,
    "until": typed("i", lambda n: list(range(0, n, 1 if n >= 0 else -1))), "untilStep": typed("iii", _until_step),
    "default": _default, "empty": _empty, "coalesce": lambda *v: next((x for x in v if not _empty(x)), None),
    "all": lambda *v: all(not _empty(x) for x in v), "any": lambda *v: any(not _empty(x) for x in v),
    "compact": lambda v: [x for x in to_list(v) if not _empty(x)], "mustCompact": lambda v: [
        x for x in to_list(v) if not _empty(x)], "ternary": typed("aab", lambda t, f, c: t if c else f),
    "fail": typed("s", lambda msg: (_ for _ in ()).throw(ExprRuntimeError(msg))),
    "fromJson": typed("s", _from_json), "mustFromJson": typed("s", _must_from_json), "toJson": _to_json,
    "mustToJson": _to_json, "toPrettyJson": lambda v: _to_json(v, "  "),
    "mustToPrettyJson": lambda v: _to_json(v, "  "), "toRawJson": lambda v: _to_json(v, html=False),
    "mustToRawJson": lambda v: _to_json(v, html=False), "deepCopy": copy.deepcopy, "mustDeepCopy": copy.deepcopy,
    "typeOf": _type_of, "typeIs": typed("sa", lambda t, v: _type_of(v) == t),
    "typeIsLike": typed("sa", lambda t, v: _type_of(v) in (t, "*" + t)),
    "kindOf": _kind_of, "kindIs": typed("sa", lambda k, v: _kind_of(v) == k), "deepEqual": deep_equal,
    "list": lambda *v: list(v), "tuple": lambda *v: list(v), "first": lambda v: (to_list(v) or [None])[0],
    "rest": lambda v: to_list(v)[1:], "last": lambda v: (to_list(v) or [None])[-1], "initial": lambda v: to_list(v)[:-1],
    "append": lambda v, x: [*to_list(v), x], "push": lambda v, x: [*to_list(v), x],
    "prepend": lambda v, x: [x, *to_list(v)], "reverse": lambda v: to_list(v)[::-1], "uniq": _uniq,
    "without": _without, "has": lambda needle, v: any(deep_equal(needle, x) for x in to_list(v)), "slice": _slice,
    "concat": lambda *lists: [x for items in lists for x in to_list(items)], "chunk": typed("ia", _chunk),
    "dict": _dict, "get": typed("ms", lambda m, k: m.get(k, "")),
    "set": typed("msa", lambda m, k, v: (m.__setitem__(k, v), m)[1]),
    "unset": typed("ms", lambda m, k: (m.pop(k, None), m)[1]), "hasKey": typed("ms", lambda m, k: k in m),
    "pluck": lambda key, *maps: [m[key] for m in maps if isinstance(m, dict) and key in m],
    "keys": lambda *maps: [k for m in maps if isinstance(m, dict) for k in m],
    "values": typed("m", lambda m: list(m.values())),
    "pick": lambda m, *keys: {k: v for k, v in (m or {}).items() if k in keys},
    "omit": lambda m, *keys: {k: v for k, v in (m or {}).items() if k not in keys},
    "merge": _merge(False), "mustMerge": _merge(False), "mergeOverwrite": _merge(True),
    "mustMergeOverwrite": _merge(True), "dig": _dig,
    "now": gotime.now, "date": lambda layout, value: gotime.format_layout(_date_value(value).value, strval(layout)),
    "dateInZone": typed("sas", _date_in_zone), "htmlDate": lambda v: gotime.format_layout(_date_value(v).value, "2006-01-02"),
    "htmlDateInZone": typed("as", lambda v, z: _date_in_zone("2006-01-02", v, z)),
    "toDate": typed("ss", _to_date), "mustToDate": typed("ss", _to_date),
    "unixEpoch": lambda t: str(_date_value(t).unix()),
    "ago": lambda t: gotime.format_duration(
        (gotime.now().unix() - _date_value(t).unix()) * 10**9),
    "duration": lambda s: gotime.format_duration(to_int64(s) * 10**9),
    "durationRound": lambda v: gotime.format_duration(to_int64(v) * 10**9 if not isinstance(v, str) else 0),
    "dateModify": typed("sa", _date_modify), "mustDateModify": typed("sa", _date_modify),
    "semver": typed("s", lambda s: dict(zip(("Major", "Minor", "Patch", "Prerelease"), _semver(s), strict=True))),
    "semverCompare": typed("ss", _semver_compare),
}
for _name in ("first", "rest", "last", "initial", "append", "push", "prepend", "reverse", "uniq", "without", "has",
              "slice", "chunk"):
    VALUE_FUNCTIONS["must" + _name[0].upper() + _name[1:]] = VALUE_FUNCTIONS[_name]


def _divf(first: float, rest: list[float]) -> float:
    for value in rest:
        first = first / value if value else math.copysign(math.inf, first) if first else math.nan
    return first


def _round(value: float, places: int, half: float) -> float:
    scale = 10.0**places
    shifted = value * scale
    whole = math.floor(shifted)
    return (whole + (1 if shifted - whole >= half else 0)) / scale


def _parse_octal(text: str) -> int:
    try:
        return int(text, 8)
    except ValueError:
        return 0
