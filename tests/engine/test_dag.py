"""DAG templates: dependencies, enhanced depends, targets, failFast, TaskGroups, phase assessment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.harness import ERROR, FAIL, N, Pod, check_nodes, check_workflow, drive

DIAMOND = """
templates:
- name: main
  dag:
    tasks:
    - {name: A, template: c}
    - {name: B, template: c, dependencies: [A]}
    - {name: C, template: c, dependencies: [A]}
    - {name: D, template: c, dependencies: [B, C]}
"""


def dag(tasks: str, extra: str = "") -> str:
    """A ``main`` DAG template from a YAML list of tasks (indented by 4)."""
    return f"""
templates:
- name: main
{extra}  dag:
    tasks:
{tasks}
"""


OMIT = dag("""
    - {name: X, template: c, when: "false"}
    - {name: Y, template: c, depends: X}
    - {name: W, template: c, depends: X.Succeeded}
    - {name: Z, template: c, depends: W}
    - {name: ZO, template: c, depends: W.Omitted}
    - {name: ZS, template: c, depends: X.Skipped}
""")

LOOP_DEPS = dag("""
    - {name: L, template: p, withItems: [a, b], arguments: {parameters: [{name: msg, value: "{{item}}"}]}}
    - {name: ANY, template: c, depends: L.AnySucceeded}
    - {name: ALL, template: c, depends: L.AllFailed}
    - {name: PLAIN, template: c, depends: L}
