"""The read-only snapshot the engine sees (``EngineEnv``), taken from the store."""

from __future__ import annotations

from typing import Any

from argoctl.engine.types import EngineEnv
from argoctl.model.workflow import WorkflowState
from argoctl.parse import limits
from argoctl.sources import SYSTEM_RANDOM
from argoctl.stores.base import Store

JSON = dict[str, Any]


def _artifact_repository(store: Store, state: WorkflowState | None,
                         config_maps: dict[str, JSON]) -> tuple[JSON | None, JSON | None, str]:
    """(repository, status.artifactRepositoryRef, error) for the workflow, as Argo resolves it."""
    if state is None:
        return None, None, ""
    from argoctl.artifacts import ArtifactError, resolve_repository
    from argoctl.engine.templates import merge_workflow_spec

    spec = merge_workflow_spec(state.stored_workflow_template_spec, state.spec)
    try:
        resolved = resolve_repository(spec, config_maps.get, None, namespace=state.namespace)
    except ArtifactError as exc:
        return None, None, exc.message
    return resolved.repository, resolved.to_status(), ""


def snapshot(store: Store, state: WorkflowState | None = None) -> EngineEnv:
    config_maps: dict[str, dict[str, str]] = {}
    config_map_labels: dict[str, dict[str, str]] = {}
    whole: dict[str, JSON] = {}
    for obj in store.list_objects("ConfigMap"):
        name = str((obj.get("metadata") or {}).get("name", ""))
        whole[name] = dict(obj)
        config_maps[name] = {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
        config_map_labels[name] = dict((obj.get("metadata") or {}).get("labels") or {})
    templates: dict[str, JSON] = {}
    for kind, scope in (("WorkflowTemplate", "namespaced"), ("ClusterWorkflowTemplate", "cluster")):
        for obj in store.list_objects(kind):
            name = str((obj.get("metadata") or {}).get("name", ""))
            templates[f"{scope}/{name}"] = dict(obj.get("spec") or {})
    repository, repository_ref, error = _artifact_repository(store, state, whole)
    return EngineEnv(config_maps=config_maps, config_map_labels=config_map_labels, workflow_templates=templates,
                     default_artifact_repository=repository, artifact_repository_ref=repository_ref,
                     artifact_repository_error=error, random=SYSTEM_RANDOM,
                     max_loop_items=limits.max_loop_items())
