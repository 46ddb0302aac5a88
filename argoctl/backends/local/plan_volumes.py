"""Volumes of a local pod: which host directory stands for each volume, and each container's mounts.

* ``emptyDir`` (and optional ``configMap``/``secret``/``projected`` volumes, which start empty):
  ``POD_DIR/volumes/<name>``, fresh for the pod.
* ``persistentVolumeClaim``: ``run_dir/.volumes/<claimName>``, shared by every pod under
  ``run_dir`` (what a PVC is for); workflow ``volumeClaimTemplates``: the claim Argo would create,
  ``run_dir/.volumes/<workflow>-<name>``, shared by the pods of that workflow.
* ``hostPath``: the host path itself.
* ``secret``/``configMap``: the object from the local store written as files (``items`` and
  modes honoured) into ``POD_DIR/volumes/<name>``, mounted read-only; the files go when the pod ends.
Other volume kinds make the pod fail with ``PlanError`` only when a container mounts them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from argoctl.backends.base import PodRequest
from argoctl.backends.local.plan_objects import PlanError, lookup_data

JSON = dict[str, Any]
SHARED_VOLUMES = ".volumes"  # under run_dir; pod names cannot start with a dot
_EMPTY_WHEN_OPTIONAL = ("projected", "downwardAPI")
_STORED = {"secret": ("Secret", "secretName"), "configMap": ("ConfigMap", "name")}
Lookup = Callable[[str, str], "JSON | None"]


def _write_stored(volume: JSON, kind_field: str, pod_dir: Path, lookup: Lookup | None) -> tuple[str | None, str]:
    """A secret or configMap volume: its keys as files (PlanError text when it cannot be made)."""

    name = str(volume.get("name", ""))
    spec = volume.get(kind_field) or {}
    kind, name_field = _STORED[kind_field]
    try:
        data = lookup_data(lookup, kind, str(spec.get(name_field, "")), bool(spec.get("optional")))
    except PlanError as exc:
        return None, exc.message
    directory = pod_dir / "volumes" / name
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    default_mode = int(spec.get("defaultMode") or 0o644)
    items = spec.get("items") or [{"key": key, "path": key} for key in sorted(data or {})]
    for item in items:
        key = str(item.get("key", ""))
        if data is None or key not in data:
            if spec.get("optional"):
                continue
            return None, f"CreateContainerConfigError: couldn't find key {key} in {kind} {spec.get(name_field, '')}"
        relative = os.path.normpath(str(item.get("path") or key))
        if relative.startswith(("/", "..")):
            return None, f"volume '{name}': item path {relative!r} must be relative and stay inside the volume"
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data[key])
        os.chmod(target, int(item.get("mode") or default_mode))
    return str(directory), ""


def _source(volume: JSON, pod_dir: Path, lookup: Lookup | None = None) -> tuple[str | None, str]:
    name = str(volume.get("name", ""))
    for kind_field in _STORED:
        if kind_field in volume:
            return _write_stored(volume, kind_field, pod_dir, lookup)
    shared = pod_dir.parent / SHARED_VOLUMES
    if "emptyDir" in volume:
        return str(pod_dir / "volumes" / name), ""
    if "persistentVolumeClaim" in volume:
        claim = str((volume["persistentVolumeClaim"] or {}).get("claimName") or name)
        return str(shared / claim), ""
    if "hostPath" in volume:
        return str((volume["hostPath"] or {}).get("path", "")), ""
    for kind in _EMPTY_WHEN_OPTIONAL:
        if kind in volume:
            if (volume[kind] or {}).get("optional"):
                return str(pod_dir / "volumes" / name), ""
            return None, f"volume '{name}': {kind} volumes are not supported by the local backend"
    kind = next((key for key in volume if key != "name"), "unknown")
    return None, f"volume '{name}': {kind} volumes are not supported by the local backend"


def volume_sources(request: PodRequest, pod_dir: Path, lookup: Lookup | None = None) -> dict[str, tuple[str | None, str]]:
    """Volume name → (host directory, or None with an error message)."""
    sources: dict[str, tuple[str | None, str]] = {}
    shared = pod_dir.parent / SHARED_VOLUMES
    for claim_template in request.workflow_spec.get("volumeClaimTemplates") or []:
        name = str((claim_template.get("metadata") or {}).get("name", ""))
        sources[name] = (str(shared / f"{request.workflow_name}-{name}"), "")  # Argo's claim name
    volumes = list(request.workflow_spec.get("volumes") or []) + list(request.template.get("volumes") or [])
    for volume in volumes:
        sources[str(volume.get("name", ""))] = _source(volume, pod_dir, lookup)
    return sources


def container_mounts(
    spec: JSON, sources: dict[str, tuple[str | None, str]], main_mounts: list[JSON],
    kinds: dict[str, str] | None = None,
) -> list[JSON]:
    """The container's mounts with host sources (``mirrorVolumeMounts`` copies main's)."""
    declared = list(spec.get("volumeMounts") or [])
    if spec.get("mirrorVolumeMounts"):
        declared += [m for m in main_mounts if m not in declared]
    mounts: list[JSON] = []
    for mount in declared:
        name = str(mount.get("name", ""))
        if name not in sources:
            raise PlanError(f"volume '{name}' not found in the workflow or template volumes")
        source, error = sources[name]
        if source is None:
            raise PlanError(error)
        Path(source).mkdir(parents=True, exist_ok=True)
        mounts.append({
            "volume": name, "source": source, "mount_path": str(mount.get("mountPath", "")),
            "sub_path": str(mount.get("subPath") or ""),
            "read_only": bool(mount.get("readOnly")) or (kinds or {}).get(name) in _STORED,
            "kind": (kinds or {}).get(name, "emptyDir"),
        })
    return mounts


def volume_kinds(request: PodRequest) -> dict[str, str]:
    """Volume name → its kind (``emptyDir``, ``persistentVolumeClaim``, ``hostPath``, ``secret``...)."""
    kinds = {str((t.get("metadata") or {}).get("name", "")): "persistentVolumeClaim"
             for t in request.workflow_spec.get("volumeClaimTemplates") or []}
    for volume in list(request.workflow_spec.get("volumes") or []) + list(request.template.get("volumes") or []):
        kinds[str(volume.get("name", ""))] = next((k for k in volume if k != "name"), "unknown")
    return kinds
