"""Volumes of a local pod: which host directory stands for each volume, and each container's mounts.

* ``emptyDir`` (and optional ``configMap``/``secret``/``projected`` volumes, which start empty):
  ``POD_DIR/volumes/<name>``, fresh for the pod.
* ``persistentVolumeClaim``: ``run_dir/.volumes/<claimName>``, shared by every pod under
  ``run_dir`` (what a PVC is for); workflow ``volumeClaimTemplates``: the claim Argo would create,
  ``run_dir/.volumes/<workflow>-<name>``, shared by the pods of that workflow.
* ``hostPath``: the host path itself.
Other volume kinds make the pod fail with ``PlanError`` only when a container mounts them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from argoctl.backends.base import PodRequest

JSON = dict[str, Any]
SHARED_VOLUMES = ".volumes"  # under run_dir; pod names cannot start with a dot
_EMPTY_WHEN_OPTIONAL = ("configMap", "secret", "projected", "downwardAPI")


class PlanError(Exception):
    """The pod cannot start; ``message`` becomes the node's message (phase Error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _source(volume: JSON, pod_dir: Path) -> tuple[str | None, str]:
    name = str(volume.get("name", ""))
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


def volume_sources(request: PodRequest, pod_dir: Path) -> dict[str, tuple[str | None, str]]:
    """Volume name → (host directory, or None with an error message)."""
    sources: dict[str, tuple[str | None, str]] = {}
    shared = pod_dir.parent / SHARED_VOLUMES
    for claim_template in request.workflow_spec.get("volumeClaimTemplates") or []:
        name = str((claim_template.get("metadata") or {}).get("name", ""))
        sources[name] = (str(shared / f"{request.workflow_name}-{name}"), "")  # Argo's claim name
    volumes = list(request.workflow_spec.get("volumes") or []) + list(request.template.get("volumes") or [])
    for volume in volumes:
        sources[str(volume.get("name", ""))] = _source(volume, pod_dir)
    return sources


def container_mounts(
    spec: JSON, sources: dict[str, tuple[str | None, str]], main_mounts: list[JSON]
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
            "sub_path": str(mount.get("subPath") or ""), "read_only": bool(mount.get("readOnly")),
        })
    return mounts
