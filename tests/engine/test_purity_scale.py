"""Purity of ``step`` (same inputs, same outputs; inputs never mutated) and scale smoke runs."""

from __future__ import annotations

import copy
import dataclasses
import gc
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pytest

import tests.engine.harness as harness
from argoctl.engine.reconcile import step as real_step
from argoctl.engine.types import EngineEnv, Event
from argoctl.model.workflow import WorkflowState
from tests.engine.harness import FAIL, Pod, check_workflow, drive

MIXED = """
onExit: c
arguments: {parameters: [{name: n, value: "2"}]}
templates:
- name: main
  steps:
  - - {name: gen, template: out}
  - - name: fan
      template: p
      arguments: {parameters: [{name: msg, value: "{{item}}"}]}
      withSequence: {count: "{{workflow.parameters.n}}"}
    - {name: flaky, template: r}
    - {name: inner, template: d}
    - {name: wait, template: w}
- name: r
  retryStrategy: {limit: 2, backoff: {duration: 5}}
  container: {image: alpine}
- name: w
  suspend: {duration: 3}
- name: d
  dag:
    tasks:
    - {name: A, template: c}
    - {name: B, template: m, depends: A}
    - {name: C, template: c, depends: B.Failed, when: "{{tasks.A.status}} == Succeeded"}
- name: m
  memoize: {key: mk, cache: {configMap: {name: cache}}}
  container: {image: alpine}
"""


GEN = Pod(params={"v": "1"})


def _snapshot(state: WorkflowState) -> Any:
    return copy.deepcopy(state.to_wire(internal=True))


def _env_facts(env: EngineEnv) -> dict[str, Any]:
    """The environment but its caches (node IDs, ``memos``): the one thing step writes there,
    memos of pure functions (an ID depends only on the workflow and node names), so they cannot
    change an output."""
    facts = copy.deepcopy(dataclasses.asdict(dataclasses.replace(env, memos=None)))
    facts.pop("node_ids")
    facts.pop("memos")
    return facts


def _checked_step(state: WorkflowState, events: Sequence[Event], *, now: datetime,
                  env: EngineEnv | None = None) -> tuple[WorkflowState, list[Any]]:
    before = _snapshot(state)
    env_before = _env_facts(env) if env is not None else None
    events_before = copy.deepcopy(list(events))
    first_state, first_actions = real_step(state, events, now=now, env=env)
    assert _snapshot(state) == before, "step mutated its input state"
    assert list(events) == events_before, "step mutated its events"
    if env is not None:
        assert _env_facts(env) == env_before, "step mutated its environment"
    again_state, again_actions = real_step(state, events, now=now, env=env)
    assert _snapshot(again_state) == _snapshot(first_state), "same inputs gave a different state"
    assert again_actions == first_actions, "same inputs gave different actions"
    return first_state, first_actions


@pytest.mark.parametrize("pods", [
    pytest.param({"*.gen": GEN}, id="all-succeed"),
    pytest.param({"*.gen": GEN, "*flaky(*)": [FAIL, Pod(duration=4)], "*.A": Pod(duration=2), "*.B": FAIL},
                 id="mixed-outcomes"),
])
def test_step_is_pure_over_a_whole_run(monkeypatch: pytest.MonkeyPatch, pods: dict[str, Any]) -> None:
    monkeypatch.setattr(harness, "step", _checked_step)
    run = drive(MIXED, pods)
    assert run.state.completed
    assert run.steps >= 6
    assert run.state.phase == "Succeeded"
    assert run.maybe("wf.onExit") is not None


def _collecting_step(state: WorkflowState, events: Sequence[Event], *, now: datetime,
                     env: EngineEnv | None = None) -> tuple[WorkflowState, list[Any]]:
    """``step`` pauses the cyclic collector (``reconcile.step``): it must leave it as it found it,
    and leave no reference cycle behind, or memory would grow until the next collection."""
    was_enabled = gc.isenabled()
    gc.collect()
    result = real_step(state, events, now=now, env=env)
    assert gc.isenabled() == was_enabled, "step left the collector switched"
    gc.disable()
    try:
        garbage = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert garbage == 0, f"step left {garbage} objects in reference cycles"
    return result


@pytest.mark.parametrize("pods", [
    pytest.param({"*.gen": GEN}, id="all-succeed"),
    pytest.param({"*.gen": GEN, "*flaky(*)": [FAIL, Pod(duration=4)], "*.A": Pod(duration=2), "*.B": FAIL},
                 id="mixed-outcomes"),
    pytest.param({"*.gen": FAIL}, id="first-step-fails"),
])
def test_step_leaves_no_cyclic_garbage(monkeypatch: pytest.MonkeyPatch, pods: dict[str, Any]) -> None:
    monkeypatch.setattr(harness, "step", _collecting_step)
    run = drive(MIXED, pods)
    assert run.state.completed
    assert run.steps >= 3


def test_step_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        run = drive("entrypoint: c")
        assert run.state.completed
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_two_runs_produce_identical_workflows() -> None:
    pods: dict[str, Pod | list[Pod]] = {"*.gen": GEN, "*flaky(*)": [FAIL, Pod(duration=4)], "*.A": Pod(duration=2)}
    first, second = drive(MIXED, pods), drive(MIXED, pods)
    assert first.state.to_wire(internal=True) == second.state.to_wire(internal=True)
    assert [r.pod_name for r in first.started] == [r.pod_name for r in second.started]


def test_completed_workflow_is_left_alone() -> None:
    run = drive("entrypoint: c")
    state, actions = real_step(run.state, [], now=run.now)
    assert state is run.state
    assert actions == []


def test_fan_out_of_2000_tasks_completes() -> None:
    tasks = [{"name": "start", "template": "c"}]
    tasks += [{"name": f"t{i}", "template": "c", "depends": "start"} for i in range(2000)]
    run = drive({"templates": [{"name": "main", "dag": {"tasks": tasks}}]}, max_steps=50)
    check_workflow(run, "Succeeded")
    assert len(run.started) == 2001
    assert len(run.state.nodes) == 2002
    assert run.status()["progress"] == "2001/2001"
    assert len(run.node("wf").outbound_nodes) == 2000


def test_chain_of_300_tasks_completes() -> None:
    tasks = [{"name": "t0", "template": "c"}]
    tasks += [{"name": f"t{i}", "template": "c", "depends": f"t{i - 1}"} for i in range(1, 300)]
    run = drive({"templates": [{"name": "main", "dag": {"tasks": tasks}}]}, max_steps=1000)
    check_workflow(run, "Succeeded")
    assert run.started_names() == [f"wf.t{i}" for i in range(300)]
    assert run.node("wf").outbound_nodes == (run.node("wf.t299").id,)
    assert run.node("wf.t0").children == (run.node("wf.t1").id,)


def test_fan_in_of_200_dependencies() -> None:
    tasks = [{"name": f"t{i}", "template": "c"} for i in range(200)]
    tasks.append({"name": "end", "template": "c", "depends": " && ".join(f"t{i}" for i in range(200))})
    run = drive({"templates": [{"name": "main", "dag": {"tasks": tasks}}]}, {"wf.t7": Pod(duration=9)})
    check_workflow(run, "Succeeded")
    assert run.node("wf.end").started_at == "2024-01-01T00:00:09Z"
    assert all(run.node("wf.end").id in run.node(f"wf.t{i}").children for i in range(200))
