"""``when`` (govaluate after substitution) and loops (withItems, withParam, withSequence)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.engine.harness import N, Pod, arg, check_nodes, check_workflow, drive


def steps_when(when: str, producer: str = "s") -> str:
    return f"""
templates:
- name: main
  steps:
  - - {{name: a, template: {producer}}}
  - - {{name: b, template: c, when: {json.dumps(when)}}}
"""


# (spec, pods, node name, expected node, workflow phase)
WHEN_CASES: list[Any] = [
    pytest.param(steps_when("false"), {}, "wf[1].b",
                 N("Skipped", "Skipped", "when 'false' evaluated false", display="b"), "Succeeded", id="literal-false"),
    pytest.param(steps_when("true"), {}, "wf[1].b", N("Pod", "Succeeded", ""), "Succeeded", id="literal-true"),
    pytest.param(steps_when("{{steps.a.outputs.result}} == heads"), {"*.a": Pod(stdout="heads\n")}, "wf[1].b",
                 N("Pod", "Succeeded", ""), "Succeeded", id="unquoted-word-equal"),
    pytest.param(steps_when("{{steps.a.outputs.result}} == heads"), {"*.a": Pod(stdout="tails\n")}, "wf[1].b",
                 N("Skipped", "Skipped", "when 'tails == heads' evaluated false"), "Succeeded",
                 id="message-shows-substituted-when"),
    pytest.param(steps_when("{{steps.a.outputs.result}} < 5"), {"*.a": Pod(stdout="7")}, "wf[1].b",
                 N("Skipped", "Skipped", "when '7 < 5' evaluated false"), "Succeeded", id="numeric-compare"),
    pytest.param(steps_when("{{steps.a.outputs.result}} == 7"), {"*.a": Pod(stdout="007")}, "wf[1].b",
                 N("Pod", "Succeeded"), "Succeeded", id="numbers-compare-numerically"),
    pytest.param(steps_when("'{{steps.a.outputs.result}}' == 'my-value'"), {"*.a": Pod(stdout="my-value")},
                 "wf[1].b", N("Pod", "Succeeded"), "Succeeded", id="quoted-hyphenated-value"),
    pytest.param(steps_when("{{steps.a.outputs.result}} =~ hea"), {"*.a": Pod(stdout="heads")}, "wf[1].b",
                 N("Pod", "Succeeded"), "Succeeded", id="regex-match"),
    pytest.param(steps_when("{{steps.a.status}} == Succeeded"), {}, "wf[1].b", N("Pod", "Succeeded"),
                 "Succeeded", id="status-variable"),
    pytest.param(steps_when("{{=steps.a.outputs.result == 'x'}}"), {"*.a": Pod(stdout="x")}, "wf[1].b",
                 N("Pod", "Succeeded"), "Succeeded", id="expression-tag-true"),
    pytest.param(steps_when("{{=steps.a.outputs.result == 'x'}}"), {"*.a": Pod(stdout="y")}, "wf[1].b",
                 N("Skipped", "Skipped", "when 'false' evaluated false"), "Succeeded", id="expression-tag-false"),
    pytest.param(steps_when("hello world"), {}, "wf[1]", N("StepGroup", "Error"), "Failed", id="parse-error"),
    pytest.param(steps_when("{{workflow.parameters.go}} == yes").replace(
        "templates:", "arguments: {parameters: [{name: go, value: 'no'}]}\ntemplates:"), {}, "wf[1].b",
        N("Skipped", "Skipped", "when 'no == yes' evaluated false"), "Succeeded", id="global-parameter"),
]


@pytest.mark.parametrize(("spec", "pods", "name", "expected", "wf_phase"), WHEN_CASES)
def test_when_table(spec: str, pods: dict[str, Any], name: str, expected: N, wf_phase: str) -> None:
    run = drive(spec, pods)
    check_nodes(run, {name: expected})
    check_workflow(run, wf_phase)


def test_when_error_errors_the_group_before_any_child_exists() -> None:
    """Argo's resolveReferences returns the shouldExecute error: no child node, the group errors."""
    run = drive(steps_when("hello world"))
    group = run.node("wf[1]")
    assert run.maybe("wf[1].b") is None
    assert group.phase == "Error"
    assert group.message.splitlines()[0] == ("Invalid 'when' expression 'hello world': Cannot transition token "
                                             "types from VARIABLE [hello] to VARIABLE [world]")
    assert run.state.message == group.message
    check_workflow(run, "Failed")


