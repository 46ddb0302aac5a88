"""Exit handlers (workflow, step, task) and lifecycle hooks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from argoctl.model.ids import pod_name
from tests.engine.harness import ERROR, FAIL, OK, N, Pod, arg, check_nodes, check_workflow, drive

EXIT = """
onExit: bye
templates:
- name: main
  steps: [[{name: a, template: c}]]
- name: bye
  container: {image: alpine, args: ["{{workflow.status}}", "{{workflow.failures}}"]}
"""

# (main outcome, exit outcome, workflow phase, workflow message, workflow.status seen by the handler)
FINAL_PHASE: list[Any] = [
    pytest.param(OK, OK, "Succeeded", "", "Succeeded", id="both-succeed"),
    pytest.param(OK, FAIL, "Failed", "main: Error (exit code 1)", "Succeeded", id="exit-failure-fails-workflow"),
    pytest.param(OK, ERROR, "Error", "pod deleted", "Succeeded", id="exit-error-errors-workflow"),
    pytest.param(FAIL, OK, "Failed", "child '{a}' failed", "Failed", id="exit-success-never-rescues"),
    pytest.param(FAIL, ERROR, "Failed", "child '{a}' failed", "Failed", id="exit-error-keeps-failed-phase"),
    pytest.param(ERROR, OK, "Failed", "child '{a}' failed", "Failed", id="errored-step-fails-steps-root"),
]


@pytest.mark.parametrize(("main", "exit_pod", "phase", "message", "seen"), FINAL_PHASE)
def test_workflow_exit_handler_final_phase(main: Pod, exit_pod: Pod, phase: str, message: str, seen: str) -> None:
    run = drive(EXIT, {"wf[0].a": main, "wf.onExit": exit_pod})
    a_id = run.node("wf[0].a").id
    check_workflow(run, phase, message.format(a=a_id))
    exit_node = run.node("wf.onExit")
    assert (exit_node.type, exit_node.display_name, exit_node.boundary_id) == ("Pod", "wf.onExit", "")
    assert exit_node.node_flag == {"hooked": True}
    request = run.request("wf.onExit")
    assert request.is_exit_handler
    assert request.pod_name == pod_name("wf", "wf.onExit", "bye")
    assert request.template["container"]["args"][0] == seen
    assert exit_node.id not in run.node("wf").children


def test_workflow_failures_variable_is_go_quoted_json() -> None:
    run = drive(EXIT, {"wf[0].a": FAIL})
    text = run.request("wf.onExit").template["container"]["args"][1]
    assert text.startswith('"[{') and text.endswith('}]"')
    failures = json.loads(json.loads(text))
    by_name = {f["displayName"]: f for f in failures}
    assert set(by_name) == {"wf", "[0]", "a"}
    a = by_name["a"]
    assert list(a) == ["displayName", "message", "templateName", "phase", "podName", "finishedAt"]
    assert a == {"displayName": "a", "message": "main: Error (exit code 1)", "templateName": "c",
                 "phase": "Failed", "podName": pod_name("wf", "wf[0].a", "c"),
                 "finishedAt": "2024-01-01T00:00:00Z"}


def test_workflow_failures_is_quoted_null_when_nothing_failed() -> None:
    run = drive(EXIT)
    assert run.request("wf.onExit").template["container"]["args"][1] == '"null"'


def test_hooks_exit_form_with_arguments() -> None:
    run = drive("""
    hooks:
      exit:
        template: p
        arguments: {parameters: [{name: msg, value: "{{workflow.status}}"}]}
    templates:
    - name: main
      steps: [[{name: a, template: c}]]
    """, {"wf[0].a": FAIL})
    check_nodes(run, {"wf.onExit": N("Pod", "Succeeded", display="wf.onExit")})
    assert run.node("wf.onExit").inputs == {"parameters": [{"name": "msg", "value": "Failed"}]}


def test_exit_handler_steps_template_names() -> None:
    run = drive("""
    onExit: bye
    templates:
    - name: main
      steps: [[{name: a, template: c}]]
    - name: bye
      steps: [[{name: x, template: c}]]
    """)
    check_nodes(run, {
        "wf.onExit": N("Steps", "Succeeded", display="wf.onExit", children=["wf.onExit[0]"]),
        "wf.onExit[0]": N("StepGroup", "Succeeded", display="[0]"),
        "wf.onExit[0].x": N("Pod", "Succeeded", display="x"),
    })
    assert run.request("wf.onExit[0].x").is_exit_handler
    check_workflow(run, "Succeeded")


def test_exit_handler_runs_after_root_finishes() -> None:
    run = drive(EXIT, {"wf[0].a": Pod(duration=30), "wf.onExit": Pod(duration=5)})
    assert run.node("wf.onExit").started_at == "2024-01-01T00:00:30Z"
    assert run.state.finished_at == "2024-01-01T00:00:35Z"


STEP_EXIT = """
templates:
- name: main
  steps:
  - - name: a
      template: out
      hooks:
        exit:
          template: p
          arguments: {parameters: [{name: msg, value: "{{steps.a.status}}:{{steps.a.outputs.parameters.v}}"}]}
  - - {name: b, template: c}
