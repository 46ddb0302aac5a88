"""The engine's incremental bookkeeping (``nodeindex``, ``dag_progress``) gives what a full
recomputation over every node and task gives, on random DAG shapes and outcomes, and a step of a
long chain touches a bounded number of tasks (O(what changed), counted, never timed)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

import argoctl.engine.dag as dag_module
from argoctl.engine import dag_progress, dag_walk, nodeindex
from argoctl.engine.dag_context import DagContext
from argoctl.engine.simulate import new_workflow, simulate, succeed
from argoctl.model import phases as ph
from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.timefmt import rfc3339
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]


def random_dag(rng: random.Random, size: int) -> JSON:
    """A DAG of ``size`` tasks: random edges to earlier tasks, as ``dependencies`` or ``depends``,
    some with continueOn, hooks, an exit handler, a when, or a target list."""
    tasks: list[JSON] = []
    for index in range(size):
        task: JSON = {"name": f"t{index}", "template": "work"}
        deps = sorted(rng.sample(range(index), k=min(index, rng.choice((0, 1, 1, 2, 3)))))
        if deps and rng.random() < 0.3:
            task["depends"] = " || ".join(f"t{d}" for d in deps) if rng.random() < 0.5 else \
                " && ".join(f"(t{d}.Succeeded || t{d}.Failed)" for d in deps)
        elif deps:
            task["dependencies"] = [f"t{d}" for d in deps]
        if rng.random() < 0.2:
            task["continueOn"] = {"failed": True}
        if rng.random() < 0.1:
            task["when"] = "{{workflow.parameters.gate}} == " + rng.choice(("open", "shut"))
        if rng.random() < 0.05:
            task["onExit"] = "work"
        if rng.random() < 0.05:
            task["hooks"] = {"running": {"template": "work", "expression": "true"}}
        tasks.append(task)
    dag: JSON = {"tasks": tasks, "failFast": rng.random() < 0.5}
    if rng.random() < 0.2:
        dag["target"] = " ".join(f"t{i}" for i in rng.sample(range(size), k=min(size, 2)))
    return {
        "metadata": {"name": "wf"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "gate", "value": "open"}]},
            "templates": [{"name": "main", "dag": dag},
                          {"name": "work", "container": {"image": "alpine", "command": ["true"]}}],
        },
    }


def flaky(seed: int) -> Any:
    """A pod runner failing about one pod in six, the same ones for the same seed."""
    def run(request: PodRequest, now: datetime) -> PodUpdate:
        failed = random.Random(f"{seed}/{request.node_id}").random() < 1 / 6
        return PodUpdate(node_id=request.node_id, pod_name=request.pod_name,
                         phase="Failed" if failed else "Succeeded", message="exit 1" if failed else "",
                         outputs={"exitCode": "1" if failed else "0"}, finished_at=rfc3339(now))
    return run


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every DAG visit checks the kept answers against a full recomputation. Yields the log of
    checks: "ok", or what differed (the step swallows exceptions into an Error phase, so a
    mismatch is logged, then asserted on by the test)."""
    log: list[str] = []

    def checked(dctx: DagContext, targets: list[str]) -> list[str]:
        kept = dag_walk.tasks_to_visit(dctx, targets)
        op = dctx.op
        full = dag_walk.full_walk(dctx, targets)
        unsuccessful = [n for n in op.all_nodes().values() if n.phase in ph.UNSUCCESSFUL_PHASES]
        daemoned = any(n.daemoned for n in op.all_nodes().values())
        if kept != full:
            log.append(f"visit {kept} != {full}")
        elif op.unsuccessful_nodes() != unsuccessful:
            log.append(f"unsuccessful {op.unsuccessful_nodes()} != {unsuccessful}")
        elif op.any_daemoned() != daemoned:
            log.append("any_daemoned differs")
        else:
            log.append("ok")
        return kept

    monkeypatch.setattr(dag_module, "tasks_to_visit", checked)
    yield log


