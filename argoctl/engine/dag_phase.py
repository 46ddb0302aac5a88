"""A DAG node's phase from its targets' branches (Argo's ``assessDAGPhase``)."""

from __future__ import annotations

from collections import deque

from argoctl.engine.dag_context import DagContext
from argoctl.engine.operation import Operation
from argoctl.engine.templates import continues_on
from argoctl.model import phases as ph
from argoctl.model.node import Node


def assess_dag_phase(dctx: DagContext, targets: list[str], shutdown: bool) -> str:
    if shutdown:
        return ph.FAILED
    op = dctx.op
    boundary = op.by_id(dctx.boundary_id)
    if boundary is None:
        return ph.RUNNING
    target_phases: dict[str, str] = {op.node_id(dctx.node_name(t)): "" for t in targets}
    # a deque: popping the front of a list moves every other item (quadratic on a wide fan-out)
    queue: deque[tuple[str, str]] = deque((c, ph.SUCCEEDED) for c in boundary.children)
    seen: set[tuple[str, str]] = set()
    while queue:
        node_id, branch = queue.popleft()
        if (node_id, branch) in seen:
            continue
        seen.add((node_id, branch))
        node = op.by_id(node_id)
        if node is None:
            return ph.RUNNING
        if not node.fulfilled:
            group_phase = _completable_group_phase(op, node)
            if group_phase is None:
                return ph.RUNNING
            dctx.groups_to_complete[node.name] = group_phase
            branch = group_phase
        elif node.completed:
            branch = node.phase
        if node_id in target_phases and target_phases[node_id] not in ph.UNSUCCESSFUL_PHASES:
            target_phases[node_id] = branch
        children = _retry_children(op, node) if node.type == ph.RETRY else node.children
        queue.extend((c, branch) for c in children)
    fail_fast = (dctx.tmpl.get("dag") or {}).get("failFast")
    fail_fast = True if fail_fast is None else bool(fail_fast)
    result = ph.SUCCEEDED
    for target in targets:
        branch = target_phases.get(op.node_id(dctx.node_name(target)), "")
        if branch == "":
            result = ph.RUNNING
            if not fail_fast:
                break
        elif branch in ph.UNSUCCESSFUL_PHASES:
            if continues_on(dctx.tasks.get(target, {}), branch):
                continue
            result = branch
            if fail_fast:
                break
    return result

def _completable_group_phase(op: Operation, node: Node) -> str | None:
    if node.type != ph.TASK_GROUP or not node.children:
        return None
    phase = ph.SUCCEEDED
    for child_id in node.children:
        child = op.by_id(child_id)
        if child is None or not child.fulfilled:
            return None
        if child.phase in ph.UNSUCCESSFUL_PHASES:
            phase = child.phase
    return phase

def _retry_children(op: Operation, node: Node) -> list[str]:
    out: list[str] = []
    for child_id in reversed(node.children):
        child = op.by_id(child_id)
        if child is None:
            continue
        if child.hooked:
            out.append(child.id)
        elif child.children:
            out.extend(child.children)
    return out
