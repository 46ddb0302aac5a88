"""Turn expression failures into ``ExpressionError``: the expression quoted, a caret at the position,
the language named, and a hint for the traps Argo users fall into."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from argoctl.errors import ExpressionError
from argoctl.expr.exprlang.errors import ExprError

F = TypeVar("F", bound=Callable[..., Any])
INTERNAL = "internal error"
LANG_WHEN = "when"
LANG_EXPR = "{{= }}"
LANG_DEPENDS = "depends"

QUOTE_HINT = (
    "`when` compares text with govaluate: quote values that contain '-', ':', '/', '.' or spaces, "
    "e.g. '{{steps.x.outputs.result}}' == 'my-value'"
)
INDEX_HINT = "names with '-' must be indexed in expressions: use inputs.parameters['{name}'] instead of inputs.parameters.{name}"
NUMBER_HINT = "parameters are strings in expressions: convert with asInt(...) or asFloat(...) before arithmetic or numeric comparison"
_DASHED_MEMBER_RE = re.compile(r"\.([A-Za-z_$][\w$]*(?:-[\w$]+)+)")
_STRING_NUMBER_RE = re.compile(r"(string|int|float64) [-+*/%<>=!]+ (string|int|float64)|mismatched types (string|int|float64) and")


def snippet(expression: str, pos: int | None) -> str:
    """expr-lang's error locator: `` (line:col)`` then the source line and a caret line."""
    if pos is None:
        return ""
    pos = max(0, min(pos, len(expression)))
    line_start = expression.rfind("\n", 0, pos) + 1
    line_end = expression.find("\n", pos)
    line_end = len(expression) if line_end < 0 else line_end
    line_no = expression.count("\n", 0, pos) + 1
    column = pos - line_start
    line = expression[line_start:line_end].replace("\t", " ")
    if not line:
        return ""
    return f" ({line_no}:{column + 1})\n | {line}\n | {'.' * column}^"


def expr_hint(expression: str, message: str) -> str:
    dashed = _DASHED_MEMBER_RE.search(expression)
    if dashed and ("unknown name" in message or "invalid operation" in message or "mismatched" in message):
        return INDEX_HINT.format(name=dashed.group(1))
    if _STRING_NUMBER_RE.search(message):
        return NUMBER_HINT
    return ""


def from_expr_error(exc: ExprError, expression: str, *, language: str = LANG_EXPR, prefix: str = "") -> ExpressionError:
    """An ``ExpressionError`` for an expr-lang failure (message in expr-lang's own format)."""
    text = exc.message + snippet(expression, exc.pos)
    return ExpressionError(prefix + text, expression=expression, language=language, position=exc.pos,
                           hint=expr_hint(expression, exc.message))


def error(message: str, expression: str, *, language: str, position: int | None = None,
          hint: str = "") -> ExpressionError:
    """An ``ExpressionError`` whose message is followed by a caret line when the position is known."""
    located = message
    if position is not None and expression and "\n" not in expression:
        located = f"{message}\n | {expression}\n | {'.' * max(0, min(position, len(expression)))}^"
    return ExpressionError(located, expression=expression, language=language, position=position, hint=hint)


def never_raw(language: str) -> Callable[[F], F]:
    """Report any unexpected Python failure as an ``ExpressionError`` (``internal error: ...``)."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except ExpressionError:
                raise
            except RecursionError:  # a parser or evaluator deeper than Python's stack
                expression = args[0] if args and isinstance(args[0], str) else ""
                raise ExpressionError("expression is nested too deeply", expression=expression, language=language,
                                      hint="use fewer nested parentheses, brackets or operators") from None
            except Exception as exc:
                expression = args[0] if args and isinstance(args[0], str) else ""
                raise ExpressionError(f"{INTERNAL}: {type(exc).__name__}: {exc}", expression=expression,
                                      language=language) from exc

        return run  # type: ignore[return-value]

    return decorate
