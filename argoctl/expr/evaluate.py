"""``evaluate``/``evaluate_bool``: expr-lang over Argo's environment (hooks, retry ``expression``,
``valueFrom.expression``, ``fromExpression``, ``labelsFrom``, data transformations, ``successCondition``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.errors import ExpressionError
from argoctl.expr import diagnostics
from argoctl.expr.exprlang import ExprError, ExprRuntimeError, compile_program
from argoctl.expr.gofmt import format_v


def _run(expression: str, env: Mapping[str, Any], language: str) -> Any:
    try:
        program = compile_program(expression)
    except ExprError as exc:
        raise diagnostics.from_expr_error(exc, expression, language=language) from None
    except RecursionError:
        raise diagnostics.error("expression is nested too deeply", expression, language=language) from None
    try:
        from argoctl.expr.env import build_env  # the function tables: loaded by the first expression

        return program.run(build_env(env))
    except ExprRuntimeError as exc:
        raise diagnostics.from_expr_error(
            exc, expression, language=language, prefix=f"unable to evaluate expression '{expression}': ") from None
    except ExprError as exc:
        raise diagnostics.from_expr_error(exc, expression, language=language) from None
    except RecursionError:
        raise diagnostics.error("expression is nested too deeply", expression, language=language) from None


@diagnostics.never_raw(diagnostics.LANG_EXPR)
def evaluate(expression: str, env: Mapping[str, Any], *, language: str = diagnostics.LANG_EXPR) -> Any:
    """Run ``expression`` (expr-lang v1.17 + Argo's functions) over the flat variable map ``env``."""
    return _run(expression, env, language)


@diagnostics.never_raw(diagnostics.LANG_EXPR)
def evaluate_bool(expression: str, env: Mapping[str, Any], *, language: str = diagnostics.LANG_EXPR) -> bool:
    """Like ``evaluate`` but the result must be a bool (Argo's ``EvalBool``)."""
    result = _run(expression, env, language)
    if result is True or result is False:
        return result
    raise ExpressionError(f"unable to cast expression result '{format_v(result)}' to bool", expression=expression,
                          language=language, hint="the expression must produce true or false, e.g. a comparison")
