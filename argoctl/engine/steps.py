"""Steps templates: sequential step groups of parallel steps (Argo's ``executeSteps``). Each step
is visited by the shared core in ``visit``; what is particular to steps (groups, their order,
their assessment) is here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.engine import hooks
from argoctl.engine.call import Call, Site
from argoctl.engine.execute import run_boundary
from argoctl.engine.operation import Operation
from argoctl.engine.scope import (
    Scope,
    add_absent_optional_artifacts,
    add_node_to_scope,
    add_skipped_outputs,
    aggregate_outputs,
)
from argoctl.engine.templates import TemplateContext, continues_on
from argoctl.engine.visit import (
    BLOCKED,
    FAILED,
    RAN,
    RESOLVE_ERRORS,
    TIMED_OUT,
    WHEN_ERROR,
    Child,
    expand_child,
    finish_boundary,
    make_skipped,
    resolve_child,
    resolve_error_message,
    run_exit,
    set_outbound,
    visit_child,
)
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.records import replace

JSON = dict[str, Any]


def execute_steps(call: Call) -> Node:
    return run_boundary(call, ph.STEPS, lambda steps_node: _run_groups(call, steps_node))


def _connect_group(op: Operation, name: str, index: int, sg_name: str) -> None:
    if index == 0:
        op.add_child(name, sg_name)
        return
    prev_name = f"{name}[{index - 1}]"
    prev = op.get(prev_name)
    if prev is None:
        return
    if not prev.children:
        op.add_child(prev_name, sg_name)
        return
    for child_id in prev.children:
        for out_id in op.outbound_nodes(child_id):
            out = op.by_id(out_id)
            if out is not None:
                op.add_child(out.name, sg_name)


def _run_groups(call: Call, node: Node) -> Node:
    op, name, tmpl = call.op, call.name, call.tmpl
    site = Site(op, node.id, call.child_ctx, "steps", call.opts.on_exit)
    scope = Scope(tmpl)
    op.add_workflow_outputs(scope)
    for index, group in enumerate(tmpl.get("steps") or []):
        sg_name = f"{name}[{index}]"
        sg = op.get(sg_name)
        if sg is None:
            sg = op.init_node(sg_name, ph.STEP_GROUP, {}, ph.RUNNING, site.at)
        elif not sg.fulfilled:
            op.mark_node(sg, ph.RUNNING)
        _connect_group(op, name, index, sg_name)
        steps = list(group or [])
        sg = execute_step_group(replace(site, attach_to=sg_name), steps, scope)
        if not sg.fulfilled:
            return op.get(name) or node
        if sg.phase in ph.UNSUCCESSFUL_PHASES:
            update_outbound_nodes(op, name, tmpl)
            return op.mark_phase(name, ph.FAILED, sg.message)
        _add_group_outputs(site, steps, sg, scope)
    update_outbound_nodes(op, name, tmpl)
    return finish_boundary(op, name, tmpl, scope, publish=True)


def _add_group_outputs(site: Site, steps: list[JSON], sg: Node, scope: Scope) -> None:
    op, boundary_id, ctx = site.op, site.boundary_id, site.ctx
    for step in steps:
        child_name = f"{sg.name}.{step.get('name')}"
        child = op.get(child_name)
        if child is None:
            expanded = [n for n in op.children_of(sg) if n.boundary_id == boundary_id
                        and n.name.startswith(child_name + "(") and n.type != ph.SKIPPED_TYPE]
            if expanded:
                aggregate_outputs(scope, "steps", str(step.get("name")), expanded)
            add_node_to_scope(scope, "steps", str(step.get("name")), sg)
            continue
        add_node_to_scope(scope, "steps", str(step.get("name")), op.last_attempt(child))
        producer = _template_of(op, ctx, step)
        add_skipped_outputs(scope, "steps", str(step.get("name")), child, producer, True)
        add_absent_optional_artifacts(scope, "steps", str(step.get("name")), producer)


def _template_of(op: Operation, ctx: TemplateContext, holder: Mapping[str, Any]) -> JSON | None:
    return op.template_for(ctx, holder)


def update_outbound_nodes(op: Operation, name: str, tmpl: JSON) -> None:
    last_sg = None
    for index in range(len(tmpl.get("steps") or []) - 1, -1, -1):
        last_sg = op.get(f"{name}[{index}]")
        if last_sg is not None:
            break
    if last_sg is None:
        return
    outbound: list[str] = []
    for child_id in last_sg.children:
        outbound.extend(op.outbound_nodes(child_id))
    set_outbound(op, name, outbound)


def execute_step_group(site: Site, steps: list[JSON], scope: Scope) -> Node:
    """Visit the steps of the group ``site.attach_to`` (Argo's ``executeStepGroup``)."""
    op, sg_name = site.op, site.attach_to
    sg = op.get(sg_name)
    assert sg is not None
    if sg.fulfilled and op.children_fulfilled(sg):
        return sg
    try:
        resolved = [resolve_child(op, step, scope) for step in steps]
        expanded = _expand_group(site, resolved, scope)
    except RESOLVE_ERRORS as exc:
        return op.mark_phase(sg_name, ph.ERROR, resolve_error_message(exc))
    node_steps: dict[str, JSON] = {}
    for step in expanded:
        child_name = f"{sg_name}.{step.get('name')}"
        outcome = visit_child(site, Child(child_name, step, step, str(step.get("name", ""))))
        if outcome.kind == WHEN_ERROR:
            return op.mark_phase(sg_name, ph.ERROR, outcome.message)
        if outcome.kind == TIMED_OUT:
            return op.mark_phase(sg_name, ph.FAILED, outcome.message)
        if outcome.kind == FAILED:
            return op.mark_phase(sg_name, ph.ERROR,
                                 f"step group deemed errored due to child {child_name} error: {outcome.message}")
        if outcome.kind in (RAN, BLOCKED) and outcome.node is not None:
            node_steps[child_name] = step
    return _assess_group(site, node_steps, scope)


def _expand_group(site: Site, steps: list[JSON], scope: Scope) -> list[JSON]:
    out: list[JSON] = []
    for step in steps:
        items = expand_child(site.op, step, scope)
        if not items:
            make_skipped(site, f"{site.attach_to}.{step.get('name')}", step, ph.SKIPPED, "Skipped, empty params")
        out.extend(items)
    return out


def _assess_group(site: Site, node_steps: Mapping[str, JSON], scope: Scope) -> Node:
    op, sg_name = site.op, site.attach_to
    sg = op.get(sg_name)
    assert sg is not None
    completed = True
    for child_id in sg.children:
        child = op.by_id(child_id)
        if child is None:
            continue
        step = node_steps.get(child.name, {})
        scope.set(f"steps.{child.display_name}.status", child.phase)
        try:
            hooks_done = hooks.run_template_hooks(site, scope, step.get("hooks"), child, str(step.get("name", "")))
        except ExpressionError as exc:
            op.mark_phase(sg_name, ph.ERROR, exc.render())
            hooks_done = True
        if not hooks_done:
            return op.get(sg_name) or sg
        if not child.fulfilled:
            completed = False
        elif child.completed:
            visit = Child(child.name, step, step, str(step.get("name", "")))
            if run_exit(site, visit, child, lambda _node: scope) is False:
                completed = False
    sg = op.get(sg_name) or sg
    if not completed:
        return op.mark_node(sg, ph.RUNNING) if sg.fulfilled else sg
    for child_id in sg.children:
        child = op.by_id(child_id)
        if child is None:
            continue
        step = node_steps.get(child.name, {})
        if child.phase in ph.UNSUCCESSFUL_PHASES and not continues_on(step, child.phase):
            return op.mark_node(sg, ph.FAILED, f"child '{child_id}' failed")
    return op.mark_node(sg, ph.SUCCEEDED)