@pytest.mark.parametrize("seed", range(40))
def test_kept_progress_equals_a_full_walk_on_random_dags(seed: int, compared: list[str]) -> None:
    rng = random.Random(seed)
    manifest = random_dag(rng, rng.randint(1, 25))
    sim = simulate(new_workflow(manifest), flaky(seed), max_steps=200)
    assert sim.state.completed, sim.state.phase
    assert "operation error" not in sim.state.message
    assert compared and set(compared) == {"ok"}, [c for c in compared if c != "ok"][:3]


@pytest.mark.parametrize("seed", range(10))
def test_a_state_read_back_from_its_wire_form_gets_the_same_answers(seed: int, compared: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """As a driver that reloads the state from a store: the index is rebuilt, never persisted."""
    import argoctl.engine.simulate as simulate_module

    real_step = simulate_module.step

    def reloading(state: WorkflowState, *args: Any, **kwargs: Any) -> Any:
        wire = state.to_wire(internal=True)
        assert "index" not in str(wire["status"].keys())
        return real_step(WorkflowState.from_wire(wire), *args, **kwargs)

    monkeypatch.setattr(simulate_module, "step", reloading)
    rng = random.Random(1000 + seed)
    reloaded = simulate(new_workflow(random_dag(rng, 15)), flaky(seed), max_steps=200)
    monkeypatch.setattr(simulate_module, "step", real_step)
    direct = simulate(new_workflow(random_dag(random.Random(1000 + seed), 15)), flaky(seed), max_steps=200)
    assert reloaded.state.to_wire() == direct.state.to_wire()
    assert compared and set(compared) == {"ok"}


def chain(count: int) -> JSON:
    tasks = [{"name": f"t{i}", "template": "work", **({"dependencies": [f"t{i - 1}"]} if i else {})}
             for i in range(count)]
    return {"metadata": {"name": "wf"},
            "spec": {"entrypoint": "main",
                     "templates": [{"name": "main", "dag": {"tasks": tasks}},
                                   {"name": "work", "container": {"image": "alpine"}}]}}


def test_a_chain_step_touches_a_bounded_number_of_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The DAG's record is built once, then each step refreshes a constant number of tasks,
    whatever the chain's length (the old walk looked at every task on every step)."""
    builds: list[int] = []
    refreshes: list[int] = []
    real_init, real_refresh = dag_progress.DagProgress.__init__, dag_progress.DagProgress._refresh

    def counting_init(self: dag_progress.DagProgress, *args: Any, **kwargs: Any) -> None:
        builds.append(1)
        real_init(self, *args, **kwargs)
        refreshes.clear()

    def counting_refresh(self: dag_progress.DagProgress, task: str) -> None:
        refreshes.append(1)
        real_refresh(self, task)

    monkeypatch.setattr(dag_progress.DagProgress, "__init__", counting_init)
    monkeypatch.setattr(dag_progress.DagProgress, "_refresh", counting_refresh)
    for count in (50, 200):
        builds.clear()
        sim = simulate(new_workflow(chain(count)), succeed, max_steps=count + 10)
        assert sim.state.phase == ph.SUCCEEDED
        assert len(builds) == 1
        assert len(refreshes) <= 4 * count  # a few per task over the whole run, not count per step


def test_a_state_stepped_twice_gets_a_fresh_index() -> None:
    """The index a step leaves is for its own result only: stepping an older state again (or the
    same state twice) rebuilds one from that state's nodes."""
    from argoctl.engine.reconcile import step
    from argoctl.engine.types import RunPod

    start = datetime(2024, 1, 1).astimezone()
    first, actions = step(new_workflow(chain(5)), [], now=start)
    updates = [succeed(a.request, start) for a in actions if isinstance(a, RunPod)]
    assert len(updates) == 1
    again, again_actions = step(first, updates, now=start)
    once_more, once_more_actions = step(first, updates, now=start)
    assert again.to_wire(internal=True) == once_more.to_wire(internal=True)
    assert again_actions == once_more_actions
    assert "wf.t1" in {n.name for n in once_more.nodes.values()}


def test_the_index_follows_single_node_changes() -> None:
    from argoctl.model.node import Node

    nodes = {"a": Node(id="a", name="wf.a", display_name="a", type="Pod", phase=ph.RUNNING),
             "b": Node(id="b", name="wf.b", display_name="b", type="Pod", phase=ph.FAILED)}
    index = nodeindex.NodeIndex(nodes)
    assert index.in_table_order(index.unsuccessful) == ["b"]
    failed_a = Node(id="a", name="wf.a", display_name="a", type="Pod", phase=ph.ERROR, daemoned=True)
    index.changed(nodes["a"], failed_a)
    assert index.in_table_order(index.unsuccessful) == ["a", "b"]
    assert index.daemoned == {"a"}
    index.changed(None, Node(id="c", name="wf.c", display_name="c", type="Pod", phase=ph.FAILED))
    assert index.in_table_order(index.unsuccessful) == ["a", "b", "c"]


def random_depends(rng: random.Random, names: list[str]) -> str:
    """A random ``depends`` expression over ``names`` (bare names, results, !, &&, ||, parentheses)."""
    def term(depth: int) -> str:
        if depth > 2 or rng.random() < 0.4:
            name = rng.choice(names)
            result = rng.choice(("", "Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned",
                                 "AnySucceeded", "AllFailed"))
            return f"{'!' if rng.random() < 0.2 else ''}{name}{'.' + result if result else ''}"
        return f"({term(depth + 1)} {rng.choice(('&&', '||'))} {term(depth + 1)})"
    return term(0)


@pytest.mark.parametrize("seed", range(200))
def test_depends_through_a_shared_program_answers_as_the_full_path(seed: int,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``expr.depends`` evaluates a chain's ``depends`` through one program compiled for the
    expression's shape (task names replaced by stand-ins): the answers, and the errors, are the
    ones of compiling each expression itself."""
    from argoctl.errors import ExpressionError
    from argoctl.expr import depends

    rng = random.Random(seed)
    names = rng.sample(["a", "b-c", "b_c", "task1", "x-y-z"], k=3)
    expression = random_depends(rng, names)
    results = {name: {r: rng.random() < 0.5 for r in depends.RESULTS} for name in names if rng.random() < 0.9}

    def answer() -> object:
        try:
            return depends.evaluate_depends(expression, results)
        except ExpressionError as exc:
            return f"error: {exc.reason}"

    shared = answer()
    monkeypatch.setattr(depends, "_evaluate_shared", lambda expression, results: None)
    assert shared == answer(), expression


def test_a_fan_out_writes_its_boundarys_children_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """N tasks added to one DAG node are written into its ``children`` in a few batches, not one
    new N-long tuple per task (which made a fan-out quadratic); the order is the visits' order
    (the leaves sorted by name, as Argo's walk from the targets goes)."""
    from argoctl.engine import operation

    writes: list[int] = []
    real = operation.Operation._write_children

    def counting(self: operation.Operation, nid: str) -> None:
        writes.append(len(self._new_children.get(nid, ())))
        real(self, nid)

    monkeypatch.setattr(operation.Operation, "_write_children", counting)
    count = 300
    tasks = [{"name": f"t{i}", "template": "work"} for i in range(count)]
    manifest = {"metadata": {"name": "wf"},
                "spec": {"entrypoint": "main",
                         "templates": [{"name": "main", "dag": {"tasks": tasks}},
                                       {"name": "work", "container": {"image": "alpine"}}]}}
    sim = simulate(new_workflow(manifest), succeed, max_steps=10)
    assert sim.state.phase == ph.SUCCEEDED
    assert sum(writes) == count and len(writes) <= 3
    root = sim.state.nodes["wf"]
    assert [sim.state.nodes[c].name for c in root.children] == sorted(f"wf.t{i}" for i in range(count))
