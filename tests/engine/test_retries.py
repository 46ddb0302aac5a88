"""retryStrategy: limit, policies, expression, backoff, unlimited, Retry node shape."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.engine.types import WakeAt
from argoctl.model.ids import pod_name
from tests.engine.harness import ERROR, FAIL, OK, N, Pod, check_nodes, check_workflow, drive, ids, outputs


def retried(strategy: str, template: str = "container: {image: alpine}") -> str:
    return f"""
templates:
- name: main
  steps: [[{{name: a, template: r}}]]
- name: r
  retryStrategy: {strategy}
  {template}
"""


TRANSIENT = Pod(phase="Error", message="dial tcp: connection reset by peer")

# (strategy, outcomes of successive attempts, attempts expected, retry phase, retry message)
POLICY: list[Any] = [
    pytest.param("{limit: 2}", [FAIL], 3, "Failed", "No more retries left", id="limit-exhausted"),
    pytest.param("{limit: '2'}", [FAIL], 3, "Failed", "No more retries left", id="limit-as-string"),
    pytest.param("{limit: 2}", [FAIL, OK], 2, "Succeeded", "", id="second-attempt-succeeds"),
    pytest.param("{limit: 0}", [FAIL], 1, "Failed", "No more retries left", id="limit-zero"),
    pytest.param("{limit: 3}", [ERROR], 1, "Error", "pod deleted", id="OnFailure-default-ignores-Error"),
    pytest.param("{limit: 3, retryPolicy: OnFailure}", [FAIL, FAIL, OK], 3, "Succeeded", "", id="OnFailure"),
    pytest.param("{limit: 3, retryPolicy: OnError}", [FAIL], 1, "Failed", "main: Error (exit code 1)",
                 id="OnError-ignores-Failed"),
    pytest.param("{limit: 3, retryPolicy: OnError}", [ERROR, ERROR, OK], 3, "Succeeded", "", id="OnError"),
    pytest.param("{limit: 1, retryPolicy: OnError}", [ERROR], 2, "Error", "No more retries left",
                 id="OnError-exhausted-keeps-last-phase"),
    pytest.param("{limit: 3, retryPolicy: Always}", [FAIL, ERROR, OK], 3, "Succeeded", "", id="Always"),
    pytest.param("{limit: 3, retryPolicy: OnTransientError}", [TRANSIENT, OK], 2, "Succeeded", "",
                 id="OnTransientError-transient"),
    pytest.param("{limit: 3, retryPolicy: OnTransientError}", [FAIL], 1, "Failed", "main: Error (exit code 1)",
                 id="OnTransientError-not-transient"),
    pytest.param("{}", [FAIL, FAIL, FAIL, FAIL, FAIL, OK], 6, "Succeeded", "", id="no-limit-is-unlimited"),
    pytest.param("{limit: 4, expression: 'asInt(lastRetry.exitCode) > 1'}", [FAIL], 1, "Failed",
                 "retryStrategy.expression evaluated to false", id="expression-false-stops"),
    pytest.param("{limit: 2, expression: 'asInt(lastRetry.exitCode) > 1'}", [Pod(exit=2)], 3, "Failed",
                 "No more retries left", id="expression-true-until-limit"),
    pytest.param("{limit: 4, expression: 'lastRetry.status != \"Error\"'}", [FAIL, ERROR], 2, "Error",
                 "retryStrategy.expression evaluated to false", id="expression-implies-Always"),
    pytest.param("{limit: 5, expression: 'asInt(retries) < 2'}", [FAIL], 3, "Failed",
                 "retryStrategy.expression evaluated to false", id="expression-retries-variable"),
    pytest.param("{limit: 4, expression: 'lastRetry.message matches \"exit code 3\"'}", [Pod(exit=3), FAIL], 2,
                 "Failed", "retryStrategy.expression evaluated to false", id="expression-lastRetry-message"),
]


@pytest.mark.parametrize(("strategy", "outcomes", "attempts", "phase", "message"), POLICY)
def test_retry_policy_table(strategy: str, outcomes: list[Pod], attempts: int, phase: str, message: str) -> None:
    run = drive(retried(strategy), {"wf[0].a(*)": outcomes})
    names = [f"wf[0].a({i})" for i in range(attempts)]
    retry = run.node("wf[0].a")
    check_nodes(run, {"wf[0].a": N("Retry", phase, message, display="a", children=names)})
    assert run.started_names() == names
    assert run.maybe(f"wf[0].a({attempts})") is None
    for name in names:
        assert run.node(name).node_flag == {"retried": True}
    check_workflow(run, "Succeeded" if phase == "Succeeded" else "Failed")
    if phase != "Succeeded":
        assert run.state.message == f"child '{retry.id}' failed"


def test_retry_node_takes_last_attempt_outputs_and_pod_names() -> None:
    run = drive(retried("{limit: 2}", """outputs: {parameters: [{name: v, valueFrom: {path: /tmp/v}}]}
  container: {image: alpine, args: ["{{retries}}", "{{pod.name}}"]}"""),
        {"wf[0].a(*)": [Pod(exit=1, params={"v": "first"}), Pod(params={"v": "second"})]})
    retry = run.node("wf[0].a")
    assert retry.outputs == run.node("wf[0].a(1)").outputs
    assert outputs(retry)["parameters"][0]["value"] == "second"
    first, second = run.request("wf[0].a(0)"), run.request("wf[0].a(1)")
    assert first.pod_name == pod_name("wf", "wf[0].a(0)", "r")
    assert first.template["container"]["args"] == ["0", first.pod_name]
    assert second.template["container"]["args"] == ["1", second.pod_name]


def test_workflow_level_retry_strategy_applies_to_every_template() -> None:
    """Argo's woc.retryStrategy falls back to spec.retryStrategy for any template, the entrypoint too."""
    run = drive("""
    retryStrategy: {limit: 1}
    templates:
    - name: main
      steps: [[{name: a, template: c}]]
    """, {"*": FAIL})
    check_nodes(run, {
        "wf": N("Retry", "Failed", "No more retries left", children=["wf(0)", "wf(1)"]),
        "wf(0)": N("Steps", "Failed", display="wf(0)"),
        "wf(0)[0].a": N("Retry", "Failed", "No more retries left", children=["wf(0)[0].a(0)", "wf(0)[0].a(1)"]),
        "wf(1)[0].a(1)": N("Pod", "Failed"),
    })
    assert len(run.started) == 4
    check_workflow(run, "Failed", "No more retries left")


