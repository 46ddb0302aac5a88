"""``podSpecPatch``: Kubernetes' strategic merge patch, for the fields of a PodSpec.

Maps merge recursively; ``null`` deletes a key; lists whose items have a merge key in the
PodSpec schema (containers by ``name``, volumeMounts by ``mountPath``, ports by
``containerPort``...) merge item by item, other lists are replaced. The directives
``$patch: replace`` / ``$patch: delete`` (on a map or a list item) and
``$retainKeys`` are honoured in their common forms. Pure; no Kubernetes import.
"""

from __future__ import annotations

import copy
import json
from typing import Any

JSON = dict[str, Any]

# list field name -> merge key, as the PodSpec (and Container) schema declares them
MERGE_KEYS: dict[str, str] = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "env": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "resourceClaims": "name",
    "topologySpreadConstraints": "topologyKey",
    "readinessGates": "conditionType",
    "schedulingGates": "name",
}
_DIRECTIVE = "$patch"


class PatchError(ValueError):
    """The podSpecPatch text is not a mapping of PodSpec fields."""


def parse_patch(text: Any) -> JSON:
    """A podSpecPatch (JSON or YAML text, or already a mapping) as a dict."""
    if isinstance(text, dict):
        return text
    import yaml

    try:
        loaded = yaml.safe_load(str(text))
    except yaml.YAMLError as err:
        raise PatchError(f"podSpecPatch is not valid JSON or YAML: {err}") from err
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise PatchError("podSpecPatch must be a JSON/YAML object of PodSpec fields")
    return loaded


def strategic_merge(original: JSON, patch: JSON) -> JSON:
    """``original`` with ``patch`` applied (neither is modified)."""
    return _merge_map(copy.deepcopy(original), patch)


def _merge_map(target: JSON, patch: JSON) -> JSON:
    if patch.get(_DIRECTIVE) == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != _DIRECTIVE}
    retain = patch.get("$retainKeys")
    for key, value in patch.items():
        if key in (_DIRECTIVE, "$retainKeys") or key.startswith("$setElementOrder/"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            target[field] = [v for v in target.get(field) or [] if v not in (value or [])]
            continue
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = _merge_map(target[key], value)
        elif isinstance(value, list) and key in MERGE_KEYS and isinstance(target.get(key), list):
            target[key] = _merge_list(target[key], value, MERGE_KEYS[key])
        else:
            target[key] = _strip_directives(copy.deepcopy(value))
    if isinstance(retain, list):
        for key in list(target):
            if key not in retain:
                del target[key]
    return target


def _merge_list(target: list[Any], patch: list[Any], merge_key: str) -> list[Any]:
    if any(isinstance(item, dict) and item.get(_DIRECTIVE) == "replace" for item in patch):
        return [_strip_directives(copy.deepcopy(i)) for i in patch
                if not (isinstance(i, dict) and i.get(_DIRECTIVE) == "replace")]
    merged = list(target)
    for item in patch:
        if not isinstance(item, dict) or merge_key not in item:
            merged.append(copy.deepcopy(item))
            continue
        index = next((i for i, existing in enumerate(merged)
                      if isinstance(existing, dict) and existing.get(merge_key) == item[merge_key]), None)
        if item.get(_DIRECTIVE) == "delete":
            if index is not None:
                del merged[index]
        elif index is None:
            merged.append(_strip_directives(copy.deepcopy(item)))
        else:
            merged[index] = _merge_map(merged[index], item)
    return merged


def _strip_directives(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_directives(v) for k, v in value.items() if not str(k).startswith("$")}
    if isinstance(value, list):
        return [_strip_directives(v) for v in value]
    return value


def apply_patches(spec: JSON, patches: list[Any]) -> JSON:
    """Apply each podSpecPatch in order (workflow first, then template, as Argo does)."""
    for text in patches:
        if text in (None, ""):
            continue
        spec = strategic_merge(spec, parse_patch(text))
    return spec


def canonical(value: Any) -> str:
    """Stable JSON text (for comparisons in tests and signatures)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
