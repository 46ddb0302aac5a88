"""The vector tables (>300 cases) against the public API."""

from __future__ import annotations

import math
from typing import Any

import pytest
from vectors_expr import EXPR_ERRORS, EXPR_VECTORS
from vectors_subst import (
    DEPENDS_VECTORS,
    EXPAND_VECTORS,
    IDENTIFIER_VECTORS,
    SUBST_ERRORS,
    SUBST_VECTORS,
)
from vectors_when import WHEN_ERRORS, WHEN_FALSE, WHEN_INVALID_TOKEN, WHEN_TRUE

from argoctl.errors import ExpressionError
from argoctl.expr import evaluate, evaluate_depends, evaluate_when, expand_depends, substitute
from argoctl.expr.exprlang.identifiers import referenced_names


def same(actual: Any, expected: Any) -> bool:
    """Equality that keeps Go's types apart (1 is not 1.0, True is not 1)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(actual, list):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(same(actual[k], expected[k]) for k in actual)
    if isinstance(actual, float) and math.isnan(actual):
        return math.isnan(expected)
    return bool(actual == expected)


def test_vector_count_is_at_least_300() -> None:
    total = (len(WHEN_TRUE) + len(WHEN_FALSE) + len(WHEN_ERRORS) + len(EXPR_VECTORS) + len(EXPR_ERRORS)
             + len(SUBST_VECTORS) + len(SUBST_ERRORS) + len(DEPENDS_VECTORS) + len(EXPAND_VECTORS)
             + len(IDENTIFIER_VECTORS))
    assert total >= 300


@pytest.mark.parametrize("text", WHEN_TRUE)
def test_when_true(text: str) -> None:
    assert evaluate_when(text) is True


@pytest.mark.parametrize("text", WHEN_FALSE)
def test_when_false(text: str) -> None:
    assert evaluate_when(text) is False


@pytest.mark.parametrize(("text", "message"), WHEN_ERRORS)
def test_when_errors(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate_when(text)
    assert message in info.value.message
    assert info.value.language == "when"
    assert info.value.expression == text


@pytest.mark.parametrize("text", WHEN_INVALID_TOKEN)
def test_when_invalid_token_gets_argo_hint(text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate_when(text)
    assert 'hint: try wrapping the affected expression in quotes (")' in info.value.message
    assert "quote" in info.value.hint


@pytest.mark.parametrize(("expression", "env", "expected"), EXPR_VECTORS)
def test_expr_values(expression: str, env: dict[str, Any], expected: Any) -> None:
    assert same(evaluate(expression, env), expected)


@pytest.mark.parametrize(("expression", "env", "message"), EXPR_ERRORS)
def test_expr_errors(expression: str, env: dict[str, Any], message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(expression, env)
    assert message in info.value.message
    assert info.value.language == "{{= }}"


@pytest.mark.parametrize(("text", "variables", "strict", "json_mode", "expected"), SUBST_VECTORS)
def test_substitute(text: str, variables: dict[str, Any], strict: tuple[str, ...], json_mode: bool,
                    expected: str) -> None:
    assert substitute(text, variables, strict_prefixes=strict, json_escape=json_mode) == expected


@pytest.mark.parametrize(("text", "variables", "strict", "json_mode", "message"), SUBST_ERRORS)
def test_substitute_errors(text: str, variables: dict[str, Any], strict: tuple[str, ...], json_mode: bool,
                           message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        substitute(text, variables, strict_prefixes=strict, json_escape=json_mode)
    assert message in info.value.message


@pytest.mark.parametrize(("depends", "results", "expected"), DEPENDS_VECTORS)
def test_depends(depends: str, results: dict[str, dict[str, bool]], expected: bool) -> None:
    assert evaluate_depends(depends, results) is expected


@pytest.mark.parametrize(("depends", "continue_on", "expected"), EXPAND_VECTORS)
def test_expand_depends(depends: str, continue_on: dict[str, dict[str, bool]], expected: str) -> None:
    assert expand_depends(depends, continue_on) == expected


@pytest.mark.parametrize(("expression", "expected"), IDENTIFIER_VECTORS)
def test_identifiers_checked_against_env(expression: str, expected: set[str]) -> None:
    assert set(referenced_names(expression)) == expected
