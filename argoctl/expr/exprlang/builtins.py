"""expr-lang's non-predicate builtins (v1.17 ``builtin/builtin.go``), with Go's value semantics."""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable
from typing import Any

from argoctl.expr import gotime
from argoctl.expr.exprlang import runtime as rt
from argoctl.expr.exprlang.builtins_time import TIME_BUILTINS, want_str
from argoctl.expr.exprlang.errors import ExprRuntimeError, guarded
from argoctl.expr.exprlang.predicates import sort_pairs
from argoctl.expr.gofmt import JSONMarshalError, format_v, marshal, type_name
from argoctl.expr.gojson import GoJSONError, go_json_loads


def arity(name: str, args: tuple[Any, ...], *counts: int) -> None:
    if len(args) not in counts:
        expected = " or ".join(str(c) for c in counts)
        raise ExprRuntimeError(f"invalid number of arguments for {name} (expected {expected}, got {len(args)})")


def go_atoi(text: str) -> int | None:
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    return value if rt.INT_MIN <= value <= rt.INT_MAX else None


def go_parse_float(text: str) -> float | None:
    """``strconv.ParseFloat(text, 64)`` (decimal, exponent, inf/nan, hex floats)."""
    lowered = text.lower().lstrip("+-")
    if lowered in ("inf", "infinity", "nan"):
        return float(text.replace("Infinity", "inf").replace("infinity", "inf"))
    if "_" in text or not text.isascii() or not text or text.strip() != text:
        return None
    try:
        if lowered.startswith("0x"):
            return float.fromhex(text)
        return float(text)
    except ValueError:
        return None


def to_int(value: Any) -> int:
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is float:
        return rt.to_index(value)
    if kind is str:
        parsed = go_atoi(value)
        if parsed is None:
            raise ExprRuntimeError(f"invalid operation: int({value})")
        return parsed
    if isinstance(value, gotime.GoDuration):
        return value.ns
    raise ExprRuntimeError(f"invalid operation: int({type_name(value)})")


def to_float(value: Any) -> float:
    kind = type(value)
    if kind is int or kind is float:
        return float(value)
    if kind is str:
        parsed = go_parse_float(value)
        if parsed is None:
            raise ExprRuntimeError(f"invalid operation: float({value})")
        return parsed
    raise ExprRuntimeError(f"invalid operation: float({type_name(value)})")


def _len(value: Any) -> int:
    if isinstance(value, list | dict | str):
        return len(value)
    raise ExprRuntimeError(f"invalid argument for len (type {type_name(value)})")


def _type(value: Any) -> str:
    if value is None:
        return "nil"
    simple = {bool: "bool", int: "int", float: "float", str: "string", list: "array", dict: "map"}
    name = simple.get(type(value))
    if name:
        return name
    go_type = getattr(value, "go_type", None)
    if isinstance(go_type, str):
        return go_type.lstrip("*")
    return "func" if callable(value) else "unknown"


def _rounder(name: str, fn: Callable[[float], float]) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        if type(value) is float:
            return float(fn(value)) if math.isfinite(value) else value
        if type(value) is int:
            return float(value)
        raise ExprRuntimeError(f"invalid argument for {name} (type {type_name(value)})")

    return run


def _go_round(value: float) -> float:
    return math.copysign(math.floor(abs(value) + 0.5), value)


def _abs(value: Any) -> Any:
    if rt.is_number(value):
        return abs(value)
    raise ExprRuntimeError(f"invalid argument for abs (type {type_name(value)})")


def _trim(*args: Any) -> str:
    arity("trim", args, 1, 2)
    return want_str(args[0]).strip() if len(args) == 1 else want_str(args[0]).strip(want_str(args[1]))


def _trim_prefix(*args: Any) -> str:
    text, prefix = want_str(args[0]), want_str(args[1]) if len(args) == 2 else " "
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


def _trim_suffix(*args: Any) -> str:
    text, suffix = want_str(args[0]), want_str(args[1]) if len(args) == 2 else " "
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


def go_split(text: str, sep: str, limit: int = -1, *, after: bool = False) -> list[str]:
    """``strings.SplitN``/``SplitAfterN`` (``limit`` < 0: all, 0: none)."""
    if limit == 0:
        return []
    if sep == "":
        chars = list(text)
        if 0 < limit < len(chars):
            chars = [*chars[: limit - 1], "".join(chars[limit - 1 :])]
        return chars
    parts = text.split(sep, limit - 1) if limit > 0 else text.split(sep)
    if after:
        parts = [part + sep for part in parts[:-1]] + parts[-1:]
    return parts


def _split(*args: Any) -> list[Any]:
    arity("split", args, 2, 3)
    limit = to_int(args[2]) if len(args) == 3 else -1
    return list(go_split(want_str(args[0]), want_str(args[1]), limit))


