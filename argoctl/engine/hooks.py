"""Exit handlers and lifecycle hooks: ``<node>.onExit`` and ``<node>.hooks.<name>`` nodes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.engine.call import Site
from argoctl.engine.errors import EngineSignal
from argoctl.engine.execute import ExecOpts, execute_template
from argoctl.engine.operation import Operation
from argoctl.engine.scope import Scope, resolve_artifact
from argoctl.engine.templates import TemplateContext
from argoctl.errors import ExpressionError
from argoctl.model.node import Node

JSON = dict[str, Any]
EXIT = "exit"


def exit_hook(holder: Mapping[str, Any], spec_arguments: Mapping[str, Any] | None = None) -> JSON | None:
    """A step's/task's/workflow's exit hook: ``hooks.exit``, else the deprecated ``onExit``."""
    hooks = holder.get("hooks") or {}
    if hooks.get(EXIT):
        return dict(hooks[EXIT])
    on_exit = holder.get("onExit")
    if on_exit:
        return {"template": on_exit, "arguments": spec_arguments or {}}
    return None


def _hook_holder(hook: Mapping[str, Any]) -> JSON:
    holder: JSON = {}
    if hook.get("template"):
        holder["template"] = hook["template"]
    if hook.get("templateRef"):
        holder["templateRef"] = hook["templateRef"]
    return holder


def resolve_exit_arguments(op: Operation, args: Mapping[str, Any], prefix: str, name: str,
                           outputs: Mapping[str, Any] | None, scope: Scope | None) -> JSON:
    scope = scope or Scope()
    for param in (outputs or {}).get("parameters") or ():
        value = param.get("value")
        scope.set(f"{prefix}.{name}.outputs.parameters.{param.get('name')}", "" if value is None else str(value))
    for art in (outputs or {}).get("artifacts") or ():
        scope.set(f"{prefix}.{name}.outputs.artifacts.{art.get('name')}", art)
    marked = scope.mark_absent_args(args)
    new: JSON = expr.substitute_object(marked, scope.merged(op.globals))
    artifacts = []
    for art in new.get("artifacts") or ():
        if art.get("from") or art.get("fromExpression"):
            try:
                resolved = resolve_artifact(art, scope)
            except ExpressionError:
                if art.get("optional"):
                    continue
                raise
            if resolved is None:
                continue
            art = {**resolved, "name": art.get("name")}
        artifacts.append(art)
    if artifacts:
        new["artifacts"] = artifacts
    return new


def run_on_exit_node(site: Site, holder: Mapping[str, Any], parent: Node, name: str,
                     scope: Scope | None) -> tuple[bool, Node | None]:
    """``runOnExitNode``: (has an exit node, the exit node) for a completed step/task."""
    op, boundary_id, ctx, prefix = site.op, site.boundary_id, site.ctx, site.prefix
    hook = exit_hook(holder, op.spec.get("arguments"))
    if hook is None or not op.should_run_exit_handlers():
        return False, None
    if hook.get("expression"):
        env = (scope or Scope()).merged(op.globals)
        if not expr.evaluate_bool(str(hook["expression"]), env):
            return False, None
    outputs = op.last_attempt(parent).outputs if parent else None
    args = hook.get("arguments") or {}
    if args:
        args = resolve_exit_arguments(op, args, prefix, name, outputs, scope)
    exit_name = f"{parent.name}.onExit"
    node: Node | None = None
    try:
        node = execute_template(op, exit_name, _hook_holder(hook), ctx, args,
                                ExecOpts(boundary_id=boundary_id, on_exit=True, node_flag={"hooked": True}))
    except EngineSignal:
        node = op.get(exit_name)
    op.add_child(parent.name, exit_name)
    return True, node


def run_template_hooks(site: Site, scope: Scope, hooks: Mapping[str, Any] | None, parent: Node,
                       name: str) -> bool:
    """``executeTmplLifeCycleHook``: run hooks whose expression holds; True when all are done."""
    op, boundary_id, ctx, prefix = site.op, site.boundary_id, site.ctx, site.prefix
    started: list[Node | None] = []
    for hook_name, hook in (hooks or {}).items():
        if hook_name == EXIT:
            continue
        hook_node_name = f"{parent.name}.hooks.{hook_name}"
        existing = op.get(hook_node_name)
        expression = hook.get("expression")
        if not expression:
            raise ExpressionError(f"Expression required for hook {hook_node_name}")
        if not (expr.evaluate_bool(str(expression), scope.merged(op.globals)) or existing is not None):
            continue
        outputs = op.last_attempt(parent).outputs
        args = hook.get("arguments") or {}
        if args and outputs is not None:
            args = resolve_exit_arguments(op, args, prefix, name, outputs, scope)
        node: Node | None
        try:
            node = execute_template(op, hook_node_name, _hook_holder(hook), ctx, args,
                                    ExecOpts(boundary_id=boundary_id, node_flag={"hooked": True}))
        except EngineSignal:
            node = op.get(hook_node_name)
        op.add_child(parent.name, hook_node_name)
        started.append(node)
    return all(n is not None and n.fulfilled for n in started)


def run_workflow_hooks(op: Operation, ctx: TemplateContext) -> bool:
    """Workflow-level lifecycle hooks (not ``exit``): expressions over the global scope."""
    started: list[Node | None] = []
    for hook_name, hook in (op.spec.get("hooks") or {}).items():
        if hook_name == EXIT:
            continue
        hook_node_name = f"{op.wf_name}.hooks.{hook_name}"
        existing = op.get(hook_node_name)
        expression = hook.get("expression")
        if not expression:
            raise ExpressionError(f"Expression required for hook {hook_node_name}")
        if not (expr.evaluate_bool(str(expression), op.globals) or existing is not None):
            continue
        node: Node | None
        try:
            node = execute_template(op, hook_node_name, _hook_holder(hook), ctx, hook.get("arguments"),
                                    ExecOpts(node_flag={"hooked": True}))
        except EngineSignal:
            node = op.get(hook_node_name)
        op.add_child(op.wf_name, hook_node_name)
        started.append(node)
    return all(n is not None and n.fulfilled for n in started)
