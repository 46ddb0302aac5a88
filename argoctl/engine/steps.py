"""Steps templates: sequential step groups of parallel steps (Argo's ``executeSteps``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.engine import hooks, loops, memo
from argoctl.engine.errors import (
    NodeFailure,
    ParallelismReached,
    TimeoutExceeded,
)
from argoctl.engine.execute import ExecOpts, execute_template, run_boundary
from argoctl.engine.operation import Operation
from argoctl.engine.refs import ReferenceError_, evaluate_when, loop_when, resolve_step
from argoctl.engine.scope import (
    Scope,
    add_absent_optional_artifacts,
    add_node_to_scope,
    add_skipped_outputs,
    aggregate_outputs,
    template_outputs_from_scope,
)
from argoctl.engine.templates import TemplateContext, continues_on
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]


def execute_steps(op: Operation, name: str, node: Node | None, holder: Mapping[str, Any],
                  ctx: TemplateContext, new_ctx: TemplateContext, tmpl: JSON, opts: ExecOpts) -> Node:
    return run_boundary(op, name, node, holder, ctx, tmpl, opts, ph.STEPS,
                        lambda steps_node: _run_groups(op, name, steps_node, new_ctx, tmpl, opts))



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


def _run_groups(op: Operation, name: str, node: Node, ctx: TemplateContext, tmpl: JSON,
                opts: ExecOpts) -> Node:
    scope = Scope(tmpl)
    op.add_workflow_outputs(scope)
    boundary_id = node.id
    for index, group in enumerate(tmpl.get("steps") or []):
        sg_name = f"{name}[{index}]"
        sg = op.get(sg_name)
        if sg is None:
            sg = op.init_node(sg_name, ph.STEP_GROUP, {}, boundary_id, ph.RUNNING, template_scope=ctx.scope)
        elif not sg.fulfilled:
            op.mark_node(sg, ph.RUNNING)
        _connect_group(op, name, index, sg_name)
        steps = list(group or [])
        sg = execute_step_group(op, steps, sg_name, boundary_id, ctx, scope, opts)
        if not sg.fulfilled:
            return op.get(name) or node
        if sg.phase in ph.UNSUCCESSFUL_PHASES:
            update_outbound_nodes(op, name, tmpl)
            return op.mark_phase(name, ph.FAILED, sg.message)
        _add_group_outputs(op, steps, sg, boundary_id, ctx, scope)
    update_outbound_nodes(op, name, tmpl)
    node = op.get(name) or node
    try:
        outputs = template_outputs_from_scope(tmpl, scope)
    except ExpressionError as exc:
        return op.mark_phase(name, ph.ERROR, exc.render())
    if outputs is not None:
        node = op.put(node.with_(outputs=outputs))
        op.add_outputs_to_globals(outputs)
    if node.memoization_status:
        memo.save(op, node)
    return op.mark_phase(name, ph.SUCCEEDED)


def _add_group_outputs(op: Operation, steps: list[JSON], sg: Node, boundary_id: str,
                       ctx: TemplateContext, scope: Scope) -> None:
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
    node = op.get(name)
    if node is not None:
        op.put(node.with_(outbound_nodes=tuple(outbound)))


def execute_step_group(op: Operation, steps: list[JSON], sg_name: str, boundary_id: str,
                       ctx: TemplateContext, scope: Scope, opts: ExecOpts) -> Node:
    sg = op.get(sg_name)
    assert sg is not None
    if sg.fulfilled and op.children_fulfilled(sg):
        return sg
    try:
        resolved = [resolve_step(step, scope, op.globals) for step in steps]
        expanded = _expand_group(op, sg_name, resolved, boundary_id, ctx, scope)
    except (ReferenceError_, ExpressionError, loops.LoopError) as exc:
        message = exc.render() if isinstance(exc, ExpressionError) else str(exc)
        return op.mark_phase(sg_name, ph.ERROR, message)
    node_steps: dict[str, JSON] = {}
    for step in expanded:
        child_name = f"{sg_name}.{step.get('name')}"
        when = step.get("when")
        try:
            proceed = evaluate_when(str(when)) if when else True
        except ExpressionError as exc:
            if op.get(child_name) is None:
                op.init_node(child_name, ph.SKIPPED_TYPE, step, boundary_id, ph.ERROR,
                             template_scope=ctx.scope, message=exc.render())
                op.add_child(sg_name, child_name)
            return op.mark_phase(sg_name, ph.ERROR, exc.render())
        if not proceed:
            if op.get(child_name) is None:
                op.init_node(child_name, ph.SKIPPED_TYPE, step, boundary_id, ph.SKIPPED,
                             template_scope=ctx.scope, message=f"when '{when}' evaluated false")
                op.add_child(sg_name, child_name)
            continue
        holder = {**step, "_kind": "step"}
        try:
            execute_template(op, child_name, holder, ctx, step.get("arguments"),
                             ExecOpts(boundary_id=boundary_id, on_exit=opts.on_exit))
        except ParallelismReached:
            pass
        except TimeoutExceeded as exc:
            return op.mark_phase(sg_name, ph.FAILED, exc.message)
        except NodeFailure as exc:
            op.add_child(sg_name, child_name)
            return op.mark_phase(sg_name, ph.ERROR,
                                 f"step group deemed errored due to child {child_name} error: {exc.message}")
        if op.get(child_name) is not None:
            node_steps[child_name] = step
            op.add_child(sg_name, child_name)
    return _assess_group(op, sg_name, node_steps, boundary_id, ctx, scope)


def _expand_group(op: Operation, sg_name: str, steps: list[JSON], boundary_id: str,
                  ctx: TemplateContext, scope: Scope) -> list[JSON]:
    out: list[JSON] = []
    for step in steps:
        if not loops.should_expand(step):
            out.append(step)
            continue
        items = loops.expand(step, scope.merged(op.globals), loop_when(step), op.env.max_loop_items)
        if not items:
            child_name = f"{sg_name}.{step.get('name')}"
            if op.get(child_name) is None:
                op.init_node(child_name, ph.SKIPPED_TYPE, step, boundary_id, ph.SKIPPED,
                             template_scope=ctx.scope, message="Skipped, empty params")
                op.add_child(sg_name, child_name)
        out.extend(items)
    return out


def _assess_group(op: Operation, sg_name: str, node_steps: Mapping[str, JSON], boundary_id: str,
                  ctx: TemplateContext, scope: Scope) -> Node:
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
            hooks_done = hooks.run_template_hooks(op, scope, step.get("hooks"), child, boundary_id, ctx,
                                                  "steps", str(step.get("name", "")))
        except ExpressionError as exc:
            op.mark_phase(sg_name, ph.ERROR, exc.render())
            hooks_done = True
        if not hooks_done:
            return op.get(sg_name) or sg
        if not child.fulfilled:
            completed = False
        elif child.completed:
            has_exit, exit_node = hooks.run_on_exit_node(op, step, child, boundary_id, ctx, "steps",
                                                         str(step.get("name", "")), scope)
            if has_exit and (exit_node is None or not exit_node.fulfilled):
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
