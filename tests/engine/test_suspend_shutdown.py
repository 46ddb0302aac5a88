"""Suspend templates, resume / node set / suspend commands, stop and terminate."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.engine import commands
from argoctl.engine.types import KillPod, Resume, SetNode, Shutdown, Suspend
from argoctl.errors import UsageError
from argoctl.model.workflow import WorkflowState
from tests.engine.harness import At, N, Pod, When, arg, check_nodes, check_workflow, drive, outputs


def active(name: str, phase: str = "Running") -> Any:
    def predicate(state: WorkflowState) -> bool:
        return any(n.name == name and n.phase == phase for n in state.nodes.values())
    return predicate


APPROVAL = """
templates:
- name: main
  steps:
  - - {name: approve, template: approve}
  - - name: use
      template: p
      arguments: {parameters: [{name: msg, value: "{{steps.approve.outputs.parameters.ok}}"}]}
- name: approve
  suspend: {}
  outputs:
    parameters:
    - name: ok
      valueFrom: {supplied: {}, default: "no"}
"""

SLEEP = """
templates:
- name: main
  steps:
  - - {{name: wait, template: wait}}
  - - {{name: after, template: c}}
- name: wait
  suspend: {{duration: {duration}}}
"""


def test_suspend_node_waits_for_resume() -> None:
    run = drive(APPROVAL, max_seconds=30)
    check_nodes(run, {"wf[0].approve": N("Suspend", "Running", "", display="approve")})
    check_workflow(run, "Running")
    assert run.status()["progress"] == "0/1"
    resumed = drive(APPROVAL, commands=[At(30, Resume())])
    check_nodes(resumed, {"wf[0].approve": N("Suspend", "Succeeded", "")})
    assert resumed.node("wf[0].approve").finished_at == "2024-01-01T00:00:30Z"
    assert arg(resumed.node("wf[1].use")) == "no"
    assert resumed.status()["progress"] == "2/2"
    check_workflow(resumed, "Succeeded")


def test_node_set_supplies_outputs_then_resume() -> None:
    run = drive(APPROVAL, commands=[
        At(5, SetNode("displayName=approve", output_parameters={"ok": "yes"}, message="approved by ann")),
        At(6, Resume()),
    ])
    approve = run.node("wf[0].approve")
    assert outputs(approve)["parameters"][0]["value"] == "yes"
    assert approve.message == "approved by ann"
    assert arg(run.node("wf[1].use")) == "yes"


def test_node_set_phase_failed_fails_the_workflow() -> None:
    run = drive(APPROVAL, commands=[At(5, SetNode("displayName=approve", phase="Failed", message="rejected"))])
    check_nodes(run, {"wf[0].approve": N("Suspend", "Failed", "rejected")})
    check_workflow(run, "Failed", f"child '{run.node('wf[0].approve').id}' failed")
    assert run.maybe("wf[1].use") is None


def test_resume_without_value_or_default_is_refused() -> None:
    run = drive(APPROVAL.replace(', default: "no"', ""), max_seconds=5)
    with pytest.raises(UsageError, match="raw output parameter 'ok' has not been set and does not have a default value"):
        commands.resume(run.state, "2024-01-01T00:00:05Z")


@pytest.mark.parametrize(("duration", "seconds"), [("'10s'", 10), ("20", 20), ("'1m'", 60)])
def test_suspend_duration_expires(duration: str, seconds: int) -> None:
    run = drive(SLEEP.format(duration=duration))
    check_nodes(run, {"wf[0].wait": N("Suspend", "Succeeded", "")})
    assert run.node("wf[1].after").started_at == f"2024-01-01T00:{seconds // 60:02d}:{seconds % 60:02d}Z"
    check_workflow(run, "Succeeded")


def test_suspend_duration_expiry_uses_supplied_default() -> None:
    run = drive(APPROVAL.replace("suspend: {}", "suspend: {duration: '5'}"))
    assert outputs(run.node("wf[0].approve"))["parameters"][0]["value"] == "no"
    check_workflow(run, "Succeeded")


def test_suspend_and_resume_the_workflow() -> None:
    spec = """
    templates:
    - name: main
      steps:
      - - {name: a, template: c}
      - - {name: b, template: c}
    """
    run = drive(spec, {"wf[0].a": Pod(duration=10)}, commands=[At(5, Suspend()), At(100, Resume())])
    assert run.node("wf[1].b").started_at == "2024-01-01T00:01:40Z"
    assert run.node("wf[0].a").finished_at == "2024-01-01T00:00:10Z"
    check_workflow(run, "Succeeded")


STOPPABLE = """
onExit: bye
templates:
- name: main
  steps:
  - - {name: a, template: c}
    - {name: s, template: sus}
  - - {name: b, template: c}
