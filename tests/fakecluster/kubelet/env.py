"""A container's environment: the base variables, ``envFrom``, ``env`` with ``valueFrom`` and
Kubernetes ``$(VAR)`` expansion (also applied to command and args)."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable
from typing import Any

JSON = dict[str, Any]
ObjectReader = Callable[[str, str], "JSON | None"]  # (plural, name) -> object in the pod's namespace


class ConfigError(Exception):
    """The container cannot be configured yet (CreateContainerConfigError); the kubelet retries."""


_REF = re.compile(r"\$\$|\$\(([^)]*)\)")


def expand(text: str, variables: dict[str, str]) -> str:
    """``$(NAME)`` -> value when defined (else left as is); ``$$`` -> ``$``."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return variables.get(name, match.group(0))

    return _REF.sub(replace, text)


def field_ref(pod: JSON, path: str) -> str:
    meta = pod.get("metadata") or {}
    label = re.fullmatch(r"metadata\.(labels|annotations)\['([^']+)'\]", path)
    if label:
        return str((meta.get(label.group(1)) or {}).get(label.group(2), ""))
    if path in ("metadata.labels", "metadata.annotations"):
        values = meta.get(path.split(".")[1]) or {}
        return "\n".join(f'{k}="{v}"' for k, v in sorted(values.items()))
    simple = {
        "metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"), "spec.nodeName": (pod.get("spec") or {}).get("nodeName"),
        "spec.serviceAccountName": (pod.get("spec") or {}).get("serviceAccountName"),
        "status.podIP": "127.0.0.1", "status.podIPs": "127.0.0.1", "status.hostIP": "127.0.0.1",
        "status.hostIPs": "127.0.0.1",
    }
    return str(simple.get(path) or "")


def _key_ref(read: ObjectReader, ref: JSON, plural: str) -> str | None:
    kind = "ConfigMap" if plural == "configmaps" else "Secret"
    obj = read(plural, ref.get("name", ""))
    optional = bool(ref.get("optional"))
    if obj is None:
        if optional:
            return None
        raise ConfigError(f'{kind.lower()} "{ref.get("name")}" not found')
    key = ref.get("key", "")
    if plural == "secrets":
        data = obj.get("data") or {}
        if key in data:
            return base64.b64decode(data[key]).decode(errors="replace")
    else:
        for field in ("data", "binaryData"):
            if key in (obj.get(field) or {}):
                value = obj[field][key]
                return value if field == "data" else base64.b64decode(value).decode(errors="replace")
    if optional:
        return None
    raise ConfigError(f"couldn't find key {key} in {kind} {obj['metadata'].get('namespace')}/{ref.get('name')}")


def _resource_ref(container: JSON, ref: JSON) -> str:
    resource = ref.get("resource", "")
    section, _, name = resource.partition(".")
    value = ((container.get("resources") or {}).get(section) or {}).get(name)
    if value is None:
        return {"cpu": "2", "memory": str(8 * 1024**3), "ephemeral-storage": str(100 * 1024**3)}.get(name, "0")
    return str(value)


def _env_from(read: ObjectReader, source: JSON, env: dict[str, str]) -> None:
    prefix = source.get("prefix", "")
    for plural, key in (("configmaps", "configMapRef"), ("secrets", "secretRef")):
        ref = source.get(key)
        if not ref:
            continue
        obj = read(plural, ref.get("name", ""))
        if obj is None:
            if ref.get("optional"):
                continue
            raise ConfigError(f'{"configmap" if plural == "configmaps" else "secret"} "{ref.get("name")}" not found')
        for name, value in (obj.get("data") or {}).items():
            env[prefix + name] = base64.b64decode(value).decode(errors="replace") if plural == "secrets" else value


def base_env(pod: JSON, api_port: int) -> dict[str, str]:
    """What every container sees before its own ``env``: image-like defaults and the service env."""
    return {
        "PATH": os.environ.get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        "HOME": "/root",
        "HOSTNAME": str(pod["metadata"]["name"]),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": str(api_port),
        "KUBERNETES_PORT": f"tcp://127.0.0.1:{api_port}",
    }


def container_env(pod: JSON, container: JSON, read: ObjectReader, api_port: int) -> dict[str, str]:
    """Raises ConfigError when a referenced ConfigMap, Secret or key is missing."""
    env = base_env(pod, api_port)
    for source in container.get("envFrom") or []:
        _env_from(read, source, env)
    for var in container.get("env") or []:
        name = var.get("name", "")
        source = var.get("valueFrom")
        if source is None:
            env[name] = expand(str(var.get("value", "")), env)
            continue
        value: str | None
        if "fieldRef" in source:
            value = field_ref(pod, source["fieldRef"].get("fieldPath", ""))
        elif "configMapKeyRef" in source:
            value = _key_ref(read, source["configMapKeyRef"], "configmaps")
        elif "secretKeyRef" in source:
            value = _key_ref(read, source["secretKeyRef"], "secrets")
        elif "resourceFieldRef" in source:
            value = _resource_ref(container, source["resourceFieldRef"])
        else:
            value = ""
        if value is not None:
            env[name] = value
    return env
