"""expr-lang runtime semantics: equality, ordering, arithmetic, membership, member access, slicing.

Values are Python stand-ins for Go's: ``None`` (nil), ``bool``, ``int`` (int64, wrapped), ``float``,
``str``, ``list`` ([]any), ``dict`` (map[string]any), and ``GoTime``/``GoDuration``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from argoctl.expr.exprlang.errors import ExprRuntimeError, guarded
from argoctl.expr.gofmt import format_v, type_name
from argoctl.expr.gotime import GoDuration, GoTime

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1


def wrap_int(value: int) -> int:
    """Two's complement int64 overflow, as Go's ``int`` on 64-bit platforms."""
    if INT_MIN <= value <= INT_MAX:
        return value
    return (value - INT_MIN) % 2**64 + INT_MIN


def is_int(value: Any) -> bool:
    return type(value) is int


def is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float


def _mismatch(op: str, a: Any, b: Any) -> ExprRuntimeError:
    return ExprRuntimeError(f"invalid operation: {type_name(a)} {op} {type_name(b)}")


def deep_equal(a: Any, b: Any) -> bool:
    """Go's ``reflect.DeepEqual`` over the value stand-ins (types must match exactly)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return bool(a == b)  # NaN != NaN, like Go
    return bool(a == b)


def equal(a: Any, b: Any) -> bool:
    """expr's ``==``: numbers across int/float, strings, bools, times, else deep equality."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return bool(a == b)
    if ta is str or ta is bool:
        return tb is ta and a == b
    if a is None or b is None:
        return a is None and b is None
    return deep_equal(a, b)


def _ordered(op: str, a: Any, b: Any) -> tuple[Any, Any]:
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a, b
    if ta is str and tb is str:
        return a, b
    if ta is GoTime and tb is GoTime:
        return a.value, b.value
    if ta is GoDuration and tb is GoDuration:
        return a.ns, b.ns
    raise _mismatch(op, a, b)


def less(a: Any, b: Any) -> bool:
    x, y = _ordered("<", a, b)
    return bool(x < y)


def more(a: Any, b: Any) -> bool:
    x, y = _ordered(">", a, b)
    return bool(x > y)


def less_equal(a: Any, b: Any) -> bool:
    x, y = _ordered("<=", a, b)
    return bool(x <= y)


def more_equal(a: Any, b: Any) -> bool:
    x, y = _ordered(">=", a, b)
    return bool(x >= y)


def add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return wrap_int(a + b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return float(a) + float(b)
    if ta is str and tb is str:
        return a + b
    if ta is GoTime and tb is GoDuration:
        return a.method("Add")(b)
    if ta is GoDuration and tb is GoTime:
        return b.method("Add")(a)
    if ta is GoDuration and tb is GoDuration:
        return GoDuration(a.ns + b.ns)
    raise _mismatch("+", a, b)


def subtract(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return wrap_int(a - b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return float(a) - float(b)
    if ta is GoTime and tb is GoTime:
        return a.method("Sub")(b)
    if ta is GoTime and tb is GoDuration:
        return a.method("Add")(GoDuration(-b.ns))
    if ta is GoDuration and tb is GoDuration:
        return GoDuration(a.ns - b.ns)
    raise _mismatch("-", a, b)


def multiply(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return wrap_int(a * b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return float(a) * float(b)
    if ta is GoDuration and tb is int:
        return GoDuration(a.ns * b)
    if ta is int and tb is GoDuration:
        return GoDuration(a * b.ns)
    raise _mismatch("*", a, b)


def divide(a: Any, b: Any) -> float:
    if is_number(a) and is_number(b):
        x, y = float(a), float(b)
        if y == 0:
            if x == 0 or math.isnan(x):
                return math.nan
            return math.copysign(math.inf, x) * math.copysign(1.0, y)
        return x / y
    raise _mismatch("/", a, b)


def modulo(a: Any, b: Any) -> int:
    if is_int(a) and is_int(b):
        if b == 0:
            raise ExprRuntimeError("integer divide by zero")
        return int(math.fmod(a, b)) if abs(a) < 2**52 and abs(b) < 2**52 else _go_mod(a, b)
    raise _mismatch("%", a, b)


def _go_mod(a: int, b: int) -> int:
    result = abs(a) % abs(b)
    return -result if a < 0 else result


def exponent(a: Any, b: Any) -> float:
    if is_number(a) and is_number(b):
        try:
            return math.pow(float(a), float(b))
        except (OverflowError, ValueError):
            return _go_pow(float(a), float(b))
    raise ExprRuntimeError(f"invalid operation: float({type_name(a if not is_number(a) else b)})")


def _go_pow(x: float, y: float) -> float:
    if x == 0 and y < 0:
        return math.inf
    if x < 0 and not y.is_integer():
        return math.nan
    return math.inf if abs(x) > 1 else 0.0


def negate(a: Any) -> Any:
    if type(a) is int:
        return wrap_int(-a)
    if type(a) is float:
        return -a
    if type(a) is GoDuration:
        return GoDuration(-a.ns)
    raise ExprRuntimeError(f"invalid operation: - {type_name(a)}")


def to_bool(value: Any, op: str) -> bool:
    if value is True or value is False:
        return value
    if value is None:
        return False
    raise ExprRuntimeError(f"invalid operation: {op} {type_name(value)}" if op else
                           f"interface conversion: interface {{}} is {type_name(value)}, not bool")


def in_(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    if isinstance(haystack, list):
        return any(equal(item, needle) for item in haystack)
    if isinstance(haystack, Mapping):
        try:
            return needle in haystack
        except TypeError:
            return False
    raise ExprRuntimeError(f'operator "in" not defined on {type_name(haystack)}')


def _strings(op: str, a: Any, b: Any) -> tuple[str, str]:
    if type(a) is str and type(b) is str:
        return a, b
    raise _mismatch(op, a, b)


def contains(a: Any, b: Any) -> bool:
    x, y = _strings("contains", a, b)
    return y in x


def starts_with(a: Any, b: Any) -> bool:
    x, y = _strings("startsWith", a, b)
    return x.startswith(y)


def ends_with(a: Any, b: Any) -> bool:
    x, y = _strings("endsWith", a, b)
    return x.endswith(y)


@lru_cache(maxsize=512)
def compile_regex(pattern: str) -> re.Pattern[str]:
    """A Go RE2 pattern as a Python regex (RE2 syntax is nearly a subset of Python's)."""
    translated = pattern.replace("\\z", "\\Z").replace("(?P<", "(?P<")
    try:
        return re.compile(translated)
    except re.error as exc:
        raise ExprRuntimeError(f"error parsing regexp: {exc}: `{pattern}`") from exc
    except RecursionError as exc:
        raise ExprRuntimeError(f"error parsing regexp: expression too large: `{pattern}`") from exc


def matches(a: Any, b: Any) -> bool:
    x, y = _strings("matches", a, b)
    return compile_regex(y).search(x) is not None


def make_range(a: Any, b: Any) -> list[int]:
    if not (is_int(a) and is_int(b)):
        raise _mismatch("..", a, b)
    if b - a + 1 > 10_000_000:
        raise ExprRuntimeError("memory budget exceeded")
    return list(range(a, b + 1))


def to_index(value: Any) -> int:
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            return INT_MIN
        return int(value)
    raise ExprRuntimeError(f"invalid operation: int({type_name(value)})")


def fetch(obj: Any, key: Any) -> Any:
    """``obj[key]`` / ``obj.key``: missing map keys give nil, bad indexes and nil bases fail."""
    if isinstance(obj, dict):
        try:
            return obj.get(key)
        except TypeError:
            return None
    if isinstance(obj, list | str):
        index = to_index(key)
        data: Any = obj.encode() if isinstance(obj, str) else obj
        length = len(data)
        if index < 0:
            index += length
        if index < 0 or index >= length:
            raise ExprRuntimeError(f"index out of range: {index} (array length is {length})")
        return data[index]
    method = getattr(obj, "method", None)
    if callable(method) and isinstance(key, str):
        bound = method(key)
        if bound is not None:
            return guarded(key, bound)
    raise ExprRuntimeError(f"cannot fetch {format_v(key)} from {type_name(obj)}")


def slice_(obj: Any, start: Any, stop: Any) -> Any:
    if not isinstance(obj, list | str):
        raise ExprRuntimeError(f"cannot slice {format_v(start)}")
    data: Any = obj.encode() if isinstance(obj, str) else obj
    length = len(data)
    a = 0 if start is None else to_index(start)
    b = length if stop is None else to_index(stop)
    a = max(a + length if a < 0 else a, 0)
    b = min(max(b + length if b < 0 else b, 0), length)
    a = min(a, b)
    part = data[a:b]
    return part.decode("utf-8", "replace") if isinstance(obj, str) else part


def call(fn: Any, args: list[Any]) -> Any:
    if not callable(fn):
        raise ExprRuntimeError(f"invalid operation: cannot call non-function (type {type_name(fn)})")
    try:
        result: Any = fn(*args)
    except TypeError:
        raise ExprRuntimeError(f"reflect: Call with the wrong number of input arguments ({len(args)})") from None
    except (RecursionError, OverflowError, MemoryError) as exc:
        raise ExprRuntimeError(f"runtime error: {exc}") from None
    return result


BINARY_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": equal, "<": less, ">": more, "<=": less_equal, ">=": more_equal, "+": add, "-": subtract,
    "*": multiply, "/": divide, "%": modulo, "**": exponent, "^": exponent, "in": in_,
    "contains": contains, "startsWith": starts_with, "endsWith": ends_with, "matches": matches,
    "..": make_range,
}
