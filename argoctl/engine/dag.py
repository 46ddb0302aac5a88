"""DAG templates (Argo's ``executeDAG``): run the tasks a step should act on, then assess and
finish the DAG node. The context, the walk and the phase live in ``dag_context``, ``dag_walk``
and ``dag_phase``."""

from __future__ import annotations

from typing import Any

from argoctl.engine import hooks
from argoctl.engine.call import Call
from argoctl.engine.dag_context import DagContext, leaf_tasks
from argoctl.engine.dag_phase import assess_dag_phase
from argoctl.engine.dag_scope import add_task_to_scope, build_task_scope
from argoctl.engine.dag_task import execute_task, task_site
from argoctl.engine.dag_walk import has_active_task, tasks_to_visit
from argoctl.engine.execute import run_boundary
from argoctl.engine.scope import Scope
from argoctl.engine.visit import finish_boundary, set_outbound
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]


def execute_dag(call: Call) -> Node:
    return run_boundary(call, ph.DAG, lambda dag_node: _run_dag(call, dag_node))

def _run_dag(call: Call, node: Node) -> Node:
    op, name, tmpl = call.op, call.name, call.tmpl
    dctx = DagContext(op, node, tmpl, call.child_ctx, call.opts.on_exit)
    dag = tmpl.get("dag") or {}
    targets = str(dag["target"]).split(" ") if dag.get("target") else leaf_tasks(dctx)
    if op.any_daemoned():
        for task_name in dctx.tasks:
            task_node = dctx.task_node(task_name)
            if task_node is not None and task_node.daemoned:
                execute_task(dctx, task_name)
    for task_name in tasks_to_visit(dctx, targets):
        execute_task(dctx, task_name)
    try:
        on_exit_completed = _target_hooks(dctx, targets)
    except ExpressionError as exc:
        return op.mark_phase(name, ph.ERROR, exc.render())
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

def _target_hooks(dctx: DagContext, targets: list[str]) -> bool:
    """The targets' lifecycle hooks; False while a completed target's exit handler still runs."""
    op = dctx.op
    on_exit_completed = True
    hooked = dctx.hooked()
    for target in targets:
        if target not in hooked:
            continue  # not a task, or one with no hook to run and no exit handler to wait for
        task_node = dctx.task_node(target)
        if task_node is None:
            continue
        task = dctx.tasks[target]
        if task.get("hooks") and any(k != "exit" for k in task["hooks"]):
            scope = build_task_scope(dctx, task)
            scope.set(f"tasks.{target}.status", task_node.phase)
            hooks.run_template_hooks(task_site(dctx), scope, task.get("hooks"), task_node, target)
        if task_node.completed:
            exit_node = op.get(f"{task_node.name}.onExit")
            if exit_node is not None and not exit_node.fulfilled:
                on_exit_completed = False
    return on_exit_completed

def _finish_dag(dctx: DagContext, name: str, tmpl: JSON) -> Node:
    op = dctx.op
    scope = Scope(tmpl)
    # the scope serves the template's outputs only: without any, a wide DAG need not fill it
    outputs = tmpl.get("outputs") or {}
    aggregates_only = not outputs.get("parameters") and not outputs.get("artifacts")
    for task_name, task in dctx.tasks.items():
        task_node = dctx.task_node(task_name)
        if task_node is None:
            continue
        add_task_to_scope(dctx, scope, task_name, task, task_node, aggregates_only=aggregates_only)
        if task_node.outputs:
            op.add_outputs_to_globals(task_node.outputs)
    return finish_boundary(op, name, tmpl, scope, publish=False)

def _update_outbound(dctx: DagContext, targets: list[str], name: str) -> None:
    outbound: list[str] = []
    for target in targets:
        node = dctx.task_node(target)
        if node is not None:
            outbound.extend(dctx.op.outbound_nodes(node.id))
    set_outbound(dctx.op, name, outbound)
