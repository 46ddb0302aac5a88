"""One template: its type, inputs, timeouts, body (steps, DAG or leaf), outputs and metrics.

Each template is validated once (Argo memoizes by template); what depends on the caller (the
arguments it passes) is checked at each call (``holders.check_call``).
"""

from __future__ import annotations

import re
from typing import Any

from argoctl.validate.context import Context, Resolved, Where
from argoctl.validate.kinds import (
    TYPE_CHOICES,
    as_dict,
    as_list,
    declared_types,
    is_leaf,
    is_pod_type,
    template_type,
    text,
)
from argoctl.validate.params import named_lists, validate_outputs
from argoctl.validate.scope import Scope, unresolved_tags

RETRY_POLICIES = ("Always", "OnError", "OnFailure", "OnTransientError", "")
_METRIC_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_POD_RESOURCE = re.compile(r"^(cpu|memory|hugepages-.+)$")


def validate_template(ctx: Context, resolved: Resolved) -> None:
    if resolved.key in ctx.validated:
        return
    ctx.validated.add(resolved.key)
    template, where, name = resolved.template, resolved.where, resolved.name
    kinds = declared_types(template)
    if len(kinds) != 1:
        wording = "template type unspecified" if not kinds else "multiple template types specified"
        ctx.report(where, (), f"templates.{name} {wording}. choose one of: {TYPE_CHOICES}")
        if not kinds:
            return
    policy = as_dict(template.get("retryStrategy")).get("retryPolicy")
    if text(policy) not in RETRY_POLICIES:
        ctx.report(where, ("retryStrategy", "retryPolicy"), f"{text(policy)} is not a valid RetryPolicy")
    _check_pod_resources(ctx, where, template)
    scope = _inputs_scope(ctx, where, template)
    for index, container in enumerate(as_list(template.get("initContainers"))):
        if not text(as_dict(container).get("name")):
            ctx.report(where, ("initContainers", index), "initContainers must all have container name")
    _check_timeouts(ctx, where, template)
    scope.update(ctx.globals)
    _validate_body(ctx, resolved, scope)
    for path, tag in unresolved_tags(template.get("outputs"), scope, template_validation=ctx.template_validation):
        ctx.report(where, ("outputs", *path), f"templates.{name}.outputs failed to resolve {{{{{tag}}}}}")
    validate_outputs(ctx, where, template)
    _check_archive_location(ctx, where, template)
    _check_metrics(ctx, where, template)


def _validate_body(ctx: Context, resolved: Resolved, scope: Scope) -> None:
    # Imported here: steps and dag call back into this module for the templates they reach.
    from argoctl.validate.dag import validate_dag
    from argoctl.validate.leaf import validate_leaf
    from argoctl.validate.steps import validate_steps

    kind = template_type(resolved.template)
    if kind == "Steps":
        validate_steps(ctx, resolved, scope)
    elif kind == "DAG":
        validate_dag(ctx, resolved, scope)
    else:
        validate_leaf(ctx, resolved, scope)


def _inputs_scope(ctx: Context, where: Where, template: dict[str, Any]) -> Scope:
    """Check ``inputs`` and return the variables they (and the template kind) provide."""
    name = text(template.get("name"))
    parameters, artifacts = named_lists(ctx, where, template, "inputs")
    scope = Scope()
    scope.add(*(f"inputs.parameters.{text(as_dict(p).get('name'))}" for p in parameters))
    if parameters:
        scope.add("inputs.parameters")
    leaf = is_leaf(template)
    for index, artifact in enumerate(artifacts):
        artifact = as_dict(artifact)
        ref = f"inputs.artifacts.{text(artifact.get('name'))}"
        scope.add(ref)
        if leaf:
            scope.add(f"{ref}.path")
        elif text(artifact.get("path")):
            ctx.report(where, ("inputs", "artifacts", index, "path"), f"templates.{name}.{ref}.path only valid in container/script templates")
        if text(artifact.get("from")):
            ctx.report(where, ("inputs", "artifacts", index, "from"), f"templates.{name}.{ref}.from not valid in inputs")
        if artifact.get("git") is not None and not text(as_dict(artifact.get("git")).get("repo")):
            ctx.report(where, ("inputs", "artifacts", index, "git"), f"templates.{name}.{ref}.git.repo is required")
    if is_pod_type(template):
        scope.add("pod.name")
    return scope


def _check_timeouts(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    kind = template_type(template)
    timeout = template.get("timeout")
    if timeout is not None and text(timeout) != "":
        if not is_leaf(template):
            ctx.report(where, ("timeout",), f"{kind} template doesn't support timeout field")
        elif re.fullmatch(r"[+-]?\d+", text(timeout)):
            ctx.report(where, ("timeout",), f"{text(template.get('name'))} has invalid duration format in timeout")
    pending = template.get("pendingTimeout")
    if pending is not None and text(pending) != "" and not is_leaf(template):
        ctx.report(where, ("pendingTimeout",), f"{kind} template doesn't support pendingTimeout field")


def _check_pod_resources(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    resources = template.get("podResources")
    if resources is None:
        return
    name = text(template.get("name"))
    kind = template_type(template)
    if kind in ("HTTP", "Plugin"):
        ctx.report(where, ("podResources",), f"templates.{name}.podResources is not supported for {kind} templates")
        return
    check_pod_resources(ctx, where, ("podResources",), f"templates.{name}.podResources", resources)


def check_pod_resources(
    ctx: Context, where: Where, relative: tuple[str, ...], prefix: str, resources: Any
) -> None:
    """Pod-level resources may only name cpu, memory and hugepages-*, with no claims."""
    resources = as_dict(resources)
    if as_list(resources.get("claims")):
        ctx.report(where, (*relative, "claims"), f"{prefix}.claims is not supported for pod-level resources")
    for field in ("limits", "requests"):
        for resource in as_dict(resources.get(field)):
            if not _POD_RESOURCE.match(resource):
                ctx.report(
                    where, (*relative, field, resource),
                    f'{prefix}: "{resource}" is not a valid pod-level resource, only cpu, memory and '
                    "hugepages-* are supported",
                )


def _check_archive_location(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    location = template.get("archiveLocation")
    git = as_dict(location).get("git")
    if git is not None and not text(as_dict(git).get("repo")):
        name = text(template.get("name"))
        ctx.report(where, ("archiveLocation", "git"), f"templates.{name}.archiveLocation.git.repo is required")


def _check_metrics(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    name = text(template.get("name"))
    metrics = as_list(as_dict(template.get("metrics")).get("prometheus"))
    for index, metric in enumerate(metrics):
        metric = as_dict(metric)
        metric_name = text(metric.get("name"))
        here = ("metrics", "prometheus", index)
        if not _METRIC_NAME.match(metric_name):
            ctx.report(
                where, (*here, "name"),
                f"templates.{name} metric name '{metric_name}' is invalid. Metric names must contain "
                "alphanumeric characters or '_'",
            )
        elif not text(metric.get("help")):
            ctx.report(
                where, here,
                f"templates.{name} metric '{metric_name}' must contain a help string under 'help: ' field",
            )
