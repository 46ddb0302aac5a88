"""Fast paths give exactly what the faithful code paths give."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argoctl.expr import creation_timestamp_variables, duration_variable, failures_variable
from argoctl.expr import govaluate as gv
from argoctl.expr.govaluate import lexer as gv_lexer
from argoctl.expr.when import _plan

LITERALS = st.sampled_from(["1", "2.5", "0x10", "'a'", "'b'", "true", "false", "'2024-01-01'", "'3:04PM'", "x", "y"])
COMPARATORS = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "=~", "!~"])


def _outcome(stage: gv.Stage | None) -> object:
    try:
        return ("value", gv.evaluate(stage))
    except gv.GovaluateError as exc:
        return ("error", str(exc))


@settings(max_examples=300, deadline=None)
@given(LITERALS, COMPARATORS, LITERALS)
def test_comparison_shortcut_matches_the_planner(left: str, op: str, right: str) -> None:
    try:
        tokens = gv.lex(f"{left} {op} {right}")
        tokens = [gv.Token(gv.STRING, t.value, t.pos) if t.kind == gv.VARIABLE else t for t in tokens]
        gv.optimize(tokens)
    except gv.GovaluateError:
        return
    assert _outcome(_plan(list(tokens))) == _outcome(gv.plan(list(tokens)))


TEXT = st.lists(st.sampled_from([" ", "a", "1", ".", "_", "-", "=", "!", "\\", "é", "٣", "'", "(", ")", "x.Y", "\t",
                                 "0x", "in", "&&", "<", "?", ":"]), max_size=12).map("".join)


def _tokens(text: str) -> object:
    try:
        return [(t.kind, str(t.value)) for t in gv.lex(text)]
    except gv.GovaluateError as exc:
        return str(exc)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_lexer_fast_runs_match_the_character_loop(text: str) -> None:
    fast = _tokens(text)
    saved = gv_lexer._NUMERIC_RUN, gv_lexer._VARIABLE_RUN, gv_lexer._SYMBOL_RUN
    try:
        gv_lexer._NUMERIC_RUN = gv_lexer._VARIABLE_RUN = gv_lexer._SYMBOL_RUN = None  # type: ignore[assignment]
        slow = _tokens(text)
    finally:
        gv_lexer._NUMERIC_RUN, gv_lexer._VARIABLE_RUN, gv_lexer._SYMBOL_RUN = saved
    assert fast == slow


def test_creation_timestamp_variables() -> None:
    values = creation_timestamp_variables(dt.datetime(2018, 8, 23, 5, 42, 49, tzinfo=dt.UTC))
    assert values["workflow.creationTimestamp"] == "2018-08-23T05:42:49Z"
    assert values["workflow.creationTimestamp.RFC3339"] == "2018-08-23T05:42:49Z"
    assert values["workflow.creationTimestamp.s"] == "1535002969"
    expected = {"B": "August", "b": "Aug", "m": "08", "A": "Thursday", "a": "Thu", "d": "23", "H": "05", "I": "05",
                "M": "42", "S": "49", "Y": "2018", "y": "18", "p": "AM", "Z": "UTC", "z": "+0000", "L": ".000"}
    for char, text in expected.items():
        assert values[f"workflow.creationTimestamp.{char}"] == text


@pytest.mark.parametrize(("failures", "text"), [
    ([], '"null"'),
    ([{"displayName": "a", "message": "x<y", "templateName": "t", "phase": "Failed", "podName": "p",
       "finishedAt": "2024-01-01T00:00:00Z"}],
     '"[{\\"displayName\\":\\"a\\",\\"message\\":\\"x\\\\u003cy\\",\\"templateName\\":\\"t\\",\\"phase\\":\\"Failed\\",'
     '\\"podName\\":\\"p\\",\\"finishedAt\\":\\"2024-01-01T00:00:00Z\\"}]"'),
])
def test_failures_variable(failures: list[dict[str, str]], text: str) -> None:
    assert failures_variable(failures) == text


def test_duration_variable() -> None:
    assert duration_variable(12.5) == "12.500000"
