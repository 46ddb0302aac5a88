"""Templates that are not steps or DAGs: container, script, resource, containerSet, suspend, ..."""

from __future__ import annotations

import re
from typing import Any

import yaml

from argoctl.validate.context import Context, Resolved, Where
from argoctl.validate.kinds import as_dict, as_list, name_list_errors, text
from argoctl.validate.scope import Scope, unresolved_tags

RESOURCE_ACTIONS = ("get", "create", "apply", "delete", "replace", "patch")
RESERVED_CONTAINERS = ("wait", "supervisor")
RESERVED_CONTAINER_PREFIX = "artifact-plugin-"
_ANY_TAG = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_INT_OR_VARIABLE = re.compile(r"^([+-]?\d+|\{\{.*\}\})$")


def validate_leaf(ctx: Context, resolved: Resolved, scope: Scope) -> None:
    template, where, name = resolved.template, resolved.where, resolved.name
    body = {key: value for key, value in template.items() if key != "outputs"}
    for path, tag in unresolved_tags(body, scope, template_validation=ctx.template_validation):
        ctx.report(where, path, f"templates.{name}: failed to resolve {{{{{tag}}}}}")
    if template.get("container") is not None:
        _check_container(ctx, resolved)
    if template.get("containerSet") is not None:
        _check_container_set(ctx, where, template)
    for index, sidecar in enumerate(as_list(template.get("sidecars"))):
        if _reserved(text(as_dict(sidecar).get("name"))):
            sidecar_name = text(as_dict(sidecar).get("name"))
            ctx.report(where, ("sidecars", index, "name"), f'templates.{name}.sidecars: "{sidecar_name}" is a reserved Argo container name')
    if template.get("resource") is not None:
        _check_resource(ctx, where, template)
    script = template.get("script")
    if script is not None and not text(as_dict(script).get("image")) and not resolved.base.default_image("script"):
        ctx.report(where, ("script",), f"templates.{name}.script.image may not be empty")
    deadline = template.get("activeDeadlineSeconds")
    if deadline is not None and not _valid_deadline(deadline):
        ctx.report(
            where, ("activeDeadlineSeconds",),
            f"templates.{name}.activeDeadlineSeconds must be a positive integer > 0 or an argo variable",
        )
    if template.get("parallelism") is not None:
        ctx.report(where, ("parallelism",), f"templates.{name}.parallelism is only valid for steps and dag templates")


def _reserved(name: str) -> bool:
    return name in RESERVED_CONTAINERS or name.startswith(RESERVED_CONTAINER_PREFIX)


