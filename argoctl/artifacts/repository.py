"""Artifact repositories: which one a workflow uses, and where a template's outputs go.

A repository is Argo's ``ArtifactRepository`` object (``archiveLogs`` plus one of ``s3``,
``gcs``, ``azure``, ``oss``, ``hdfs``, ``artifactory``, ``plugin``), or argoctl's
``{"local": {"path": DIR, "keyFormat": ...}}``: a directory on this machine, the default in
local mode (``$ARGOCTL_HOME/artifacts``).

Resolution follows Argo's ``artifactrepositories.Resolve``: with ``spec.artifactRepositoryRef``
the named ConfigMap (default ``artifact-repositories``) and key (default: the ConfigMap's
``workflows.argoproj.io/default-artifact-repository`` annotation) must exist; without a ref,
that ConfigMap's annotated default is used when present, else the configured default. One
difference: a ref to the default ConfigMap when no ConfigMap of that name exists resolves to the
configured default (argoctl's stand-in for the cluster's repository) instead of failing.
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from argoctl.artifacts.errors import ArtifactError, NotSupportedError
from argoctl.artifacts.locations import KEY_FIELDS, LOCAL, has_location

JSON = dict[str, Any]
ConfigMapLookup = Callable[[str], Mapping[str, Any] | None]
KeySubstituter = Callable[[str], str]

DEFAULT_KEY_FORMAT = "{{workflow.name}}/{{pod.name}}"
DEFAULT_CONFIGMAP = "artifact-repositories"
DEFAULT_REPOSITORY_ANNOTATION = "workflows.argoproj.io/default-artifact-repository"
REPOSITORY_KINDS = ("artifactory", "azure", "gcs", "hdfs", "oss", "plugin", "s3", LOCAL)
_FORMAT_FIELDS = {"azure": "blobNameFormat", "hdfs": "pathFormat"}
_VARIABLE = re.compile(r"\{\{\s*(workflow\.name|workflow\.namespace|workflow\.uid|pod\.name)\s*\}\}")


@dataclass(frozen=True, slots=True)
class ResolvedRepository:
    """The repository a workflow uses and where it came from (Argo's ``ArtifactRepositoryRefStatus``)."""

    repository: JSON | None
    config_map: str = ""
    key: str = ""
    namespace: str = ""
    default: bool = False

    def to_status(self) -> JSON:
        """The ``status.artifactRepositoryRef`` object (selectors only, never secret values)."""
        out: JSON = {}
        if self.config_map:
            out["configMap"] = self.config_map
        if self.key:
            out["key"] = self.key
        if self.namespace:
            out["namespace"] = self.namespace
        if self.default:
            out["default"] = True
        if self.repository is not None:
            out["artifactRepository"] = copy.deepcopy(self.repository)
        return out


def default_local_repository(home: Path | str, *, archive_logs: bool = False) -> JSON:
    """Local mode's default repository: ``<home>/artifacts``."""
    repo: JSON = {LOCAL: {"path": str(Path(home).expanduser().absolute() / "artifacts")}}
    if archive_logs:
        repo["archiveLogs"] = True
    return repo


def resolve_repository(workflow_spec: Mapping[str, Any], configmaps_lookup: ConfigMapLookup,
                       default: JSON | None, *, namespace: str = "") -> ResolvedRepository:
    """The repository for a workflow (see the module docstring for the rules).

    ``configmaps_lookup(name)`` returns the ConfigMap object (``metadata.annotations``,
    ``data``) in the workflow's namespace, or None when there is none.
    """
    ref = workflow_spec.get("artifactRepositoryRef")
    if isinstance(ref, dict):
        name = str(ref.get("configMap") or DEFAULT_CONFIGMAP)
        found = _from_configmap(configmaps_lookup, name, str(ref.get("key") or ""), namespace)
        if isinstance(found, ResolvedRepository):
            return found
        if name == DEFAULT_CONFIGMAP and configmaps_lookup(name) is None:
            # no artifact-repositories ConfigMap at all: argoctl's configured default repository
            # stands in for it (whatever the key), as the default local repository stands in for
            # the cluster's MinIO; a missing key in an existing ConfigMap is still an error
            return ResolvedRepository(copy.deepcopy(default) if default is not None else None,
                                      config_map=name, key=str(ref.get("key") or ""), namespace=namespace)
        raise ArtifactError(f'failed to find any artifact repository for artifact repository ref '
                            f'{{configMap: {name}, key: {ref.get("key") or "<default>"}}}: {found}')
    found = _from_configmap(configmaps_lookup, DEFAULT_CONFIGMAP, "", namespace)
    if isinstance(found, ResolvedRepository):
        return found
    return ResolvedRepository(copy.deepcopy(default) if default is not None else None, default=True)


def _from_configmap(lookup: ConfigMapLookup, name: str, key: str,
                    namespace: str) -> ResolvedRepository | str:
    """The repository in ConfigMap ``name`` under ``key``, or why there is none."""
    config_map = lookup(name)
    if config_map is None:
        return f'configmap "{name}" not found'
    annotations = (config_map.get("metadata") or {}).get("annotations") or {}
    key = key or str(annotations.get(DEFAULT_REPOSITORY_ANNOTATION) or "")
    data = config_map.get("data") or {}
    if not key or key not in data:
        return f'config map missing key "{key}"'
    try:
        repository = yaml.safe_load(data[key])
    except yaml.YAMLError as err:
        raise ArtifactError(f'failed to unmarshall config map key "{key}" of "{name}": {err}') from None
    if not isinstance(repository, dict) or repository_kind(repository) is None:
        raise ArtifactError(f'config map "{name}" key "{key}" is not an artifact repository '
                            f"(expected one of {', '.join(REPOSITORY_KINDS)})")
    return ResolvedRepository(repository, config_map=name, key=key, namespace=namespace)


def repository_kind(repository: Mapping[str, Any] | None) -> str | None:
    if not repository:
        return None
    for kind in REPOSITORY_KINDS:
        if isinstance(repository.get(kind), dict):
            return kind
    return None


def local_root(repository: Mapping[str, Any] | None) -> Path | None:
    """The directory of a ``local`` repository."""
    if repository_kind(repository) != LOCAL:
        return None
    assert repository is not None
    path = repository[LOCAL].get("path")
    if not path:
        raise ArtifactError("local artifact repository needs a path")
    return Path(str(path)).expanduser()


def key_substituter(*, workflow_name: str, namespace: str = "", workflow_uid: str = "",
                    pod_name: str = "") -> KeySubstituter:
    """Replaces ``{{workflow.name}}``, ``{{workflow.namespace}}``, ``{{workflow.uid}}``, ``{{pod.name}}``."""
    values = {"workflow.name": workflow_name, "workflow.namespace": namespace,
              "workflow.uid": workflow_uid, "pod.name": pod_name}

    def substitute(text: str) -> str:
        return _VARIABLE.sub(lambda m: values[m.group(1)], text)

    return substitute


def repository_location(repository: Mapping[str, Any] | None) -> JSON | None:
    """The repository as a location with an empty key (bucket, endpoint, credentials...)."""
    kind = repository_kind(repository)
    if kind is None:
        return None
    assert repository is not None
    if kind not in KEY_FIELDS:
        raise NotSupportedError(f"{kind} artifact repositories are not supported by argoctl")
    body = copy.deepcopy(dict(repository[kind]))
    for field in ("keyFormat", "keyPrefix", *_FORMAT_FIELDS.values()):
        body.pop(field, None)
    body[KEY_FIELDS[kind]] = ""
    return {kind: body}


def key_format(repository: Mapping[str, Any]) -> str:
    """The repository's key format (``keyPrefix`` only counts for s3 without ``keyFormat``)."""
    kind = repository_kind(repository)
    assert kind is not None
    body = repository[kind]
    fmt = str(body.get(_FORMAT_FIELDS.get(kind, "keyFormat")) or "")
    prefix = str(body.get("keyPrefix") or "") if kind == "s3" else ""
    return fmt or (posixpath.join(prefix, DEFAULT_KEY_FORMAT) if prefix else DEFAULT_KEY_FORMAT)


def archive_location(template: Mapping[str, Any], repository: Mapping[str, Any] | None, *,
                     substitute: KeySubstituter) -> JSON | None:
    """Where a template's keyless artifacts go: its own ``archiveLocation`` if complete, else the
    repository with its key format substituted (Argo ``addArchiveLocation``); None if neither."""
    own = template.get("archiveLocation")
    if isinstance(own, dict) and has_location(own):
        return {k: copy.deepcopy(v) for k, v in own.items() if k != "archiveLogs"}
    location = repository_location(repository)
    if location is None:
        return None
    assert repository is not None
    fmt = key_format(repository)
    key = substitute(fmt)
    if "{{" in key:
        raise ArtifactError(f"failed to resolve the artifact repository key format {fmt!r}: got {key!r}")
    kind = next(iter(location))
    location[kind][KEY_FIELDS[kind]] = key
    return location


def is_archive_logs(template: Mapping[str, Any], workflow_spec: Mapping[str, Any],
                    repository: Mapping[str, Any] | None) -> bool:
    """Argo's priority: repository on > template > workflow > off."""
    if repository and repository.get("archiveLogs") is True:
        return True
    archive_logs = bool(workflow_spec.get("archiveLogs"))
    own = template.get("archiveLocation")
    if isinstance(own, dict) and own.get("archiveLogs") is not None:
        archive_logs = bool(own["archiveLogs"])
    return archive_logs
