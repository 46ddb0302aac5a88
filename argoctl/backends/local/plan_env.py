"""A local container's environment, as the kubelet builds it (driver side).

* ``$(VAR)`` in env values, command and args expands only variables the container declares
  (``env`` entries before it, ``envFrom``, and the variables Argo adds), never the host's or the
  image's; ``$$`` escapes a ``$``; a reference to anything else stays as written.
* ``valueFrom.secretKeyRef``/``configMapKeyRef``, ``envFrom`` secrets and ConfigMaps, and
  ``secret``/``configMap`` volumes read the objects ``argoctl apply`` keeps in the local store
  (``lookup``); a missing object or key fails the pod as the kubelet's
  ``CreateContainerConfigError`` does, unless ``optional``.
"""

from __future__ import annotations

import re
import socket
from typing import Any

from argoctl.backends.base import PodRequest
from argoctl.backends.local.plan_objects import ObjectLookup, PlanError, lookup_data

JSON = dict[str, Any]
_ENV_REF = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_REF_KINDS = {"secretKeyRef": "Secret", "configMapKeyRef": "ConfigMap",
              "secretRef": "Secret", "configMapRef": "ConfigMap"}


def expand_env_refs(text: str, env: dict[str, str]) -> str:
    """Kubernetes' ``$(VAR)`` expansion; ``$$`` escapes, unknown refs stay."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        return env.get(match.group(1), match.group(0))

    return _ENV_REF.sub(replace, text)


def _field_ref(path: str, request: PodRequest) -> str:
    values = {
        "metadata.name": request.pod_name,
        "metadata.namespace": request.namespace,
        "status.podIP": "127.0.0.1",
        "spec.nodeName": socket.gethostname(),
        "spec.serviceAccountName": "default",
    }
    if path not in values:
        raise PlanError(f"env fieldRef {path!r} is not supported by the local backend")
    return values[path]


def _env_from(container: JSON, lookup: ObjectLookup | None) -> dict[str, str]:
    declared: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        ref_field = next((k for k in ("secretRef", "configMapRef") if k in source), None)
        if ref_field is None:
            continue
        ref = source.get(ref_field) or {}
        data = lookup_data(lookup, _REF_KINDS[ref_field], str(ref.get("name", "")), bool(ref.get("optional")))
        prefix = str(source.get("prefix") or "")
        declared.update((prefix + key, value) for key, value in (data or {}).items())
    return declared


def _value_from(name: str, value_from: JSON, request: PodRequest, lookup: ObjectLookup | None) -> str | None:
    if "fieldRef" in value_from:
        return _field_ref(str((value_from["fieldRef"] or {}).get("fieldPath", "")), request)
    source = next(iter(value_from), "valueFrom")
    ref = value_from.get(source) or {}
    optional = bool(ref.get("optional"))
    if source not in _REF_KINDS:
        if optional:
            return None
        raise PlanError(f"env {name}: {source} is not supported by the local backend")
    kind = _REF_KINDS[source]
    data = lookup_data(lookup, kind, str(ref.get("name", "")), optional)
    key = str(ref.get("key", ""))
    if data is None or key not in data:
        if optional:
            return None
        raise PlanError(f'CreateContainerConfigError: couldn\'t find key {key} in {kind} '
                        f'{request.namespace}/{ref.get("name", "")}')
    return data[key]


def declared_env(container: JSON, request: PodRequest, lookup: ObjectLookup | None) -> dict[str, str]:
    """The variables the container declares, in the kubelet's order, each value expanded
    against the ones before it (Argo's own variables first, then ``envFrom``, then ``env``)."""
    declared = dict(request.env)
    declared.update(_env_from(container, lookup))
    for item in container.get("env") or []:
        name = str(item.get("name", ""))
        if "value" in item or "valueFrom" not in item:
            declared[name] = expand_env_refs(str(item.get("value", "")), declared)
            continue
        value = _value_from(name, item["valueFrom"] or {}, request, lookup)
        if value is not None:
            declared[name] = value
    return declared
