"""``argo retry`` (reset algorithm) and ``argo resubmit --memoized`` (engine/rerun.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from argoctl.engine.rerun import resubmit_workflow, retry_workflow
from argoctl.errors import UsageError
from argoctl.model.ids import node_id, pod_name
from argoctl.model.workflow import WorkflowState
from tests.engine.harness import FAIL, T0, WF, N, Pod, Run, check_nodes, check_workflow, drive, outputs

NOW = "2024-01-02T00:00:00Z"

STEPS3 = """
onExit: c
templates:
- name: main
  steps:
  - - {name: a, template: c}
  - - {name: b, template: c}
  - - {name: x, template: c}
"""

DIAMOND = """
templates:
- name: main
  dag:
    tasks:
    - {name: A, template: c}
    - {name: B, template: c, depends: A}
    - {name: C, template: c, depends: A}
    - {name: D, template: c, depends: B && C}
"""

RETRIED = """
templates:
- name: main
  steps:
  - - {name: ok, template: c}
    - {name: a, template: r}
- name: r
  retryStrategy: {limit: 1}
  container: {image: alpine}
"""

LOOP = """
templates:
- name: main
  dag:
    tasks:
    - name: L
      template: p
      arguments: {parameters: [{name: msg, value: "{{item}}"}]}
      withItems: [x, y]
    - {name: M, template: c, depends: L}
