"""YAML/JSON output and submit-time parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from argoctl.errors import ManifestError, UsageError
from argoctl.parse import dump_json, dump_yaml, parse_parameter_file, split_parameter


def test_dump_yaml_keeps_key_order_and_writes_multi_line_strings_as_blocks() -> None:
    obj = {"kind": "Workflow", "apiVersion": "v1", "spec": {"script": "echo a\necho b\n", "z": 1, "a": [1, "x"]}}
    assert dump_yaml(obj) == (
        "kind: Workflow\n"
        "apiVersion: v1\n"
        "spec:\n"
        "  script: |\n"
        "    echo a\n"
        "    echo b\n"
        "  z: 1\n"
        "  a:\n"
        "  - 1\n"
        "  - x\n"
    )


def test_dump_yaml_does_not_fold_long_lines_and_keeps_unicode() -> None:
    long = "x" * 200
    assert dump_yaml({"a": long, "b": "héllo"}) == f"a: {long}\nb: héllo\n"


def test_dump_json_indents_by_two_and_keeps_order() -> None:
    assert dump_json({"b": 1, "a": {"c": [1, 2]}, "u": "é"}) == (
        '{\n  "b": 1,\n  "a": {\n    "c": [\n      1,\n      2\n    ]\n  },\n  "u": "é"\n}\n'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("k=v", ("k", "v")), ("k=a=b", ("k", "a=b")), ("k=", ("k", "")), ("=v", ("", "v"))],
)
def test_split_parameter_splits_on_the_first_equals(text: str, expected: tuple[str, str]) -> None:
    assert split_parameter(text) == expected


def test_split_parameter_without_equals_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        split_parameter("message")
    assert caught.value.message == "expected parameter of the form: NAME=VALUE. Received: message"


def test_parameter_file_values_are_text_as_argo_makes_them(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(
        "message: hello\ncount: 3\nratio: 1.5\nwhole: 2.0\nflag: true\nnothing: null\n"
        "items: [1, a]\nmapping: {b: 1, a: [x]}\nquoted: '007'\n"
    )
    assert parse_parameter_file(str(path)) == {
        "message": "hello",
        "count": "3",
        "ratio": "1.5",
        "whole": "2",
        "flag": "true",
        "nothing": "null",
        "items": '[1,"a"]',
        "mapping": '{"a":["x"],"b":1}',
        "quoted": "007",
    }


def test_parameter_file_in_json(tmp_path: Path) -> None:
    path = tmp_path / "params.json"
    path.write_text('{"a": "x", "n": 10}')
    assert parse_parameter_file(str(path)) == {"a": "x", "n": "10"}


def test_parameter_file_must_be_a_map(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("\n- a\n- b\n")
    with pytest.raises(ManifestError) as caught:
        parse_parameter_file(str(path))
    assert caught.value.line == 2
    assert "must be a map" in caught.value.message


def test_empty_parameter_file_gives_no_parameters(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("# nothing\n")
    assert parse_parameter_file(str(path)) == {}
