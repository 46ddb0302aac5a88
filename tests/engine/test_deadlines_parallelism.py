"""activeDeadlineSeconds, template timeout/pendingTimeout, workflow and template parallelism."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.harness import POD_DEADLINE_MESSAGE, N, Pod, check_nodes, check_workflow, drive

DEADLINE = """
activeDeadlineSeconds: 10
onExit: bye
templates:
- name: main
  steps:
  - - {name: a, template: c}
    - {name: s, template: sus}
  - - {name: b, template: c}
- name: bye
  container: {image: alpine}
"""


def test_workflow_deadline_kills_pods_and_fails_suspend_nodes() -> None:
    run = drive(DEADLINE, {"wf[0].a": Pod(duration=60), "wf.onExit": Pod(duration=30)}, wake_slack=1)
    check_nodes(run, {
        "wf[0].a": N("Pod", "Failed", "Step exceeded its deadline"),
        "wf[0].s": N("Suspend", "Failed", "Step exceeded its deadline"),
        "wf.onExit": N("Pod", "Succeeded"),
    })
    assert run.maybe("wf[1].b") is None
    assert [k.pod_name for k in run.killed] == [run.request("wf[0].a").pod_name]
    assert run.node("wf[0].a").finished_at == "2024-01-01T00:00:11Z"
    check_workflow(run, "Failed")
    assert run.state.finished_at == "2024-01-01T00:00:41Z"


def test_pod_requests_carry_the_workflow_deadline_but_exit_handlers_do_not() -> None:
    run = drive(DEADLINE, {"wf[0].a": Pod(duration=60), "wf.onExit": Pod(duration=30)}, wake_slack=1)
    request = run.request("wf[0].a")
    assert request.deadline == "2024-01-01T00:00:10Z"
    assert dict(request.env)["ARGO_DEADLINE"] == "2024-01-01T00:00:10Z"
    exit_request = run.request("wf.onExit")
    assert exit_request.deadline is None
    assert exit_request.is_exit_handler


def test_workflow_deadline_enforced_when_woken_exactly_on_time() -> None:
    run = drive(DEADLINE.replace("    - {name: s, template: sus}\n", ""), {"wf[0].a": Pod(duration=60)})
    check_nodes(run, {"wf[0].a": N("Pod", "Failed", "Step exceeded its deadline")})
    # argoctl enforces the deadline at the deadline (Argo's next reconcile comes just after it)
    assert run.node("wf[0].a").finished_at == "2024-01-01T00:00:10Z"


def test_pending_timeout_enforced_when_woken_exactly_on_time() -> None:
    run = drive(TIMEOUT.format(field="timeout", value="10"), {"wf[0].a": Pod(pending=True, duration=60)})
    check_nodes(run, {"wf[0].a": N("Pod", "Failed", "timeout")})
    assert run.node("wf[0].a").finished_at == "2024-01-01T00:00:11Z"


def test_no_new_pods_after_the_deadline() -> None:
    run = drive("""
    activeDeadlineSeconds: 5
    templates:
    - name: main
      steps:
      - - {name: s, template: sus}
      - - {name: b, template: c}
    """, wake_slack=1)
    check_nodes(run, {"wf[0].s": N("Suspend", "Failed", "Step exceeded its deadline")})
    assert run.started == []
    check_workflow(run, "Failed", f"child '{run.node('wf[0].s').id}' failed")


def test_template_active_deadline_seconds_is_the_pod_deadline() -> None:
    run = drive("""
    templates:
    - name: main
      steps:
      - - name: fanout
          template: echo
          arguments: {parameters: [{name: item, value: "{{item}}"}]}
          withItems: [1, 2]
    - name: echo
      inputs: {parameters: [{name: item}]}
      activeDeadlineSeconds: 2
      container: {image: alpine, args: ["{{inputs.parameters.item}}"]}
    """, {"*": Pod(duration=20)}, backend_deadlines=True)
    for name in ("wf[0].fanout(0:1)", "wf[0].fanout(1:2)"):
        assert run.request(name).deadline == "2024-01-01T00:00:02Z"
        check_nodes(run, {name: N("Pod", "Failed", POD_DEADLINE_MESSAGE)})
    check_workflow(run, "Failed")


TIMEOUT = """
templates:
- name: main
  steps: [[{{name: a, template: t}}]]
