"""Go's ``encoding/json`` decoding into ``any``: every number is a float64, errors read like Go's."""

from __future__ import annotations

import json
from typing import Any


class GoJSONError(ValueError):
    """Text that Go's ``json.Unmarshal`` rejects."""


def _no_constant(name: str) -> Any:
    raise GoJSONError(f"invalid character '{name[0]}' looking for beginning of value")


def go_json_loads(text: str) -> Any:
    """``json.Unmarshal([]byte(text), &v)`` with ``v any``."""
    if not text.strip():
        raise GoJSONError("unexpected end of JSON input")
    try:
        return json.loads(text, parse_int=float, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            raise GoJSONError(
                f"invalid character {_quote_char(text, exc.pos)} after top-level value") from exc
        if exc.pos >= len(text.rstrip()):
            raise GoJSONError("unexpected end of JSON input") from exc
        raise GoJSONError(f"invalid character {_quote_char(text, exc.pos)} looking for beginning of value") from exc
    except RecursionError as exc:
        raise GoJSONError("exceeded max depth") from exc


def _quote_char(text: str, pos: int) -> str:
    char = text[pos] if pos < len(text) else ""
    return "'\\''" if char == "'" else f"'{char}'"
