"""``withSequence`` expansion with Argo's rules (``operator.go expandSequence``) and Go's ``fmt.Sprintf``."""

from __future__ import annotations

import json
import re

from argoctl.errors import ExpressionError

_VERB_RE = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")
MAX_ITEMS = 1_000_000


def _atoi(field: str, text: str) -> int:
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        raise ExpressionError(f'strconv.Atoi: parsing "{text}": invalid syntax', expression=text,
                              language="withSequence", hint=f"withSequence.{field} must be an integer")
    return int(text)


def _format_int(flags: str, width: str | None, verb: str, value: int) -> str:
    bases = {"d": 10, "v": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}
    if verb == "c":
        body = chr(value) if 0 <= value <= 0x10FFFF else "\ufffd"
    elif verb == "q":
        body = "'" + (chr(value) if 0 <= value <= 0x10FFFF else "\ufffd") + "'"
    elif verb in bases:
        digits = format(abs(value), {2: "b", 8: "o", 10: "d", 16: "x"}[bases[verb]])
        digits = digits.upper() if verb == "X" else digits
        prefix = "0o" if verb == "O" else ("0x" if verb == "x" and "#" in flags else "0X" if verb == "X" and "#" in flags
                                            else "0" if verb == "o" and "#" in flags else "")
        sign = "-" if value < 0 else "+" if "+" in flags else " " if " " in flags else ""
        body = sign + prefix + digits
        if width and "0" in flags and "-" not in flags:
            body = sign + prefix + digits.rjust(int(width) - len(sign) - len(prefix), "0")
    else:
        return f"%!{verb}(int={value})"
    if width and len(body) < int(width):
        body = body.ljust(int(width)) if "-" in flags else body.rjust(int(width))
    return body


def go_sprintf_int(fmt: str, value: int) -> str:
    """Go's ``fmt.Sprintf(fmt, value)`` for one int argument (MISSING/EXTRA markers included)."""
    out: list[str] = []
    used = False
    pos = 0
    for match in _VERB_RE.finditer(fmt):
        out.append(fmt[pos : match.start()])
        pos = match.end()
        flags, width, _precision, verb = match.groups()
        if verb == "%":
            out.append("%")
        elif used:
            out.append(f"%!{verb}(MISSING)")
        else:
            used = True
            out.append(_format_int(flags, width, verb, value))
    out.append(fmt[pos:])
    text = "".join(out)
    return text if used else text + f"%!(EXTRA int={value})"


def expand_sequence(*, start: str | None = None, end: str | None = None, count: str | None = None,
                    format: str = "") -> list[str]:
    """The items of ``withSequence`` (already substituted fields), as strings."""
    first = _atoi("start", start) if start is not None else 0
    if end is not None:
        last = _atoi("end", end)
    elif count is not None:
        number = _atoi("count", count)
        if number == 0:
            return []
        last = first + number - 1
    else:
        raise ExpressionError("neither end nor count was specified in withSequence", language="withSequence")
    if abs(last - first) >= MAX_ITEMS:
        raise ExpressionError(f"withSequence would expand to {abs(last - first) + 1} items", language="withSequence")
    step = 1 if first <= last else -1
    items = []
    for number in range(first, last + step, step):
        text = go_sprintf_int(format or "%d", number)
        try:
            items.append(str(json.loads('"' + text + '"')))
        except json.JSONDecodeError as exc:
            raise ExpressionError(f"withSequence format produced an invalid item {text!r}: {exc}",
                                  expression=format, language="withSequence") from None
    return items
