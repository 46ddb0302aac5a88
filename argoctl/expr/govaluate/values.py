"""How govaluate values print in its messages (Go ``%v``)."""

from __future__ import annotations

import re
from typing import Any

from argoctl.expr.gofmt import format_v


def format_value(value: Any) -> str:
    """Go's ``%v``; a compiled regex operand prints as its pattern, as govaluate's tokens do."""
    if isinstance(value, re.Pattern):
        return str(value.pattern)
    return format_v(value)
