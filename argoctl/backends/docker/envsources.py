"""Environment from ConfigMaps and Secrets (``valueFrom`` key refs and ``envFrom``), read from the
store's applied objects through a ``Lookup`` (``lookup(kind, name)`` → the object, or None).

Messages follow the kubelet's ``CreateContainerConfigError`` wording: ``configmap "x" not found``,
``couldn't find key k in ConfigMap ns/x``. Optional sources that are missing are skipped.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

JSON = dict[str, Any]
Lookup = Callable[[str, str], JSON | None]
_KINDS = {"configMapKeyRef": "ConfigMap", "secretKeyRef": "Secret", "configMapRef": "ConfigMap",
          "secretRef": "Secret"}


class EnvSourceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _values(kind: str, obj: JSON) -> dict[str, str]:
    values = {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
    if kind == "Secret":
        values = {k: base64.b64decode(v).decode("utf-8", errors="replace") for k, v in values.items()}
        values.update({str(k): str(v) for k, v in (obj.get("stringData") or {}).items()})
    return values


def _object(lookup: Lookup | None, kind: str, name: str, optional: bool) -> dict[str, str] | None:
    obj = lookup(kind, name) if lookup is not None else None
    if obj is None:
        if optional:
            return None
        raise EnvSourceError(f'{kind.lower()} "{name}" not found')
    return _values(kind, obj)


def key_ref(source: str, ref: JSON, lookup: Lookup | None, namespace: str) -> str | None:
    """The value of a ``configMapKeyRef``/``secretKeyRef`` (None: optional and missing)."""
    kind = _KINDS[source]
    name, key, optional = str(ref.get("name", "")), str(ref.get("key", "")), bool(ref.get("optional"))
    values = _object(lookup, kind, name, optional)
    if values is None:
        return None
    if key not in values:
        if optional:
            return None
        raise EnvSourceError(f"couldn't find key {key} in {kind} {namespace}/{name}")
    return values[key]


def env_from(sources: list[JSON], lookup: Lookup | None) -> dict[str, str]:
    """``envFrom``: every key of each ConfigMap/Secret, with its ``prefix``."""
    env: dict[str, str] = {}
    for source in sources:
        prefix = str(source.get("prefix") or "")
        for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if field in source:
                ref = source[field] or {}
                values = _object(lookup, kind, str(ref.get("name", "")), bool(ref.get("optional")))
                env.update({prefix + k: v for k, v in (values or {}).items()})
    return env


def volume_files(kind: str, spec: JSON, lookup: Lookup | None) -> dict[str, str] | None:
    """A configMap/secret volume's files (relative path → content; ``items`` pick and rename keys),
    or None when the object is missing and the volume optional."""
    obj_kind = "ConfigMap" if kind == "configMap" else "Secret"
    name = str(spec.get("name") or spec.get("secretName") or "")
    values = _object(lookup, obj_kind, name, bool(spec.get("optional")))
    if values is None:
        return None
    items = spec.get("items")
    if not items:
        return values
    files = {}
    for item in items:
        key = str(item.get("key", ""))
        if key not in values:
            raise EnvSourceError(f"configmap references non-existent config key: {key}" if obj_kind == "ConfigMap"
                                 else f"secret references non-existent secret key: {key}")
        files[str(item.get("path") or key)] = values[key]
    return files
