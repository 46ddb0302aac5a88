"""``when`` conditions: govaluate with every bare word turned into a string (Argo's ``shouldExecute``)."""

from __future__ import annotations

from functools import lru_cache

from argoctl.errors import ExpressionError
from argoctl.expr import diagnostics
from argoctl.expr import govaluate as gv
from argoctl.expr.govaluate.values import format_value

_INVALID_TOKEN_HINT = ' (hint: try wrapping the affected expression in quotes ("))'


def _fail(message: str, text: str, position: int | None, hint: str = diagnostics.QUOTE_HINT) -> ExpressionError:
    return diagnostics.error(message, text, language=diagnostics.LANG_WHEN, position=position, hint=hint)


def _position(text: str, message: str) -> int | None:
    """Best effort: where the token a govaluate message names sits in ``text``."""
    for marker in ("Invalid token: '", "to VARIABLE [", "to STRING [", "to NUMERIC [", "to COMPARATOR [",
                   "to LOGICALOP [", "to MODIFIER [", "Value '", "in token '", "value '", "Undefined function "):
        start = message.find(marker)
        if start >= 0:
            fragment = message[start + len(marker):].split("'")[0].split("]")[0].split(" ")[0]
            index = text.find(fragment) if fragment else -1
            if index >= 0:
                return index
    return None


def _plan(tokens: list[gv.Token]) -> gv.Stage | None:
    """``planStages``, with a shortcut for the common ``value <comparator> value``."""
    if len(tokens) == 3 and tokens[1].kind == gv.COMPARATOR and tokens[1].value != "in" \
            and tokens[0].kind in gv.LITERAL_KINDS and tokens[2].kind in gv.LITERAL_KINDS:
        return gv.comparison(tokens[1].value, tokens[0], tokens[2])
    return gv.plan(tokens)


@lru_cache(maxsize=4096)
def _compile(text: str) -> gv.Stage | None:
    try:
        tokens = gv.lex(text)
        gv.check_balance(tokens)
        gv.check_syntax(tokens)
        gv.optimize(tokens)
    except gv.GovaluateError as exc:
        message = str(exc)
        suffix = _INVALID_TOKEN_HINT if "Invalid token" in message else ""
        raise _fail(f"Invalid 'when' expression '{text}': {message}{suffix}", text, _position(text, message),
                    hint=_parse_hint(message)) from None
    except RecursionError:
        raise _fail(f"Invalid 'when' expression '{text}': expression is nested too deeply", text, None) from None
    converted = [gv.Token(gv.STRING, t.value, t.pos) if t.kind == gv.VARIABLE else t for t in tokens]
    try:
        gv.check_balance(converted)
        gv.check_syntax(converted)
        gv.optimize(converted)
        return _plan(converted)
    except gv.GovaluateError as exc:
        _first_pass_plan(text, tokens)
        raise _fail(f"Failed to parse 'when' expression '{text}': {exc}", text, _position(text, str(exc))) from None
    except RecursionError:
        raise _fail(f"Failed to parse 'when' expression '{text}': expression is nested too deeply", text,
                    None) from None


@diagnostics.never_raw(diagnostics.LANG_WHEN)
def _first_pass_plan(text: str, tokens: list[gv.Token]) -> None:
    """Argo plans the unconverted tokens first; a failure there is reported as an invalid expression.

    Planning only looks at token kinds, and VARIABLE and STRING plan alike, so this is only needed
    to word the message of an expression that fails to plan at all.
    """
    try:
        gv.plan(list(tokens))
    except gv.GovaluateError as exc:
        raise _fail(f"Invalid 'when' expression '{text}': {exc}", text, _position(text, str(exc))) from None


@lru_cache(maxsize=4096)
def _boolean_of(text: str) -> bool | None:
    """What ``text`` evaluates to when that is a plain boolean, else None. A substituted ``when``
    has no variables, so this is a pure function of the text (many tasks share one)."""
    try:
        result = gv.evaluate(_compile(text))
    except (ExpressionError, gv.GovaluateError, RecursionError):
        return None
    return result if result is True or result is False else None


def evaluate_when(text: str) -> bool:
    """Evaluate an already substituted ``when`` (empty means true); raises ``ExpressionError``."""
    if text == "":
        return True
    known = _boolean_of(text)
    if known is not None:
        return known
    stage = _compile(text)
    try:
        result = gv.evaluate(stage)
    except gv.GovaluateError as exc:
        message = str(exc)
        raise _fail(f"Failed to evaluate 'when' expresion '{text}': {message}", text, _position(text, message),
                    hint=_evaluation_hint(message)) from None
    except RecursionError:
        raise _fail(f"Failed to evaluate 'when' expresion '{text}': expression is nested too deeply", text,
                    None) from None
    if result is True or result is False:
        return result
    raise _fail(f"Expected boolean evaluation for '{text}'. Got {format_value(result)}", text, None,
                hint="a `when` must be a comparison or a boolean, e.g. \"{{inputs.parameters.x}} == yes\"")


def _parse_hint(message: str) -> str:
    if "Unbalanced parenthesis" in message:
        return "every '(' needs a matching ')'"
    if "Unexpected end of expression" in message or "[<nil>]" in message or "to COMPARATOR" in message:
        return ("an operand is missing -- a substituted value was probably empty; quote both sides, "
                "e.g. '{{steps.x.outputs.result}}' == ''")
    return diagnostics.QUOTE_HINT


def _evaluation_hint(message: str) -> str:
    if "modifier '-'" in message or "modifier '/'" in message:
        return diagnostics.QUOTE_HINT
    if "it is not a number" in message:
        return ("compare numbers with numbers and text with quoted text; "
                + diagnostics.QUOTE_HINT)
    return diagnostics.QUOTE_HINT