def _valid_deadline(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and bool(_INT_OR_VARIABLE.match(value)) and not value.startswith("-")


def _check_container(ctx: Context, resolved: Resolved) -> None:
    template, where, name = resolved.template, resolved.where, resolved.name
    container = as_dict(template.get("container"))
    mounted: dict[str, str] = {}
    for index, mount in enumerate(as_list(container.get("volumeMounts"))):
        mount = as_dict(mount)
        path = text(mount.get("mountPath"))
        if path in mounted:
            ctx.report(
                where, ("container", "volumeMounts", index, "mountPath"),
                f"templates.{name}.container.volumeMounts[{index}].mountPath '{path}' already mounted in {mounted[path]}",
            )
        mounted[path] = f"container.volumeMounts.{text(mount.get('name'))}"
    for index, artifact in enumerate(as_list(as_dict(template.get("inputs")).get("artifacts"))):
        artifact = as_dict(artifact)
        path = text(artifact.get("path"))
        if not path:
            continue
        if path in mounted:
            ctx.report(
                where, ("inputs", "artifacts", index, "path"),
                f"templates.{name}.inputs.artifacts[{index}].path '{path}' already mounted in {mounted[path]}",
            )
        mounted[path] = f"inputs.artifacts.{text(artifact.get('name'))}"
    if not text(container.get("image")) and not resolved.base.default_image("container"):
        ctx.report(where, ("container",), f"templates.{name}.container.image may not be empty")


def _check_container_set(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    name = text(template.get("name"))
    prefix = f"templates.{name}.containerSet"
    container_set = as_dict(template.get("containerSet"))
    containers = [as_dict(c) for c in as_list(container_set.get("containers"))]
    here = ("containerSet",)
    if not containers:
        ctx.report(where, here, f"{prefix}.containers must have at least one container")
        return
    for index, message in name_list_errors(containers, parameters=False):
        ctx.report(where, (*here, "containers", index, "name"), f"{prefix}.containers{message}")
    mounted: dict[str, str] = {}
    for index, mount in enumerate(as_list(container_set.get("volumeMounts"))):
        path = text(as_dict(mount).get("mountPath"))
        if path in mounted:
            ctx.report(
                where, (*here, "volumeMounts", index),
                f"{prefix}.volumeMounts[{index}].mountPath '{path}' already mounted in {mounted[path]}",
            )
        mounted[path] = f"volumeMounts.{text(as_dict(mount).get('name'))}"
    graph = _check_container_dependencies(ctx, where, prefix, containers)
    inputs, outputs = as_dict(template.get("inputs")), as_dict(template.get("outputs"))
    needs_main = as_list(inputs.get("artifacts")) or as_list(outputs.get("parameters")) or as_list(outputs.get("artifacts"))
    if needs_main and "main" not in graph:
        ctx.report(where, (*here, "containers"), f'{prefix}.containers must have a container named "main" for input or output')
    for index, container in enumerate(containers):
        if _reserved(text(container.get("name"))):
            ctx.report(
                where, (*here, "containers", index, "name"),
                f'{prefix}.containers: "{text(container.get("name"))}" is a reserved Argo container name',
            )


def _check_container_dependencies(
    ctx: Context, where: Where, prefix: str, containers: list[dict[str, Any]]
) -> dict[str, list[str]]:
    """Dependencies name containers of the set and form no cycle; returns the graph."""
    graph = {text(c.get("name")): [text(d) for d in as_list(c.get("dependencies"))] for c in containers}
    for index, container in enumerate(containers):
        for dependency in as_list(container.get("dependencies")):
            if text(dependency) not in graph:
                ctx.report(
                    where, ("containerSet", "containers", index, "dependencies"),
                    f"{prefix}.containers.{text(container.get('name'))} dependency '{text(dependency)}' not defined",
                )
    cycle = find_cycle(sorted(graph), graph)
    if cycle:
        ctx.report(where, ("containerSet",), f"{prefix}.containers dependency cycle detected: {cycle}")
    return graph


def find_cycle(roots: list[str], graph: dict[str, list[str]]) -> str:
    """``"a->b->a"`` for the first dependency cycle found from ``roots`` (Argo's wording: the
    chain of dependencies followed from a root, ending at the repeated name)."""
    done: set[str] = set()
    for root in roots:
        chain: list[str] = []
        on_chain: set[str] = set()
        stack = [(root, iter(graph.get(root, [])))]
        while stack:
            node, dependencies = stack[-1]
            for dependency in dependencies:
                if dependency in on_chain:
                    return "->".join([*chain, dependency])
                if dependency not in done:
                    chain.append(dependency)
                    on_chain.add(dependency)
                    stack.append((dependency, iter(graph.get(dependency, []))))
                    break
            else:
                stack.pop()
                done.add(node)
                if stack:
                    on_chain.discard(chain.pop())
    return ""


def _check_resource(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    name = text(template.get("name"))
    resource = as_dict(template.get("resource"))
    action = text(resource.get("action"))
    if "{{" not in action and action not in RESOURCE_ACTIONS:
        ctx.report(
            where, ("resource", "action"),
            f"templates.{name}.resource.action must be one of: {', '.join(RESOURCE_ACTIONS)}",
        )
    if action in ("delete", "get"):
        return
    manifest = text(resource.get("manifest"))
    manifest_from = resource.get("manifestFrom")
    if not manifest and manifest_from is None:
        ctx.report(
            where, ("resource",),
            f"either templates.{name}.resource.manifest or templates.{name}.resource.manifestFrom must be specified",
        )
    if manifest and manifest_from is not None:
        ctx.report(where, ("resource",), "shouldn't have both `manifest` and `manifestFrom` specified in `Manifest` for resource template")
    artifact = as_dict(manifest_from).get("artifact")
    if artifact is not None:
        wanted = text(as_dict(artifact).get("name"))
        inputs = as_list(as_dict(template.get("inputs")).get("artifacts"))
        if wanted not in {text(as_dict(a).get("name")) for a in inputs}:
            ctx.report(where, ("resource", "manifestFrom"), f"artifact {wanted} in `manifestFrom` refer to a non-exist artifact")
    if manifest and not _parses_as_yaml(manifest):
        ctx.report(where, ("resource", "manifest"), f"templates.{name}.resource.manifest must be a valid yaml")


def _parses_as_yaml(manifest: str) -> bool:
    """The first document parses (variables become placeholders first, as by run time)."""
    try:
        next(iter(yaml.safe_load_all(_ANY_TAG.sub("argo-placeholder", manifest))), None)
    except yaml.YAMLError:
        return False
    return True
