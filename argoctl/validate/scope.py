"""Which ``{{...}}`` variables a template may use, and finding the ones it cannot resolve.

Argo checks every simple tag whose name starts with ``item.``, ``steps.``, ``inputs.``,
``outputs.``, ``pod.``, ``workflow.`` or ``tasks.`` against the template's scope; other tags and
``{{= ...}}`` expressions are left for run time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from argoctl.parse import FieldPath
from argoctl.validate.kinds import as_dict, as_list, has_output, template_type, text
from argoctl.validate.loops import loop_size_error

CHECKED_PREFIXES = ("item.", "steps.", "inputs.", "outputs.", "pod.", "workflow.", "tasks.")
# Resolved at run time even though the prefix is checked.
RUNTIME_PREFIXES = (
    "outputs.",
    "workflow.creationTimestamp",
    "workflow.scheduledTime",
    "workflow.duration",
    "tasks.name",
    "steps.name",
    "node.name",
)


class Scope:
    """Variable names in scope, plus prefixes under which any name is accepted.

    ``child()`` makes a scope that sees this one's names and adds its own, without copying
    (a DAG of thousands of tasks gets one child per task).
    """

    def __init__(
        self,
        names: set[str] | None = None,
        prefixes: set[str] | None = None,
        parent: Scope | None = None,
    ) -> None:
        self.names: set[str] = set(names or ())
        self.prefixes: set[str] = set(prefixes or ())
        self.parent = parent

    def child(self) -> Scope:
        return Scope(parent=self)

    def add(self, *names: str) -> None:
        self.names.update(names)

    def allow_prefix(self, prefix: str) -> None:
        self.prefixes.add(prefix)

    def update(self, other: Scope) -> None:
        """Add everything ``other`` (and its parents) resolves."""
        scope: Scope | None = other
        while scope is not None:
            self.names |= scope.names
            self.prefixes |= scope.prefixes
            scope = scope.parent

    def resolves(self, tag: str) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if tag in scope.names or any(tag.startswith(prefix) for prefix in scope.prefixes):
                return True
            scope = scope.parent
        return False


def find_tags(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every simple ``{{tag}}`` in the strings of ``value``, with the path of its string."""
    if isinstance(value, str):
        for tag in _tags_in(value):
            yield path, tag
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from find_tags(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from find_tags(item, (*path, index))


def _tags_in(value: str) -> Iterator[str]:
    start = value.find("{{")
    while start != -1:
        end = value.find("}}", start + 2)
        if end == -1:
            return
        tag = value[start + 2 : end]
        if not tag.startswith("="):  # expression tags are not checked
            yield tag
        start = value.find("{{", end + 2)


def unresolved_tags(
    value: Any, scope: Scope, *, template_validation: bool
) -> list[tuple[FieldPath, str]]:
    """``(path, tag)`` for each tag in ``value`` that ``scope`` cannot resolve (first use only)."""
    found: list[tuple[FieldPath, str]] = []
    seen: set[str] = set()
    for path, tag in find_tags(value):
        if tag in seen or _resolves(tag.strip(), scope, template_validation):
            continue
        seen.add(tag)
        found.append((path, tag))
    return found


def _resolves(tag: str, scope: Scope, template_validation: bool) -> bool:
    if not tag.startswith(CHECKED_PREFIXES) or scope.resolves(tag):
        return True
    if tag.startswith(RUNTIME_PREFIXES):
        return True
    return template_validation and tag.startswith("workflow.parameters")


class Unknown:
    """A referenced template that cannot be looked up (no template source was given)."""


UNKNOWN = Unknown()


def add_node_outputs(
    scope: Scope,
    kind: str,
    name: str,
    template: dict[str, Any] | Unknown | None,
    *,
    aggregate: bool = False,
    ancestor: bool = False,
) -> None:
    """What ``steps.NAME.*`` / ``tasks.NAME.*`` offer once that step or task has run."""
    ref = f"{kind}.{name}"
    scope.add(f"{ref}.id", f"{ref}.startedAt", f"{ref}.finishedAt", f"{ref}.hostNodeName")
    if isinstance(template, Unknown):
        scope.allow_prefix(f"{ref}.")
        return
    if template is None:
        return
    if template.get("daemon") is True:
        scope.add(f"{ref}.ip")
    if has_output(template):
        scope.add(f"{ref}.outputs.result", f"{ref}.exitCode")
    outputs = as_dict(template.get("outputs"))
    for parameter in as_list(outputs.get("parameters")):
        scope.add(f"{ref}.outputs.parameters.{text(as_dict(parameter).get('name'))}")
    for artifact in as_list(outputs.get("artifacts")):
        scope.add(f"{ref}.outputs.artifacts.{text(as_dict(artifact).get('name'))}")
    if aggregate:
        if template_type(template) in ("Script", "ContainerSet"):
            scope.add(f"{ref}.outputs.result", f"{ref}.exitCode")
        scope.add(f"{ref}.outputs.parameters")
    if ancestor:
        scope.add(f"{ref}.status")


def is_aggregate(holder: dict[str, Any]) -> bool:
    """A loop whose outputs are aggregated into JSON lists."""
    return bool(as_list(holder.get("withItems"))) or bool(text(holder.get("withParam")))


def add_items(scope: Scope, holder: dict[str, Any]) -> str | None:
    """Add ``item`` / ``item.KEY`` for a loop; an error message if the loop is ill-formed."""
    items = as_list(holder.get("withItems"))
    param = text(holder.get("withParam"))
    sequence = holder.get("withSequence")
    if sum((bool(items), bool(param), sequence is not None)) > 1:
        return "only one of withItems, withParam, withSequence can be specified"
    too_many = loop_size_error(items, param, sequence)
    if too_many:
        return too_many
    if items:
        for item in items:
            if isinstance(item, dict):
                scope.add(*(f"item.{key}" for key in item))
            elif isinstance(item, list):
                scope.add(*(f"item.[{index}]" for index in range(len(item))))
            else:
                scope.add("item")
    elif param:
        scope.add("item")
        scope.allow_prefix("item.")
    elif sequence is not None:
        sequence_fields = as_dict(sequence)
        if sequence_fields.get("count") is not None and sequence_fields.get("end") is not None:
            return "only one of count or end can be defined in withSequence"
        scope.add("item")
    return None
