"""Enhanced ``depends`` logic (``workflow/common/ancestry.go``, ``dag.go evaluateDependsLogic``).

A bare ``task`` means ``(task.Succeeded || task.Skipped || task.Daemoned)`` (plus ``Errored``/``Failed``
when the task continues on them); the expression is then run by expr-lang with every ``-`` turned into
``_`` over ``{task: {Succeeded: bool, ...}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from argoctl.errors import ExpressionError
from argoctl.expr import diagnostics
from argoctl.expr.exprlang import ExprError, compile_program

# a node's results as ``depends`` names them (Argo's TaskResult); the last two are a loop's, over its items
RESULTS = ("Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed")
ITEM_RESULTS = ("AnySucceeded", "AllFailed")
OPERATORS = ("&&", "||", "!", "(", ")")
# Argo's own operand pattern (workflow/common/ancestry.go): ``task.Result`` or a bare ``task``
_TASK_RE = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")
_LETTERS = re.compile(r"[a-zA-Z]*")


@dataclass(frozen=True)
class Operand:
    """One ``task`` or ``task.Result`` in a ``depends`` expression, at ``[start, end)``."""

    task: str
    result: str  # "" for a bare task name
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


def _operand(match: re.Match[str]) -> Operand:
    if match.group(1):
        task, result = match.group(1).split(".", 1)
        return Operand(task, result, match.start(), match.end())
    return Operand(match.group(2), "", match.start(), match.end())


def operands(expression: str) -> list[Operand]:
    """Every operand, reading past anything else (what the engine and Argo's controller do)."""
    return [_operand(match) for match in _TASK_RE.finditer(expression)]


def tokenize(expression: str, *, strict: bool = True) -> list[str | Operand]:
    """Operators and operands; ``ValueError`` on anything else (what validation reports), or with
    ``strict=False`` skip it (the operands of a malformed expression are still worth checking)."""
    tokens: list[str | Operand] = []
    position = 0
    while position < len(expression):
        if expression[position].isspace():
            position += 1
            continue
        operator = next((op for op in OPERATORS if expression.startswith(op, position)), None)
        match = _TASK_RE.match(expression, position) if operator is None else None
        if operator is not None:
            tokens.append(operator)
            position += len(operator)
        elif match is None:
            if strict:
                raise ValueError(f"unexpected '{expression[position]}' at position {position + 1}")
            position += 1
        else:
            operand = _operand(match)
            if not operand.result and expression.startswith(".", operand.end):
                operand = _misspelt_result(expression, operand, strict)
            tokens.append(operand)
            position = operand.end
    return tokens


def _misspelt_result(expression: str, operand: Operand, strict: bool) -> Operand:
    """``task.succeeded``: a result Argo's pattern does not take, kept so validation can name it."""
    letters = _LETTERS.match(expression, operand.end + 1)
    result = letters.group(0) if letters else ""
    if not result and not strict:
        return Operand(operand.task, "", operand.start, operand.end + 1)
    if not result:
        raise ValueError(f"expected a result name after '{operand.task}.'")
    return Operand(operand.task, result, operand.start, operand.end + 1 + len(result))


def depends_task_names(expression: str) -> list[str]:
    """The tasks a ``depends`` expression refers to, in order of first appearance."""
    return list(dict.fromkeys(operand.task for operand in operands(expression)))


def validate_depends(expression: str) -> None:
    """Reject unknown results (``task.Succeded``) as Argo's validation does."""
    for operand in operands(expression):
        if operand.result and operand.result not in RESULTS:
            raise diagnostics.error(
                f"task result '{operand.result}' for task '{operand.task}' is invalid", expression,
                language=diagnostics.LANG_DEPENDS, position=operand.start,
                hint="valid results: " + ", ".join(RESULTS))


def expand_depends(expression: str, continue_on: Mapping[str, Mapping[str, bool]] | None = None) -> str:
    """Replace bare task names by what they mean; ``continue_on`` maps a task to
    ``{"error": bool, "failed": bool}`` (its ``continueOn``)."""
    continue_on = continue_on or {}
    out = expression
    bare = [operand for operand in operands(expression) if not operand.result]
    for operand in reversed(bare):
        name = operand.task
        results = ["Succeeded", "Skipped", "Daemoned"]
        flags = continue_on.get(name, {})
        if flags.get("error"):
            results.append("Errored")
        if flags.get("failed"):
            results.append("Failed")
        expanded = "(" + " || ".join(f"{name}.{result}" for result in results) + ")"
        out = out[: operand.start] + expanded + out[operand.end :]
    return out


def dependencies_to_depends(dependencies: list[str]) -> str:
    """``dependencies: [A, B]`` as the equivalent ``depends`` text."""
    return " && ".join(dependencies)


@lru_cache(maxsize=4096)
def _shared_form(expression: str) -> tuple[str, dict[str, str]] | None:
    """``expression`` with its task names replaced by positional stand-ins (``d0``, ``d1``...),
    expanded as ``evaluate_depends`` does, and the stand-in of each name: the tasks of a chain
    or a fan-in share one compiled program instead of compiling one each. None when it has an
    operand ``validate_depends`` rejects (the full path then words the error)."""
    if _BARE_TASK.fullmatch(expression):  # one bare task: a common case, no parsing needed
        return _ONE_BARE_TASK, {expression.replace("-", "_"): "d0"}
    one = _ONE_DEPENDENCY.fullmatch(expression)
    if one:  # ``dependencies: [x]`` as the engine expands it: the commonest case
        return _ONE_DEPENDENCY_FORM, {one.group(1).replace("-", "_"): "d0"}
    stand_ins: dict[str, str] = {}
    pieces: list[str] = []
    position = 0
    for operand in operands(expression):
        if operand.result and operand.result not in RESULTS:
            return None
        key = operand.task.replace("-", "_")
        stand_in = stand_ins.setdefault(key, f"d{len(stand_ins)}")
        pieces.append(expression[position:operand.start])
        pieces.append(f"{stand_in}.{operand.result}" if operand.result else stand_in)
        position = operand.end
    pieces.append(expression[position:])
    return expand_depends("".join(pieces)).replace("-", "_"), stand_ins


_BARE_TASK = re.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*")
_ONE_BARE_TASK = expand_depends("d0")
_ONE_DEPENDENCY = re.compile(r"\(([a-zA-Z0-9][-a-zA-Z0-9]*)\.Succeeded \|\| \1\.Skipped \|\| \1\.Daemoned\)")
_ONE_DEPENDENCY_FORM = "(d0.Succeeded || d0.Skipped || d0.Daemoned)"


def _evaluate_shared(expression: str, results: Mapping[str, Mapping[str, bool]]) -> bool | None:
    """``evaluate_depends``' answer through the shared program; None for anything but a plain
    True or False (errors are then raised, and worded, by the full path)."""
    shared = _shared_form(expression)
    if shared is None:
        return None
    logic, stand_ins = shared
    scope: dict[str, Any] = {}
    for name, task_results in results.items():
        stand_in = stand_ins.get(name.replace("-", "_"))
        if stand_in is not None:
            scope[stand_in] = {result: bool(task_results.get(result, False)) for result in RESULTS}
    if len(scope) != len(stand_ins):
        return None
    try:
        value = compile_program(logic).run(scope)
    except (ExprError, RecursionError):
        return None
    return value if value is True or value is False else None


@diagnostics.never_raw(diagnostics.LANG_DEPENDS)
def evaluate_depends(expression: str, results: Mapping[str, Mapping[str, bool]]) -> bool:
    """Evaluate ``depends`` once every referenced task is fulfilled; ``results`` maps task -> results."""
    shared = _evaluate_shared(expression, results)
    if shared is not None:
        return shared
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