- name: bye
  container: {image: alpine, args: ["{{workflow.status}}"]}
"""

# (strategy, exit handler expected to run)
SHUTDOWN: list[Any] = [
    pytest.param("Stop", True, id="stop-runs-exit-handler"),
    pytest.param("Terminate", False, id="terminate-skips-exit-handler"),
]


@pytest.mark.parametrize(("strategy", "exit_runs"), SHUTDOWN)
def test_shutdown_table(strategy: str, exit_runs: bool) -> None:
    run = drive(STOPPABLE, {"wf[0].a": Pod(duration=60)}, commands=[At(10, Shutdown(strategy))])
    check_nodes(run, {
        "wf[0].a": N("Pod", "Failed", f"workflow shutdown with strategy:  {strategy}"),
        "wf[0].s": N("Suspend", "Failed", f"Stopped with strategy '{strategy}'"),
    })
    assert run.maybe("wf[1].b") is None
    assert [k.pod_name for k in run.killed] == [run.request("wf[0].a").pod_name]
    assert isinstance(run.killed[0], KillPod)
    check_workflow(run, "Failed", f"Stopped with strategy '{strategy}'")
    assert run.state.finished_at == "2024-01-01T00:00:10Z"
    if exit_runs:
        check_nodes(run, {"wf.onExit": N("Pod", "Succeeded")})
        assert run.request("wf.onExit").template["container"]["args"] == ["Failed"]
    else:
        assert run.maybe("wf.onExit") is None


@pytest.mark.parametrize(("strategy", "exit_phase", "killed"), [
    ("Stop", "Succeeded", False), ("Terminate", "Failed", True),
])
def test_shutdown_while_exit_handler_runs(strategy: str, exit_phase: str, killed: bool) -> None:
    run = drive(STOPPABLE.replace("    - {name: s, template: sus}\n", ""),
                {"wf.onExit": Pod(duration=30)},
                commands=[When(active("wf.onExit"), Shutdown(strategy))])
    check_nodes(run, {"wf.onExit": N("Pod", exit_phase)})
    assert bool(run.killed) is killed
    check_workflow(run, "Succeeded" if exit_phase == "Succeeded" else "Failed")


def test_stop_dag_starts_nothing_new() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - {name: A, template: c}
        - {name: B, template: c, depends: A}
    """, {"wf.A": Pod(duration=60)}, commands=[At(5, Shutdown("Stop"))])
    check_nodes(run, {"wf.A": N("Pod", "Failed", "workflow shutdown with strategy:  Stop"),
                      "wf": N("DAG", "Failed")})
    assert run.started_names() == ["wf.A"]
    check_workflow(run, "Failed", "Stopped with strategy 'Stop'")


def test_stop_with_node_selector_fails_only_matching_suspend_nodes() -> None:
    run = drive("""
    templates:
    - name: main
      steps:
      - - {name: x, template: sus}
        - {name: y, template: sus}
    """, commands=[At(5, Shutdown("Stop", node_field_selector="displayName=x", message="no thanks")),
                   At(9, Resume())])
    check_nodes(run, {"wf[0].x": N("Suspend", "Failed", "no thanks"), "wf[0].y": N("Suspend", "Succeeded")})
    assert "shutdown" not in run.state.spec
    check_workflow(run, "Failed")


def test_suspend_completed_workflow_is_refused() -> None:
    run = drive("entrypoint: c")
    with pytest.raises(UsageError, match="cannot suspend completed workflows"):
        commands.suspend(run.state)
