"""Template resolution (by name, ``templateRef``, ``inline``), ``templateDefaults`` and the
workflow spec merge for ``workflowTemplateRef``."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argoctl.model import kinds
from argoctl.model import phases as ph

JSON = dict[str, Any]

TEMPLATE_TYPES = kinds.KIND_FIELDS
POD_TYPES = kinds.POD_FIELDS


class TemplateError(Exception):
    """A template that cannot be resolved; the message is Argo's."""


def template_type(tmpl: Mapping[str, Any]) -> str:
    """The template's kind as its field name (``argoctl.model.kinds``)."""
    return kinds.kind_field(tmpl)


def inputs_of(tmpl: Mapping[str, Any]) -> JSON | None:
    """A node's ``inputs``: the processed template's, when it has any."""
    inputs = tmpl.get("inputs") or {}
    return dict(inputs) if inputs.get("parameters") or inputs.get("artifacts") else None


def is_pod_type(tmpl: Mapping[str, Any]) -> bool:
    return template_type(tmpl) in POD_TYPES


@dataclass(frozen=True, slots=True)
class TemplateContext:
    """Where template names are looked up: the workflow's own templates, or a WorkflowTemplate's."""

    scope: str  # "local/<workflow>", "namespaced/<name>" or "cluster/<name>"
    templates: Mapping[str, JSON]

    @staticmethod
    def of(scope: str, spec: Mapping[str, Any]) -> TemplateContext:
        return TemplateContext(scope, {t.get("name", ""): t for t in spec.get("templates") or ()})


def resolve(
    ctx: TemplateContext,
    holder: Mapping[str, Any],
    workflow_templates: Mapping[str, JSON],
    stored: dict[str, JSON],
) -> tuple[TemplateContext, Any]:
    """The template a step/task/holder refers to, and the context its own references use.

    The template is the stored object itself (shared, never to be changed by the caller), so
    work done on it can be reused across engine steps."""
    if holder.get("inline") is not None:
        return ctx, holder["inline"]
    ref = holder.get("templateRef")
    if ref:
        kind = "cluster" if ref.get("clusterScope") else "namespaced"
        key = f"{kind}/{ref.get('name', '')}"
        spec = workflow_templates.get(key)
        if spec is None:
            what = "ClusterWorkflowTemplate" if kind == "cluster" else "WorkflowTemplate"
            raise TemplateError(f'{what}.argoproj.io "{ref.get("name", "")}" not found')
        new_ctx = TemplateContext.of(key, spec)
        name = str(ref.get("template", ""))
        stored_key = f"{key}/{name}"
        tmpl = stored.get(stored_key) or new_ctx.templates.get(name)
        if tmpl is None:
            raise TemplateError(f"template {name} not found in workflow template {ref.get('name', '')}")
        stored.setdefault(stored_key, tmpl)
        return new_ctx, tmpl
    name = str(holder.get("template", ""))
    tmpl = ctx.templates.get(name)
    if tmpl is None:
        raise TemplateError(f"template {name} not found")
    return ctx, tmpl


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> JSON:
    """Maps merge key by key (``override`` wins); lists and scalars are replaced."""
    out: JSON = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def merge_template_defaults(tmpl: JSON, defaults: Mapping[str, Any] | None) -> JSON:
    """``spec.templateDefaults`` under a template; type-specific parts only for that type."""
    if not defaults:
        return tmpl
    kind = template_type(tmpl)
    relevant = {k: v for k, v in defaults.items() if k not in TEMPLATE_TYPES or k == kind}
    return deep_merge(relevant, tmpl)


def _merge_parameters(base: list[JSON], override: list[JSON]) -> list[JSON]:
    merged = {p.get("name"): copy.deepcopy(p) for p in base}
    for p in override:
        merged[p.get("name")] = copy.deepcopy(p)
    return list(merged.values())


def merge_workflow_spec(template_spec: Mapping[str, Any] | None, spec: Mapping[str, Any]) -> JSON:
    """The exec spec of a ``workflowTemplateRef`` workflow: its own fields over the template's."""
    if not template_spec:
        return dict(spec)
    own = {k: v for k, v in spec.items() if k != "workflowTemplateRef"}
    merged = deep_merge(template_spec, own)
    base_params = list((template_spec.get("arguments") or {}).get("parameters") or [])
    own_params = list((spec.get("arguments") or {}).get("parameters") or [])
    if base_params or own_params:
        merged.setdefault("arguments", {})["parameters"] = _merge_parameters(base_params, own_params)
    return merged


def continues_on(step: Mapping[str, Any], phase: str) -> bool:
    """Whether a step/task's ``continueOn`` lets its parent go on after it ended in ``phase``."""
    cont = step.get("continueOn") or {}
    if phase == ph.FAILED:
        return bool(cont.get("failed"))
    if phase == ph.ERROR:
        return bool(cont.get("error"))
    return False
