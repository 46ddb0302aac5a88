"""The task names and results a DAG task depends on, from ``depends`` or ``dependencies``.

The tokens (operands ``task`` or ``task.Result``, operators ``&&``, ``||``, ``!`` and parentheses)
and the result names come from ``argoctl.expr.depends``, which the engine uses too; here a
recursive-descent check of the grammar on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from argoctl.expr.depends import ITEM_RESULTS, RESULTS, Operand, tokenize
from argoctl.validate.kinds import as_list, text


@dataclass
class Dependencies:
    """``names`` maps each task depended on to ``"task"`` or ``"items"`` (AnySucceeded/AllFailed)."""

    names: dict[str, str] = field(default_factory=dict)
    bad_results: list[Operand] = field(default_factory=list)
    syntax_error: str = ""


def task_dependencies(task: dict[str, Any]) -> Dependencies:
    depends = text(task.get("depends"))
    found = Dependencies()
    if not depends:
        for name in as_list(task.get("dependencies")):
            found.names.setdefault(text(name), "task")
        return found
    try:
        tokens = tokenize(depends)
        _Grammar(tokens).check()
    except ValueError as exc:
        found.syntax_error = str(exc)
        tokens = tokenize(depends, strict=False)
    for token in tokens:
        if not isinstance(token, Operand):
            continue
        if token.result in ITEM_RESULTS:
            found.names[token.task] = "items"
        else:
            found.names.setdefault(token.task, "task")
        if token.result and token.result not in RESULTS:
            found.bad_results.append(token)
    return found


# Nesting allowed in ``depends``: below expr-lang's limit (argoctl.expr.exprlang.parser.MAX_DEPTH,
# 100), which evaluates the expression at run time with one more level per bare task name.
MAX_DEPTH = 50


class _Grammar:
    """expr := term ('||' term)* ; term := factor ('&&' factor)* ; factor := '!' factor |
    '(' expr ')' | operand."""

    def __init__(self, tokens: list[str | Operand]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def check(self) -> None:
        if not self.tokens:
            raise ValueError("empty expression")
        self._expression()
        if self.position != len(self.tokens):
            raise ValueError(f"unexpected {self._describe()}")

    def _peek(self) -> str | Operand | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _describe(self) -> str:
        token = self._peek()
        if token is None:
            return "end of expression"
        if isinstance(token, Operand):
            return f"'{token.task}'"
        return f"'{token}'"

    def _expression(self) -> None:
        self._term()
        while self._peek() == "||":
            self.position += 1
            self._term()

    def _term(self) -> None:
        self._factor()
        while self._peek() == "&&":
            self.position += 1
            self._factor()

    def _factor(self) -> None:
        token = self._peek()
        if token in ("!", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ValueError(f"nested too deeply (more than {MAX_DEPTH} levels of '(' and '!')")
        if token == "!":
            self.position += 1
            self._factor()
            self.depth -= 1
        elif token == "(":
            self.position += 1
            self._expression()
            if self._peek() != ")":
                raise ValueError(f"expected ')' but found {self._describe()}")
            self.position += 1
            self.depth -= 1
        elif isinstance(token, Operand):
            self.position += 1
        else:
            raise ValueError(f"expected a task name but found {self._describe()}")
