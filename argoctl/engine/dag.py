"""DAG templates (Argo's ``executeDAG``): run the tasks a step should act on, then assess and
finish the DAG node. The context, the walk and the phase live in ``dag_context``, ``dag_walk``
and ``dag_phase``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.engine import hooks
from argoctl.engine.dag_context import DagContext, leaf_tasks
from argoctl.engine.dag_phase import assess_dag_phase
from argoctl.engine.dag_walk import has_active_task, tasks_to_visit
from argoctl.engine.execute import ExecOpts, run_boundary
from argoctl.engine.operation import Operation
from argoctl.engine.scope import (
    Scope,
    add_absent_optional_artifacts,
    add_node_to_scope,
    add_skipped_outputs,
    aggregate_outputs,
    template_outputs_from_scope,
)
from argoctl.engine.templates import TemplateContext
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]


def execute_dag(op: Operation, name: str, node: Node | None, holder: Mapping[str, Any],
                ctx: TemplateContext, new_ctx: TemplateContext, tmpl: JSON, opts: ExecOpts) -> Node:
    return run_boundary(op, name, node, holder, ctx, tmpl, opts, ph.DAG,
                        lambda dag_node: _run_dag(op, name, dag_node, new_ctx, tmpl, opts))

def _run_dag(op: Operation, name: str, node: Node, ctx: TemplateContext, tmpl: JSON, opts: ExecOpts) -> Node:
    dctx = DagContext(op, node, tmpl, ctx, opts.on_exit)
    dag = tmpl.get("dag") or {}
    targets = str(dag["target"]).split(" ") if dag.get("target") else leaf_tasks(dctx)
    if op.any_daemoned():
        for task_name in dctx.tasks:
            task_node = dctx.task_node(task_name)
            if task_node is not None and task_node.daemoned:
                execute_task(dctx, task_name)
    on_exit_completed = True
    for task_name in tasks_to_visit(dctx, targets):
        execute_task(dctx, task_name)
    for target in targets:
        if target not in dctx.tasks:
            continue
        task_node = dctx.task_node(target)
        if task_node is None:
            continue
        task = dctx.tasks[target]
        if task.get("hooks") and any(k != "exit" for k in task["hooks"]):
            scope = build_task_scope(dctx, task)
            scope.set(f"tasks.{target}.status", task_node.phase)
            try:
                hooks.run_template_hooks(op, scope, task.get("hooks"), task_node, dctx.boundary_id, ctx,
                                         "tasks", target)
            except ExpressionError as exc:
                return op.mark_phase(name, ph.ERROR, exc.render())
        if task_node.completed:
            exit_node = op.get(f"{task_node.name}.onExit")
            if exit_node is not None and not exit_node.fulfilled:
                on_exit_completed = False
    shutdown = bool(op.shutdown_strategy()) and on_exit_completed and not dctx.on_exit
    phase = ph.RUNNING if not shutdown and has_active_task(dctx) else assess_dag_phase(dctx, targets, shutdown)
    for group_name, group_phase in dctx.groups_to_complete.items():
        op.mark_phase(group_name, group_phase)
    if phase == ph.RUNNING:
        return op.get(name) or node
    _update_outbound(dctx, targets, name)
    if phase in ph.UNSUCCESSFUL_PHASES:
        return op.mark_phase(name, phase)
    return _finish_dag(dctx, name, tmpl)

def _finish_dag(dctx: DagContext, name: str, tmpl: JSON) -> Node:
    op = dctx.op
    scope = Scope(tmpl)
    for task_name, task in dctx.tasks.items():
        task_node = dctx.task_node(task_name)
        if task_node is None:
            continue
        _add_task_to_scope(dctx, scope, task_name, task, task_node)
        if task_node.outputs:
            op.add_outputs_to_globals(task_node.outputs)
    node = op.get(name)
    assert node is not None
    try:
        outputs = template_outputs_from_scope(tmpl, scope)
    except ExpressionError as exc:
        return op.mark_phase(name, ph.ERROR, exc.render())
    if outputs is not None:
        node = op.put(node.with_(outputs=outputs))
    if node.memoization_status:
        op.save_memo(node)
    return op.mark_phase(name, ph.SUCCEEDED)

def _add_task_to_scope(dctx: DagContext, scope: Scope, task_name: str, task: JSON, task_node: Node) -> None:
    op = dctx.op
    if task_node.type == ph.TASK_GROUP:
        children = [c for c in (op.by_id(i) for i in task_node.children) if c is not None]
        aggregate_outputs(scope, "tasks", task_name, children)
    add_node_to_scope(scope, "tasks", task_name, op.last_attempt(task_node))
    producer = _template_of(dctx, task)
    add_skipped_outputs(scope, "tasks", task_name, task_node, producer, False)
    add_absent_optional_artifacts(scope, "tasks", task_name, producer)

def _template_of(dctx: DagContext, holder: Mapping[str, Any]) -> JSON | None:
    return dctx.op.template_for(dctx.ctx, holder)

_REFERENCE = re.compile(r"tasks\.([a-zA-Z0-9][-a-zA-Z0-9_]*)|tasks\[\s*['\"]([^'\"]+)['\"]\s*\]")

def _referenced_tasks(task: Mapping[str, Any]) -> set[str] | None:
    import json

    text = json.dumps(task)
    if "tasks" not in text:
        return set()
    names = {m.group(1) or m.group(2) for m in _REFERENCE.finditer(text)}
    bare = len(re.findall(r"tasks(?![.\[])", text))
    return None if bare else names

def build_task_scope(dctx: DagContext, task: Mapping[str, Any]) -> Scope:
    """``buildLocalScopeFromTask``: the outputs of the task's ancestors."""
    scope = Scope(dctx.tmpl)
    dctx.op.add_workflow_outputs(scope)
    referenced: dict[int, tuple[Mapping[str, Any], set[str] | None]] = dctx.facts.setdefault("referenced", {})
    hit = referenced.get(id(task))
    if hit is None or hit[0] is not task:
        hit = referenced[id(task)] = (task, _referenced_tasks(task))
    wanted = hit[1]
    if wanted is not None and not wanted:
        return scope  # the task mentions no other task: nothing from its ancestry is needed
    for ancestor in dctx.ancestry(str(task.get("name"))):
        if wanted is not None and ancestor not in wanted:
            continue
        node = dctx.task_node(ancestor)
        if node is None:
            continue
        _add_task_to_scope(dctx, scope, ancestor, dctx.tasks[ancestor], node)
    return scope