def test_dag_when_error_is_a_skipped_node_in_error() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - {name: A, template: c}
        - {name: B, template: c, depends: A, when: "3abc == 1"}
    """)
    node = run.node("wf.B")
    assert (node.type, node.phase) == ("Skipped", "Error")
    assert node.message.splitlines()[0] == ("Invalid 'when' expression '3abc == 1': Cannot transition token types "
                                            "from NUMERIC [3] to VARIABLE [abc]")
    assert node.id in run.node("wf.A").children
    check_workflow(run, "Error", "")


def test_dag_when_false_is_skipped_and_dependents_still_run() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - {name: A, template: c, when: "1 == 2"}
        - {name: B, template: c, depends: A}
    """)
    check_nodes(run, {"wf.A": N("Skipped", "Skipped", "when '1 == 2' evaluated false", children=["wf.B"]),
                      "wf.B": N("Pod", "Succeeded")})
    check_workflow(run, "Succeeded")


def loop(kind: str, value: str, extra: str = "") -> str:
    return f"""
{extra}templates:
- name: main
  steps:
  - - name: L
      template: p
      arguments: {{parameters: [{{name: msg, value: "{{{{item}}}}"}}]}}
      {kind}: {value}
"""


def _msgs(run: Any, names: list[str]) -> list[str]:
    return [arg(run.node(n)) for n in names]


# (spec, expected node names in order, expected {{item}} values)
LOOP_CASES: list[Any] = [
    pytest.param(loop("withItems", "[a, b, c]"), ["L(0:a)", "L(1:b)", "L(2:c)"], ["a", "b", "c"], id="strings"),
    pytest.param(loop("withItems", "[1, true, 2.5]"), ["L(0:1)", "L(1:true)", "L(2:2.5)"], ["1", "true", "2.5"],
                 id="numbers-and-bools"),
    pytest.param(loop("withItems", "[{os: debian, v: 9}, {v: 10, os: ubuntu}]"),
                 ["L(0:os:debian,v:9)", "L(1:os:ubuntu,v:10)"], ['{"os":"debian","v":9}', '{"os":"ubuntu","v":10}'],
                 id="maps-sorted-key-value-names"),
    pytest.param(loop("withItems", "[[1, 2], [x]]"), ["L(0:[1 2])", "L(1:[x])"], ["[1,2]", '["x"]'], id="lists"),
    pytest.param(loop("withItems", "['f(x)']"), ["L(0:fx)"], ["f(x)"], id="parentheses-stripped-from-name"),
    pytest.param(loop("withParam", "'[\"x\", 2, {\"k\": \"v\"}]'"), ["L(0:x)", "L(1:2)", "L(2:k:v)"],
                 ["x", "2", '{"k":"v"}'], id="withParam-json-list"),
    pytest.param(loop("withParam", "'{{workflow.parameters.list}}'",
                      "arguments: {parameters: [{name: list, value: '[\"a\",\"b\"]'}]}\n"),
                 ["L(0:a)", "L(1:b)"], ["a", "b"], id="withParam-from-global"),
    pytest.param(loop("withSequence", "{count: '3'}"), ["L(0:0)", "L(1:1)", "L(2:2)"], ["0", "1", "2"],
                 id="sequence-count"),
    pytest.param(loop("withSequence", "{start: '2', end: '4'}"), ["L(0:2)", "L(1:3)", "L(2:4)"], ["2", "3", "4"],
                 id="sequence-start-end"),
    pytest.param(loop("withSequence", "{start: '5', end: '3'}"), ["L(0:5)", "L(1:4)", "L(2:3)"], ["5", "4", "3"],
                 id="sequence-descending"),
    pytest.param(loop("withSequence", "{start: '1', count: '2', format: 'w%02d'}"), ["L(0:w01)", "L(1:w02)"],
                 ["w01", "w02"], id="sequence-format"),
    pytest.param(loop("withSequence", "{count: 2}"), ["L(0:0)", "L(1:1)"], ["0", "1"], id="sequence-int-count"),
]


@pytest.mark.parametrize(("spec", "names", "values"), LOOP_CASES)
def test_loop_expansion_table(spec: str, names: list[str], values: list[str]) -> None:
    run = drive(spec)
    full = [f"wf[0].{n}" for n in names]
    check_nodes(run, {n: N("Pod", "Succeeded", "", display=n.removeprefix("wf[0].")) for n in full})
    assert _msgs(run, full) == values
    assert sorted(run.node("wf[0]").children) == sorted(run.node(n).id for n in full)
    check_workflow(run, "Succeeded")


