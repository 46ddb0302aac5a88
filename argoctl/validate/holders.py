"""Things that call a template: steps, tasks, hooks, exit handlers and the entrypoint."""

from __future__ import annotations

from typing import Any

from argoctl.validate.context import Base, Context, Resolution, Where
from argoctl.validate.kinds import as_dict, text
from argoctl.validate.params import supply_errors
from argoctl.validate.templates import validate_template


def resolve_and_validate(
    ctx: Context, holder: dict[str, Any], base: Base, where: Where, prefix: str
) -> Resolution:
    """Follow ``holder`` (at ``where``) to its template, report a broken reference, and
    validate the template it reaches (once per template)."""
    resolution = ctx.resolve(holder, base, where, prefix)
    if resolution.error:
        ctx.report(where, (), f"{prefix}{resolution.error}")
    elif resolution.resolved is not None:
        validate_template(ctx, resolution.resolved)
    return resolution


def check_call(
    ctx: Context, resolution: Resolution, where: Where, prefix: str, arguments: dict[str, Any] | None
) -> None:
    """Report what a caller fails to supply to the template it calls (Argo's ProcessArgs);
    ``arguments=None`` means anything may be supplied at run time."""
    resolved = resolution.resolved
    if resolved is None:
        return
    for message in supply_errors(resolved.template, arguments):
        ctx.report(where, (), f"{prefix}templates.{resolved.name} {message}")


def call(
    ctx: Context,
    holder: dict[str, Any],
    base: Base,
    where: Where,
    prefix: str,
    arguments: dict[str, Any] | None,
) -> Resolution:
    """``resolve_and_validate`` then ``check_call``."""
    resolution = resolve_and_validate(ctx, holder, base, where, prefix)
    check_call(ctx, resolution, where, prefix, arguments)
    return resolution


def has_exit_hook(holder: dict[str, Any]) -> bool:
    return "exit" in as_dict(holder.get("hooks")) or bool(text(holder.get("onExit")))


def validate_hooks(
    ctx: Context,
    holder: dict[str, Any],
    base: Base,
    where: Where,
    holder_ref: str,
    *,
    need_expression: bool,
    hooks_ref: str = "",
    on_exit: bool = True,
) -> None:
    """Hooks (and the older ``onExit``) of a step or task, or of the workflow.

    ``holder_ref`` names the holder as Argo does (``templates.main.steps[0].a``, or ``hooks``
    for the workflow); ``hooks_ref`` names its hooks (default ``<holder_ref>.hooks``). Hooks
    other than ``exit`` need an expression where Argo says so; every hook's template must
    resolve and get its inputs from the hook's arguments. ``on_exit`` also checks the
    holder's ``onExit`` template (steps and tasks; the workflow's is checked with its arguments).
    """
    hooks_ref = hooks_ref or f"{holder_ref}.hooks"
    for hook_name, hook in as_dict(holder.get("hooks")).items():
        hook = as_dict(hook)
        hook_where = where.child("hooks", hook_name)
        if need_expression and hook_name != "exit" and not text(hook.get("expression")):
            ctx.report(hook_where, (), f"{holder_ref}.{hook_name} Expression required")
        call(ctx, hook, base, hook_where, f"{hooks_ref}.{hook_name} ", as_dict(hook.get("arguments")))
    exit_template = text(holder.get("onExit"))
    if on_exit and exit_template:
        call(ctx, {"template": exit_template}, base, where.child("onExit"), f"{holder_ref}.onExit ", {})


def check_non_leaf(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    if template.get("activeDeadlineSeconds") is not None:
        name = text(template.get("name"))
        ctx.report(
            where, ("activeDeadlineSeconds",),
            f"templates.{name}.activeDeadlineSeconds is only valid for leaf templates",
        )
