"""podGC, label selectors and ttlStrategy: the pure rules the driver and the CLI apply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from argoctl.model.labelselector import matches
from argoctl.model.workflow import WorkflowState
from argoctl.runtime import podgc, ttl

JSON = dict[str, Any]
T0 = datetime(2030, 1, 1, tzinfo=UTC)


def stamp(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def state(pod_gc: JSON | None, phase: str = "Running", **nodes: str) -> WorkflowState:
    spec: JSON = {"entrypoint": "main", "templates": [{"name": "main"}]}
    if pod_gc is not None:
        spec["podGC"] = pod_gc
    status: JSON = {"phase": phase, "startedAt": stamp(0), "nodes": {}}
    if phase in ("Succeeded", "Failed", "Error"):
        status["finishedAt"] = stamp(100)
    for index, (name, node_phase) in enumerate(nodes.items()):
        node: JSON = {"id": f"wf-{index}", "name": f"wf.{name}", "displayName": name, "type": "Pod",
                      "phase": node_phase, "startedAt": stamp(0)}
        if node_phase in ("Succeeded", "Failed", "Error"):
            node["finishedAt"] = stamp(10 + index)
        status["nodes"][node["id"]] = node
    wf = WorkflowState.from_wire({"metadata": {"name": "wf", "namespace": "argo"}, "spec": spec, "status": status})
    for node in wf.nodes.values():
        node.extra["pod"] = f"pod-{node.display_name}"
    return wf


@pytest.mark.parametrize("strategy, phase, want", [
    ("OnPodCompletion", "Running", ["pod-a", "pod-b"]),
    ("OnPodSuccess", "Running", ["pod-a"]),
    ("OnWorkflowCompletion", "Running", []),
    ("OnWorkflowCompletion", "Failed", ["pod-a", "pod-b"]),
    ("OnWorkflowSuccess", "Failed", []),
    ("OnWorkflowSuccess", "Succeeded", ["pod-a", "pod-b"]),
])
def test_each_strategy_deletes_its_pods(strategy: str, phase: str, want: list[str]) -> None:
    wf = state({"strategy": strategy}, phase, a="Succeeded", b="Failed", c="Running")
    gc = podgc.policy(wf)
    assert gc is not None
    assert sorted(pod for pod, _ in podgc.schedule(gc, wf)) == want


def test_no_pod_gc_keeps_every_pod() -> None:
    assert podgc.policy(state(None, a="Succeeded")) is None
    assert podgc.policy(state({"strategy": ""}, a="Succeeded")) is None


def test_the_delay_counts_from_the_node_or_the_workflow_finishing() -> None:
    wf = state({"strategy": "OnPodCompletion", "deleteDelayDuration": "30s"}, "Running", a="Succeeded")
    gc = podgc.policy(wf)
    assert gc is not None and podgc.schedule(gc, wf) == [("pod-a", T0 + timedelta(seconds=40))]
    done = state({"strategy": "OnWorkflowCompletion", "deleteDelayDuration": "1m"}, "Succeeded", a="Succeeded")
    gc = podgc.policy(done)
    assert gc is not None and podgc.schedule(gc, done) == [("pod-a", T0 + timedelta(seconds=160))]


def test_the_label_selector_is_handed_to_the_backend() -> None:
    selector = {"matchLabels": {"keep": "no"}}
    gc = podgc.policy(state({"strategy": "OnPodCompletion", "labelSelector": selector}, a="Succeeded"))
    assert gc is not None and gc.selector == selector


@pytest.mark.parametrize("selector, labels, want", [
    (None, {"a": "1"}, True),
    ({}, {}, True),
    ({"matchLabels": {"a": "1"}}, {"a": "1", "b": "2"}, True),
    ({"matchLabels": {"a": "1"}}, {"a": "2"}, False),
    ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1", "2"]}]}, {"a": "2"}, True),
    ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1"]}]}, {}, False),
    ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {}, True),
    ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"}, False),
    ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {"a": ""}, True),
    ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"a": ""}, False),
    ({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}, {"a": ""}, False),
])
def test_label_selectors(selector: JSON | None, labels: dict[str, str], want: bool) -> None:
    assert matches(selector, labels) is want


def wire(phase: str, strategy: JSON | None, *, stored: JSON | None = None) -> JSON:
    status: JSON = {"phase": phase, "finishedAt": stamp(100)}
    if stored:
        status["storedWorkflowTemplateSpec"] = {"ttlStrategy": stored}
    return {"spec": {"ttlStrategy": strategy} if strategy else {}, "status": status}


@pytest.mark.parametrize("phase, strategy, seconds", [
    ("Succeeded", {"secondsAfterCompletion": 10}, 10),
    ("Succeeded", {"secondsAfterCompletion": 10, "secondsAfterSuccess": 5}, 5),
    ("Failed", {"secondsAfterCompletion": 10, "secondsAfterSuccess": 5}, 10),
    ("Error", {"secondsAfterFailure": 0, "secondsAfterCompletion": 10}, 0),
    ("Succeeded", {"secondsAfterFailure": 3}, None),
    ("Running", {"secondsAfterCompletion": 0}, None),
])
def test_ttl_follows_argos_precedence(phase: str, strategy: JSON, seconds: int | None) -> None:
    at = ttl.expires_at(wire(phase, strategy))
    if phase == "Running":
        assert at is None
        return
    assert at == (None if seconds is None else T0 + timedelta(seconds=100 + seconds))


def test_ttl_from_a_referenced_template_and_expiry() -> None:
    workflow = wire("Succeeded", None, stored={"secondsAfterCompletion": 60})
    assert not ttl.expired(workflow, T0 + timedelta(seconds=159))
    assert ttl.expired(workflow, T0 + timedelta(seconds=160))
    assert ttl.expires_at(wire("Succeeded", None)) is None
