"""JSON, YAML, name, JMESPath queries and the ``wait`` line."""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from typing import Any

import pytest
import yaml

from argoctl.errors import UsageError
from argoctl.render import apply_query, render_json, render_name, render_wait_line, render_yaml

from .builders import Wf


def workflow() -> dict[str, Any]:
    w = Wf("coinflip-x7k2p", phase="Failed", finished=65, message="child 'coinflip-x7k2p-1' failed")
    w.node("coinflip-x7k2p", "Steps", template="coinflip", phase="Failed", finished=65)
    w.node("coinflip-x7k2p[0].flip", "Pod", boundary="coinflip-x7k2p", template="flip", finished=5,
           outputs={"result": "tails\nsecond line", "exitCode": "0"})
    return w.build()


def test_json_keeps_key_order_indent_and_unicode() -> None:
    assert render_json({"z": 1, "a": {"é": "✔"}, "m": []}) == (
        '{\n  "z": 1,\n  "a": {\n    "é": "✔"\n  },\n  "m": []\n}\n'
    )
    assert render_json([]) == "[]\n"
    assert render_json({"a": 1}, indent=4) == '{\n    "a": 1\n}\n'


def test_json_of_a_workflow_round_trips() -> None:
    wf = workflow()
    text = render_json(wf)
    assert json.loads(text) == wf
    assert list(json.loads(text)) == ["apiVersion", "kind", "metadata", "spec", "status"]


def test_yaml_keeps_key_order_and_writes_blocks() -> None:
    data = {"b": 1, "a": {"text": "one\ntwo\n", "list": [1, "2", True, None], "yes": "yes", "colon": "a: b"}}
    assert render_yaml(data) == (
        "b: 1\n"
        "a:\n"
        "  text: |\n"
        "    one\n"
        "    two\n"
        "  list:\n"
        "  - 1\n"
        "  - '2'\n"
        "  - true\n"
        "  - null\n"
        "  'yes': 'yes'\n"
        "  colon: 'a: b'\n"
    )
    assert render_yaml([]) == "[]\n"


def test_yaml_round_trips_awkward_strings_and_never_folds() -> None:
    data = {"trailing": "x \ny", "long": "word " * 60, "tab": "a\tb", "lead": "  indented\nline"}
    text = render_yaml(data)
    assert yaml.safe_load(text) == data
    assert all(len(line) > 200 for line in text.splitlines() if line.startswith("long:"))


def test_yaml_of_a_workflow_round_trips() -> None:
    wf = workflow()
    assert yaml.safe_load(render_yaml(wf)) == wf


def test_name() -> None:
    assert render_name(workflow()) == "coinflip-x7k2p\n"


def test_query_selects_values() -> None:
    wf = workflow()
    assert apply_query(wf, "status.phase") == "Failed"
    assert apply_query(wf, "metadata.name") == "coinflip-x7k2p"
    assert sorted(apply_query(wf, "status.nodes.*.displayName")) == ["coinflip-x7k2p", "flip"]
    assert apply_query(wf, "values(status.nodes)[].outputs.result") == ["tails\nsecond line"]
    assert apply_query(wf, "status.nodes.*.{n: displayName, p: phase}") == [
        {"n": "coinflip-x7k2p", "p": "Failed"}, {"n": "flip", "p": "Succeeded"}
    ]
    assert apply_query(wf, "status.missing") is None


@pytest.mark.parametrize("expression", ["status.[", "foo(@)", "abs(metadata.name)", ""])
def test_bad_query_is_a_usage_error(expression: str) -> None:
    with pytest.raises(UsageError) as caught:
        apply_query(workflow(), expression)
    assert "invalid --query expression" in caught.value.message
    assert repr(expression) in caught.value.message
    assert caught.value.hint


def test_wait_line_uses_go_time_format() -> None:
    wf = workflow()
    assert render_wait_line(wf) == "coinflip-x7k2p Failed at 2024-05-01 10:01:05 +0000 UTC"
    assert render_wait_line(wf, zone=timezone(timedelta(hours=-7))) == (
        "coinflip-x7k2p Failed at 2024-05-01 03:01:05 -0700 -0700"
    )


def test_wait_line_of_an_unfinished_workflow_prints_go_zero_time() -> None:
    wf = Wf("running-x", phase="Running").build()
    assert render_wait_line(wf) == "running-x Running at 0001-01-01 00:00:00 +0000 UTC"


def test_importing_render_loads_no_heavy_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, argoctl.render\n"
        "print(sorted(m for m in ('rich', 'yaml', 'jmespath', 'kubernetes', 'typer') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