def backoff(extra: str) -> str:
    return retried("{limit: 3, backoff: {" + extra + "}}")


# (backoff fields, attempt start offsets in seconds)
BACKOFF: list[Any] = [
    pytest.param("duration: '10s'", [0, 10, 20, 30], id="constant"),
    pytest.param("duration: 10, factor: 2", [0, 10, 30, 70], id="factor"),
    pytest.param("duration: '10s', factor: 2, cap: '15s'", [0, 10, 25, 40], id="cap"),
    pytest.param("duration: '1m'", [0, 60, 120, 180], id="go-duration"),
]


@pytest.mark.parametrize(("fields", "offsets"), BACKOFF)
def test_backoff_schedule(fields: str, offsets: list[int]) -> None:
    run = drive(backoff(fields), {"wf[0].a(*)": FAIL})
    starts = [run.node(f"wf[0].a({i})").started_at for i in range(4)]
    assert starts == [f"2024-01-01T00:{o // 60:02d}:{o % 60:02d}Z" for o in offsets]
    check_nodes(run, {"wf[0].a": N("Retry", "Failed", "No more retries left")})


@pytest.mark.parametrize(("fields", "wait", "message"), [
    ("duration: '10s'", 10, "Backoff for 10 seconds"),
    ("duration: 1", 1, "Backoff for 1 second"),
    ("duration: 90", 90, "Backoff for 1 minute 30 seconds"),
    ("duration: '2h'", 7200, "Backoff for 2 hours 0 minutes"),
])
def test_backoff_message_and_wake_up(fields: str, wait: int, message: str) -> None:
    from datetime import timedelta

    from tests.engine.harness import T0

    run = drive(backoff(fields), {"wf[0].a(*)": FAIL}, max_seconds=wait / 2)
    retry = run.node("wf[0].a")
    assert (retry.phase, retry.message) == ("Running", message)
    assert run.state.phase == "Running"
    assert T0 + timedelta(seconds=wait) in run.wakes
    assert run.started_names() == ["wf[0].a(0)"]


