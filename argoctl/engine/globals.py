"""Global variables (argo-semantics §3.1): ``workflow.*`` computed once per engine step."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from argoctl.engine.scope import go_json, parameter_value_text, parameters_json
from argoctl.model.timefmt import parse_time, rfc3339

JSON = dict[str, Any]

# Go strftime characters Argo exposes as workflow.creationTimestamp.<c>
_STRFTIME = {
    "a": "%a", "A": "%A", "b": "%b", "B": "%B", "c": "%a %b %e %H:%M:%S %Y", "C": "%C", "d": "%d",
    "D": "%m/%d/%y", "e": "%e", "F": "%Y-%m-%d", "H": "%H", "I": "%I", "j": "%j", "k": "%k",
    "l": "%l", "m": "%m", "M": "%M", "n": "\n", "p": "%p", "r": "%I:%M:%S %p", "R": "%H:%M",
    "S": "%S", "t": "\t", "T": "%H:%M:%S", "u": "%u", "U": "%U", "V": "%V", "w": "%w", "W": "%W",
    "x": "%m/%d/%y", "X": "%H:%M:%S", "y": "%y", "Y": "%Y", "Z": "%Z", "z": "%z",
}


class GlobalParameterError(Exception):
    pass


def _strftime(moment: datetime, char: str) -> str:
    if char == "L":
        return f"{moment.microsecond // 1000:03d}"
    if char == "Z":
        return "UTC"
    if char == "z":
        return "+0000"
    return moment.strftime(_STRFTIME[char])


@functools.lru_cache(maxsize=64)
def _creation_variables_cached(created_text: str) -> tuple[tuple[str, str], ...]:
    created = parse_time(created_text)
    out = {
        "workflow.creationTimestamp": rfc3339(created),
        "workflow.creationTimestamp.RFC3339": rfc3339(created),
        "workflow.creationTimestamp.s": str(int(created.timestamp())),
    }
    for char in [*_STRFTIME, "L"]:
        out[f"workflow.creationTimestamp.{char}"] = _strftime(created, char)
    return tuple(out.items())


def _creation_variables(created_text: str) -> dict[str, str]:
    """The ``workflow.creationTimestamp.*`` forms (computed once per timestamp)."""
    return dict(_creation_variables_cached(created_text))


def argument_value(param: Mapping[str, Any], config_maps: Mapping[str, Mapping[str, str]]) -> str:
    """The value of a workflow argument: ``value``, or ``valueFrom.configMapKeyRef`` (then default)."""
    if param.get("value") is not None:
        return parameter_value_text(param["value"])
    value_from = param.get("valueFrom") or {}
    ref = value_from.get("configMapKeyRef")
    if ref:
        data = config_maps.get(str(ref.get("name")))
        if data is not None and str(ref.get("key")) in data:
            return str(data[str(ref.get("key"))])
        if value_from.get("default") is not None:
            return parameter_value_text(value_from["default"])
        raise GlobalParameterError(
            f"failed to set global parameter {param.get('name')} from configmap with name "
            f"{ref.get('name')} and key {ref.get('key')}: ConfigMap \"{ref.get('name')}\" not found"
            if data is None
            else f"failed to set global parameter {param.get('name')} from configmap with name "
            f"{ref.get('name')} and key {ref.get('key')}: ConfigMap \"{ref.get('name')}\" does not have "
            f"the key \"{ref.get('key')}\""
        )
    if value_from.get("default") is not None:
        return parameter_value_text(value_from["default"])
    raise GlobalParameterError(
        f"either value or valueFrom must be specified in order to set global parameter {param.get('name')}"
    )


_MEMO_SIZE = 64


def global_variables(
    metadata: Mapping[str, Any],
    spec: Mapping[str, Any],
    outputs: Mapping[str, Any] | None,
    config_maps: Mapping[str, Mapping[str, str]],
    memo: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Every ``workflow.*`` variable of argo-semantics §3.1 except the late-bound ones (a new dict).

    Each step asks again with mostly the same inputs, so the last result per workflow is kept in
    ``memo`` (``EngineMemos.globals``),
    keyed by every value it reads (compared by value: the engine replaces spec and metadata values
    rather than changing them in place, and the mappings it may change are copied into the key).
    """
    key = (
        metadata.get("name"), metadata.get("namespace"), metadata.get("uid"), metadata.get("creationTimestamp"),
        dict(metadata.get("annotations") or {}), dict(metadata.get("labels") or {}),
        spec.get("entrypoint"), spec.get("serviceAccountName"), spec.get("priority"), spec.get("arguments"),
        spec.get("workflowMetadata"), outputs, config_maps,
    )
    if memo is None:
        return _global_variables(metadata, spec, outputs, config_maps)
    name = str(metadata.get("name", ""))
    hit = memo.get(name)
    if hit is not None and hit[0] == key:
        return dict(hit[1])
    g = _global_variables(metadata, spec, outputs, config_maps)
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[name] = (key, dict(g))
    return g


def _global_variables(
    metadata: Mapping[str, Any],
    spec: Mapping[str, Any],
    outputs: Mapping[str, Any] | None,
    config_maps: Mapping[str, Mapping[str, str]],
) -> dict[str, Any]:
    g: dict[str, Any] = {
        "workflow.name": str(metadata.get("name", "")),
        "workflow.namespace": str(metadata.get("namespace", "default")),
        "workflow.uid": str(metadata.get("uid", "")),
        "workflow.mainEntrypoint": str(spec.get("entrypoint", "")),
        "workflow.serviceAccountName": str(spec.get("serviceAccountName", "") or ""),
    }
    g.update(_creation_variables(str(metadata.get("creationTimestamp") or "1970-01-01T00:00:00Z")))
    annotations = dict(metadata.get("annotations") or {})
    scheduled = annotations.get("workflows.argoproj.io/scheduled-time")
    if scheduled:
        g["workflow.scheduledTime"] = scheduled
    if spec.get("priority") is not None:
        g["workflow.priority"] = str(spec["priority"])
    params = list((spec.get("arguments") or {}).get("parameters") or [])
    params_json = parameters_json(params)
    g["workflow.parameters"] = params_json
    g["workflow.parameters.json"] = params_json
    for param in params:
        g[f"workflow.parameters.{param.get('name')}"] = argument_value(param, config_maps)
    labels = dict(metadata.get("labels") or {})
    md = spec.get("workflowMetadata") or {}
    labels_from = md.get("labelsFrom") or {}
    g["workflow.annotations"] = g["workflow.annotations.json"] = go_json(annotations)
    for key, value in {**annotations, **(md.get("annotations") or {})}.items():
        g[f"workflow.annotations.{key}"] = str(value)
    g["workflow.labels"] = g["workflow.labels.json"] = go_json(labels)
    for key, value in {**labels, **(md.get("labels") or {})}.items():
        if key not in labels_from:
            g[f"workflow.labels.{key}"] = str(value)
    for param in (outputs or {}).get("parameters") or ():
        if param.get("value") is not None:
            g[f"workflow.outputs.parameters.{param.get('name')}"] = parameter_value_text(param["value"])
    return g
