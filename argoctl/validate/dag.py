"""``dag`` templates: task names, dependencies (defined, acyclic, well-formed), targets, and
what each task may reference (outputs of any task, status only of its ancestors)."""

from __future__ import annotations

from typing import Any

from argoctl.validate.context import Context, Resolution, Resolved, Where
from argoctl.validate.depends import Dependencies, task_dependencies
from argoctl.validate.holders import check_call, check_non_leaf, resolve_and_validate, validate_hooks
from argoctl.validate.kinds import as_dict, as_list, is_parameter, name_list_errors, text
from argoctl.validate.leaf import find_cycle
from argoctl.validate.params import validate_arguments
from argoctl.validate.scope import Scope, add_items, add_node_outputs, is_aggregate, unresolved_tags


class _Dag:
    """One DAG's tasks by name, their dependencies, and the templates they call."""

    def __init__(self, ctx: Context, resolved: Resolved, scope: Scope) -> None:
        self.ctx = ctx
        self.resolved = resolved
        self.scope = scope
        self.name = resolved.name
        self.where = resolved.where.child("dag")
        self.tasks = [as_dict(task) for task in as_list(as_dict(resolved.template.get("dag")).get("tasks"))]
        self.by_name = {text(task.get("name")): task for task in self.tasks}
        self.dependencies = {text(task.get("name")): task_dependencies(task) for task in self.tasks}
        self.resolutions: dict[str, Resolution] = {}
        self.using_depends = any(text(task.get("depends")) for task in self.tasks)

    def task_where(self, index: int) -> Where:
        return self.where.child("tasks", index)

    def is_ancestor(self, name: str, other: str) -> bool:
        """``name`` depends on ``other``, directly or not (cycle-safe, stops when found)."""
        seen: set[str] = set()
        pending = list(self._direct(name))
        while pending:
            current = pending.pop()
            if current == other:
                return True
            if current in seen:
                continue
            seen.add(current)
            pending.extend(self._direct(current))
        return False

    def _direct(self, name: str) -> list[str]:
        found = self.dependencies.get(name)
        return list(found.names) if found is not None else []


def validate_dag(ctx: Context, resolved: Resolved, scope: Scope) -> None:
    check_non_leaf(ctx, resolved.where, resolved.template)
    dag = _Dag(ctx, resolved, scope)
    if not dag.tasks:
        ctx.report(resolved.where, ("dag",), f"templates.{dag.name} must have at least one task")
        return
    for index, message in name_list_errors(dag.tasks, parameters=False):
        ctx.report(dag.where, ("tasks", index, "name"), f"templates.{dag.name}.tasks{message}")
    for index, task in enumerate(dag.tasks):
        _check_task_shape(dag, index, task)
    graph = {name: list(found.names) for name, found in dag.dependencies.items()}
    cycle = find_cycle(list(dag.by_name), graph)
    if cycle:
        ctx.report(dag.where, ("tasks",), f"templates.{dag.name}.tasks dependency cycle detected: {cycle}")
    _check_targets(dag)
    for index, task in enumerate(dag.tasks):
        _check_task_scope(dag, index, task)


def _check_task_shape(dag: _Dag, index: int, task: dict[str, Any]) -> None:
    """Names, dependencies and the called template (Argo's first pass over the tasks)."""
    ctx, where = dag.ctx, dag.task_where(index)
    name = text(task.get("name"))
    task_ref = f"templates.{dag.name}.tasks.{name}"
    has_dependencies = bool(as_list(task.get("dependencies")))
    if (dag.using_depends or has_dependencies) and name[:1].isdigit():
        ctx.report(where, ("name",), f"{task_ref} name cannot begin with a digit when using either 'depends' or 'dependencies'")
    if dag.using_depends and has_dependencies:
        ctx.report(where, ("dependencies",), f"templates.{dag.name} cannot use both 'depends' and 'dependencies' in the same DAG template")
    if dag.using_depends and task.get("continueOn") is not None:
        ctx.report(
            where, ("continueOn",),
            f"templates.{dag.name} cannot use 'continueOn' when using 'depends'. Instead use "
            "'dep-task.Failed'/'dep-task.Errored'",
        )
    resolution = resolve_and_validate(ctx, task, dag.resolved.base, where, f"{task_ref} ")
    dag.resolutions.setdefault(name, resolution)
    add_node_outputs(dag.scope, "tasks", name, resolution.outputs_template(), aggregate=is_aggregate(task))
    _check_dependencies(dag, where, task_ref, dag.dependencies.get(name) or Dependencies(), task)


