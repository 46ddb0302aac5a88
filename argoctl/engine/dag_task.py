"""One DAG task per visit (Argo's ``executeDAGTask``): depends, when, loops, hooks, exit."""

from __future__ import annotations

from typing import Any

from argoctl.engine import hooks, loops
from argoctl.engine.dag_context import DagContext
from argoctl.engine.dag_scope import build_task_scope, evaluate_depends
from argoctl.engine.errors import NodeFailure, ParallelismReached, TimeoutExceeded
from argoctl.engine.execute import ExecOpts, execute_template
from argoctl.engine.refs import ReferenceError_, evaluate_when, loop_when, resolve_step
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]


def _skipped(dctx: DagContext, name: str, task: JSON, phase: str, message: str) -> None:
    if dctx.op.get(name) is None:
        dctx.op.init_node(name, ph.SKIPPED_TYPE, task, dctx.boundary_id, phase,
                          template_scope=dctx.ctx.scope, message=message)


def _connect(dctx: DagContext, task_node_name: str, deps: list[str], group: Node | None) -> None:
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
    op = dctx.op
    if _has_lifecycle_hooks(task):
        scope = build_task_scope(dctx, task)
        scope.set(f"tasks.{task_name}.status", node.phase)
        try:
            if not hooks.run_template_hooks(op, scope, task.get("hooks"), node, dctx.boundary_id, dctx.ctx,
                                            "tasks", task_name):
                return True
        except ExpressionError as exc:
            op.mark_error(node.name, exc.render())
    if not node.fulfilled:
        return False
    if node.completed and hooks.exit_hook(task, op.spec.get("arguments")) is not None:
        scope = build_task_scope(dctx, task)
        scope.set(f"tasks.{task_name}.status", node.phase)
        try:
            hooks.run_on_exit_node(op, task, node, dctx.boundary_id, dctx.ctx, "tasks", task_name, scope)
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
        new_task = resolve_step(task, scope, op.globals)
        expanded = (loops.expand(new_task, scope.merged(op.globals), loop_when(new_task), op.env.max_loop_items)
                    if loops.should_expand(new_task) else [new_task])
    except (ReferenceError_, ExpressionError, loops.LoopError) as exc:
        message = exc.render() if isinstance(exc, ExpressionError) else str(exc)
        _skipped(dctx, name, task, ph.ERROR, message)
        _connect(dctx, name, deps, group)
        return
    if loops.should_expand(task):
        if not expanded:
            _skipped(dctx, name, task, ph.SKIPPED, "Skipped, empty params")
            _connect(dctx, name, deps, group)
        elif group is None:
            _connect(dctx, name, deps, group)
            group = op.init_node(name, ph.TASK_GROUP, task, dctx.boundary_id, ph.RUNNING,
                                 template_scope=dctx.ctx.scope)
    _run_expanded(dctx, task_name, task, expanded, deps, group)


def _run_expanded(dctx: DagContext, task_name: str, task: JSON, expanded: list[JSON], deps: list[str],
                  group: Node | None) -> None:
    op = dctx.op
    for item_task in expanded:
        node_name = dctx.node_name(str(item_task.get("name")))
        node = op.get(node_name)
        if node is None:
            _connect(dctx, node_name, deps, group)
            when = item_task.get("when")
            try:
                proceed = evaluate_when(str(when)) if when else True
            except ExpressionError as exc:
                _skipped(dctx, node_name, task, ph.ERROR, exc.render())
                continue
            if not proceed:
                _skipped(dctx, node_name, task, ph.SKIPPED, f"when '{when}' evaluated false")
                continue
        holder = {**item_task, "_kind": "task"}
        try:
            node = execute_template(op, node_name, holder, dctx.ctx, item_task.get("arguments"),
                                    ExecOpts(boundary_id=dctx.boundary_id, on_exit=dctx.on_exit))
        except ParallelismReached:
            node = op.get(node_name)
        except TimeoutExceeded as exc:
            op.mark_phase(node_name, ph.FAILED, exc.message)
            return
        except NodeFailure as exc:
            op.mark_error(node_name, f"task '{node_name}' errored: {exc.message}")
            return
        if node is None:
            return
        if node.completed and hooks.exit_hook(task, op.spec.get("arguments")) is not None:
            scope = build_task_scope(dctx, task)
            scope.set(f"tasks.{task_name}.status", node.phase)
            has_exit, exit_node = hooks.run_on_exit_node(op, task, node, dctx.boundary_id, dctx.ctx,
                                                         "tasks", task_name, scope)
            if has_exit and (exit_node is None or not exit_node.fulfilled):
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
