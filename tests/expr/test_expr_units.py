"""Go value formats, time, environment expansion, caching and object substitution."""

from __future__ import annotations

import pytest

from argoctl.expr import build_env, evaluate, substitute, substitute_object
from argoctl.expr.env import expand, has_var
from argoctl.expr.exprlang import compile_program
from argoctl.expr.gofmt import format_float, format_v, go_quote, json_escape, marshal
from argoctl.expr.gotime import format_duration, format_layout, parse_duration, parse_layout


@pytest.mark.parametrize(("value", "text"), [
    (3.0, "3"), (0.9, "0.9"), (1e20, "1e+20"), (1e21, "1e+21"), (1e-5, "1e-05"), (100000.0, "100000"),
    (1e6, "1e+06"),
    (0.0001, "0.0001"), (-2.5, "-2.5"), (123456789.0, "1.23456789e+08"),
])
def test_go_percent_v_floats(value: float, text: str) -> None:
    assert format_float(value) == text


def test_go_json_marshal() -> None:
    assert marshal({"b": [1, 2.5, None, True], "a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e","b":[1,2.5,null,true]}'
    assert marshal(1e21) == "1e+21" and marshal(1e-7) == "1e-7" and marshal(5.0) == "5"
    assert marshal([1], indent="  ") == "[\n  1\n]"


def test_format_v_and_quote() -> None:
    assert format_v([1, "a", [True]]) == "[1 a [true]]"
    assert format_v({"b": 1, "a": None}) == "map[a:<nil> b:1]"
    assert go_quote('a"b\n\x01é') == '"a\\"b\\n\\x01é"'
    assert json_escape('a"\\\n\t\x01') == 'a\\"\\\\\\n\\t\\u0001'


def test_durations() -> None:
    assert parse_duration("1h30m").ns == 5400 * 10**9
    assert parse_duration("-1.5s").ns == -1_500_000_000
    assert format_duration(5400 * 10**9) == "1h30m0s"
    assert format_duration(1_500_000) == "1.5ms"
    assert format_duration(0) == "0s"


def test_layouts() -> None:
    parsed = parse_layout("2006-01-02T15:04:05Z07:00", "2024-03-04T05:06:07+02:00")
    assert format_layout(parsed.value, "Mon Jan _2 15:04:05 2006") == "Mon Mar  4 05:06:07 2024"
    assert format_layout(parsed.value, "3:04PM -0700") == "5:06AM +0200"
    assert format_layout(parsed.value, "2006-01-02T15:04:05.000Z07:00") == "2024-03-04T05:06:07.000+02:00"


def test_expand_drops_a_parent_that_has_children() -> None:
    flat = {"a.b": 1, "a.c.d": 2, "a": 3, "ab": 4, "abb": 5}
    assert expand(flat) == {"a": {"b": 1, "c": {"d": 2}}, "ab": 4, "abb": 5}
    assert expand({"inputs.artifacts.x": {"s3": {"key": "k"}}}) == {"inputs": {"artifacts": {"x": {"s3": {"key": "k"}}}}}
    env = build_env({"workflow.parameters": "[]", "workflow.parameters.x": "1"})
    assert env["workflow"]["parameters"] == {"x": "1"}
    assert callable(env["asInt"]) and "trim" in env["sprig"]
    assert has_var(env, "workflow.parameters.x") and not has_var(env, "workflow.parameters.y")


def test_expansion_makes_maps_in_expressions() -> None:
    env = {"workflow.parameters.a": "1", "workflow.parameters.json": "[]", "workflow.creationTimestamp.RFC3339": "t"}
    assert evaluate("type(workflow.parameters)", env) == "map"
    assert evaluate("workflow.creationTimestamp.RFC3339", env) == "t"
    assert evaluate("sprig.date('2006', workflow.creationTimestamp) != ''", env) is True


def test_programs_are_cached_by_text() -> None:
    assert compile_program("1 + 2") is compile_program("1 + 2")


def test_substitute_object_round_trips_json() -> None:
    template = {"name": "{{workflow.name}}", "args": ["{{inputs.parameters.m}}", "{{=asInt(inputs.parameters.n) + 1}}"],
                "n": 1, "nested": {"k": "{{unknown}}"}}
    variables = {"workflow.name": "wf", "inputs.parameters.m": 'a "quoted"\nline', "inputs.parameters.n": "2"}
    assert substitute_object(template, variables) == {
        "name": "wf", "args": ['a "quoted"\nline', "3"], "n": 1, "nested": {"k": "{{unknown}}"}}
    untouched = {"a": [1, 2]}
    assert substitute_object(untouched, variables) is untouched


def test_expression_in_json_is_unescaped_before_evaluation() -> None:
    template = {"when": "{{= inputs.parameters[\"should-print\"] == 'true'}}"}
    variables = {"inputs.parameters.should-print": "true"}
    assert substitute_object(template, variables) == {"when": "true"}


def test_single_pass_leaves_tags_inside_values_alone() -> None:
    variables = {"a": "{{b}}", "b": "boom"}
    assert substitute("{{a}} {{b}}", variables) == "{{b}} boom"


@pytest.mark.parametrize(("item", "expected"), [({"name": "a"}, True), ({"type": "test"}, True), ({"type": "x"}, False)])
def test_when_with_expression_tags_and_in(item: dict[str, str], expected: bool) -> None:
    # test/e2e/functional: a `when` built from two {{= }} tags and govaluate's `in`
    from argoctl.expr import evaluate_when

    when = ('"{{= get(item, \'type\') ?? \'always\' }}"\nin\n'
            '("{{= inputs.parameters.list | fromJSON() | join(\'","\') }}","")\n')
    variables = {"item.name": "n", **{f"item.{k}": v for k, v in item.items()},
                 "inputs.parameters.list": '["always","test"]'}
    assert evaluate_when(substitute(when, variables)) is expected


def test_loop_item_deferred_then_resolved() -> None:
    from argoctl.expr import evaluate_when

    when = "{{item}} == even"
    first_pass = substitute(when, {"workflow.name": "wf"})
    assert first_pass == when  # left for the per-item pass
    assert evaluate_when(substitute(first_pass, {"item": "even"})) is True


@pytest.mark.parametrize(("kwargs", "items"), [
    ({"count": "3"}, ["0", "1", "2"]), ({"start": "1", "end": "3"}, ["1", "2", "3"]),
    ({"start": "3", "end": "1"}, ["3", "2", "1"]), ({"count": "0"}, []),
    ({"start": "5", "count": "2", "format": "test-%02d"}, ["test-05", "test-06"]),
    ({"count": "1", "format": "%x-%d"}, ["0-%!d(MISSING)"]), ({"count": "1", "format": "item"}, ["item%!(EXTRA int=0)"]),
    ({"start": "9", "end": "10", "format": "%3d|"}, ["  9|", " 10|"]), ({"count": "1", "format": "%-3d|"}, ["0  |"]),
    ({"start": "-3", "count": "1", "format": "%03d"}, ["-03"]), ({"count": "1", "format": "%s"}, ["%!s(int=0)"]),
])
def test_expand_sequence(kwargs: dict[str, str], items: list[str]) -> None:
    from argoctl.expr import expand_sequence

    assert expand_sequence(**kwargs) == items


def test_expand_sequence_errors() -> None:
    from argoctl.errors import ExpressionError
    from argoctl.expr import expand_sequence

    with pytest.raises(ExpressionError, match=r'strconv\.Atoi: parsing "x": invalid syntax'):
        expand_sequence(count="x")
    with pytest.raises(ExpressionError, match="neither end nor count"):
        expand_sequence(start="1")
