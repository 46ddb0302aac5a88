"""Go-compatible rendering of values: ``fmt`` ``%v``/``%T``, ``encoding/json`` and ``strconv`` forms.

Argo is written in Go, so the text a value turns into (an error message, a substituted expression
result, a ``toJson`` output) follows Go's formatting rules. These helpers reproduce the ones that
show up in Argo's observable output.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest round-trip digits of ``abs(value)`` and the decimal exponent of the first digit."""
    shortest = repr(abs(value))
    if "e" in shortest:
        mantissa, _, exp_text = shortest.partition("e")
        digits = mantissa.replace(".", "").rstrip("0") or "0"
        return digits, int(exp_text)
    int_part, _, frac_part = shortest.partition(".")
    frac_part = "" if frac_part == "0" else frac_part
    if int_part != "0":
        digits = (int_part + frac_part).rstrip("0") or "0"
        return digits, len(int_part) - 1
    stripped = frac_part.lstrip("0")
    return (stripped.rstrip("0") or "0"), -(len(frac_part) - len(stripped)) - 1


def format_float(value: float, *, exp_low: int = -4, exp_high: int = 6) -> str:
    """Go's ``%v`` for a float64 (``strconv`` shortest form, exponent outside [exp_low, exp_high))."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    digits, exponent = _shortest_digits(value)
    sign = "-" if value < 0 else ""
    if exponent < exp_low or exponent >= exp_high:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp_sign = "-" if exponent < 0 else "+"
        return f"{sign}{mantissa}e{exp_sign}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    if len(digits) <= exponent + 1:
        return sign + digits + "0" * (exponent + 1 - len(digits))
    return f"{sign}{digits[: exponent + 1]}.{digits[exponent + 1 :]}"


def format_json_float(value: float) -> str:
    """``encoding/json`` float64: plain decimal, exponent form below 1e-6 or from 1e21 on."""
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        digits, exponent = _shortest_digits(value)
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp_sign = "-" if exponent < 0 else "+"
        return f"{'-' if value < 0 else ''}{mantissa}e{exp_sign}{abs(exponent)}"
    return format_float(value, exp_low=-1000, exp_high=1000)


def format_v(value: Any) -> str:
    """Go's ``fmt.Sprintf("%v", value)`` for the value kinds the expression languages produce."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + " ".join(format_v(item) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = sorted(value.items(), key=lambda pair: str(pair[0]))
        return "map[" + " ".join(f"{format_v(k)}:{format_v(v)}" for k, v in pairs) + "]"
    go_string = getattr(value, "go_string", None)
    if callable(go_string):
        return str(go_string())
    return str(value)


def type_name(value: Any) -> str:
    """Go's ``%T`` of a value as expr-lang sees it."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    go_type = getattr(value, "go_type", None)
    if isinstance(go_type, str):
        return go_type
    return "func(...interface {}) interface {}" if callable(value) else type(value).__name__


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE_RE = re.compile(r'["\\\x00-\x1f\u2028\u2029]')
_NEEDS_HTML_ESCAPE_RE = re.compile(r'["\\\x00-\x1f\u2028\u2029<>&]')


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _JSON_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def json_escape(text: str) -> str:
    """Escape ``text`` for insertion inside a JSON string (what Argo does when it substitutes)."""
    if _NEEDS_ESCAPE_RE.search(text) is None:
        return text
    return _NEEDS_ESCAPE_RE.sub(_escape_char, text)


def _go_json_string(text: str, html: bool) -> str:
    pattern = _NEEDS_HTML_ESCAPE_RE if html else _NEEDS_ESCAPE_RE
    if pattern.search(text) is None:
        return f'"{text}"'
    return '"' + pattern.sub(_escape_char, text) + '"'


class JSONMarshalError(ValueError):
    """A value Go's ``json.Marshal`` refuses (NaN, a function, ...)."""


def marshal(value: Any, *, html: bool = True, indent: str = "", _level: int = 0) -> str:
    """Go's ``json.Marshal`` (``indent`` non-empty: ``json.MarshalIndent(v, "", indent)``)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise JSONMarshalError(f"json: unsupported value: {format_float(value)}")
        return format_json_float(value)
    if isinstance(value, str):
        return _go_json_string(value, html)
    if isinstance(value, list | tuple):
        items = [marshal(item, html=html, indent=indent, _level=_level + 1) for item in value]
        return _join_container("[", "]", items, indent, _level)
    if isinstance(value, Mapping):
        keys = sorted(value, key=str)
        items = [
            _go_json_string(str(key), html) + (": " if indent else ":")
            + marshal(value[key], html=html, indent=indent, _level=_level + 1)
            for key in keys
        ]
        return _join_container("{", "}", items, indent, _level)
    to_json = getattr(value, "go_json", None)
    if callable(to_json):
        return str(to_json())
    raise JSONMarshalError(f"json: unsupported type: {type_name(value)}")


def _join_container(open_: str, close: str, items: list[str], indent: str, level: int) -> str:
    if not items:
        return open_ + close
    if not indent:
        return open_ + ",".join(items) + close
    inner = "\n" + indent * (level + 1)
    return open_ + inner + ("," + inner).join(items) + "\n" + indent * level + close


def go_quote(text: str) -> str:
    """``strconv.Quote`` (used for ``workflow.failures``); printable non-ASCII is kept."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in "\a\b\f\n\r\t\v":
            out.append({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x7F or char.isprintable():
            out.append(char)
        elif code > 0xFFFF:
            out.append(f"\\U{code:08x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)