def test_backoff_emits_wake_at_for_the_next_attempt() -> None:
    from datetime import timedelta

    from argoctl.engine.reconcile import step
    from argoctl.engine.simulate import new_workflow
    from argoctl.model.pods import PodUpdate
    from tests.engine.harness import T0, manifest

    state = new_workflow(manifest(backoff("duration: '10s'")), name="wf")
    state, actions = step(state, [], now=T0)
    request = next(a.request for a in actions if hasattr(a, "request"))
    failed = PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Failed",
                       message="main: Error (exit code 1)", outputs={"exitCode": "1"},
                       finished_at="2024-01-01T00:00:00Z")
    state, actions = step(state, [failed], now=T0)
    assert WakeAt(at=T0 + timedelta(seconds=10)) in actions
    assert not any(hasattr(a, "request") for a in actions)
    state, actions = step(state, [], now=T0 + timedelta(seconds=10))
    assert [a.request.node_name for a in actions if hasattr(a, "request")] == ["wf[0].a(1)"]


@pytest.mark.parametrize(("fields", "message"), [
    ("duration: '10s', maxDuration: '12s'", "Backoff would exceed max duration limit"),
    ("duration: '10s', maxDuration: '15s'", "Max duration limit exceeded"),
])
def test_backoff_max_duration(fields: str, message: str) -> None:
    pods = {"wf[0].a(*)": Pod(exit=1, duration=3)}
    run = drive(retried("{limit: 10, backoff: {" + fields + "}}"), pods)
    check_nodes(run, {"wf[0].a": N("Retry", "Failed", message)})


def test_retry_of_steps_template_reruns_whole_subgraph() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, template: inner}]]
    - name: inner
      retryStrategy: {limit: 1}
      steps: [[{name: x, template: c}]]
    """, {"wf[0].a(0)[0].x": FAIL})
    check_nodes(run, {
        "wf[0].a": N("Retry", "Succeeded", "", children=["wf[0].a(0)", "wf[0].a(1)"]),
        "wf[0].a(0)": N("Steps", "Failed"),
        "wf[0].a(0)[0].x": N("Pod", "Failed"),
        "wf[0].a(1)": N("Steps", "Succeeded"),
        "wf[0].a(1)[0].x": N("Pod", "Succeeded"),
    })
    check_workflow(run, "Succeeded")


def test_dag_dependents_hang_off_the_last_attempt() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - {name: A, template: r}
        - {name: B, template: c, depends: A}
    - name: r
      retryStrategy: {limit: 2}
      container: {image: alpine}
    """, {"wf.A(*)": [FAIL, OK]})
    check_nodes(run, {
        "wf.A": N("Retry", "Succeeded", "", children=["wf.A(0)", "wf.A(1)"]),
        "wf.A(0)": N("Pod", "Failed", children=[]),
        "wf.A(1)": N("Pod", "Succeeded", children=["wf.B"]),
        "wf": N("DAG", "Succeeded", outbound=["wf.B"]),
    })
    assert ids("wf.A(1)") == [run.node("wf.A").children[-1]]


def test_retry_is_not_attempted_after_stop() -> None:
    from argoctl.engine.types import Shutdown
    from tests.engine.harness import At

    run = drive(retried("{limit: 5, backoff: {duration: '10s'}}"), {"wf[0].a(*)": FAIL},
                commands=[At(5, Shutdown("Stop"))])
    check_nodes(run, {"wf[0].a": N("Retry", "Failed", "Stopped with strategy 'Stop'")})
    assert run.started_names() == ["wf[0].a(0)"]
    check_workflow(run, "Failed", "Stopped with strategy 'Stop'")


def test_no_retry_after_the_workflow_deadline() -> None:
    run = drive("""
    activeDeadlineSeconds: 10
    templates:
    - name: main
      steps: [[{name: a, template: r}]]
    - name: r
      retryStrategy: {limit: 5, backoff: {duration: 30}}
      container: {image: alpine}
    """, {"*": FAIL}, wake_slack=1)
    check_nodes(run, {"wf[0].a": N("Retry", "Failed", "retry exceeded workflow deadline 2024-01-01 00:00:10 +0000 UTC",
                                   children=["wf[0].a(0)"])})
    assert run.node("wf[0].a").finished_at == "2024-01-01T00:00:11Z"
    check_workflow(run, "Failed")
