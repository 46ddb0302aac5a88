"""Memoization: cache misses save outputs (SaveMemo), hits skip the pod, maxAge expiry."""

from __future__ import annotations

import json
from typing import Any

import pytest

from argoctl.engine.types import EngineEnv, SaveMemo
from tests.engine.harness import FAIL, N, Pod, arg, check_nodes, check_workflow, drive, outputs

MEMO = """
templates:
- name: main
  steps:
  - - name: a
      template: m
      arguments: {{parameters: [{{name: msg, value: hello}}]}}
  - - name: use
      template: p
      arguments: {{parameters: [{{name: msg, value: "{{{{steps.a.outputs.parameters.v}}}}"}}]}}
- name: m
  inputs: {{parameters: [{{name: msg}}]}}
  memoize:
    key: "k-{{{{inputs.parameters.msg}}}}"
    {max_age}cache: {{configMap: {{name: cache}}}}
  outputs: {{parameters: [{{name: v, valueFrom: {{path: /tmp/v}}}}]}}
  container: {{image: alpine}}
"""

ENTRY = {"nodeID": "wf-old", "outputs": {"parameters": [{"name": "v", "value": "cached"}]},
         "creationTimestamp": "2023-12-31T23:00:00Z", "lastHitTimestamp": "2023-12-31T23:00:00Z"}


def cache(entry: dict[str, Any] | None = None) -> EngineEnv:
    return EngineEnv(config_maps={"cache": {"k-hello": json.dumps(entry or ENTRY)}})


def test_miss_runs_the_pod_and_saves_outputs() -> None:
    run = drive(MEMO.format(max_age=""), {"wf[0].a": Pod(params={"v": "fresh"})})
    node = run.node("wf[0].a")
    assert node.memoization_status == {"hit": False, "key": "k-hello", "cacheName": "cache"}
    assert run.started_names() == ["wf[0].a", "wf[1].use"]
    assert len(run.memos) == 1
    memo = run.memos[0]
    assert isinstance(memo, SaveMemo)
    assert (memo.config_map, memo.key) == ("cache", "k-hello")
    assert memo.entry["nodeID"] == node.id
    assert memo.entry["outputs"]["parameters"][0]["value"] == "fresh"
    assert set(memo.entry) == {"nodeID", "outputs", "creationTimestamp", "lastHitTimestamp"}
    assert arg(run.node("wf[1].use")) == "fresh"


def test_hit_skips_the_pod_and_reuses_outputs() -> None:
    run = drive(MEMO.format(max_age=""), env=cache())
    check_nodes(run, {"wf[0].a": N("Pod", "Succeeded", "")})
    node = run.node("wf[0].a")
    assert node.memoization_status == {"hit": True, "key": "k-hello", "cacheName": "cache"}
    assert node.outputs == ENTRY["outputs"]
    assert run.started_names() == ["wf[1].use"]
    assert run.memos == []
    assert arg(run.node("wf[1].use")) == "cached"
    check_workflow(run, "Succeeded")


@pytest.mark.parametrize(("max_age", "hit"), [("'2h'", True), ("'30m'", False), ("3600", True), ("59m", False)])
def test_max_age(max_age: str, hit: bool) -> None:
    run = drive(MEMO.format(max_age=f"maxAge: {max_age}\n    "), {"wf[0].a": Pod(params={"v": "fresh"})},
                env=cache())
    assert (run.node("wf[0].a").memoization_status or {}).get("hit") is hit
    assert ("wf[0].a" in run.started_names()) is not hit


def test_failed_pod_is_not_cached() -> None:
    run = drive(MEMO.format(max_age=""), {"wf[0].a": FAIL})
    assert run.memos == []
    check_workflow(run, "Failed")


def test_second_use_of_a_key_hits_the_entry_the_first_saved() -> None:
    run = drive("""
    templates:
    - name: main
      steps:
      - - {name: first, template: m}
      - - {name: second, template: m}
    - name: m
      memoize: {key: same, cache: {configMap: {name: cache}}}
      outputs: {parameters: [{name: v, valueFrom: {path: /tmp/v}}]}
      container: {image: alpine}
    """, {"wf[0].first": Pod(params={"v": "once"})})
    assert run.started_names() == ["wf[0].first"]
    assert (run.node("wf[1].second").memoization_status or {}).get("hit") is True
    assert outputs(run.node("wf[1].second"))["parameters"][0]["value"] == "once"


def test_memoized_steps_template_saves_at_completion_and_hits_as_one_node() -> None:
    spec = """
    templates:
    - name: main
      steps: [[{name: a, template: inner}]]
    - name: inner
      memoize: {key: whole, cache: {configMap: {name: cache}}}
      steps: [[{name: x, template: out}]]
      outputs: {parameters: [{name: r, valueFrom: {parameter: "{{steps.x.outputs.parameters.v}}"}}]}
    """
    miss = drive(spec, {"wf[0].a[0].x": Pod(params={"v": "deep"})})
    assert [m.key for m in miss.memos] == ["whole"]
    assert miss.memos[0].entry["outputs"] == {"parameters": [{"name": "r", "value": "deep"}]}
    hit = drive(spec, env=EngineEnv(config_maps={"cache": {"whole": json.dumps(miss.memos[0].entry)}}))
    check_nodes(hit, {"wf[0].a": N("Steps", "Succeeded", "")})
    assert hit.started == []
    assert hit.maybe("wf[0].a[0]") is None
    assert hit.node("wf").outbound_nodes == (hit.node("wf[0].a").id,)