""")

# (spec, pods, expected nodes, exact, workflow phase, workflow message)
CASES: list[Any] = [
    pytest.param(DIAMOND, {}, {
        "wf": N("DAG", "Succeeded", "", display="wf", children=["wf.A"], outbound=["wf.D"]),
        "wf.A": N("Pod", "Succeeded", "", display="A", children=["wf.B", "wf.C"]),
        "wf.B": N("Pod", "Succeeded", "", display="B", children=["wf.D"]),
        "wf.C": N("Pod", "Succeeded", "", display="C", children=["wf.D"]),
        "wf.D": N("Pod", "Succeeded", "", display="D", children=[]),
    }, True, "Succeeded", "", id="diamond-names-edges-outbound"),
    pytest.param(DIAMOND, {"wf.B": FAIL}, {
        "wf.B": N("Pod", "Failed", "main: Error (exit code 1)"),
        "wf.C": N("Pod", "Succeeded"),
        "wf.D": N("Skipped", "Omitted", "omitted: depends condition not met"),
        "wf": N("DAG", "Failed", "", outbound=["wf.D"]),
        "wf.A": N("Pod", "Succeeded"),
    }, True, "Failed", "", id="failed-dependency-omits-dependent-dag-message-empty"),
    pytest.param(DIAMOND, {"wf.A": ERROR}, {
        "wf.A": N("Pod", "Error", "pod deleted"),
        "wf.B": N("Skipped", "Omitted", "omitted: depends condition not met"),
        "wf.C": N("Skipped", "Omitted", "omitted: depends condition not met"),
        "wf.D": N("Skipped", "Omitted", "omitted: depends condition not met"),
        "wf": N("DAG", "Error", ""),
    }, True, "Error", "", id="errored-root-task-omission-cascades-dag-error"),
    pytest.param(dag("""
    - {name: A, template: c}
    - {name: B, template: c, depends: A.Failed}
    - {name: C, template: c, depends: A.Succeeded}
    """), {"wf.A": FAIL}, {
        "wf.A": N("Pod", "Failed"),
        "wf.B": N("Pod", "Succeeded"),
        "wf.C": N("Skipped", "Omitted", "omitted: depends condition not met"),
        "wf": N("DAG", "Failed", ""),
    }, True, "Failed", "", id="depends-Failed-runs-but-omitted-sibling-inherits-failure"),
    pytest.param(dag("""
    - {name: A, template: c}
    - {name: B, template: c, depends: A.Failed}
    """), {"wf.A": FAIL}, {
        "wf.B": N("Pod", "Succeeded"),
        "wf": N("DAG", "Succeeded", ""),
    }, False, "Succeeded", "", id="failure-handled-by-depends-succeeds"),
    pytest.param(dag("""
    - {name: A, template: c}
    - {name: B, template: c, depends: A.Errored}
    - {name: C, template: c, depends: "A.Failed || A.Errored"}
    """), {"wf.A": ERROR}, {
        "wf.B": N("Pod", "Succeeded"),
        "wf.C": N("Pod", "Succeeded"),
    }, False, "Succeeded", "", id="depends-Errored"),
    pytest.param(OMIT, {}, {
        "wf.X": N("Skipped", "Skipped", "when 'false' evaluated false"),
        "wf.Y": N("Pod", "Succeeded"),
        "wf.W": N("Skipped", "Omitted", "omitted: depends condition not met"),
        "wf.Z": N("Skipped", "Omitted", "omitted: depends condition not met"),
        "wf.ZO": N("Pod", "Succeeded"),
        "wf.ZS": N("Pod", "Succeeded"),
        "wf": N("DAG", "Succeeded", ""),
    }, True, "Succeeded", "", id="bare-depends-accepts-Skipped-not-Omitted"),
    pytest.param(LOOP_DEPS, {"wf.L(0:a)": FAIL}, {
        "wf.L": N("TaskGroup", "Failed", "", display="L", children=["wf.L(0:a)", "wf.L(1:b)"]),
        "wf.L(0:a)": N("Pod", "Failed", display="L(0:a)"),
        "wf.L(1:b)": N("Pod", "Succeeded", display="L(1:b)"),
        "wf.ANY": N("Pod", "Succeeded"),
        "wf.ALL": N("Skipped", "Omitted"),
        "wf.PLAIN": N("Skipped", "Omitted"),
    }, True, "Failed", "", id="AnySucceeded-over-task-group"),
    pytest.param(LOOP_DEPS, {"wf.L(*)": FAIL}, {
        "wf.L": N("TaskGroup", "Failed", ""),
        "wf.ANY": N("Skipped", "Omitted"),
        "wf.ALL": N("Pod", "Succeeded"),
        "wf.PLAIN": N("Skipped", "Omitted"),
    }, False, "Failed", "", id="AllFailed-over-task-group"),
    pytest.param(LOOP_DEPS, {}, {
        "wf.L": N("TaskGroup", "Succeeded", "", outbound=None),
        "wf.ANY": N("Pod", "Succeeded", children=[]),
        "wf.ALL": N("Skipped", "Omitted"),
        "wf.PLAIN": N("Pod", "Succeeded"),
        "wf.L(0:a)": N("Pod", "Succeeded", children=["wf.ANY", "wf.ALL", "wf.PLAIN"]),
        "wf.L(1:b)": N("Pod", "Succeeded", children=["wf.ANY", "wf.ALL", "wf.PLAIN"]),
    }, True, "Succeeded", "", id="loop-children-are-the-parents-of-dependents"),
    pytest.param(dag("""
    - {name: A, template: c}
    - {name: B, template: c, dependencies: [A]}
    - {name: C, template: c, dependencies: [A]}
    """, "").replace("  dag:\n    tasks:", "  dag:\n    target: B\n    tasks:"), {}, {
        "wf.A": N("Pod", "Succeeded"),
        "wf.B": N("Pod", "Succeeded"),
        "wf": N("DAG", "Succeeded", "", outbound=["wf.B"]),
    }, True, "Succeeded", "", id="target-runs-only-its-ancestry"),
    pytest.param(dag("""
    - {name: F, template: c, continueOn: {failed: true}}
    - {name: P, template: c, dependencies: [F]}
    """).replace("  dag:\n", "  dag:\n    failFast: false\n"), {"wf.F": FAIL}, {
        "wf.F": N("Pod", "Failed"),
        "wf.P": N("Pod", "Succeeded"),
        "wf": N("DAG", "Succeeded", ""),
    }, True, "Succeeded", "", id="continueOn-failed-with-dependencies (e2e TestContinueOnFailDag)"),
    pytest.param(dag("""
    - {name: F, template: c, continueOn: {failed: true}}
    """), {"wf.F": FAIL}, {
        "wf.F": N("Pod", "Failed"),
        "wf": N("DAG", "Succeeded", ""),
    }, True, "Succeeded", "", id="continueOn-target-does-not-fail-dag"),
    pytest.param(dag("""
    - {name: F, template: c, continueOn: {error: true}}
    - {name: P, template: c, dependencies: [F]}
    """), {"wf.F": FAIL}, {
        "wf.F": N("Pod", "Failed"),
        "wf.P": N("Skipped", "Omitted"),
        "wf": N("DAG", "Failed", ""),
    }, True, "Failed", "", id="continueOn-error-does-not-cover-failed"),
    pytest.param("""
    templates:
    - name: main
      dag:
        failFast: false
        tasks:
        - {name: A, template: c}
        - {name: B, template: b, depends: A}
        - {name: C, template: c2, depends: A}
        - {name: D, template: c, depends: B}
        - {name: E, template: c, depends: D}
    - name: b
      retryStrategy: {limit: "2"}
      container: {image: busybox}
    - name: c2
      retryStrategy: {limit: "3"}
      container: {image: busybox}
    """, {"wf.B(*)": Pod(duration=30), "wf.C(*)": Pod(exit=2)}, {
        "wf.B": N("Retry", "Succeeded"),
        "wf.C": N("Retry", "Failed", "No more retries left"),
        "wf.C(3)": N("Pod", "Failed", "main: Error (exit code 2)"),
        "wf.D": N("Pod", "Succeeded"),
        "wf.E": N("Pod", "Succeeded"),
        "wf": N("DAG", "Failed", ""),
    }, False, "Failed", "", id="failFast-false-runs-other-branches (examples/dag-disable-failFast)"),
    pytest.param(dag("""
    - {name: task1, template: c}
    - {name: task2, template: c}
    """, "  parallelism: 2\n  failFast: true\n"), {"wf.task1": FAIL, "wf.task2": Pod(duration=5)}, {
        "wf.task1": N("Pod", "Failed"),
        "wf.task2": N("Pod", "Succeeded"),
        "wf": N("DAG", "Failed", "template has failed or errored children and failFast enabled"),
    }, True, "Failed", "template has failed or errored children and failFast enabled",
        id="template-failFast-dag (e2e TestWorkflowParallelismDAGFailFast)"),
    pytest.param("""
    templates:
    - name: main
      parallelism: 2
      failFast: true
      steps:
      - - {name: step1, template: c}
        - {name: step2, template: c}
    """, {"*.step1": FAIL, "*.step2": Pod(duration=5)}, {
        "wf[0]": N("StepGroup", "Failed", "template has failed or errored children and failFast enabled"),
        "wf[0].step1": N("Pod", "Failed"),
        "wf[0].step2": N("Pod", "Succeeded"),
    }, False, "Failed", "template has failed or errored children and failFast enabled",
        id="template-failFast-steps (e2e TestWorkflowParallelismStepFailFast)"),
    pytest.param(dag("""
    - {name: A, template: c}
    - {name: B, template: c, depends: "A.Succeeded && !A.Failed"}
    - {name: C, template: c, depends: "(A.Failed || A.Skipped) || B.Omitted"}
    - {name: my-task, template: c, depends: "B"}
    - {name: Z, template: c, depends: "my-task.Succeeded"}
    """), {}, {
        "wf.B": N("Pod", "Succeeded"),
        "wf.C": N("Skipped", "Omitted"),
        "wf.my-task": N("Pod", "Succeeded"),
        "wf.Z": N("Pod", "Succeeded"),
    }, False, "Succeeded", "", id="depends-operators-and-hyphenated-names"),
    pytest.param(dag("""
    - {name: A, template: inner}
    - {name: B, template: c, depends: A}
    """) + """
