"""Node wire shape details, daemons, template errors and recursion limits."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.engine.types import EngineEnv
from argoctl.model.ids import node_id
from tests.engine.harness import FAIL, WF, N, Pod, arg, check_nodes, check_workflow, drive

DAEMON = """
templates:
- name: main
  {kind}
- name: daemon
  daemon: true
  container: {{image: redis}}
"""

STEPS_BODY = """steps:
  - - {name: db, template: daemon}
  - - name: use
      template: p
      arguments: {parameters: [{name: msg, value: "{{steps.db.ip}}"}]}"""

DAG_BODY = """dag:
    tasks:
    - {name: db, template: daemon}
    - name: use
      depends: db
      template: p
      arguments: {parameters: [{name: msg, value: "{{tasks.db.ip}}"}]}"""


@pytest.mark.parametrize(("body", "db", "use"), [
    (STEPS_BODY, "wf[0].db", "wf[1].use"), (DAG_BODY, "wf.db", "wf.use"),
])
def test_daemon_lets_successors_run_and_is_killed_with_its_boundary(body: str, db: str, use: str) -> None:
    run = drive(DAEMON.format(kind=body), {"*.db": Pod(daemon=True), "*.use": Pod(duration=5)})
    check_workflow(run, "Succeeded")
    check_nodes(run, {db: N("Pod", "Succeeded", ""), use: N("Pod", "Succeeded", "")})
    daemon = run.node(db)
    assert not daemon.daemoned and daemon.pod_ip == "10.0.0.1"
    assert arg(run.node(use)) == "10.0.0.1"
    assert run.node(use).started_at == "2024-01-01T00:00:00Z"
    assert [(k.node_id, k.reason) for k in run.killed] == [(daemon.id, "daemon step finished")]
    assert run.state.finished_at == "2024-01-01T00:00:05Z"


def test_daemon_that_exits_successfully_is_failed() -> None:
    run = drive(DAEMON.format(kind=STEPS_BODY), {"*.db": Pod(daemon=True, duration=2), "*.use": Pod(duration=5)})
    check_nodes(run, {"wf[0].db": N("Pod", "Failed")})
    check_workflow(run, "Failed")


# (spec, node, expected)
TEMPLATE_ERRORS: list[Any] = [
    pytest.param("""
    templates:
    - name: main
      steps: [[{name: k, template: nothing}]]
    - name: nothing
      metadata: {}
    """, "wf[0].k", N("Skipped", "Error", "Template 'nothing' missing specification"), id="missing-specification"),
    pytest.param("""
    templates:
    - name: main
      steps: [[{name: k, template: ghost}]]
    """, "wf[0].k", N("Skipped", "Error", "template ghost not found"), id="unknown-template"),
    pytest.param("""
    templates:
    - name: main
      steps: [[{name: k, template: req}]]
    - name: req
      http: {url: "http://127.0.0.1:9/"}
    """, "wf[0].k", N("Skipped", "Error", "http templates are not supported by argoctl yet (template 'req')"),
        id="unsupported-http-template"),
]


@pytest.mark.parametrize(("spec", "name", "expected"), TEMPLATE_ERRORS)
def test_template_errors_error_the_node(spec: str, name: str, expected: N) -> None:
    run = drive(spec)
    check_nodes(run, {name: expected})
    group = run.node("wf[0]")
    assert group.phase == "Error"
    assert group.message == f"step group deemed errored due to child {name} error: {run.node(name).message}"
    check_workflow(run, "Failed", group.message)


def test_recursion_depth_limit() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: again, template: main}]]
    """, env=EngineEnv(max_stack_depth=5), max_steps=50)
    deepest = max((n for n in run.state.nodes.values() if n.type == "Skipped"), key=lambda n: len(n.name))
    assert deepest.phase == "Error"
    assert deepest.message.startswith("Maximum recursion depth exceeded.")
    assert not any(n.type == "Pod" for n in run.state.nodes.values())
    assert deepest.name == "wf" + "[0].again" * 4
    check_workflow(run, "Failed", f"child '{node_id(WF, 'wf[0].again')}' failed")


def test_node_progress_field() -> None:
    run = drive("""
    templates:
    - name: main
      steps:
      - - {name: a, template: c, continueOn: {failed: true}}
        - {name: b, template: c}
    """, {"wf[0].a": FAIL})
    wire = run.state.to_wire()["status"]["nodes"]
    assert wire[node_id(WF, "wf[0].a")]["progress"] == "0/1"
    assert wire[node_id(WF, "wf[0].b")]["progress"] == "1/1"
    assert wire[node_id(WF, "wf")]["progress"] == "1/2"
    assert run.status()["progress"] == "1/2"


def test_wire_shape_of_a_pod_node() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, template: p, arguments: {parameters: [{name: msg, value: hi}]}}]]
    """)
    wire = run.node("wf[0].a").to_wire()
    assert wire == {
        "id": node_id(WF, "wf[0].a"), "name": "wf[0].a", "displayName": "a", "type": "Pod", "templateName": "p",
        "templateScope": wire["templateScope"], "phase": "Succeeded", "boundaryID": WF,
        "startedAt": "2024-01-01T00:00:00Z", "finishedAt": "2024-01-01T00:00:00Z",
        "inputs": {"parameters": [{"name": "msg", "value": "hi"}]}, "outputs": {"exitCode": "0"},
    }
    assert "x-argoctl" not in wire
    assert run.node("wf[0].a").to_wire(internal=True)["x-argoctl"]["pod"] == run.request("wf[0].a").pod_name
