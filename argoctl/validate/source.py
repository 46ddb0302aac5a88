"""Where ``templateRef`` and ``workflowTemplateRef`` look up (Cluster)WorkflowTemplates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class TemplateSource(Protocol):
    """Looks up stored templates by name; ``None`` when there is no such object."""

    def get_workflow_template(self, name: str) -> dict[str, Any] | None: ...

    def get_cluster_workflow_template(self, name: str) -> dict[str, Any] | None: ...


class ObjectSource:
    """A ``TemplateSource`` over manifest objects (e.g. the files being linted, or prereqs)."""

    def __init__(self, objects: Iterable[dict[str, Any]]) -> None:
        self._templates: dict[tuple[str, str], dict[str, Any]] = {}
        for obj in objects:
            kind = obj.get("kind")
            metadata = obj.get("metadata")
            name = metadata.get("name") if isinstance(metadata, dict) else None
            if kind in ("WorkflowTemplate", "ClusterWorkflowTemplate") and isinstance(name, str):
                self._templates.setdefault((kind, name), obj)

    def get_workflow_template(self, name: str) -> dict[str, Any] | None:
        return self._templates.get(("WorkflowTemplate", name))

    def get_cluster_workflow_template(self, name: str) -> dict[str, Any] | None:
        return self._templates.get(("ClusterWorkflowTemplate", name))


class ChainSource:
    """The first source that has the template wins."""

    def __init__(self, *sources: TemplateSource) -> None:
        self._sources = sources

    def get_workflow_template(self, name: str) -> dict[str, Any] | None:
        for source in self._sources:
            found = source.get_workflow_template(name)
            if found is not None:
                return found
        return None

    def get_cluster_workflow_template(self, name: str) -> dict[str, Any] | None:
        for source in self._sources:
            found = source.get_cluster_workflow_template(name)
            if found is not None:
                return found
        return None
