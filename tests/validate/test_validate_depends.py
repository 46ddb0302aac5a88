"""The ``depends`` reader used by validation, checked against the engine's reading."""

from __future__ import annotations

import pytest

from argoctl.validate.depends import Operand, task_dependencies, tokenize

WELL_FORMED = [
    "a",
    "a && b",
    "(task-2.Succeeded || task-2.Skipped) && !task-3.Failed",
    "task-1.AnySucceeded || task-2.AllFailed",
    "A&&B||!(C.Omitted)",
    "  spaced-name  ",
    "a.Succeeded && a.Failed && b",
]


@pytest.mark.parametrize("expression", WELL_FORMED)
def test_names_match_the_engine(expression: str) -> None:
    expr_depends = pytest.importorskip("argoctl.expr.depends")
    found = task_dependencies({"depends": expression})
    assert found.syntax_error == ""
    assert list(found.names) == expr_depends.depends_task_names(expression)


def test_items_results_mark_the_dependency() -> None:
    found = task_dependencies({"depends": "a.Succeeded && a.AnySucceeded && b"})
    assert found.names == {"a": "items", "b": "task"}


def test_dependencies_list() -> None:
    assert task_dependencies({"dependencies": ["x", "y", "x"]}).names == {"x": "task", "y": "task"}


def test_tokens() -> None:
    assert tokenize("!(a-1.Failed||b)") == ["!", "(", Operand("a-1", "Failed"), "||", Operand("b", ""), ")"]


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("a b", "unexpected 'b'"),
        ("a &&", "expected a task name but found end of expression"),
        ("(a || b", "expected ')' but found end of expression"),
        ("a.", "expected a result name after 'a.'"),
        ("a == b", "unexpected '=' at position 3"),
        ("a and b", "unexpected 'and'"),
    ],
)
def test_malformed_expressions(expression: str, error: str) -> None:
    assert task_dependencies({"depends": expression}).syntax_error == error


def test_malformed_expressions_still_name_their_tasks() -> None:
    found = task_dependencies({"depends": "a && (ghost ||"})
    assert list(found.names) == ["a", "ghost"]
