"""Sprig's conversion helpers (spf13/cast semantics: bad input becomes a zero value) and call typing."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from argoctl.expr.exprlang.errors import ExprRuntimeError
from argoctl.expr.exprlang.runtime import wrap_int
from argoctl.expr.gofmt import format_v, type_name

_ZERO_DECIMAL_RE = re.compile(r"^([+-]?\d+)\.0*$")


def strval(value: Any) -> str:
    """Sprig's ``strval``/``toString``: strings as they are, anything else as Go's ``%v``."""
    if isinstance(value, str):
        return value
    return format_v(value)


def to_int64(value: Any) -> int:
    """``cast.ToInt64`` with the error dropped (``"abc"`` -> 0, ``"0x1f"`` -> 31, ``"010"`` -> 8)."""
    if value is True or value is False:
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return 0 if math.isnan(value) or math.isinf(value) else wrap_int(int(value))
    if isinstance(value, str):
        text = _ZERO_DECIMAL_RE.sub(r"\1", value)
        return _parse_int_base0(text)
    return 0


def _parse_int_base0(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    body = text[1:] if text[:1] in "+-" else text
    try:
        if body[:2].lower() in ("0x", "0o", "0b"):
            value = int(body, 0)
        elif len(body) > 1 and body.startswith("0"):
            value = int(body, 8)
        elif body.isascii() and body.isdigit():
            value = int(body)
        else:
            return 0
    except ValueError:
        return 0
    value *= sign
    return value if -(2**63) <= value < 2**63 else 0


def to_float64(value: Any) -> float:
    """``cast.ToFloat64`` with the error dropped."""
    if value is True or value is False:
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value) if value.isascii() and value.strip() == value else 0.0
        except ValueError:
            return 0.0
    return 0.0


def to_list(value: Any) -> list[Any]:
    """A slice argument; sprig's list functions panic on anything else."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    raise ExprRuntimeError(f"Cannot find list on type {type_name(value)}")


def typed(spec: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Check arguments the way Go's reflection call does for a sprig function with ``spec`` parameters.

    ``s`` string, ``i`` int, ``b`` bool, ``m`` map, ``a`` any; a trailing ``*`` makes the last variadic.
    A nil argument becomes the parameter's zero value.
    """
    variadic = spec.endswith("*")
    kinds = spec.rstrip("*")

    def call(*args: Any) -> Any:
        fixed = len(kinds) - (1 if variadic else 0)
        if len(args) < fixed:
            raise ExprRuntimeError("reflect: Call with too few input arguments")
        if not variadic and len(args) > len(kinds):
            raise ExprRuntimeError("reflect: Call with too many input arguments")
        converted = [_coerce(kinds[min(i, len(kinds) - 1)], arg) for i, arg in enumerate(args)]
        return fn(*converted)

    return call


_ZERO: dict[str, Any] = {"s": "", "i": 0, "b": False, "m": {}, "a": None, "f": 0.0}
_CHECKS: dict[str, Callable[[Any], bool]] = {
    "s": lambda v: isinstance(v, str), "i": lambda v: type(v) is int, "b": lambda v: v is True or v is False,
    "m": lambda v: isinstance(v, dict), "a": lambda v: True, "f": lambda v: type(v) is float,
}
_GO_TYPES = {"s": "string", "i": "int", "b": "bool", "m": "map[string]interface {}", "f": "float64"}


def _coerce(kind: str, value: Any) -> Any:
    if value is None:
        return {} if kind == "m" else _ZERO[kind]
    if _CHECKS[kind](value):
        return value
    raise ExprRuntimeError(f"reflect: Call using {type_name(value)} as type {_GO_TYPES[kind]}")