"""


def test_step_exit_hook_sees_own_outputs_and_blocks_successors() -> None:
    run = drive(STEP_EXIT, {"wf[0].a": Pod(params={"v": "val"}, duration=5), "wf[0].a.onExit": Pod(duration=5)})
    check_nodes(run, {
        "wf[0].a": N("Pod", "Succeeded", children=["wf[0].a.onExit", "wf[1]"]),
        "wf[0].a.onExit": N("Pod", "Succeeded", display="a.onExit"),
        "wf[1].b": N("Pod", "Succeeded"),
    })
    assert run.node("wf[0].a.onExit").node_flag == {"hooked": True}
    assert arg(run.node("wf[0].a.onExit")) == "Succeeded:val"
    assert run.node("wf[1].b").started_at == "2024-01-01T00:00:10Z"


def test_step_exit_hook_runs_on_failure_but_not_when_skipped() -> None:
    run = drive("""
    templates:
    - name: main
      steps:
      - - {name: a, template: c, onExit: c, continueOn: {failed: true}}
        - {name: s, template: c, onExit: c, when: "false"}
    """, {"wf[0].a": FAIL})
    check_nodes(run, {"wf[0].a.onExit": N("Pod", "Succeeded", display="a.onExit")})
    assert run.maybe("wf[0].s.onExit") is None
    check_workflow(run, "Succeeded")


def test_task_exit_hook() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - {name: A, template: c, hooks: {exit: {template: c}}}
        - {name: B, template: c, depends: A}
    """, {"wf.A": Pod(duration=3), "wf.A.onExit": Pod(duration=4)})
    check_nodes(run, {"wf.A.onExit": N("Pod", "Succeeded", display="A.onExit"),
                      "wf.B": N("Pod", "Succeeded")})
    assert run.node("wf.A.onExit").id in run.node("wf.A").children
    assert run.node("wf.B").started_at == "2024-01-01T00:00:07Z"


def test_failed_exit_hook_of_a_step_does_not_fail_the_step() -> None:
    run = drive(STEP_EXIT, {"wf[0].a": Pod(params={"v": "x"}), "wf[0].a.onExit": FAIL})
    check_nodes(run, {"wf[0].a": N("Pod", "Succeeded"), "wf[0].a.onExit": N("Pod", "Failed")})
    assert run.node("wf[1].b").phase == "Succeeded"


def test_workflow_lifecycle_hook_runs_once() -> None:
    run = drive("""
    hooks:
      running:
        expression: workflow.status == "Running"
        template: c
    templates:
    - name: main
      steps: [[{name: a, template: c}]]
    """, {"wf[0].a": Pod(duration=10)})
    check_nodes(run, {"wf.hooks.running": N("Pod", "Succeeded", display="wf.hooks.running")})
    assert run.node("wf.hooks.running").id in run.node("wf").children
    assert run.started_names().count("wf.hooks.running") == 1
    check_workflow(run, "Succeeded")


def test_workflow_lifecycle_hook_expression_never_true() -> None:
    run = drive("""
    hooks:
      failed:
        expression: workflow.status == "Failed"
        template: c
    templates:
    - name: main
      steps: [[{name: a, template: c}]]
    """)
    assert run.maybe("wf.hooks.failed") is None
    check_workflow(run, "Succeeded")


def test_step_lifecycle_hook_on_running_status() -> None:
    run = drive("""
    templates:
    - name: main
      steps:
      - - name: a
          template: c
          hooks:
            running: {expression: 'steps["a"].status == "Running"', template: c}
            failed: {expression: 'steps["a"].status == "Failed"', template: c}
    """, {"wf[0].a": Pod(duration=10)})
    check_nodes(run, {"wf[0].a.hooks.running": N("Pod", "Succeeded", display="a.hooks.running")})
    assert run.maybe("wf[0].a.hooks.failed") is None
    assert run.node("wf[0].a.hooks.running").node_flag == {"hooked": True}
    check_workflow(run, "Succeeded")


def test_task_lifecycle_hook_on_failure() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - name: A
          template: c
          continueOn: {failed: true}
          hooks:
            failed: {expression: tasks.A.status == "Failed", template: c}
    """, {"wf.A": FAIL})
    check_nodes(run, {"wf.A.hooks.failed": N("Pod", "Succeeded", display="A.hooks.failed")})
    check_workflow(run, "Succeeded")


@pytest.mark.parametrize(("hook_pod", "hook_phase"), [(OK, "Succeeded"), (FAIL, "Failed")])
def test_workflow_hook_on_success_runs_before_completion_and_never_changes_the_phase(
        hook_pod: Pod, hook_phase: str) -> None:
    run = drive("""
    hooks:
      done:
        expression: workflow.status == "Succeeded"
        template: c
    templates:
    - name: main
      steps: [[{name: a, template: c}]]
    """, {"wf[0].a": Pod(duration=5), "wf.hooks.done": Pod(exit=hook_pod.exit, duration=5)})
    check_nodes(run, {"wf.hooks.done": N("Pod", hook_phase)})
    assert run.node("wf.hooks.done").started_at == "2024-01-01T00:00:05Z"
    assert run.state.finished_at == "2024-01-01T00:00:10Z"
    check_workflow(run, "Succeeded", "")

