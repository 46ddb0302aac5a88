"""One DAG task per visit (Argo's ``executeDAGTask``): depends, connecting the task to what it
depends on, task groups for loops; the visit itself (when, template, exit hook) is the shared
core in ``visit``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from argoctl.engine import hooks, loops
from argoctl.engine.call import Site
from argoctl.engine.dag_context import DagContext
from argoctl.engine.dag_scope import build_task_scope, evaluate_depends
from argoctl.engine.scope import Scope
from argoctl.engine.visit import (
    EXIT_PENDING,
    FAILED,
    RESOLVE_ERRORS,
    SKIPPED,
    TIMED_OUT,
    WHEN_ERROR,
    Child,
    expand_child,
    make_skipped,
    resolve_child,
    resolve_error_message,
    run_exit,
    visit_child,
)
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]


def task_site(dctx: DagContext) -> Site:
    """Where a DAG's tasks are visited (tasks are connected by their dependencies, not attached)."""
    return Site(dctx.op, dctx.boundary_id, dctx.ctx, "tasks", dctx.on_exit)


def _skipped(dctx: DagContext, name: str, task: JSON, phase: str, message: str) -> None:
    make_skipped(task_site(dctx), name, task, phase, message)


def _status_scope(dctx: DagContext, task_name: str, task: JSON, node: Node) -> Scope:
    scope = build_task_scope(dctx, task)
    scope.set(f"tasks.{task_name}.status", node.phase)
    return scope


def _connect(dctx: DagContext, task_node_name: str, deps: Sequence[str], group: Node | None) -> None:
    op = dctx.op
    if not deps or group is not None:
        op.add_child(group.name if group is not None else dctx.boundary_name, task_node_name)
        return
    for dep in deps:
        dep_node = dctx.task_node(dep)
        if dep_node is None:
            continue
        for out_id in op.outbound_nodes(dep_node.id):
            out = op.by_id(out_id)
            if out is not None:
                op.add_child(out.name, task_node_name)


def _has_lifecycle_hooks(task: JSON) -> bool:
    return any(k != "exit" for k in (task.get("hooks") or {}))


def _fulfilled_or_running(dctx: DagContext, task_name: str, task: JSON, node: Node) -> bool:
    """Hooks and exit handlers of an existing task node; True when the visit is over."""
    if not task.get("hooks") and not task.get("onExit"):
        return node.fulfilled  # nothing to run (a chain's finished dependency, visited again)
    op = dctx.op
    site = task_site(dctx)
    if _has_lifecycle_hooks(task):
        scope = _status_scope(dctx, task_name, task, node)
        try:
            if not hooks.run_template_hooks(site, scope, task.get("hooks"), node, task_name):
                return True
        except ExpressionError as exc:
            op.mark_error(node.name, exc.render())
    if not node.fulfilled:
        return False
    if node.completed:
        try:
            run_exit(site, Child(node.name, task, task, task_name), node,
                     lambda done: _status_scope(dctx, task_name, task, done))
        except ExpressionError as exc:
            op.mark_error(node.name, exc.render())
    return True


def run_task(dctx: DagContext, task_name: str) -> None:
    op = dctx.op
    task = dctx.tasks[task_name]
    node = dctx.task_node(task_name)
    if (node is not None and (node.fulfilled or node.phase == ph.RUNNING)
            and _fulfilled_or_running(dctx, task_name, task, node)):
        return
    name = dctx.node_name(task_name)
    deps, logic = dctx.dependencies(task_name)
    group = node if node is not None and node.type == ph.TASK_GROUP else None
    if logic:
        for dep in deps:
            execute_task(dctx, dep)
        try:
            execute, proceed = evaluate_depends(dctx, task_name)
        except ExpressionError as exc:
            _skipped(dctx, name, task, ph.ERROR, exc.reason)
            _connect(dctx, name, deps, group)
            return
        if not proceed:
            return
        if not execute:
            _skipped(dctx, name, task, ph.OMITTED, "omitted: depends condition not met")
            _connect(dctx, name, deps, group)
            return
    try:
        scope = build_task_scope(dctx, task)
        expanded = expand_child(op, resolve_child(op, task, scope), scope)
    except RESOLVE_ERRORS as exc:
        _skipped(dctx, name, task, ph.ERROR, resolve_error_message(exc))
        _connect(dctx, name, deps, group)
        return
    if loops.should_expand(task):
        if not expanded:
            _skipped(dctx, name, task, ph.SKIPPED, "Skipped, empty params")
            _connect(dctx, name, deps, group)
        elif group is None:
            _connect(dctx, name, deps, group)
            group = op.init_node(name, ph.TASK_GROUP, task, ph.RUNNING, task_site(dctx).at)
    _run_expanded(dctx, task_name, expanded, deps, group)


def _run_expanded(dctx: DagContext, task_name: str, expanded: list[JSON], deps: Sequence[str],
                  group: Node | None) -> None:
    op = dctx.op
    task = dctx.tasks[task_name]
    site = task_site(dctx)
    for item_task in expanded:
        node_name = dctx.node_name(str(item_task.get("name")))
        node = op.get(node_name)
        if node is None:
            _connect(dctx, node_name, deps, group)
        outcome = visit_child(site, Child(node_name, item_task, task, task_name, check_when=node is None),
                              lambda done: _status_scope(dctx, task_name, task, done))
        if outcome.kind == TIMED_OUT:
            op.mark_phase(node_name, ph.FAILED, outcome.message)
            return
        if outcome.kind == FAILED:
            op.mark_error(node_name, f"task '{node_name}' errored: {outcome.message}")
            return
        if outcome.kind in (SKIPPED, WHEN_ERROR):
            continue
        if outcome.kind == EXIT_PENDING or outcome.node is None:
            return
    if group is not None:
        phase = ph.SUCCEEDED
        for item_task in expanded:
            child = dctx.task_node(str(item_task.get("name")))
            if child is None or not child.fulfilled:
                return
            if child.phase in ph.UNSUCCESSFUL_PHASES:
                phase = child.phase
        op.mark_phase(group.name, phase)


def execute_task(dctx: DagContext, task_name: str) -> None:
    """Visit ``task_name`` once per DAG run (dependencies visit their own dependencies first)."""
    if task_name in dctx.visited:
        return
    dctx.visited.add(task_name)
    run_task(dctx, task_name)
