"""Argo's output rules (argoctl.backends.outputs), shared by every backend."""

from __future__ import annotations

from argoctl.backends.outputs import (
    RESULT_LIMIT,
    collect_outputs,
    container_phase_for_exit,
    node_phase_for_exit,
)


def _files(mapping: dict[str, bytes]):  # type: ignore[no-untyped-def]
    return mapping.get


def _template(*parameters: dict[str, object]) -> dict[str, object]:
    return {"outputs": {"parameters": list(parameters)}}


def test_parameter_files_lose_exactly_one_trailing_newline() -> None:
    outputs, error = collect_outputs(
        _template({"name": "a", "valueFrom": {"path": "/a"}}, {"name": "b", "valueFrom": {"path": "/b"}},
                  {"name": "c", "globalName": "g", "valueFrom": {"path": "/c"}}),
        read_file=_files({"/a": b"x\n\n", "/b": b"y", "/c": b"z\n"}), stdout=b"", exit_code=0,
        capture_result=False)
    assert error is None
    assert outputs == {"parameters": [
        {"name": "a", "valueFrom": {"path": "/a"}, "value": "x\n"},
        {"name": "b", "valueFrom": {"path": "/b"}, "value": "y"},
        {"name": "c", "globalName": "g", "valueFrom": {"path": "/c"}, "value": "z"},
    ], "exitCode": "0"}


def test_missing_file_takes_the_default_else_is_an_error() -> None:
    template = _template({"name": "d", "valueFrom": {"path": "/missing", "default": "fallback"}},
                         {"name": "e", "valueFrom": {"path": "/missing-too"}})
    outputs, error = collect_outputs(template, read_file=_files({}), stdout=b"", exit_code=0, capture_result=False)
    assert outputs["parameters"] == [{"name": "d", "valueFrom": {"path": "/missing", "default": "fallback"},
                                      "value": "fallback"}]
    assert error is not None and "'e'" in error and "/missing-too" in error


def test_literal_values_and_non_pod_sources() -> None:
    template = _template({"name": "lit", "value": 3}, {"name": "expr", "valueFrom": {"expression": "1"}})
    outputs, error = collect_outputs(template, read_file=_files({}), stdout=b"", exit_code=None,
                                     capture_result=False)
    assert error is None
    assert outputs == {"parameters": [{"name": "lit", "value": "3"}]}


def test_result_is_stdout_tail_with_one_newline_dropped() -> None:
    outputs, _ = collect_outputs({}, read_file=_files({}), stdout=b"hello\n\n", exit_code=0, capture_result=True)
    assert outputs["result"] == "hello\n"
    big = b"a" * 10 + b"b" * RESULT_LIMIT + b"\n"
    outputs, _ = collect_outputs({}, read_file=_files({}), stdout=big, exit_code=0, capture_result=True)
    assert outputs["result"] == "b" * (RESULT_LIMIT - 1)
    outputs, _ = collect_outputs({}, read_file=_files({}), stdout=b"x", exit_code=0, capture_result=False)
    assert "result" not in outputs


def test_exit_code_is_a_string() -> None:
    outputs, _ = collect_outputs({}, read_file=_files({}), stdout=b"", exit_code=137, capture_result=False)
    assert outputs == {"exitCode": "137"}


def test_node_phase_for_exit() -> None:
    assert node_phase_for_exit(0) == ("Succeeded", "")
    assert node_phase_for_exit(1) == ("Failed", "main: Error (exit code 1)")
    assert node_phase_for_exit(2, container="b") == ("Failed", "b: Error (exit code 2)")
    assert [container_phase_for_exit(c) for c in (0, 1, 64)] == ["Succeeded", "Failed", "Error"]