def _split_after(*args: Any) -> list[Any]:
    arity("splitAfter", args, 2, 3)
    limit = to_int(args[2]) if len(args) == 3 else -1
    return list(go_split(want_str(args[0]), want_str(args[1]), limit, after=True))


def _replace(*args: Any) -> str:
    arity("replace", args, 3, 4)
    count = to_int(args[3]) if len(args) == 4 else -1
    return want_str(args[0]).replace(want_str(args[1]), want_str(args[2]), count)


def _repeat(text: Any, count: Any) -> str:
    times = to_int(count)
    if times < 0:
        raise ExprRuntimeError(f"invalid argument for repeat (expected positive integer, got {times})")
    if times > 1_000_000 or len(want_str(text)) * times > 10_000_000:
        raise ExprRuntimeError("memory budget exceeded")
    return want_str(text) * times


def _join(*args: Any) -> str:
    glue = want_str(args[1]) if len(args) == 2 else ""
    if not isinstance(args[0], list):
        raise ExprRuntimeError(f"invalid argument for join (type {type_name(args[0])})")
    return glue.join(want_str(item) for item in args[0])


def _byte_index(text: Any, sub: Any, last: bool) -> int:
    data, needle = want_str(text).encode(), want_str(sub).encode()
    return data.rfind(needle) if last else data.find(needle)


