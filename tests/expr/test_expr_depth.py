"""Deeply nested expressions end in an ``ExpressionError`` that says so, never a RecursionError."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from argoctl.errors import ExpressionError
from argoctl.expr import evaluate_when, substitute
from argoctl.expr.depends import evaluate_depends

DEPTH = 2000

CASES: dict[str, Callable[[], object]] = {
    "expr-parentheses": lambda: substitute("{{=" + "(" * DEPTH + "1" + ")" * DEPTH + "}}", {}),
    "expr-lists": lambda: substitute("{{=" + "[" * DEPTH + "1" + "]" * DEPTH + "}}", {}),
    "expr-maps": lambda: substitute("{{=" + "{a: " * DEPTH + "1" + "}" * DEPTH + "}}", {}),
    "expr-not": lambda: substitute("{{=" + "!" * DEPTH + "true}}", {}),
    "expr-minus": lambda: substitute("{{=" + "-" * DEPTH + "1}}", {}),
    "when-parentheses": lambda: evaluate_when("(" * DEPTH + "1 == 1" + ")" * DEPTH),
    "when-not": lambda: evaluate_when("!" * DEPTH + "true"),
    "depends": lambda: evaluate_depends("(" * DEPTH + "a" + ")" * DEPTH, {"a": {"Succeeded": True}}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_deep_nesting_is_a_clear_error(case: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        CASES[case]()
    assert "internal error" not in str(caught.value)
    assert "RecursionError" not in str(caught.value)


def test_moderate_nesting_still_evaluates() -> None:
    assert substitute("{{=" + "(" * 60 + "1 + 1" + ")" * 60 + "}}", {}) == "2"
    assert evaluate_when("(" * 20 + "1 == 1" + ")" * 20) is True