- name: t
  {field}: {value}
  container: {{image: alpine}}
"""

# (field, value, pod outcome, expected node, expected pod deadline)
TIMEOUTS: list[Any] = [
    pytest.param("timeout", "'10s'", Pod(pending=True, duration=60), N("Pod", "Failed", "timeout"),
                 "2024-01-01T00:00:10Z", id="timeout-while-pending"),
    pytest.param("timeout", "10", Pod(duration=5), N("Pod", "Succeeded", ""), "2024-01-01T00:00:10Z",
                 id="timeout-not-reached"),
    pytest.param("timeout", "'10s'", Pod(duration=60), N("Pod", "Failed", POD_DEADLINE_MESSAGE),
                 "2024-01-01T00:00:10Z", id="timeout-running-pod-killed-by-its-deadline"),
    pytest.param("pendingTimeout", "'10s'", Pod(pending=True, duration=60), N("Pod", "Failed", "timeout"),
                 None, id="pendingTimeout"),
    pytest.param("pendingTimeout", "'10s'", Pod(duration=60), N("Pod", "Succeeded", ""), None,
                 id="pendingTimeout-running-is-fine"),
]


@pytest.mark.parametrize(("field", "value", "pod", "expected", "pod_deadline"), TIMEOUTS)
def test_template_timeouts(field: str, value: str, pod: Pod, expected: N, pod_deadline: str | None) -> None:
    run = drive(TIMEOUT.format(field=field, value=value), {"wf[0].a": pod}, backend_deadlines=not pod.pending,
                wake_slack=1)
    check_nodes(run, {"wf[0].a": expected})
    assert run.request("wf[0].a").deadline == pod_deadline
    if expected.message == "timeout":
        assert [k.node_id for k in run.killed] == [run.node("wf[0].a").id]
        check_nodes(run, {"wf[0]": N("StepGroup", "Failed", "timeout")})
        check_workflow(run, "Failed", "timeout")


def fan(n: int, extra: str = "", workflow: str = "", kind: str = "steps") -> str:
    items = ", ".join(str(i) for i in range(n))
    body = (f"""  steps:
  - - name: w
      template: p
      arguments: {{parameters: [{{name: msg, value: "{{{{item}}}}"}}]}}
      withItems: [{items}]""" if kind == "steps" else f"""  dag:
    tasks:
    - name: w
      template: p
      arguments: {{parameters: [{{name: msg, value: "{{{{item}}}}"}}]}}
      withItems: [{items}]""")
    return f"""
{workflow}templates:
- name: main
{extra}{body}
"""


# (spec, limit)
PARALLELISM: list[Any] = [
    pytest.param(fan(10, workflow="parallelism: 3\n"), 3, id="workflow-steps"),
    pytest.param(fan(10, workflow="parallelism: 1\n", kind="dag"), 1, id="workflow-dag"),
    pytest.param(fan(10, extra="  parallelism: 2\n"), 2, id="template-steps"),
    pytest.param(fan(10, extra="  parallelism: 4\n", kind="dag"), 4, id="template-dag"),
    pytest.param(fan(5, extra="  parallelism: 2\n", workflow="parallelism: 1\n"), 1, id="workflow-wins"),
]


@pytest.mark.parametrize(("spec", "limit"), PARALLELISM)
def test_never_more_than_n_pods_outstanding(spec: str, limit: int) -> None:
    run = drive(spec, {"*": Pod(duration=10)})
    check_workflow(run, "Succeeded")
    assert run.max_outstanding == limit
    total = len(run.started)
    assert total in (5, 10)
    assert run.state.finished_at is not None
    waves = -(-total // limit)
    assert run.state.finished_at == f"2024-01-01T00:{(waves * 10) // 60:02d}:{(waves * 10) % 60:02d}Z"


def test_template_parallelism_counts_nested_boundaries() -> None:
    run = drive("""
    templates:
    - name: main
      parallelism: 1
      steps:
      - - {name: x, template: inner}
        - {name: y, template: inner}
    - name: inner
      steps: [[{name: a, template: c}, {name: b, template: c}]]
    """, {"*": Pod(duration=10)})
    check_workflow(run, "Succeeded")
    assert run.max_outstanding == 2
    assert run.node("wf[0].y").started_at == "2024-01-01T00:00:10Z"