def _min_max(name: str, better: Callable[[Any, Any], bool]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        best: Any = None
        for value in _flatten_numbers(name, args, allow_single=len(args) == 1):
            if best is None or better(best, value):
                best = value
        return best

    return run


def _flatten_numbers(name: str, args: tuple[Any, ...] | list[Any], allow_single: bool = False) -> list[Any]:
    out: list[Any] = []
    for arg in args:
        if rt.is_number(arg):
            out.append(arg)
        elif isinstance(arg, list):
            out.extend(_flatten_numbers(name, arg))
        elif allow_single and len(args) == 1:
            return [arg]
        else:
            raise ExprRuntimeError(f"invalid argument for {name} (type {type_name(arg)})")
    return out


def _mean(*args: Any) -> float:
    values = _flatten_numbers("mean", args)
    return float(sum(values)) / len(values) if values else 0.0


def _median(*args: Any) -> float:
    values = sorted(float(v) for v in _flatten_numbers("median", args))
    if not values:
        return 0.0
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _to_json(value: Any) -> str:
    try:
        return marshal(value, indent="  ")
    except JSONMarshalError as exc:
        raise ExprRuntimeError(str(exc)) from exc


def _from_json(text: Any) -> Any:
    try:
        return go_json_loads(want_str(text))
    except GoJSONError as exc:
        raise ExprRuntimeError(str(exc)) from exc


def _from_base64(text: Any) -> str:
    try:
        return base64.b64decode(want_str(text), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        raise ExprRuntimeError(f"illegal base64 data at input byte 0: {exc}") from exc


def _first_last(index: int) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        try:
            return rt.fetch(value, index)
        except ExprRuntimeError:
            return None

    return run


def _get(obj: Any, key: Any) -> Any:
    if isinstance(obj, list) and rt.is_number(key):
        index = rt.to_index(key)
        index = index + len(obj) if index < 0 else index
        return obj[index] if 0 <= index < len(obj) else None
    if isinstance(obj, dict):
        try:
            return obj.get(key)
        except TypeError:
            return None
    return None


def _take(array: Any, count: Any) -> list[Any]:
    if not isinstance(array, list):
        raise ExprRuntimeError(f"cannot take from {_kind(array)}")
    if type(count) is not int:
        raise ExprRuntimeError(f"cannot take {_kind(count)} elements")
    return array[: max(count, 0)]


def _kind(value: Any) -> str:
    return {list: "slice", dict: "map", str: "string", int: "int", float: "float64", bool: "bool"}.get(
        type(value), "invalid" if value is None else type_name(value))


def _want_map(value: Any, what: str) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    raise ExprRuntimeError(f"cannot {what} {_kind(value)}")


def _from_pairs(pairs: Any) -> dict[Any, Any]:
    if not isinstance(pairs, list):
        raise ExprRuntimeError(f"cannot transform {format_v(pairs)} from pairs")
    out: dict[Any, Any] = {}
    for pair in pairs:
        if not isinstance(pair, list):
            raise ExprRuntimeError(f"invalid pair {format_v(pair)}")
        if len(pair) != 2:
            raise ExprRuntimeError(f"invalid pair length {format_v(pair)}")
        out[pair[0]] = pair[1]
    return out


def _want_list(value: Any, what: str) -> list[Any]:
    if isinstance(value, list):
        return value
    raise ExprRuntimeError(f"cannot {what} {_kind(value)}")


def _uniq(array: Any) -> list[Any]:
    out: list[Any] = []
    for item in _want_list(array, "uniq"):
        if not any(rt.equal(item, seen) for seen in out):
            out.append(item)
    return out


def _concat(*arrays: Any) -> list[Any]:
    if not arrays:
        raise ExprRuntimeError("invalid number of arguments (expected at least 1, got 0)")
    return [item for array in arrays for item in _want_list(array, "concat")]


def _flatten(array: Any, depth: int = 0) -> list[Any]:
    if depth > 10_000:
        raise ExprRuntimeError("max depth reached")
    out: list[Any] = []
    for item in _want_list(array, "flatten"):
        out.extend(_flatten(item, depth + 1) if isinstance(item, list) else [item])
    return out


def _sort(*args: Any) -> list[Any]:
    arity("sort", args, 1, 2)
    array = _want_list(args[0], "sort") if args[0] is not None else []
    order = "asc"
    if len(args) == 2:
        if type(args[1]) is not str:
            raise ExprRuntimeError(f"sort order argument must be a string (got {type_name(args[1])})")
        order = args[1]
        if order not in ("asc", "desc"):
            raise ExprRuntimeError(f"invalid order {order}, expected asc or desc")
    return [item for _, item in sort_pairs([(item, item) for item in array], order == "desc")]


def _bit(name: str, op: Callable[[int, int], int], shift: bool = False) -> Callable[[Any, Any], int]:
    def run(x: Any, y: Any) -> int:
        if type(x) is not int or type(y) is not int:
            raise ExprRuntimeError(f"invalid argument for {name}")
        if shift and y < 0:
            raise ExprRuntimeError(f"invalid operation: negative shift count {y} (type int)")
        return rt.wrap_int(op(x, y))

    return run


def _bitnot(*args: Any) -> int:
    arity("bitnot", args, 1)
    if type(args[0]) is not int:
        raise ExprRuntimeError(f"cannot use {type_name(args[0])} as argument (type int) to call bitnot")
    return ~args[0]


BUILTINS: dict[str, Callable[..., Any]] = {
    "len": _len, "type": _type, "abs": _abs, "ceil": _rounder("ceil", math.ceil),
    "floor": _rounder("floor", math.floor), "round": _rounder("round", _go_round), "int": to_int,
    "float": to_float, "string": format_v, "trim": _trim, "trimPrefix": _trim_prefix,
    "trimSuffix": _trim_suffix, "upper": lambda s: want_str(s).upper(), "lower": lambda s: want_str(s).lower(),
    "split": _split, "splitAfter": _split_after, "replace": _replace, "repeat": _repeat, "join": _join,
    "indexOf": lambda s, sub: _byte_index(s, sub, False), "lastIndexOf": lambda s, sub: _byte_index(s, sub, True),
    "hasPrefix": lambda s, p: want_str(s).startswith(want_str(p)),
    "hasSuffix": lambda s, p: want_str(s).endswith(want_str(p)),
    "max": _min_max("max", rt.less), "min": _min_max("min", rt.more), "mean": _mean, "median": _median,
    "toJSON": _to_json, "fromJSON": _from_json,
    "toBase64": lambda s: base64.b64encode(want_str(s).encode()).decode(), "fromBase64": _from_base64,
    **TIME_BUILTINS, "first": _first_last(0),
    "last": _first_last(-1), "get": _get, "take": _take,
    "keys": lambda m: list(_want_map(m, "get keys from")),
    "values": lambda m: list(_want_map(m, "get values from").values()),
    "toPairs": lambda m: [[k, v] for k, v in _want_map(m, "transform").items()],
    "fromPairs": _from_pairs, "reverse": lambda a: _want_list(a, "reverse")[::-1], "uniq": _uniq,
    "concat": _concat, "flatten": _flatten, "sort": _sort,
    "bitand": _bit("bitand", lambda x, y: x & y), "bitor": _bit("bitor", lambda x, y: x | y),
    "bitxor": _bit("bitxor", lambda x, y: x ^ y), "bitnand": _bit("bitnand", lambda x, y: x & ~y),
    "bitshl": _bit("bitshl", lambda x, y: x << min(y, 64), True),
    "bitshr": _bit("bitshr", lambda x, y: x >> min(y, 64), True),
    "bitushr": _bit("bitushr", lambda x, y: (x % 2**64) >> min(y, 64), True), "bitnot": _bitnot,
}
BUILTINS = {name: guarded(name, fn) for name, fn in BUILTINS.items()}
BUILTIN_NAMES = frozenset(BUILTINS) | frozenset(
    ("all", "none", "any", "one", "filter", "map", "find", "findIndex", "findLast", "findLastIndex", "count",
     "sum", "groupBy", "sortBy", "reduce"))