- name: inner
  dag:
    tasks:
    - {name: X, template: c}
    - {name: Y, template: c, depends: X}
""", {}, {
        "wf.A": N("DAG", "Succeeded", "", display="A", children=["wf.A.X"], outbound=["wf.A.Y"]),
        "wf.A.X": N("Pod", "Succeeded", display="X", children=["wf.A.Y"]),
        "wf.A.Y": N("Pod", "Succeeded", display="Y", children=["wf.B"]),
        "wf.B": N("Pod", "Succeeded", display="B"),
    }, True, "Succeeded", "", id="nested-dag-outbound-links-to-dependent"),
]


@pytest.mark.parametrize(("spec", "pods", "expected", "exact", "wf_phase", "wf_message"), CASES)
def test_dag_table(spec: str, pods: dict[str, Any], expected: dict[str, N], exact: bool, wf_phase: str,
                   wf_message: str | None) -> None:
    run = drive(spec, pods)
    if exact:
        expected = {**expected}
        expected.setdefault("wf", N("DAG", run.state.nodes["wf"].phase))
    check_nodes(run, expected, exact=exact)
    check_workflow(run, wf_phase, wf_message)


def test_dag_waits_for_running_branch_before_failing() -> None:
    run = drive(dag("""
    - {name: A, template: c}
    - {name: B, template: c}
    """), {"wf.A": FAIL, "wf.B": Pod(duration=20)})
    check_workflow(run, "Failed", "")
    assert run.node("wf").finished_at == "2024-01-01T00:00:20Z"
    assert run.node("wf.B").phase == "Succeeded"


def test_dependents_start_only_after_dependencies_finish() -> None:
    run = drive(DIAMOND, {"wf.A": Pod(duration=10), "wf.B": Pod(duration=5)})
    started = {r.node_name: i for i, r in enumerate(run.started)}
    assert list(started) == ["wf.A", "wf.B", "wf.C", "wf.D"]
    assert run.node("wf.D").started_at == "2024-01-01T00:00:15Z"
    assert run.node("wf.C").started_at == "2024-01-01T00:00:10Z"


def test_task_arguments_see_ancestor_outputs() -> None:
    run = drive(dag("""
    - {name: gen, template: out}
    - name: use
      template: p
      depends: gen
      arguments: {parameters: [{name: msg, value: "{{tasks.gen.outputs.parameters.v}}"}]}
    """), {"wf.gen": Pod(params={"v": "val"})})
    check_workflow(run, "Succeeded")
    assert run.node("wf.use").inputs == {"parameters": [{"name": "msg", "value": "val"}]}


def test_task_status_and_exit_code_variables() -> None:
    run = drive(dag("""
    - {name: A, template: c}
    - name: B
      template: p
      depends: A.Failed
      arguments: {parameters: [{name: msg, value: "{{tasks.A.status}}/{{tasks.A.exitCode}}"}]}
    """), {"wf.A": Pod(exit=3)})
    assert run.node("wf.B").inputs == {"parameters": [{"name": "msg", "value": "Failed/3"}]}


def test_dag_with_several_targets() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        target: "B C"
        tasks:
        - {name: A, template: c}
        - {name: B, template: c, depends: A}
        - {name: C, template: c, depends: A}
        - {name: D, template: c, depends: A}
    """)
    check_nodes(run, {"wf": N("DAG", "Succeeded", "", children=["wf.A"], outbound=["wf.B", "wf.C"]),
                      "wf.A": N("Pod", "Succeeded", children=["wf.B", "wf.C"])})
    assert run.maybe("wf.D") is None


def test_template_fail_fast_completes_without_an_extra_event() -> None:
    run = drive("""
    templates:
    - name: main
      parallelism: 2
      failFast: true
      steps:
      - - {name: step1, template: c}
        - {name: step2, template: c}
    """, {"*.step1": FAIL, "*.step2": Pod(duration=5)}, restep_on_change=False)
    check_workflow(run, "Failed", "template has failed or errored children and failFast enabled")
