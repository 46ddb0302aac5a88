"""A validation ``TemplateSource`` over the store's applied templates."""

from __future__ import annotations

from typing import Any

from argoctl.errors import NotFoundError
from argoctl.stores.base import Store


class StoreTemplateSource:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _get(self, kind: str, name: str) -> dict[str, Any] | None:
        try:
            return dict(self.store.get_object(kind, name))
        except NotFoundError:
            return None

    def get_workflow_template(self, name: str) -> dict[str, Any] | None:
        return self._get("WorkflowTemplate", name)

    def get_cluster_workflow_template(self, name: str) -> dict[str, Any] | None:
        return self._get("ClusterWorkflowTemplate", name)
