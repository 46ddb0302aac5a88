"""The read-only snapshot the engine sees (``EngineEnv``), taken from the store."""

from __future__ import annotations

from typing import Any

from argoctl.engine.types import EngineEnv
from argoctl.stores.base import Store

JSON = dict[str, Any]


def snapshot(store: Store) -> EngineEnv:
    config_maps: dict[str, dict[str, str]] = {}
    config_map_labels: dict[str, dict[str, str]] = {}
    for obj in store.list_objects("ConfigMap"):
        name = str((obj.get("metadata") or {}).get("name", ""))
        config_maps[name] = {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
        config_map_labels[name] = dict((obj.get("metadata") or {}).get("labels") or {})
    templates: dict[str, JSON] = {}
    for kind, scope in (("WorkflowTemplate", "namespaced"), ("ClusterWorkflowTemplate", "cluster")):
        for obj in store.list_objects(kind):
            name = str((obj.get("metadata") or {}).get("name", ""))
            templates[f"{scope}/{name}"] = dict(obj.get("spec") or {})
    return EngineEnv(config_maps=config_maps, config_map_labels=config_map_labels, workflow_templates=templates)
