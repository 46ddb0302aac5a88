"""How govaluate values print in its messages (Go ``%v``)."""

from __future__ import annotations

import re
from typing import Any

from argoctl.expr.gofmt import format_float


def format_value(value: Any) -> str:
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(format_value(item) for item in value) + "]"
    if isinstance(value, re.Pattern):
        return str(value.pattern)
    go_string = getattr(value, "go_string", None)
    if callable(go_string):
        return str(go_string())
    return str(value)