"""

# (spec, first-run pods, kwargs, deleted, reset (Running), kept unchanged, pods deleted)
RETRY: list[Any] = [
    pytest.param(STEPS3, {"wf[1].b": FAIL}, {},
                 ["wf[1].b", "wf.onExit"], ["wf", "wf[1]"], ["wf[0]", "wf[0].a"],
                 ["wf[1].b", "wf.onExit"], id="steps-failed-step-and-exit-handler"),
    pytest.param(DIAMOND, {"wf.B": FAIL}, {},
                 ["wf.B", "wf.D"], ["wf"], ["wf.A", "wf.C"], ["wf.B"], id="dag-failed-task-and-dependents"),
    pytest.param(RETRIED, {"wf[0].a(*)": FAIL}, {},
                 ["wf[0].a(0)", "wf[0].a(1)"], ["wf", "wf[0]", "wf[0].a"], ["wf[0].ok"],
                 ["wf[0].a(0)", "wf[0].a(1)"], id="retry-node-reset-attempts-deleted"),
    pytest.param(LOOP, {"wf.L(1:y)": FAIL}, {},
                 ["wf.L(1:y)", "wf.M"], ["wf", "wf.L"], ["wf.L(0:x)"], ["wf.L(1:y)"],
                 id="failed-loop-child-with-succeeded-sibling"),
    pytest.param(STEPS3, {}, {"restart_successful": True, "node_field_selector": "displayName=b"},
                 ["wf[1].b", "wf[2]", "wf[2].x", "wf.onExit"], ["wf", "wf[1]"], ["wf[0].a"],
                 ["wf[1].b", "wf[2].x", "wf.onExit"], id="restart-successful-with-selector"),
]


def _first_run(spec: str, pods: dict[str, Any]) -> Run:
    return drive(spec, pods)


@pytest.mark.parametrize(("spec", "pods", "kwargs", "deleted", "reset", "kept", "pods_deleted"), RETRY)
def test_retry_reset_table(spec: str, pods: dict[str, Any], kwargs: dict[str, Any], deleted: list[str],
                           reset: list[str], kept: list[str], pods_deleted: list[str]) -> None:
    first = _first_run(spec, pods)
    retried, pod_names = retry_workflow(first.state, NOW, **kwargs)
    for name in deleted:
        assert node_id(WF, name) not in retried.nodes, f"{name} should be deleted"
    for name in reset:
        node = retried.nodes[node_id(WF, name)]
        assert (node.phase, node.message, node.started_at, node.finished_at) == ("Running", "", NOW, None), name
    for name in kept:
        assert retried.nodes[node_id(WF, name)] == first.state.nodes[node_id(WF, name)].with_(
            children=retried.nodes[node_id(WF, name)].children,
            outbound_nodes=retried.nodes[node_id(WF, name)].outbound_nodes), name
    survivors = set(retried.nodes)
    for node in retried.nodes.values():
        assert set(node.children) <= survivors and set(node.outbound_nodes) <= survivors
    assert sorted(pod_names) == sorted(first.request(n).pod_name for n in pods_deleted)


def _continue(state: WorkflowState, pods: dict[str, Any] | None = None) -> Run:
    return drive({}, pods, state=state)


@pytest.mark.parametrize(("spec", "pods", "rerun"), [
    (STEPS3, {"wf[1].b": FAIL}, ["wf[1].b", "wf[2].x", "wf.onExit"]),
    (DIAMOND, {"wf.B": FAIL}, ["wf.B", "wf.D"]),
    (RETRIED, {"wf[0].a(*)": FAIL}, ["wf[0].a(0)"]),
    (LOOP, {"wf.L(1:y)": FAIL}, ["wf.L(1:y)", "wf.M"]),
])
def test_retried_workflow_reruns_only_what_was_reset(spec: str, pods: dict[str, Any], rerun: list[str]) -> None:
    first = _first_run(spec, pods)
    retried, _ = retry_workflow(first.state, "2024-01-01T01:00:00Z")
    second = _continue(retried)
    check_workflow(second, "Succeeded", "")
    assert sorted(second.started_names()) == sorted(rerun)


def test_retry_resets_workflow_fields() -> None:
    first = drive(STEPS3.replace("onExit: c\n", "activeDeadlineSeconds: 0\n"), {"wf[0].a": FAIL})
    failed = first.state.with_(spec={**first.state.spec, "shutdown": "Stop", "activeDeadlineSeconds": 0})
    retried, _ = retry_workflow(failed, NOW)
    assert (retried.phase, retried.message, retried.started_at, retried.finished_at) == ("", "", NOW, None)
    assert "shutdown" not in retried.spec and "activeDeadlineSeconds" not in retried.spec
    labels = retried.metadata.get("labels") or {}
    assert "workflows.argoproj.io/completed" not in labels
    assert {"type": "Completed", "status": "False"} in retried.conditions


@pytest.mark.parametrize(("phase", "kwargs", "message"), [
    ("Running", {}, "Cannot retry a workflow in phase Running"),
    ("Succeeded", {}, "To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector"),
    ("Succeeded", {"restart_successful": True},
     "To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector"),
])
def test_retry_refuses(phase: str, kwargs: dict[str, Any], message: str) -> None:
    state = drive(STEPS3).state.with_(phase=phase)
    with pytest.raises(UsageError, match=message):
        retry_workflow(state, NOW, **kwargs)


def test_retry_with_parameters_reexpands_loops() -> None:
    spec = """
    arguments: {parameters: [{name: items, value: '["x", "y"]'}]}
    templates:
    - name: main
      steps:
      - - name: L
          template: p
          arguments: {parameters: [{name: msg, value: "{{item}}"}]}
          withParam: "{{workflow.parameters.items}}"
    """
    first = drive(spec, {"wf[0].L(1:y)": FAIL})
    retried, _ = retry_workflow(first.state, NOW, parameters=[("items", '["x", "y", "z"]')])
    assert retried.spec["arguments"]["parameters"][0]["value"] == '["x", "y", "z"]'
    assert node_id(WF, "wf[0].L(0:x)") not in retried.nodes
    second = _continue(retried)
    check_workflow(second, "Succeeded")
    assert sorted(second.started_names()) == ["wf[0].L(0:x)", "wf[0].L(1:y)", "wf[0].L(2:z)"]


def test_retry_restarting_a_suspend_node_recreates_it() -> None:
    spec = """
    templates:
    - name: main
      steps:
      - - {name: s, template: approve}
      - - {name: b, template: c}
    - name: approve
      suspend: {duration: "5"}
      outputs: {parameters: [{name: ok, valueFrom: {supplied: {}, default: "yes"}}]}
    """
    first = drive(spec, {"wf[1].b": FAIL})
    retried, _ = retry_workflow(first.state, "2024-01-01T01:00:00Z", restart_successful=True,
                                node_field_selector="displayName=s")
    assert node_id(WF, "wf[0].s") not in retried.nodes
    assert node_id(WF, "wf[1].b") not in retried.nodes
    second = drive({}, state=retried, start=T0 + timedelta(hours=1))
    check_workflow(second, "Succeeded")
    check_nodes(second, {"wf[0].s": N("Suspend", "Succeeded")})
    assert outputs(second.node("wf[0].s"))["parameters"][0]["value"] == "yes"
    assert second.node("wf[0].s").started_at == "2024-01-01T01:00:00Z"


def test_resubmit_plain_copies_spec_and_labels() -> None:
    first = drive(STEPS3, {"wf[1].b": FAIL})
    state = first.state.with_(metadata={**first.state.metadata, "generateName": "wf-",
                                        "labels": {**first.state.labels, "team": "x",
                                                   "workflows.argoproj.io/creator": "someone"}})
    manifest = resubmit_workflow(state, "wf-new", NOW)
    labels = manifest["metadata"]["labels"]
    assert labels == {"team": "x", "workflows.argoproj.io/resubmitted-from-workflow": "wf"}
    assert manifest["metadata"]["generateName"] == "wf-"
    assert manifest["spec"] == first.state.spec
    assert "status" not in manifest


def test_resubmit_memoized_rewrites_nodes() -> None:
    first = drive(STEPS3 + "  - - {name: never, template: c, when: 'false'}\n", {"wf[1].b": FAIL})
    new = "wf-new"
    wire = resubmit_workflow(first.state, new, NOW, memoized=True)
    nodes = wire["status"]["nodes"]
    by_name = {n["name"]: n for n in nodes.values()}
    assert wire["status"]["phase"] == ""
    assert set(by_name) == {new, f"{new}[0]", f"{new}[0].a", f"{new}[1]", f"{new}[1].b"}
    assert all(nid == node_id(new, n["name"]) for nid, n in nodes.items())
    a = by_name[f"{new}[0].a"]
    assert (a["type"], a["phase"], a["message"]) == ("Skipped", "Skipped",
                                                     f"original pod: {node_id(WF, 'wf[0].a')}")
    assert a["outputs"] == {"exitCode": "0"}
    b = by_name[f"{new}[1].b"]
    assert (b["type"], b["phase"]) == ("Pod", "Pending")
    assert "message" not in b and "startedAt" not in b and "finishedAt" not in b
    assert by_name[new]["phase"] == "Pending"
    assert by_name[f"{new}[0]"]["children"] == [node_id(new, f"{new}[0].a")]
    assert by_name[f"{new}[1].b"]["boundaryID"] == new


def test_resubmitted_memoized_workflow_runs_only_failed_pods() -> None:
    first = drive(STEPS3, {"wf[1].b": FAIL})
    wire = resubmit_workflow(first.state, "wf", NOW, memoized=True)
    wire["metadata"].update({"namespace": "argo", "creationTimestamp": "2024-01-01T00:00:00Z"})
    second = _continue(WorkflowState.from_wire(wire))
    check_workflow(second, "Succeeded")
    assert sorted(second.started_names()) == ["wf.onExit", "wf[1].b", "wf[2].x"]
    check_nodes(second, {"wf[0].a": N("Skipped", "Skipped"), "wf[1].b": N("Pod", "Succeeded")})
    assert second.request("wf[1].b").pod_name == pod_name(WF, "wf[1].b", "c")


def test_resubmit_memoized_requires_a_failed_workflow() -> None:
    with pytest.raises(UsageError, match="workflow must be Failed/Error to resubmit in memoized mode"):
        resubmit_workflow(drive(STEPS3).state, "wf-new", NOW, memoized=True)


def test_resubmit_memoized_drops_omitted_nodes() -> None:
    first = drive(DIAMOND, {"wf.B": FAIL})
    assert first.node("wf.D").phase == "Omitted"
    wire = resubmit_workflow(first.state, "wf-new", NOW, memoized=True)
    names = {n["name"] for n in wire["status"]["nodes"].values()}
    assert "wf-new.D" not in names


def test_retry_parameter_overrides_follow_argo_order_and_may_add() -> None:
    spec = """
    arguments: {parameters: [{name: keep, value: k}, {name: change, value: old}]}
    templates:
    - name: main
      steps: [[{name: a, template: c}]]
    """
    first = drive(spec, {"wf[0].a": FAIL})
    retried, _ = retry_workflow(first.state, NOW, parameters=[("change", "new"), ("extra", "x")])
    assert retried.spec["arguments"]["parameters"] == [
        {"name": "change", "value": "new"}, {"name": "extra", "value": "x"}, {"name": "keep", "value": "k"}]


def test_resubmit_memoized_times_and_conditions() -> None:
    first = drive(STEPS3, {"wf[0].a": Pod(duration=30), "wf[1].b": FAIL})
    wire = resubmit_workflow(first.state, "wf-new", NOW, memoized=True)
    by_name = {n["name"]: n for n in wire["status"]["nodes"].values()}
    for name in ("wf-new", "wf-new[0]", "wf-new[0].a"):
        assert (by_name[name]["startedAt"], by_name[name]["finishedAt"]) == (NOW, NOW), name
    assert wire["status"]["conditions"] == [{"type": "Completed", "status": "False"}]
