"""What a DAG task sees: its ancestors' outputs (``buildLocalScopeFromTask``) and its dependencies'
results (``depends``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.engine.dag_context import DagContext
from argoctl.engine.operation import Operation
from argoctl.engine.scope import (
    Scope,
    add_absent_optional_artifacts,
    add_node_to_scope,
    add_skipped_outputs,
    aggregate_outputs,
)
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]


def add_task_to_scope(dctx: DagContext, scope: Scope, task_name: str, task: JSON, task_node: Node, *,
                      aggregates_only: bool = False) -> None:
    """The task's variables; ``aggregates_only``: only a loop's aggregated outputs (the one part
    that can fail: a result that is not JSON)."""
    op = dctx.op
    if task_node.type == ph.TASK_GROUP:
        children = [c for c in (op.by_id(i) for i in task_node.children) if c is not None]
        aggregate_outputs(scope, "tasks", task_name, children)
    if aggregates_only:
        return
    add_node_to_scope(scope, "tasks", task_name, op.last_attempt(task_node))
    producer = _template_of(dctx, task)
    add_skipped_outputs(scope, "tasks", task_name, task_node, producer, False)
    add_absent_optional_artifacts(scope, "tasks", task_name, producer)

def _template_of(dctx: DagContext, holder: Mapping[str, Any]) -> JSON | None:
    return dctx.op.template_for(dctx.ctx, holder)

_REFERENCE = re.compile(r"tasks\.([a-zA-Z0-9][-a-zA-Z0-9_]*)|tasks\[\s*['\"]([^'\"]+)['\"]\s*\]")

_NO_TASKS: frozenset[str] = frozenset()  # shared by the tasks that mention no other (most of a fan-out)

def _referenced_tasks(task: Mapping[str, Any]) -> frozenset[str] | None:
    text = json.dumps(task)
    if "tasks" not in text:
        return _NO_TASKS
    names = frozenset(m.group(1) or m.group(2) for m in _REFERENCE.finditer(text))
    bare = len(re.findall(r"tasks(?![.\[])", text))
    return None if bare else names

def build_task_scope(dctx: DagContext, task: Mapping[str, Any]) -> Scope:
    """``buildLocalScopeFromTask``: the outputs of the task's ancestors."""
    scope = Scope(dctx.tmpl)
    dctx.op.add_workflow_outputs(scope)
    referenced: dict[int, tuple[Mapping[str, Any], frozenset[str] | None]] = dctx.facts.setdefault("referenced", {})
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
        add_task_to_scope(dctx, scope, ancestor, dctx.tasks[ancestor], node)
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

