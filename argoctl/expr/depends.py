"""Enhanced ``depends`` logic (``workflow/common/ancestry.go``, ``dag.go evaluateDependsLogic``).

A bare ``task`` means ``(task.Succeeded || task.Skipped || task.Daemoned)`` (plus ``Errored``/``Failed``
when the task continues on them); the expression is then run by expr-lang with every ``-`` turned into
``_`` over ``{task: {Succeeded: bool, ...}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from argoctl.errors import ExpressionError
from argoctl.expr import diagnostics
from argoctl.expr.exprlang import ExprError, compile_program

RESULTS = ("Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed")
_TASK_RE = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")
_RESULT_RE = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)")


def depends_task_names(expression: str) -> list[str]:
    """The tasks a ``depends`` expression refers to, in order of first appearance."""
    names: list[str] = []
    for match in _TASK_RE.finditer(expression):
        name = match.group(1).split(".")[0] if match.group(1) else match.group(2)
        if name not in names:
            names.append(name)
    return names


def validate_depends(expression: str) -> None:
    """Reject unknown results (``task.Succeded``) as Argo's validation does."""
    for match in _RESULT_RE.finditer(expression):
        task, result = match.group(1).split(".", 1)
        if result not in RESULTS:
            raise diagnostics.error(
                f"task result '{result}' for task '{task}' is invalid", expression, language=diagnostics.LANG_DEPENDS,
                position=match.start(), hint="valid results: " + ", ".join(RESULTS))


def expand_depends(expression: str, continue_on: Mapping[str, Mapping[str, bool]] | None = None) -> str:
    """Replace bare task names by what they mean; ``continue_on`` maps a task to
    ``{"error": bool, "failed": bool}`` (its ``continueOn``)."""
    continue_on = continue_on or {}
    out = expression
    bare = [m for m in _TASK_RE.finditer(expression) if m.group(2)]
    for match in reversed(bare):
        name = match.group(2)
        results = ["Succeeded", "Skipped", "Daemoned"]
        flags = continue_on.get(name, {})
        if flags.get("error"):
            results.append("Errored")
        if flags.get("failed"):
            results.append("Failed")
        expanded = "(" + " || ".join(f"{name}.{result}" for result in results) + ")"
        out = out[: match.start(2)] + expanded + out[match.end(2) :]
    return out


def dependencies_to_depends(dependencies: list[str]) -> str:
    """``dependencies: [A, B]`` as the equivalent ``depends`` text."""
    return " && ".join(dependencies)


@diagnostics.never_raw(diagnostics.LANG_DEPENDS)
def evaluate_depends(expression: str, results: Mapping[str, Mapping[str, bool]]) -> bool:
    """Evaluate ``depends`` once every referenced task is fulfilled; ``results`` maps task -> results."""
    validate_depends(expression)
    logic = expand_depends(expression).replace("-", "_")
    scope: dict[str, Any] = {}
    for name, task_results in results.items():
        scope[name.replace("-", "_")] = {result: bool(task_results.get(result, False)) for result in RESULTS}
    for name in depends_task_names(expression):
        if name.replace("-", "_") not in scope:
            raise diagnostics.error(f"unable to evaluate expression '{logic}': no result for task '{name}'",
                                    expression, language=diagnostics.LANG_DEPENDS,
                                    hint="depends can only be evaluated once every referenced task is fulfilled")
    try:
        value = compile_program(logic).run(scope)
    except ExprError as exc:
        raise diagnostics.from_expr_error(exc, logic, language=diagnostics.LANG_DEPENDS,
                                          prefix=f"unable to evaluate expression '{logic}': ") from None
    except RecursionError:
        raise ExpressionError(f"unable to evaluate expression '{logic}': too deeply nested", expression=expression,
                              language=diagnostics.LANG_DEPENDS) from None
    if value is True or value is False:
        return value
    raise ExpressionError(f"unable to cast expression result '{value}' to bool", expression=expression,
                          language=diagnostics.LANG_DEPENDS)
