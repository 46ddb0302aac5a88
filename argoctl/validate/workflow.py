"""Whole objects: Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow.

Order and wording follow Argo's validation: object name, ``spec.templates`` names, arguments,
entrypoint (called with the workflow's arguments), exit handler, hooks, pod GC, then every
template on its own.
"""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from argoctl.parse import Document, FieldPath
from argoctl.validate.context import Base, Context, Problem, Resolved, Where
from argoctl.validate.cron import schedule_error
from argoctl.validate.holders import call, validate_hooks
from argoctl.validate.kinds import as_dict, as_list, dns_subdomain_errors, name_list_errors, text
from argoctl.validate.params import validate_arguments
from argoctl.validate.scope import Unknown
from argoctl.validate.shape import check_object_shape
from argoctl.validate.source import TemplateSource
from argoctl.validate.strict import unknown_field_problems
from argoctl.validate.templates import check_pod_resources, validate_template

POD_GC_STRATEGIES = ("", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")
CONCURRENCY_POLICIES = ("", "Allow", "Forbid", "Replace")
_NAME_LIMITS = {
    "Workflow": (63, "workflow name"),
    "WorkflowTemplate": (63, "workflow template name"),
    "ClusterWorkflowTemplate": (63, "cluster workflow template name"),
    "CronWorkflow": (52, "cron workflow name"),
}
_ALWAYS_GLOBAL = (
    "workflow.name", "workflow.namespace", "workflow.mainEntrypoint", "workflow.serviceAccountName",
    "workflow.uid", "workflow.status", "workflow.annotations", "workflow.annotations.json",
    "workflow.labels", "workflow.labels.json",
)


def validate_document(
    doc: Document,
    *,
    source: TemplateSource | None = None,
    arguments: dict[str, str] | None = None,
    require_arguments: bool = True,
    strict: bool = True,
) -> list[Problem]:
    """Argo's validation of one object; problems sorted by line.

    ``arguments`` are ``-p`` overrides (they replace same-named ``spec.arguments``).
    ``require_arguments`` is submit mode: every workflow argument needs a value (lint passes
    ``False``). WorkflowTemplates may always leave values empty; CronWorkflows never may, as
    in Argo. Without ``source``, ``templateRef``/``workflowTemplateRef`` are not followed.
    ``strict`` (argo's ``--strict``, the default) makes unknown fields problems. Objects of
    other kinds give no problems. ``lint``, ``submit``, ``apply`` and ``template create`` all
    come through here, so they accept and reject the same objects.
    """
    kind = doc.kind
    if kind not in _NAME_LIMITS:
        return []
    template_validation = kind in ("WorkflowTemplate", "ClusterWorkflowTemplate")
    ctx = Context(doc, source, template_validation=template_validation)
    whole = check_object_shape(ctx, kind)
    _check_object_name(ctx, kind, as_dict(doc.obj.get("metadata")))
    if whole:
        try:
            _validate_kind(ctx, kind, arguments, require_arguments=require_arguments)
        except RecursionError:  # a chain of distinct templates calling each other ~190 deep
            ctx.report_at(("spec",), "templates call each other too deeply to validate "
                          "(Argo stops a workflow at 100 nested template calls)")
    if strict:
        ctx.problems.extend(_not_reported(unknown_field_problems(doc), ctx.problems))
    return sorted(ctx.problems, key=lambda problem: problem.line)


def _not_reported(candidates: list[Problem], problems: list[Problem]) -> list[Problem]:
    """Unknown fields Argo's own validation has not already named (steps check their fields)."""
    said = [(p.line, p.message) for p in problems]
    return [p for p in candidates
            if not any(line == p.line and message.endswith(p.message.partition(",")[0]) for line, message in said)]


def _validate_kind(
    ctx: Context, kind: str, arguments: dict[str, str] | None, *, require_arguments: bool
) -> None:
    doc, template_validation = ctx.doc, ctx.template_validation
    spec_path: FieldPath = ("spec",)
    if kind == "CronWorkflow":
        _check_cron(ctx, as_dict(doc.obj.get("spec")))
        ctx.message_prefix = "cannot validate Workflow: "
        spec_path = ("spec", "workflowSpec")
    spec = as_dict(as_dict(doc.obj.get("spec")).get("workflowSpec") if kind == "CronWorkflow" else doc.obj.get("spec"))
    spec = _override_arguments(spec, arguments)
    base_kind = "Workflow" if kind == "CronWorkflow" else kind
    local = Base(base_kind, doc.name, spec, (*spec_path, "templates"))
    ctx.local_base = local
    allow_empty = template_validation or (kind == "Workflow" and not require_arguments)
    ignore_entrypoint = template_validation and not text(spec.get("entrypoint"))
    _validate_spec(ctx, local, Where(spec_path, spec_path), allow_empty=allow_empty, ignore_entrypoint=ignore_entrypoint)


def _override_arguments(spec: dict[str, Any], overrides: dict[str, str] | None) -> dict[str, Any]:
    """``argo submit -p`` applied to a copy of the spec.

    Parameters keep their place (so problems point at the right line) and their other fields
    (``enum``, ``description``; Argo drops them, which would let any value pass an enum);
    parameters the spec does not declare are added at the end.
    """
    if not overrides:
        return spec
    arguments = as_dict(spec.get("arguments"))
    parameters: list[Any] = []
    for parameter in as_list(arguments.get("parameters")):
        name = as_dict(parameter).get("name")
        if isinstance(name, str) and name in overrides:
            kept = {key: item for key, item in as_dict(parameter).items() if key not in ("value", "valueFrom")}
            parameter = {**kept, "value": overrides[name]}
        parameters.append(parameter)
    declared = {text(as_dict(p).get("name")) for p in parameters}
    parameters += [{"name": name, "value": value} for name, value in overrides.items() if name not in declared]
    return {**spec, "arguments": {**arguments, "parameters": parameters}}


def _check_object_name(ctx: Context, kind: str, metadata: dict[str, Any]) -> None:
    limit, noun = _NAME_LIMITS[kind]
    name = metadata.get("name")
    if not isinstance(name, str):
        return
    if len(name) > limit:
        ctx.report_at(
            ("metadata", "name"),
            f'{noun} "{name}" must not be more than {limit} characters long (currently {len(name)})',
        )
    # generateName is left alone: upstream fixtures use mixed case there (dag-hang-failFast-)
    errors = dns_subdomain_errors(name) if name else []
    if errors:
        ctx.report_at(("metadata", "name"), f'Invalid value: "{name}": {"; ".join(errors)}')


def _check_cron(ctx: Context, spec: dict[str, Any]) -> None:
    schedules = [text(s) for s in as_list(spec.get("schedules"))]
    if text(spec.get("schedule")):
        schedules.insert(0, text(spec.get("schedule")))
    if not schedules:
        ctx.report_at(("spec",), "cron workflow must have at least one schedule")
    for schedule in schedules:
        error = schedule_error(schedule)
        if error:
            field = "schedules" if spec.get("schedules") else "schedule"
            ctx.report_at(("spec", field), f"cron schedule {schedule} is malformed: {error}")
    timezone = text(spec.get("timezone"))
    if timezone and not _known_timezone(timezone):
        ctx.report_at(("spec", "timezone"), f'invalid timezone "{timezone}": unknown time zone {timezone}')
    policy = text(spec.get("concurrencyPolicy"))
    if policy not in CONCURRENCY_POLICIES:
        ctx.report_at(("spec", "concurrencyPolicy"), f"'{policy}' is not a valid concurrencyPolicy")
    deadline = spec.get("startingDeadlineSeconds")
    if isinstance(deadline, int | float) and not isinstance(deadline, bool) and deadline < 0:
        ctx.report_at(("spec", "startingDeadlineSeconds"), "startingDeadlineSeconds must be positive")


def _known_timezone(name: str) -> bool:
    """Known to the tz database; any name passes when this machine has no tz database."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return not _have_tz_database()
    return True


@functools.cache
def _have_tz_database() -> bool:
    return bool(zoneinfo.available_timezones())


def _validate_spec(
    ctx: Context, local: Base, where: Where, *, allow_empty: bool, ignore_entrypoint: bool
) -> None:
    spec = local.spec
    ref = as_dict(spec.get("workflowTemplateRef")) if spec.get("workflowTemplateRef") is not None else None
    referenced = _referenced_base(ctx, where, spec, ref)
    ref_spec = referenced.spec if isinstance(referenced, Base) else {}
    for index, message in name_list_errors(as_list(spec.get("templates")), parameters=False):
        ctx.report(where, ("templates", index, "name"), f"spec.templates{message}")
    _validate_workflow_arguments(ctx, where, spec, ref_spec, allow_empty=allow_empty)
    _add_globals(ctx, spec, ref_spec)
    entrypoint = text(spec.get("entrypoint")) or text(ref_spec.get("entrypoint"))
    if not ignore_entrypoint and not entrypoint and referenced is not None:
        ctx.report(where, ("entrypoint",), "spec.entrypoint is required")
    call_arguments = None if ctx.template_validation else _merged_arguments(spec, ref_spec)
    if entrypoint and not ignore_entrypoint and referenced is not None:
        entry_field = "entrypoint" if text(spec.get("entrypoint")) or ref is None else "workflowTemplateRef"
        holder, holder_where = _holder(where, ref, entrypoint, entry_field)
        call(ctx, holder, local, holder_where, "", call_arguments)
    on_exit, exit_field = text(spec.get("onExit")), "onExit"
    if not on_exit and ref is not None:
        on_exit, exit_field = text(ref_spec.get("onExit")), "workflowTemplateRef"
    if on_exit and referenced is not None:
        holder, holder_where = _holder(where, ref, on_exit, exit_field)
        call(ctx, holder, local, holder_where, "", as_dict(spec.get("arguments")))
    hooks_base = referenced if isinstance(referenced, Base) else local
    validate_hooks(ctx, spec, hooks_base, where, "hooks", need_expression=True, hooks_ref="hooks", on_exit=False)
    strategy = text(as_dict(spec.get("podGC")).get("strategy"))
    if strategy not in POD_GC_STRATEGIES:
        ctx.report(where, ("podGC", "strategy"), f"podGC.strategy unknown strategy '{strategy}'")
    if spec.get("podResources") is not None:
        check_pod_resources(ctx, where, ("podResources",), "spec.podResources", spec.get("podResources"))
    _validate_all_templates(ctx, local, where, ref, referenced)


def _referenced_base(
    ctx: Context, where: Where, spec: dict[str, Any], ref: dict[str, Any] | None
) -> Base | Unknown | None:
    """The WorkflowTemplate behind ``workflowTemplateRef`` (the local base when there is none)."""
    if ref is None:
        return ctx.local_base
    if as_list(spec.get("templates")):
        ctx.report(where, ("templates",), "Templates is invalid field in spec if workflow referred WorkflowTemplate reference")
    name, cluster = text(ref.get("name")), ref.get("clusterScope") is True
    found = ctx.lookup_base(name, cluster=cluster)
    if found is None:
        plural = "clusterworkflowtemplates" if cluster else "workflowtemplates"
        ctx.report(where, ("workflowTemplateRef", "name"), f'{plural}.argoproj.io "{name}" not found')
    return found


def _holder(where: Where, ref: dict[str, Any] | None, template: str, field: str) -> tuple[dict[str, Any], Where]:
    if ref is None:
        return {"template": template}, where.child(field)
    holder_ref = {"name": ref.get("name"), "template": template, "clusterScope": ref.get("clusterScope")}
    return {"templateRef": holder_ref}, where.child(field)


def _merged_arguments(spec: dict[str, Any], ref_spec: dict[str, Any]) -> dict[str, Any]:
    """The workflow's arguments, then the referenced template's that it does not override."""
    own, inherited = as_dict(spec.get("arguments")), as_dict(ref_spec.get("arguments"))
    merged: dict[str, Any] = {}
    for field in ("parameters", "artifacts"):
        items = [as_dict(item) for item in as_list(own.get(field))]
        names = {text(item.get("name")) for item in items}
        items += [as_dict(i) for i in as_list(inherited.get(field)) if text(as_dict(i).get("name")) not in names]
        merged[field] = items
    return merged


def _validate_workflow_arguments(
    ctx: Context, where: Where, spec: dict[str, Any], ref_spec: dict[str, Any], *, allow_empty: bool
) -> None:
    validate_arguments(ctx, where.child("arguments"), "spec.arguments.", spec.get("arguments"), allow_empty=allow_empty)
    if not ref_spec:
        return
    own = as_dict(spec.get("arguments"))
    inherited = as_dict(ref_spec.get("arguments"))
    only_inherited = {
        field: [
            item for item in as_list(inherited.get(field))
            if text(as_dict(item).get("name")) not in {text(as_dict(o).get("name")) for o in as_list(own.get(field))}
        ]
        for field in ("parameters", "artifacts")
    }
    ref_where = Where(None, where.at("workflowTemplateRef"))
    validate_arguments(ctx, ref_where, "spec.arguments.", only_inherited, allow_empty=allow_empty)


def _add_globals(ctx: Context, spec: dict[str, Any], ref_spec: dict[str, Any]) -> None:
    """The ``workflow.*`` variables every template may use."""
    names = ctx.globals
    names.add(*_ALWAYS_GLOBAL)
    parameters = _merged_arguments(spec, ref_spec)["parameters"]
    if parameters:
        names.add("workflow.parameters", "workflow.parameters.json")
    names.add(*(f"workflow.parameters.{text(p.get('name'))}" for p in parameters if text(p.get("name"))))
    metadata = as_dict(ctx.doc.obj.get("metadata"))
    labels, annotations = set(as_dict(metadata.get("labels"))), set(as_dict(metadata.get("annotations")))
    for source in (spec, ref_spec, as_dict(ctx.doc.obj.get("spec"))):
        workflow_metadata = as_dict(source.get("workflowMetadata"))
        labels |= set(as_dict(workflow_metadata.get("labels"))) | set(as_dict(workflow_metadata.get("labelsFrom")))
        annotations |= set(as_dict(workflow_metadata.get("annotations")))
    names.add(*(f"workflow.labels.{key}" for key in labels))
    names.add(*(f"workflow.annotations.{key}" for key in annotations))
    if spec.get("priority") is not None:
        names.add("workflow.priority")
    if text(spec.get("onExit")) or text(ref_spec.get("onExit")) or "exit" in as_dict(spec.get("hooks")):
        names.add("workflow.failures")
    for template in as_list(spec.get("templates")) + as_list(ref_spec.get("templates")):
        ctx.add_global_outputs(as_dict(template))


def _validate_all_templates(
    ctx: Context, local: Base, where: Where, ref: dict[str, Any] | None, referenced: Base | Unknown | None
) -> None:
    """Every template on its own (those already reached from the entrypoint are skipped)."""
    if ref is not None:
        if not isinstance(referenced, Base):
            return
        for template in as_list(referenced.spec.get("templates")):
            name = text(as_dict(template).get("name"))
            holder, holder_where = _holder(where, ref, name, "workflowTemplateRef")
            call(ctx, holder, local, holder_where, f"templates.{name} ", None)
        return
    templates_path = local.templates_path or ()
    for index, template in enumerate(as_list(local.spec.get("templates"))):
        if not isinstance(template, dict):
            ctx.report(where, ("templates", index), f"spec.templates[{index}] must be a template (a mapping)")
            continue
        key = f"{local.kind}/{local.name}/{template.get('name')}"
        found = local.find(text(template.get("name")))
        if found is not None and found[0] != index:  # a duplicate name: validate it too
            key = f"{key}#{index}"
        template_where = Where((*templates_path, index), (*templates_path, index))
        validate_template(ctx, Resolved(template, local, template_where, key))
