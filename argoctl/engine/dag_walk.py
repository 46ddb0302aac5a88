"""Which DAG tasks to act on in a step, in the order Argo's walk from the targets reaches them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.engine.dag_context import DagContext
from argoctl.engine.dag_progress import DagProgress
from argoctl.engine.nodeindex import status_of
from argoctl.model import phases as ph

_WALKS: dict[tuple[int, tuple[str, ...]], tuple[Mapping[str, Any], list[str], frozenset[str]]] = {}

def _walk_order(dctx: DagContext, targets: list[str]) -> tuple[list[str], frozenset[str]]:
    """Argo's visiting order from the targets (dependencies first) when no task has run yet, and
    the tasks that always need a visit (lifecycle or exit hooks); cached per template."""
    key = (id(dctx.tmpl), tuple(targets))
    cached = _WALKS.get(key)
    if cached is not None and cached[0] is dctx.tmpl:
        return cached[1], cached[2]
    saved, dctx.visited = dctx.visited, set()
    order: list[str] = []
    for target in targets:
        if target in dctx.tasks:
            for task in _topological(dctx, target, stop_at_fulfilled=False):
                dctx.visited.add(task)
                order.append(task)
    dctx.visited = saved
    always = frozenset(t for t in order if (dctx.tasks[t].get("hooks") or dctx.tasks[t].get("onExit")))
    if len(_WALKS) > 256:
        _WALKS.clear()
    _WALKS[key] = (dctx.tmpl, order, always)
    return order, always

def tasks_to_visit(dctx: DagContext, targets: list[str]) -> list[str]:
    """The tasks Argo's walk from the targets would act on, in its order: those not yet run whose
    dependencies are all fulfilled, those still running, and those with hooks. The answer is kept
    per DAG invocation in the node index (``dag_progress``) and updated as nodes change, so a step
    costs what changed, not the DAG's size."""
    index = dctx.op.index
    key = tuple(targets)
    record = index.dag(dctx.boundary_name, dctx.tmpl, key)
    if not isinstance(record, DagProgress):
        order, always = _walk_order(dctx, targets)
        deps = {task: dctx.dependencies(task)[0] for task in order}
        record = DagProgress(order, always, deps, lambda name: status_of(dctx.task_node(name)))
        index.watch_dag(dctx.boundary_name, dctx.tmpl, key, record)
    return record.to_visit()

def full_walk(dctx: DagContext, targets: list[str]) -> list[str]:
    """``tasks_to_visit`` recomputed from every task's node (the reference the record is tested against)."""
    order, always = _walk_order(dctx, targets)
    visit = []
    for task in order:
        node = dctx.task_node(task)
        if node is None:
            deps = dctx.dependencies(task)[0]
            if all((dep := dctx.task_node(d)) is not None and dep.fulfilled for d in deps):
                visit.append(task)
        elif not node.fulfilled or task in always:
            visit.append(task)
    return visit

def has_active_task(dctx: DagContext) -> bool:
    """A task node still running: the DAG is Running without a full phase assessment."""
    for task in dctx.visited:
        node = dctx.task_node(task)
        if node is not None and not node.fulfilled and node.type != ph.TASK_GROUP:
            return True
    return False

def _topological(dctx: DagContext, target: str, *, stop_at_fulfilled: bool = True) -> list[str]:
    """The target and its unvisited ancestors, dependencies first (iterative DFS)."""
    order: list[str] = []
    stack: list[tuple[str, bool]] = [(target, False)]
    seen: set[str] = set()
    while stack:
        task, expanded = stack.pop()
        if expanded:
            order.append(task)
            continue
        if task in seen or task in dctx.visited or task not in dctx.tasks:
            continue
        seen.add(task)
        stack.append((task, True))
        node = dctx.task_node(task) if stop_at_fulfilled else None
        if node is not None and node.fulfilled:
            continue  # Argo's executeDAGTask does not descend below a fulfilled task
        deps, logic = dctx.dependencies(task)
        if logic:
            for dep in reversed(deps):
                stack.append((dep, False))
    return order