def _task_results(op: Operation, node: Node) -> dict[str, bool]:
    any_succeeded = all_failed = False
    if node.type == ph.TASK_GROUP:
        all_failed = bool(node.children)
        for child_id in node.children:
            child = op.by_id(child_id)
            if child is None:
                all_failed = False
                continue
            any_succeeded = any_succeeded or child.phase == ph.SUCCEEDED
            all_failed = all_failed and child.phase == ph.FAILED
    return {
        "Succeeded": node.phase == ph.SUCCEEDED, "Failed": node.phase == ph.FAILED,
        "Errored": node.phase == ph.ERROR, "Skipped": node.phase == ph.SKIPPED,
        "Omitted": node.phase == ph.OMITTED, "Daemoned": node.daemoned and node.phase != ph.PENDING,
        "AnySucceeded": any_succeeded, "AllFailed": all_failed,
    }

def _hooks_fulfilled(op: Operation, node: Node) -> bool:
    for child_id in node.children:
        child = op.by_id(child_id)
        if child is not None and child.hooked and not child.fulfilled:
            return False
    return True

def evaluate_depends(dctx: DagContext, task_name: str) -> tuple[bool, bool]:
    """(execute, proceed): proceed is False while a dependency is unfulfilled."""
    if dctx.task_node(task_name) is not None:
        return True, True
    deps, logic = dctx.dependencies(task_name)
    results: dict[str, dict[str, bool]] = {}
    for dep in deps:
        dep_node = dctx.task_node(dep)
        if dep_node is None or not dep_node.fulfilled or not _hooks_fulfilled(dctx.op, dep_node):
            return False, False
        results[dep] = _task_results(dctx.op, dep_node)
    try:
        return expr.evaluate_depends(logic, results), True
    except ExpressionError as exc:
        raise ExpressionError(f"unable to evaluate expression '{logic.replace('-', '_')}': {exc.reason}",
                              expression=logic, language="depends") from exc

def execute_task(dctx: DagContext, task_name: str) -> None:
    from argoctl.engine.dag_task import run_task

    if task_name in dctx.visited:
        return
    dctx.visited.add(task_name)
    run_task(dctx, task_name)

def _update_outbound(dctx: DagContext, targets: list[str], name: str) -> None:
    outbound: list[str] = []
    for target in targets:
        node = dctx.task_node(target)
        if node is not None:
            outbound.extend(dctx.op.outbound_nodes(node.id))
    node = dctx.op.get(name)
    if node is not None:
        dctx.op.put(node.with_(outbound_nodes=tuple(outbound)))
