"""The validation context: where problems are reported, and how template references resolve."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from argoctl.parse import Document, FieldPath, format_path
from argoctl.validate.kinds import as_dict, as_list, has_tag, text
from argoctl.validate.scope import UNKNOWN, Scope, Unknown
from argoctl.validate.source import TemplateSource


@dataclass(frozen=True)
class Problem:
    """One lint finding: ``str(problem)`` is ``FILE:LINE: path: message``."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        if self.path:
            return f"{self.file}:{self.line}: {self.path}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Where:
    """Where an object sits: its path in this document, or ``None`` when it comes from another
    object (a referenced WorkflowTemplate); then problems go to ``anchor`` (the reference) with
    ``prefix`` naming the chain that led there, as Argo words it."""

    path: FieldPath | None
    anchor: FieldPath
    prefix: str = ""

    def at(self, *relative: str | int) -> FieldPath:
        return (*self.path, *relative) if self.path is not None else self.anchor

    def child(self, *relative: str | int) -> Where:
        if self.path is None:
            return self
        return Where((*self.path, *relative), self.anchor, self.prefix)


@dataclass(frozen=True)
class Base:
    """An object holding templates: the document being validated, or a referenced template."""

    kind: str
    name: str
    spec: dict[str, Any]
    templates_path: FieldPath | None  # set for the document being validated

    def find(self, name: str) -> tuple[int, dict[str, Any]] | None:
        return self._by_name.get(name)

    @functools.cached_property
    def _by_name(self) -> dict[str, tuple[int, dict[str, Any]]]:
        """The first template of each name (an index: lookups stay O(1) with 20k templates)."""
        found: dict[str, tuple[int, dict[str, Any]]] = {}
        for index, template in enumerate(as_list(self.spec.get("templates"))):
            if isinstance(template, dict):
                name = template.get("name")
                if isinstance(name, str):
                    found.setdefault(name, (index, template))
        return found

    def default_image(self, field: str) -> str:
        """``templateDefaults.<container|script>.image`` (ClusterWorkflowTemplates get none)."""
        if self.kind == "ClusterWorkflowTemplate":
            return ""
        defaults = as_dict(self.spec.get("templateDefaults"))
        return text(as_dict(defaults.get(field)).get("image"))


@dataclass(frozen=True)
class Resolved:
    template: dict[str, Any]
    base: Base
    where: Where
    key: str  # validated once per key

    @property
    def name(self) -> str:
        return text(self.template.get("name"))


@dataclass(frozen=True)
class Resolution:
    """The result of following ``template``/``templateRef``/``inline``.

    ``error`` when it does not resolve; ``unknown`` when it cannot be looked up (no source);
    neither with no ``resolved`` for a reference only known at run time (``{{...}}``).
    """

    resolved: Resolved | None = None
    error: str = ""
    unknown: bool = False

    def outputs_template(self) -> dict[str, Any] | Unknown | None:
        if self.resolved is not None:
            return self.resolved.template
        return UNKNOWN if self.unknown or self.error else None


class Context:
    """Problems found so far, the global variables, and template lookups for one document."""

    def __init__(
        self, doc: Document, source: TemplateSource | None, *, template_validation: bool
    ) -> None:
        self.doc = doc
        self.source = source
        self.template_validation = template_validation
        self.problems: list[Problem] = []
        self.globals = Scope()
        self.validated: set[str] = set()
        self.local_base: Base | None = None
        self.message_prefix = ""
        self._reported: set[tuple[FieldPath, str]] = set()
        self._bases: dict[tuple[str, str], Base | None] = {}

    def report(self, where: Where, relative: FieldPath, message: str) -> None:
        self.report_at(where.at(*relative), where.prefix + message)

    def report_at(self, path: FieldPath, message: str) -> None:
        message = self.message_prefix + message
        if (path, message) in self._reported:
            return
        self._reported.add((path, message))
        line = self.doc.line_of(path) or self.doc.line
        self.problems.append(Problem(self.doc.file, line, format_path(path), message))

    def lookup_base(self, name: str, *, cluster: bool) -> Base | Unknown | None:
        kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
        local = self.local_base
        if local is not None and local.kind == kind and local.name == name:
            return local
        if self.source is None:
            return UNKNOWN
        if (kind, name) not in self._bases:
            found = (
                self.source.get_cluster_workflow_template(name)
                if cluster
                else self.source.get_workflow_template(name)
            )
            base = None if found is None else Base(kind, name, as_dict(found.get("spec")), None)
            self._bases[(kind, name)] = base
            for template in as_list(base.spec.get("templates")) if base is not None else []:
                self.add_global_outputs(as_dict(template))
        return self._bases[(kind, name)]

    def add_global_outputs(self, template: dict[str, Any]) -> None:
        """``workflow.outputs.parameters|artifacts.G`` for each ``globalName`` a template exports."""
        outputs = as_dict(template.get("outputs"))
        for field in ("parameters", "artifacts"):
            for output in as_list(outputs.get(field)):
                global_name = text(as_dict(output).get("globalName"))
                if has_tag(global_name):
                    self.globals.allow_prefix(f"workflow.outputs.{field}.")
                elif global_name:
                    self.globals.add(f"workflow.outputs.{field}.{global_name}")

    def resolve(self, holder: dict[str, Any], base: Base, where: Where, prefix: str) -> Resolution:
        """Follow a step, task, hook or entrypoint to its template.

        ``where`` is the holder's location, ``prefix`` the text Argo puts before problems
        found inside a template that lives in another object.
        """
        name = text(holder.get("template"))
        if holder.get("templateRef") is not None:
            if name:
                return Resolution(error="template name cannot be specified with templateRef")
            return self._resolve_ref(as_dict(holder.get("templateRef")), where, prefix)
        if name:
            found = base.find(name)
            if found is None:
                return Resolution(error=f"template name '{name}' undefined")
            return Resolution(self._resolved(base, found, where, prefix))
        inline = holder.get("inline")
        if isinstance(inline, dict):
            inline_where = where.child("inline")
            if where.path is None:
                inline_where = Where(None, where.anchor, prefix)
            return Resolution(Resolved(inline, base, inline_where, f"inline:{id(inline)}"))
        return Resolution(error="failed to get a template")

    def _resolve_ref(self, ref: dict[str, Any], where: Where, prefix: str) -> Resolution:
        ref_name, template_name = text(ref.get("name")), text(ref.get("template"))
        if not ref_name:
            return Resolution(error="resource name is required")
        if not template_name:
            return Resolution(error="template name is required")
        if has_tag(ref_name) or has_tag(template_name):
            return Resolution()  # chosen at run time
        target = self.lookup_base(ref_name, cluster=ref.get("clusterScope") is True)
        if isinstance(target, Unknown):
            return Resolution(unknown=True)
        found = target.find(template_name) if target is not None else None
        if target is None or found is None:
            return Resolution(error=f"template reference {ref_name}.{template_name} not found")
        return Resolution(self._resolved(target, found, where, prefix))

    def _resolved(
        self, base: Base, found: tuple[int, dict[str, Any]], holder: Where, prefix: str
    ) -> Resolved:
        index, template = found
        key = f"{base.kind}/{base.name}/{template.get('name')}"
        if base.templates_path is not None:
            where = Where((*base.templates_path, index), holder.at())
        else:
            where = Where(None, holder.at(), holder.prefix + prefix)
        return Resolved(template, base, where, key)
