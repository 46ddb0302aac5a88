"""The visit core shared by steps and DAG templates: resolve and expand a step/task, evaluate its
``when``, make skipped nodes, run its template, map what ``execute_template`` signals to an
``Outcome``, run its exit hook; and finish a steps/DAG boundary once its children succeeded.

What differs between the two kinds stays with them: a step joins its step group (``Site.attach_to``)
and its exit hook runs when the group is assessed; a DAG task is connected by its dependencies and
its exit hook runs right after it completes (``visit_child``'s ``exit_scope``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from argoctl.engine import hooks, loops, memo
from argoctl.engine.call import ExecOpts, Site
from argoctl.engine.errors import NodeFailure, ParallelismReached, TimeoutExceeded
from argoctl.engine.execute import execute_template
from argoctl.engine.operation import Operation
from argoctl.engine.refs import ReferenceError_, evaluate_when, loop_when, resolve_step
from argoctl.engine.scope import Scope, template_outputs_from_scope
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]

# Outcome kinds
RAN = "ran"  # the template ran (the node may still be running)
SKIPPED = "skipped"  # ``when`` evaluated false: a Skipped node
WHEN_ERROR = "when-error"  # ``when`` could not be evaluated: an errored Skipped node
BLOCKED = "blocked"  # a parallelism limit (or failFast) holds the child back for now
TIMED_OUT = "timed-out"  # the child's own timeout passed
FAILED = "failed"  # the child's template could not be run (a NodeFailure)
EXIT_PENDING = "exit-pending"  # the child completed; its exit handler is still running

RESOLVE_ERRORS = (ReferenceError_, ExpressionError, loops.LoopError)


@dataclass(frozen=True, slots=True)
class Child:
    """One step or task to visit: its node ``name``, the resolved (and expanded) ``item``, the
    step/task as written (``source``: the holder of its skipped node and of its exit hook), the
    ``label`` the scope knows it by (``steps.<label>``/``tasks.<label>``), and whether its
    ``when`` is evaluated on this visit."""

    name: str
    item: JSON
    source: Mapping[str, Any]
    label: str
    check_when: bool = True


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    node: Node | None = None
    message: str = ""


def resolve_error_message(exc: Exception) -> str:
    return exc.render() if isinstance(exc, ExpressionError) else str(exc)


def resolve_child(op: Operation, item: JSON, scope: Scope) -> JSON:
    """A step/task with its ``{{steps.*}}``/``{{tasks.*}}`` references resolved."""
    return resolve_step(item, scope, op.globals)


def expand_child(op: Operation, item: JSON, scope: Scope) -> list[JSON]:
    """A resolved step/task as the items its loop (withItems/withParam/withSequence) makes."""
    if not loops.should_expand(item):
        return [item]
    return loops.expand(item, scope.merged(op.globals), loop_when(item), op.env.max_loop_items)


def make_skipped(site: Site, name: str, holder: Mapping[str, Any], phase: str, message: str) -> None:
    """A Skipped-type node for a step/task that will not run (made once; joined to the step group)."""
    op = site.op
    if op.get(name) is not None:
        return
    op.init_skipped(name, holder, phase, site.at, message)
    if site.attach_to:
        op.add_child(site.attach_to, name)


def _when(site: Site, child: Child) -> Outcome | None:
    when = child.item.get("when")
    try:
        proceed = evaluate_when(str(when)) if when else True
    except ExpressionError as exc:
        make_skipped(site, child.name, child.source, ph.ERROR, exc.render())
        return Outcome(WHEN_ERROR, None, exc.render())
    if not proceed:
        make_skipped(site, child.name, child.source, ph.SKIPPED, f"when '{when}' evaluated false")
        return Outcome(SKIPPED)
    return None


def _run(site: Site, child: Child) -> Outcome:
    op = site.op
    holder = {**child.item, "_kind": site.kind}
    try:
        node = execute_template(op, child.name, holder, site.ctx, child.item.get("arguments"),
                                ExecOpts(boundary_id=site.boundary_id, on_exit=site.on_exit))
    except ParallelismReached:
        return Outcome(BLOCKED, op.get(child.name))
    except TimeoutExceeded as exc:
        return Outcome(TIMED_OUT, op.get(child.name), exc.message)
    except NodeFailure as exc:
        if site.attach_to:
            op.add_child(site.attach_to, child.name)
        return Outcome(FAILED, op.get(child.name), exc.message)
    return Outcome(RAN, node)


def visit_child(site: Site, child: Child, exit_scope: Callable[[Node], Scope] | None = None) -> Outcome:
    """Visit one step/task: ``when``, its template, and (given ``exit_scope``) its exit hook once
    it completed. The child joins ``site.attach_to`` when it has a node."""
    if child.check_when:
        skipped = _when(site, child)
        if skipped is not None:
            return skipped
    outcome = _run(site, child)
    node = outcome.node
    if outcome.kind not in (RAN, BLOCKED) or node is None:
        return outcome
    if site.attach_to:
        site.op.add_child(site.attach_to, child.name)
    if exit_scope is not None and node.completed and run_exit(site, child, node, exit_scope) is False:
        return Outcome(EXIT_PENDING, node)
    return outcome


def run_exit(site: Site, child: Child, node: Node, scope_of: Callable[[Node], Scope]) -> bool | None:
    """A completed child's exit hook: None when it has none (or its expression says no), else
    whether its exit node is done. ``scope_of`` is asked only when there is a hook."""
    if hooks.exit_hook(child.source, site.op.spec.get("arguments")) is None:
        return None
    has_exit, exit_node = hooks.run_on_exit_node(site, child.source, node, child.label, scope_of(node))
    if not has_exit:
        return None
    return exit_node is not None and exit_node.fulfilled


def set_outbound(op: Operation, name: str, outbound: list[str]) -> None:
    node = op.get(name)
    if node is not None:
        op.put(node.with_(outbound_nodes=tuple(outbound)))


def finish_boundary(op: Operation, name: str, tmpl: JSON, scope: Scope, *, publish: bool) -> Node:
    """A steps/DAG node whose children succeeded: its outputs from the scope (``publish``: their
    ``globalName``s also become workflow outputs), its memo entry saved, and Succeeded."""
    node = op.get(name)
    assert node is not None
    try:
        outputs = template_outputs_from_scope(tmpl, scope)
    except ExpressionError as exc:
        return op.mark_phase(name, ph.ERROR, exc.render())
    if outputs is not None:
        node = op.put(node.with_(outputs=outputs))
        if publish:
            op.add_outputs_to_globals(outputs)
    if node.memoization_status:
        memo.save(op, node)
    return op.mark_phase(name, ph.SUCCEEDED)
