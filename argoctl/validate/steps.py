"""``steps`` templates: step names, loops, arguments, called templates and variable scope.

Scope follows Argo: a step sees the status of every step named so far, and the outputs of the
steps before it (including earlier ones of its own group).
"""

from __future__ import annotations

from typing import Any

from argoctl.validate.context import Context, Resolved, Where
from argoctl.validate.holders import (
    check_call,
    check_non_leaf,
    has_exit_hook,
    resolve_and_validate,
    validate_hooks,
)
from argoctl.validate.kinds import as_dict, as_list, step_name_errors, text
from argoctl.validate.params import validate_arguments
from argoctl.validate.scope import Scope, add_items, add_node_outputs, is_aggregate, unresolved_tags

STEP_FIELDS = frozenset({
    "name", "template", "inline", "arguments", "templateRef", "withItems", "withParam",
    "withSequence", "when", "continueOn", "onExit", "hooks",
})


def validate_steps(ctx: Context, resolved: Resolved, scope: Scope) -> None:
    template, where, name = resolved.template, resolved.where, resolved.name
    check_non_leaf(ctx, where, template)
    groups = template.get("steps")
    if not isinstance(groups, list):
        ctx.report(where, ("steps",), f"templates.{name}.steps must be a list of step groups")
        return
    seen: set[str] = set()
    for group_index, group in enumerate(groups):
        if group is None:
            continue
        if not isinstance(group, list):
            ctx.report(
                where, ("steps", group_index),
                f"templates.{name}.steps[{group_index}] must be a list of steps "
                "(each group is a list: '- - name: ...')",
            )
            continue
        for step_index, step in enumerate(group):
            step_where = where.child("steps", group_index, step_index)
            if not isinstance(step, dict):
                ctx.report(step_where, (), f"templates.{name}.steps[{group_index}] must hold steps (mappings)")
                continue
            _validate_step(ctx, resolved, scope, step, step_where, group_index, seen)


def _validate_step(
    ctx: Context,
    resolved: Resolved,
    scope: Scope,
    step: dict[str, Any],
    where: Where,
    group_index: int,
    seen: set[str],
) -> None:
    template_name = resolved.name
    for key in step:
        if key not in STEP_FIELDS:
            ctx.report(where, (key,), f'json: unknown field "{key}"')
    group_ref = f"templates.{template_name}.steps[{group_index}]"
    name = text(step.get("name"))
    if not _check_name(ctx, where, group_ref, name, seen):
        return
    scope.add(f"steps.{name}.status")
    step_ref = f"{group_ref}.{name}"
    prefix = f"{step_ref} "
    loop_error = add_items(scope, step)
    if loop_error:
        ctx.report(where, (), prefix + loop_error)
    validate_arguments(ctx, where.child("arguments"), f"{step_ref}.arguments.", step.get("arguments"), allow_empty=False)
    resolution = resolve_and_validate(ctx, step, resolved.base, where, prefix)
    called = resolution.outputs_template()
    if has_exit_hook(step):
        add_node_outputs(scope, "steps", name, called)
    validate_hooks(ctx, step, resolved.base, where, step_ref, need_expression=True)
    step_scope = scope.child()
    inline_inputs = as_dict(as_dict(step.get("inline")).get("inputs"))
    for parameter in as_list(inline_inputs.get("parameters")):
        step_scope.add(f"inputs.parameters.{text(as_dict(parameter).get('name'))}")
    for path, tag in unresolved_tags(step, step_scope, template_validation=ctx.template_validation):
        ctx.report(where, path, f"templates.{template_name}.steps failed to resolve {{{{{tag}}}}}")
    add_node_outputs(scope, "steps", name, called, aggregate=is_aggregate(step))
    check_call(ctx, resolution, where, prefix, as_dict(step.get("arguments")))


def _check_name(ctx: Context, where: Where, group_ref: str, name: str, seen: set[str]) -> bool:
    """Report a missing, repeated or malformed step name; ``False`` when there is none."""
    if not name:
        ctx.report(where, (), f"{group_ref}.name is required")
        return False
    if name in seen:
        ctx.report(where, ("name",), f"{group_ref}.name '{name}' is not unique")
    elif errors := step_name_errors(name):
        ctx.report(where, ("name",), f"{group_ref}.name '{name}' is invalid: {';'.join(errors)}")
    seen.add(name)
    return True