# (spec, pods, expected nodes)
EMPTY_AND_ERRORS: list[Any] = [
    pytest.param(loop("withParam", "'[]'"), {}, {
        "wf[0].L": N("Skipped", "Skipped", "Skipped, empty params"),
        "wf[0]": N("StepGroup", "Succeeded", ""),
    }, "Succeeded", id="withParam-empty-steps"),
    pytest.param(loop("withSequence", "{count: '0'}"), {}, {
        "wf[0].L": N("Skipped", "Skipped", "Skipped, empty params"),
    }, "Succeeded", id="sequence-count-zero"),
    pytest.param("""
    templates:
    - name: main
      dag:
        tasks:
        - name: L
          template: p
          arguments: {parameters: [{name: msg, value: "{{item}}"}]}
          withParam: "[]"
        - {name: M, template: c, depends: L}
    """, {}, {
        "wf.L": N("Skipped", "Skipped", "Skipped, empty params", children=["wf.M"]),
        "wf.M": N("Pod", "Succeeded"),
    }, "Succeeded", id="withParam-empty-dag"),
    pytest.param(loop("withParam", "'not json'"), {}, {
        "wf[0]": N("StepGroup", "Error"),
    }, "Failed", id="withParam-not-a-list-errors-group"),
    pytest.param("""
    templates:
    - name: main
      steps:
      - - {name: gen, template: s}
      - - name: L
          template: p
          arguments: {parameters: [{name: msg, value: "{{item}}"}]}
          withParam: "{{steps.gen.outputs.result}}"
    """, {"*.gen": Pod(stdout='["a", "b"]\n')}, {
        "wf[1].L(0:a)": N("Pod", "Succeeded"),
        "wf[1].L(1:b)": N("Pod", "Succeeded"),
    }, "Succeeded", id="withParam-from-step-result"),
    pytest.param("""
    templates:
    - name: main
      steps:
      - - name: L
          template: p
          arguments: {parameters: [{name: msg, value: "{{item}}"}]}
          withItems: [1, 2, 3]
          when: "{{item}} > 1"
    """, {}, {
        "wf[0].L(0:1)": N("Skipped", "Skipped", "when '1 > 1' evaluated false"),
        "wf[0].L(1:2)": N("Pod", "Succeeded"),
        "wf[0].L(2:3)": N("Pod", "Succeeded"),
    }, "Succeeded", id="when-with-item-deferred-per-item"),
    pytest.param("""
    templates:
    - name: main
      dag:
        tasks:
        - name: L
          template: p
          arguments: {parameters: [{name: msg, value: "{{item}}"}]}
          withItems: [1, 2]
          when: "{{item}} == 2"
    """, {}, {
        "wf.L": N("TaskGroup", "Succeeded", "", children=["wf.L(0:1)", "wf.L(1:2)"]),
        "wf.L(0:1)": N("Skipped", "Skipped", "when '1 == 2' evaluated false"),
        "wf.L(1:2)": N("Pod", "Succeeded"),
    }, "Succeeded", id="dag-when-with-item"),
    pytest.param("""
    templates:
    - name: main
      steps:
      - - {name: L, template: c, withItems: [a, b]}
    """, {}, {
        "wf[0].L(0:a)": N("Pod", "Succeeded"),
        "wf[0].L(1:b)": N("Pod", "Succeeded"),
    }, "Succeeded", id="steps-loop-without-item-reference"),
    pytest.param("""
    templates:
    - name: main
      dag:
        tasks:
        - {name: L, template: c, withItems: [a, b, c]}
    """, {}, {
        "wf.L(0:a)": N("Pod", "Succeeded"),
        "wf.L(1:b)": N("Pod", "Succeeded"),
        "wf.L(2:c)": N("Pod", "Succeeded"),
    }, "Succeeded", id="dag-loop-without-item-reference"),
]


@pytest.mark.parametrize(("spec", "pods", "expected", "wf_phase"), EMPTY_AND_ERRORS)
def test_loop_edge_table(spec: str, pods: dict[str, Any], expected: dict[str, N], wf_phase: str) -> None:
    run = drive(spec, pods)
    check_nodes(run, expected)
    check_workflow(run, wf_phase)


def test_dag_loop_task_group_names() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - name: A
          template: p
          arguments: {parameters: [{name: msg, value: "{{item}}"}]}
          withItems: [x, y]
    """, {"wf.A(1:y)": Pod(exit=1)})
    check_nodes(run, {
        "wf": N("DAG", "Failed", "", children=["wf.A"], outbound=["wf.A(0:x)", "wf.A(1:y)"]),
        "wf.A": N("TaskGroup", "Failed", "", display="A", children=["wf.A(0:x)", "wf.A(1:y)"]),
        "wf.A(0:x)": N("Pod", "Succeeded", "", display="A(0:x)"),
        "wf.A(1:y)": N("Pod", "Failed", "main: Error (exit code 1)", display="A(1:y)"),
    }, exact=True)
    check_workflow(run, "Failed", "")


def test_steps_loop_failure_names_first_failed_child() -> None:
    run = drive(loop("withItems", "[a, b]"), {"*L(1:b)": Pod(exit=1)})
    failed = run.node("wf[0].L(1:b)")
    check_nodes(run, {"wf[0]": N("StepGroup", "Failed", f"child '{failed.id}' failed")})
    check_workflow(run, "Failed", f"child '{failed.id}' failed")
