"""Property tests: any text gives a value or an ``ExpressionError``, never another exception; a
substituted parameter value is inserted as data and never evaluated."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from argoctl.errors import ExpressionError
from argoctl.expr import (
    depends_task_names,
    evaluate,
    evaluate_bool,
    evaluate_depends,
    evaluate_when,
    parse_with_param,
    substitute,
    substitute_object,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# text biased towards the languages' own tokens, so the parsers are exercised past the first character
TOKENS = st.sampled_from([
    " ", "a", "b.c", "1", "0x1f", ".5", "'s'", '"d"', "`r`", "(", ")", "[", "]", "{", "}", ",", ":", "?", "??", "?.",
    "==", "!=", "<", ">=", "=~", "!~", "&&", "||", "!", "-", "+", "*", "/", "%", "**", "^", "|", "&", "~", "..",
    "in", "not", "matches", "contains", "#", "#index", "let", "=", ";", "if", "else", "true", "nil", "map(", "filter(",
    "sprig.", "asInt(", "jsonpath(", "len(", "{{", "}}", "{{=", "inputs.parameters.x", "\\", "\n", "'a-b'", "A.Failed",
])
EXPR_TEXT = st.one_of(st.text(max_size=40), st.lists(TOKENS, max_size=14).map("".join))
ENV: dict[str, Any] = {"inputs.parameters.x": "3", "item": "i", "a": "1", "b.c": "2", "workflow.status": "Running"}


def _value_or_expression_error(fn: Any, *args: Any, **kwargs: Any) -> None:
    try:
        fn(*args, **kwargs)
    except ExpressionError as exc:
        assert not exc.message.startswith("internal error"), exc.message


@SETTINGS
@given(EXPR_TEXT)
@example("((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))")
@example("-" * 500 + "1")
@example("[" * 300)
def test_when_never_raises_anything_else(text: str) -> None:
    try:
        assert isinstance(evaluate_when(text), bool)
    except ExpressionError as exc:
        assert exc.language == "when"
        assert not exc.message.startswith("internal error"), exc.message


@SETTINGS
@given(EXPR_TEXT)
@example("!" * 400 + "true")
@example("(" * 300 + "1" + ")" * 300)
@example("1..100000000000")
@example("repeat('a', 999999) + repeat('b', 999999)")
def test_expr_never_raises_anything_else(text: str) -> None:
    _value_or_expression_error(evaluate, text, ENV)
    _value_or_expression_error(evaluate_bool, text, ENV)


@SETTINGS
@given(EXPR_TEXT)
def test_substitute_never_raises_anything_else(text: str) -> None:
    for strict in ((), ("steps", "tasks"), ("",)):
        for json_mode in (False, True):
            _value_or_expression_error(substitute, text, ENV, strict_prefixes=strict, json_escape=json_mode)


@SETTINGS
@given(EXPR_TEXT)
def test_depends_never_raises_anything_else(text: str) -> None:
    names = depends_task_names(text)
    results = {name: {"Succeeded": True} for name in names}
    _value_or_expression_error(evaluate_depends, text, results)


@SETTINGS
@given(st.one_of(st.text(max_size=60), st.from_regex(r"\[[0-9a-z\", ]*\]?", fullmatch=True)))
def test_with_param_gives_a_list_or_expression_error(text: str) -> None:
    try:
        assert isinstance(parse_with_param(text), list)
    except ExpressionError as exc:
        assert exc.message.startswith("withParam value could not be parsed as a JSON list: ")
        assert len(exc.message) <= len("withParam value could not be parsed as a JSON list: ") + 200


VALUES = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["{{", "}}", "{{=", "=", "1 + 1", "item", "workflow.name", "sprig.env('HOME')",
                              '"', "\\", "\n", "asInt('x')"]), max_size=10).map("".join),
)


@SETTINGS
@given(VALUES)
@example("{{workflow.name}}")
@example("{{=1 + 1}}")
@example("{{=sprig.fail('x')}}")
def test_substituted_value_is_never_evaluated(value: str) -> None:
    variables = {"inputs.parameters.p": value, "workflow.name": "wf"}
    assert substitute("{{inputs.parameters.p}}", variables) == value
    assert substitute("x{{ inputs.parameters.p }}y", variables) == f"x{value}y"
    assert substitute("{{=inputs.parameters.p}}", variables) == value
    escaped = substitute("{{inputs.parameters.p}}", variables, json_escape=True)
    assert json.loads('"' + escaped + '"') == value
    assert substitute_object({"args": ["{{inputs.parameters.p}}"]}, variables) == {"args": [value]}
