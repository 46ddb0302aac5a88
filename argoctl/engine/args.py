"""``ProcessArgs`` and ``SubstituteParams``: a template's inputs from its arguments, then the
``{{...}}`` substitution of globals, locals and ``inputs.*`` throughout the template."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.engine.scope import ABSENT_ARGUMENT, parameters_json
from argoctl.errors import ExpressionError

JSON = dict[str, Any]


class ArgumentError(Exception):
    """An input that cannot be resolved; the message is Argo's."""


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def _by_name(items: Any, name: str) -> Mapping[str, Any] | None:
    for item in items or ():
        if item.get("name") == name:
            return item  # type: ignore[no-any-return]
    return None


def _config_map_value(
    param: JSON, globals_: Mapping[str, Any], config_maps: Mapping[str, Mapping[str, str]]
) -> None:
    value_from = param.get("valueFrom") or {}
    ref = value_from.get("configMapKeyRef")
    if ref:
        name = expr.substitute(str(ref.get("name", "")), globals_)
        key = expr.substitute(str(ref.get("key", "")), globals_)
        data = config_maps.get(name)
        if data is not None and key in data:
            param["value"] = data[key]
        elif value_from.get("default") is not None:
            param["value"] = _str(value_from["default"])
        else:
            reason = (f'configmaps "{name}" not found' if data is None
                      else f'ConfigMap "{name}" does not have the key "{key}"')
            raise ArgumentError(
                f"unable to retrieve inputs.parameters.{param.get('name')} from ConfigMap: {reason}"
            )
    elif param.get("value") is None:
        raise ArgumentError(f"inputs.parameters.{param.get('name')} was not supplied")


def process_args(
    tmpl: Mapping[str, Any],
    args: Mapping[str, Any] | None,
    globals_: Mapping[str, Any],
    locals_: Mapping[str, Any],
    config_maps: Mapping[str, Mapping[str, str]],
) -> JSON:
    """Resolve inputs from arguments/defaults/ConfigMaps, then substitute (Argo's ProcessArgs)."""
    new: JSON = copy.deepcopy(dict(tmpl))
    args = args or {}
    inputs = new.get("inputs") or {}
    params = []
    for in_param in inputs.get("parameters") or ():
        param = dict(in_param)
        if param.get("value") is None and param.get("default") is not None:
            param["value"] = param["default"]
        arg = _by_name(args.get("parameters"), str(param.get("name")))
        if arg is not None and arg.get("value") == ABSENT_ARGUMENT:
            if param.get("value") is None and param.get("valueFrom") is None:
                raise ArgumentError(
                    f"inputs.parameters.{param.get('name')}: argument references an absent optional "
                    "(skipped/omitted node output with no default)"
                )
        elif arg is not None:
            if arg.get("value") is not None:
                param["value"] = arg["value"]
                param.pop("valueFrom", None)
            else:
                param["valueFrom"] = arg.get("valueFrom")
                param.pop("value", None)
        _config_map_value(param, globals_, config_maps)
        if param.get("value") is not None:
            param["value"] = _str(param["value"])
        params.append(param)
    if params:
        inputs["parameters"] = params
    artifacts = []
    for in_art in inputs.get("artifacts") or ():
        art = dict(in_art)
        arg_art = _by_name(args.get("artifacts"), str(art.get("name")))
        if not art.get("optional") and not has_location(art) and arg_art is None:
            raise ArgumentError(f"inputs.artifacts.{art.get('name')} was not supplied")
        if arg_art is not None:
            merged = dict(arg_art)
            for keep in ("path", "mode", "recurseMode"):
                if keep in art:
                    merged[keep] = art[keep]
                else:
                    merged.pop(keep, None)
            art = merged
        artifacts.append(art)
    if artifacts:
        inputs["artifacts"] = artifacts
    if inputs:
        new["inputs"] = inputs
    return substitute_params(new, globals_, locals_)


LOCATION_KEYS = ("s3", "gcs", "azure", "oss", "hdfs", "artifactory", "http", "git", "raw", "plugin")


def has_location(art: Mapping[str, Any]) -> bool:
    return any(art.get(k) is not None for k in LOCATION_KEYS)


def substitute_params(tmpl: JSON, globals_: Mapping[str, Any], locals_: Mapping[str, Any]) -> JSON:
    """Argo's SubstituteParams: globals+locals first, then inputs/outputs path variables."""
    replace: dict[str, Any] = {**globals_, **locals_}
    try:
        first: JSON = expr.substitute_object(tmpl, replace)
    except ExpressionError as exc:
        raise ArgumentError(exc.render()) from exc
    inputs = first.get("inputs") or {}
    for param in inputs.get("parameters") or ():
        if param.get("value") is None and param.get("valueFrom") is None:
            raise ArgumentError(f"inputs.parameters.{param.get('name')} had no value")
        if param.get("value") is not None:
            replace[f"inputs.parameters.{param.get('name')}"] = _str(param["value"])
    replace["inputs.parameters"] = parameters_json(inputs.get("parameters") or [])
    for art in inputs.get("artifacts") or ():
        if art.get("path"):
            replace[f"inputs.artifacts.{art.get('name')}.path"] = art["path"]
    outputs = first.get("outputs") or {}
    for art in outputs.get("artifacts") or ():
        if art.get("path"):
            replace[f"outputs.artifacts.{art.get('name')}.path"] = art["path"]
    for param in outputs.get("parameters") or ():
        value_from = param.get("valueFrom") or {}
        if value_from.get("path"):
            replace[f"outputs.parameters.{param.get('name')}.path"] = value_from["path"]
    try:
        second: JSON = expr.substitute_object(first, replace)
    except ExpressionError as exc:
        raise ArgumentError(exc.render()) from exc
    return second
