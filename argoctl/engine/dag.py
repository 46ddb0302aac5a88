"""DAG templates (Argo's ``executeDAG``/``executeDAGTask``/``assessDAGPhase``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.engine import hooks
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
from argoctl.engine.steps import continues_on
from argoctl.engine.templates import TemplateContext
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]
_TASK_NAME = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")


class DagContext:
    """One DAG template invocation: its tasks, their dependency logic, and node lookups."""

    def __init__(self, op: Operation, boundary: Node, tmpl: JSON, ctx: TemplateContext, on_exit: bool) -> None:
        self.op = op
        self.boundary_name = boundary.name
        self.boundary_id = boundary.id
        self.tmpl = tmpl
        self.ctx = ctx
        self.on_exit = on_exit
        self.tasks, self._deps, self.facts = _shape(tmpl)
        ids = _TASK_IDS.get((op.wf_name, boundary.name))
        if ids is None or len(ids) > 100_000:
            ids = _TASK_IDS[(op.wf_name, boundary.name)] = {}
            if len(_TASK_IDS) > 1024:
                _TASK_IDS.clear()
        self._ids = ids
        self.visited: set[str] = set()
        self.groups_to_complete: dict[str, str] = {}

    def node_name(self, task: str) -> str:
        return f"{self.boundary_name}.{task}"

    def task_node(self, task: str) -> Node | None:
        nid = self._ids.get(task)
        if nid is None:
            nid = self._ids[task] = self.op.node_id(self.node_name(task))
        return self.op.nodes.get(nid)

    def dependencies(self, task: str) -> tuple[list[str], str]:
        """The tasks a task depends on and its full ``depends`` logic (bare names expanded)."""
        if task not in self._deps:
            self._deps[task] = _dependencies(self.tasks, self.tasks[task])
        return self._deps[task]

    def ancestry(self, task: str) -> list[str]:
        ancestries: dict[str, list[str]] = self.facts.setdefault("ancestry", {})
        if task not in ancestries:
            ancestries[task] = self._ancestry(task)
        return ancestries[task]

    def _ancestry(self, task: str) -> list[str]:
        seen: list[str] = []
        found: set[str] = set()
        stack = list(self.dependencies(task)[0])
        while stack:
            current = stack.pop()
            if current in found or current not in self.tasks:
                continue
            found.add(current)
            seen.append(current)
            stack.extend(self.dependencies(current)[0])
        return seen


_SHAPES: dict[int, tuple[Mapping[str, Any], dict[str, JSON], dict[str, tuple[list[str], str]], dict[str, Any]]] = {}


def _shape(tmpl: Mapping[str, Any]) -> tuple[dict[str, JSON], dict[str, tuple[list[str], str]], dict[str, Any]]:
    """A DAG template's tasks by name, its (lazily filled) dependency table and other facts
    derived from the template alone (leaves, ancestries), kept across engine steps for the same
    template object: they are a pure function of it."""
    cached = _SHAPES.get(id(tmpl))
    if cached is not None and cached[0] is tmpl:
        return cached[1], cached[2], cached[3]
    tasks = {str(t.get("name")): t for t in (tmpl.get("dag") or {}).get("tasks") or []}
    if len(_SHAPES) > 256:
        _SHAPES.clear()
    _SHAPES[id(tmpl)] = (tmpl, tasks, {}, {})
    return tasks, _SHAPES[id(tmpl)][2], _SHAPES[id(tmpl)][3]


def _expand_dependency(name: str, task: Mapping[str, Any] | None) -> str:
    results = [f"{name}.Succeeded", f"{name}.Skipped", f"{name}.Daemoned"]
    cont = (task or {}).get("continueOn") or {}
    if cont.get("error"):
        results.append(f"{name}.Errored")
    if cont.get("failed"):
        results.append(f"{name}.Failed")
    return "(" + " || ".join(results) + ")"


def _dependencies(tasks: Mapping[str, JSON], task: Mapping[str, Any]) -> tuple[list[str], str]:
    depends = str(task.get("depends") or "")
    if not depends:
        deps = [str(d) for d in task.get("dependencies") or []]
        return deps, " && ".join(_expand_dependency(d, tasks.get(d)) for d in deps)
    names: list[str] = []
    pieces: list[str] = []
    pos = 0
    for match in _TASK_NAME.finditer(depends):
        if match.group(1):
            dep = match.group(1).split(".")[0]
        else:
            dep = match.group(2)
            pieces.append(depends[pos:match.start()])
            pieces.append(_expand_dependency(dep, tasks.get(dep)))
            pos = match.end()
        if dep not in names:
            names.append(dep)
    pieces.append(depends[pos:])
    return names, "".join(pieces)


def leaf_tasks(dctx: DagContext) -> list[str]:
    if "leaves" not in dctx.facts:
        dctx.facts["leaves"] = _leaf_tasks(dctx)
    return list(dctx.facts["leaves"])


def _leaf_tasks(dctx: DagContext) -> list[str]:
    is_leaf = {name: True for name in dctx.tasks}
    for name in dctx.tasks:
        for dep in dctx.dependencies(name)[0]:
            is_leaf[dep] = False
    return sorted(name for name, leaf in is_leaf.items() if leaf)


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
    for task_name in _tasks_to_visit(dctx, targets):
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
    phase = ph.RUNNING if not shutdown and _has_active_task(dctx) else assess_dag_phase(dctx, targets, shutdown)
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


def _tasks_to_visit(dctx: DagContext, targets: list[str]) -> list[str]:
    """The tasks Argo's walk from the targets would act on, in its order, found by one cheap
    pass: those not yet run whose dependencies are all fulfilled, those still running, and those
    with hooks. (Walking from each target down to the frontier on every step made long chains
    quadratic in the walk itself.)"""
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


def _has_active_task(dctx: DagContext) -> bool:
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


_TASK_IDS: dict[tuple[str, str], dict[str, str]] = {}
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


def assess_dag_phase(dctx: DagContext, targets: list[str], shutdown: bool) -> str:
    if shutdown:
        return ph.FAILED
    op = dctx.op
    boundary = op.by_id(dctx.boundary_id)
    if boundary is None:
        return ph.RUNNING
    target_phases: dict[str, str] = {op.node_id(dctx.node_name(t)): "" for t in targets}
    queue: list[tuple[str, str]] = [(c, ph.SUCCEEDED) for c in boundary.children]
    seen: set[tuple[str, str]] = set()
    while queue:
        node_id, branch = queue.pop(0)
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


def _update_outbound(dctx: DagContext, targets: list[str], name: str) -> None:
    outbound: list[str] = []
    for target in targets:
        node = dctx.task_node(target)
        if node is not None:
            outbound.extend(dctx.op.outbound_nodes(node.id))
    node = dctx.op.get(name)
    if node is not None:
        dctx.op.put(node.with_(outbound_nodes=tuple(outbound)))
