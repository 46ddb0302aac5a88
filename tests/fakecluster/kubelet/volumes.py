"""Pod volumes as host directories: emptyDir and friends per pod, persistentVolumeClaims per
namespace and claim, hostPath as is; configMap, secret, downwardAPI and projected volumes are
written as files. A container's mounts map its mountPaths to these directories."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakecluster.kubelet.env import ConfigError, expand, field_ref

JSON = dict[str, Any]
ObjectReader = Callable[[str, str], "JSON | None"]


@dataclass(frozen=True)
class Mount:
    host_path: str
    container_path: str
    read_only: bool = False

    @property
    def is_file(self) -> bool:
        return os.path.isfile(self.host_path)


def _write_file(directory: Path, relative: str, content: bytes, mode: int) -> None:
    target = directory / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    os.chmod(target, mode)


def _key_files(obj: JSON, source: JSON, secret: bool) -> list[tuple[str, bytes, int | None]]:
    values: dict[str, bytes] = {}
    for key, value in (obj.get("data") or {}).items():
        values[key] = base64.b64decode(value) if secret else str(value).encode()
    for key, value in (obj.get("binaryData") or {}).items():
        values[key] = base64.b64decode(value)
    items = source.get("items")
    if not items:
        return [(key, content, None) for key, content in values.items()]
    files: list[tuple[str, bytes, int | None]] = []
    for item in items:
        if item.get("key") not in values:
            if source.get("optional"):
                continue
            raise ConfigError(f"configmap references non-existent config key: {item.get('key')}")
        files.append((item.get("path", item["key"]), values[item["key"]], item.get("mode")))
    return files


def _write_object_keys(directory: Path, read: ObjectReader, source: JSON, plural: str, default_mode: int) -> None:
    name = source.get("name") or source.get("secretName") or ""
    obj = read(plural, name)
    if obj is None:
        if source.get("optional"):
            return
        kind = "configmap" if plural == "configmaps" else "secret"
        raise ConfigError(f'MountVolume.SetUp failed: {kind} "{name}" not found')
    for relative, content, mode in _key_files(obj, source, secret=plural == "secrets"):
        _write_file(directory, relative, content, mode or default_mode)


def _write_downward(directory: Path, pod: JSON, source: JSON, default_mode: int) -> None:
    for item in source.get("items") or []:
        value = field_ref(pod, (item.get("fieldRef") or {}).get("fieldPath", ""))
        _write_file(directory, item["path"], value.encode(), item.get("mode") or default_mode)


def _write_projected(directory: Path, pod: JSON, read: ObjectReader, source: JSON) -> None:
    mode = int(source.get("defaultMode", 420))
    for part in source.get("sources") or []:
        if "configMap" in part:
            _write_object_keys(directory, read, part["configMap"], "configmaps", mode)
        elif "secret" in part:
            _write_object_keys(directory, read, part["secret"], "secrets", mode)
        elif "downwardAPI" in part:
            _write_downward(directory, pod, part["downwardAPI"], mode)
        elif "serviceAccountToken" in part:
            _write_file(directory, part["serviceAccountToken"].get("path", "token"), b"fakecluster-token", mode)


def _host_path(source: JSON) -> str:
    path = str(source.get("path", ""))
    kind = source.get("type", "")
    if kind in ("", "DirectoryOrCreate") and not os.path.exists(path):
        os.makedirs(path, exist_ok=True)
    elif kind == "FileOrCreate" and not os.path.exists(path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).touch()
    elif kind in ("Directory", "File") and not os.path.exists(path):
        raise ConfigError(f"MountVolume.SetUp failed: hostPath type check failed: {path} does not exist")
    return path


def prepare_volumes(pod: JSON, pod_dir: Path, claims_dir: Path, read: ObjectReader) -> dict[str, str]:
    """Create every volume of ``pod``; returns volume name -> host path. Raises ConfigError to retry."""
    namespace = pod["metadata"].get("namespace", "default")
    sources: dict[str, str] = {}
    for volume in (pod.get("spec") or {}).get("volumes") or []:
        name = volume["name"]
        directory = pod_dir / "volumes" / name
        if "hostPath" in volume:
            sources[name] = _host_path(volume["hostPath"])
            continue
        if "persistentVolumeClaim" in volume:
            directory = claims_dir / namespace / volume["persistentVolumeClaim"].get("claimName", name)
        directory.mkdir(parents=True, exist_ok=True)
        if "configMap" in volume:
            _write_object_keys(directory, read, volume["configMap"], "configmaps", int(volume["configMap"].get("defaultMode", 420)))
        elif "secret" in volume:
            _write_object_keys(directory, read, volume["secret"], "secrets", int(volume["secret"].get("defaultMode", 420)))
        elif "downwardAPI" in volume:
            _write_downward(directory, pod, volume["downwardAPI"], int(volume["downwardAPI"].get("defaultMode", 420)))
        elif "projected" in volume:
            _write_projected(directory, pod, read, volume["projected"])
        sources[name] = str(directory)
    return sources


def missing_claims(pod: JSON, read: ObjectReader) -> list[str]:
    """Claim names the pod uses that do not exist (the pod is then unschedulable)."""
    names = [v["persistentVolumeClaim"].get("claimName", "") for v in (pod.get("spec") or {}).get("volumes") or []
             if "persistentVolumeClaim" in v]
    return [n for n in names if read("persistentvolumeclaims", n) is None]


def container_mounts(container: JSON, sources: dict[str, str], env: dict[str, str]) -> list[Mount]:
    """The container's mounts, parents before children; subPath directories are created."""
    mounts: list[Mount] = []
    for mount in container.get("volumeMounts") or []:
        host = sources.get(mount.get("name", ""))
        if host is None:
            continue
        sub = mount.get("subPath") or expand(mount.get("subPathExpr", ""), env)
        if sub:
            host = os.path.join(host, sub)
            if not os.path.exists(host):
                os.makedirs(host, exist_ok=True)
        mounts.append(Mount(host, mount["mountPath"].rstrip("/") or "/", bool(mount.get("readOnly"))))
    return sorted(mounts, key=lambda m: m.container_path.count("/"))