def _check_dependencies(dag: _Dag, where: Where, task_ref: str, found: Dependencies, task: dict[str, Any]) -> None:
    field = "depends" if text(task.get("depends")) else "dependencies"
    if found.syntax_error:
        expression = text(task.get("depends"))
        dag.ctx.report(where, (field,), f"{task_ref} depends '{expression}' is invalid: {found.syntax_error}")
    for operand in found.bad_results:
        dag.ctx.report(where, (field,), f"{task_ref} task result '{operand.result}' for task '{operand.task}' is invalid")
    for dependency, kind in found.names.items():
        target = dag.by_name.get(dependency)
        if target is None:
            dag.ctx.report(where, (field,), f"{task_ref} dependency '{dependency}' not defined")
        elif kind == "items" and not _has_loop(target):
            dag.ctx.report(
                where, (field,),
                f"{task_ref} dependency '{dependency}' uses an items-based condition such as "
                ".AnySucceeded or .AllFailed but does not contain any items",
            )


def _has_loop(task: dict[str, Any]) -> bool:
    return is_aggregate(task) or task.get("withSequence") is not None


def _check_targets(dag: _Dag) -> None:
    target = text(as_dict(dag.resolved.template.get("dag")).get("target"))
    if not target:
        return
    for _, tag in unresolved_tags(target, dag.scope, template_validation=dag.ctx.template_validation):
        dag.ctx.report(dag.where, ("target",), f"templates.{dag.name}.targets failed to resolve {{{{{tag}}}}}")
    for name in target.split(" "):
        if name and not is_parameter(name) and name not in dag.by_name:
            dag.ctx.report(dag.where, ("target",), f"templates.{dag.name}.targets: target '{name}' is not defined")


def _check_task_scope(dag: _Dag, index: int, task: dict[str, Any]) -> None:
    """Variables, arguments and hooks of one task (Argo's second pass over the tasks)."""
    ctx, where = dag.ctx, dag.task_where(index)
    name = text(task.get("name"))
    task_ref = f"templates.{dag.name}.tasks.{name}"
    resolution = dag.resolutions.get(name, Resolution())
    if task.get("hooks") is not None:
        dag.scope.add(f"tasks.{name}.status")
    add_node_outputs(dag.scope, "tasks", name, resolution.outputs_template())
    task_scope = dag.scope.child()
    inline_inputs = as_dict(as_dict(task.get("inline")).get("inputs"))
    for parameter in as_list(inline_inputs.get("parameters")):
        task_scope.add(f"inputs.parameters.{text(as_dict(parameter).get('name'))}")
    loop_error = add_items(task_scope, task)
    if loop_error:
        ctx.report(where, (), f"{task_ref} {loop_error}")
    unresolved = unresolved_tags(task, task_scope, template_validation=ctx.template_validation)
    referenced = {tag.strip().split(".")[1] for _, tag in unresolved if tag.strip().startswith("tasks.")}
    if referenced:
        # Ancestors add their status and aggregated outputs; looked up only when referenced.
        _add_ancestors(dag, task_scope, name, referenced)
        unresolved = unresolved_tags(task, task_scope, template_validation=ctx.template_validation)
    for path, tag in unresolved:
        ctx.report(where, path, f"{task_ref} failed to resolve {{{{{tag}}}}}")
    validate_arguments(ctx, where.child("arguments"), f"{task_ref}.arguments.", task.get("arguments"), allow_empty=False)
    _check_argument_ancestry(dag, where, task_ref, task)
    validate_hooks(ctx, task, dag.resolved.base, where, task_ref, need_expression=False)
    check_call(ctx, resolution, where, f"{task_ref} ", as_dict(task.get("arguments")))


def _add_ancestors(dag: _Dag, scope: Scope, name: str, candidates: set[str]) -> None:
    for ancestor in sorted(candidates):
        if not dag.is_ancestor(name, ancestor):
            continue
        ancestor_task = dag.by_name.get(ancestor, {})
        called = dag.resolutions.get(ancestor, Resolution()).outputs_template()
        add_node_outputs(scope, "tasks", ancestor, called, aggregate=is_aggregate(ancestor_task), ancestor=True)


def _check_argument_ancestry(dag: _Dag, where: Where, task_ref: str, task: dict[str, Any]) -> None:
    """An argument that is a ``{{tasks.X...}}`` reference needs X among the task's ancestors."""
    arguments = as_dict(task.get("arguments"))
    for field, value_key, noun in (("parameters", "value", "parameter"), ("artifacts", "from", "artifact")):
        for index, item in enumerate(as_list(arguments.get(field))):
            item = as_dict(item)
            value = item.get(value_key)
            if not isinstance(value, str) or not value.startswith("{{tasks."):
                continue
            referenced = value.split(".")[1]
            if not dag.is_ancestor(text(task.get("name")), referenced):
                dag.ctx.report(
                    where, ("arguments", field, index, value_key),
                    f"{task_ref} missing dependency '{referenced}' for {noun} '{text(item.get('name'))}'",
                )
