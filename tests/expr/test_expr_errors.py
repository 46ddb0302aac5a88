"""How failures read: the expression quoted, a caret at the position, the language, the hint."""

from __future__ import annotations

import pytest

from argoctl.errors import ExpressionError
from argoctl.expr import (
    evaluate,
    evaluate_bool,
    evaluate_depends,
    evaluate_when,
    is_missing_variable,
    parse_with_param,
    substitute,
    validate_depends,
)


def raised(fn: object, *args: object, **kwargs: object) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        fn(*args, **kwargs)  # type: ignore[operator]
    return info.value


def test_when_error_quotes_expression_points_and_hints_quotes() -> None:
    err = raised(evaluate_when, "hello world == x")
    first, expression_line, caret_line = err.message.splitlines()
    assert first == ("Invalid 'when' expression 'hello world == x': Cannot transition token types from "
                     "VARIABLE [hello] to VARIABLE [world]")
    assert expression_line == " | hello world == x"
    assert caret_line == " | " + "." * 6 + "^"
    assert err.position == 6 and err.language == "when"
    assert "quote values" in err.hint and "'my-value'" in err.hint
    assert "hint:" in err.render()


def test_when_dash_trap_names_the_operand() -> None:
    err = raised(evaluate_when, "my-value == my-value")
    assert err.message.startswith("Failed to evaluate 'when' expresion 'my-value == my-value': "
                                  "Value 'my' cannot be used with the modifier '-', it is not a number")
    assert "quote" in err.hint


def test_when_non_boolean_result() -> None:
    err = raised(evaluate_when, "heads")
    assert err.message == "Expected boolean evaluation for 'heads'. Got heads"


def test_empty_when_is_true() -> None:
    assert evaluate_when("") is True


def test_expr_error_uses_expr_lang_locator() -> None:
    err = raised(evaluate, "1 + ", {})
    assert err.message == "unexpected token EOF (1:4)\n | 1 + \n | ...^"
    assert err.language == "{{= }}" and err.position == 3


def test_hyphenated_parameter_hint() -> None:
    err = raised(evaluate, "inputs.parameters.my-param == '1'", {"inputs.parameters.my-param": "1"})
    assert "unknown name param" in err.message
    assert "inputs.parameters['my-param']" in err.hint


def test_string_arithmetic_hint() -> None:
    err = raised(evaluate, "lastRetry.exitCode > 1", {"lastRetry.exitCode": "2"})
    assert "invalid operation: string > int" in err.message
    assert "asInt" in err.hint and "asFloat" in err.hint


def test_evaluate_bool_rejects_non_bool() -> None:
    err = raised(evaluate_bool, "'x'", {})
    assert err.message == "unable to cast expression result 'x' to bool"
    assert evaluate_bool("lastRetry.status != 'Error'", {"lastRetry.status": "Failed"}) is True


def test_language_can_be_named_by_the_caller() -> None:
    err = raised(evaluate, "1 +", {}, language="retryStrategy.expression")
    assert err.language == "retryStrategy.expression"


def test_with_param_message_shows_first_200_characters() -> None:
    text = "not json " + "x" * 400
    err = raised(parse_with_param, text)
    assert err.message == "withParam value could not be parsed as a JSON list: " + text[:200]
    assert err.language == "withParam"
    assert raised(parse_with_param, '{"a": 1}').message.endswith('{"a": 1}')
    assert parse_with_param("null") == []
    assert parse_with_param(' [1, "a", {"b": true}] ') == [1, "a", {"b": True}]


def test_depends_errors() -> None:
    err = raised(validate_depends, "A.Succeded && B")
    assert err.message.startswith("task result 'Succeded' for task 'A' is invalid")
    assert err.language == "depends"
    err = raised(evaluate_depends, "A && B", {"A": {"Succeeded": True}})
    assert "no result for task 'B'" in err.message


def test_missing_variable_errors_are_recognised() -> None:
    strict = raised(substitute, "{{steps.a.outputs.result}}", {}, strict_prefixes=("steps",))
    assert is_missing_variable(strict)
    expression = raised(substitute, "{{=steps.a.outputs.result}}", {"steps.b.id": "x"}, strict_prefixes=("steps",))
    assert expression.message == "failed to evaluate expression: steps.a is missing"
    assert is_missing_variable(expression)
    assert not is_missing_variable(raised(evaluate_when, "a ="))
