"""``ProcessArgs`` and ``SubstituteParams``: a template's inputs from its arguments, then the
``{{...}}`` substitution of globals, locals and ``inputs.*`` throughout the template."""

from __future__ import annotations

import copy
import json
import re
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.engine.scope import ABSENT_ARGUMENT, parameter_value_text, parameters_json
from argoctl.errors import ExpressionError

JSON = dict[str, Any]


class ArgumentError(Exception):
    """An input that cannot be resolved; the message is Argo's."""


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
            param["value"] = parameter_value_text(value_from["default"])
        else:
            reason = (f'configmaps "{name}" not found' if data is None
                      else f'ConfigMap "{name}" does not have the key "{key}"')
            raise ArgumentError(
                f"unable to retrieve inputs.parameters.{param.get('name')} from ConfigMap: {reason}"
            )
    elif param.get("value") is None:
        raise ArgumentError(f"inputs.parameters.{param.get('name')} was not supplied")


_TAG = re.compile(r"{{\s*=?\s*([^}]*)}}")
_MEMO_SIZE = 256


class ArgsMemo:
    """Processed templates of earlier steps, for templates (by identity) whose inputs are equal.

    A DAG or steps template is processed again on every engine step; when neither its arguments
    nor any variable it mentions changed, the result is the same, so it is reused instead of
    copying and substituting the whole template again (which made long DAGs quadratic).
    """

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[Any, ...], tuple[Mapping[str, Any], JSON]] = OrderedDict()
        self.names: dict[int, tuple[Mapping[str, Any], tuple[str, ...] | None, bool]] = {}
        # arguments object -> (it, a JSON copy of it, its text): the DAG root's arguments are the
        # same object every step; the copy catches a change made in place
        self.args_texts: dict[int, tuple[Mapping[str, Any], Any, str]] = {}

    def mentioned(self, tmpl: Mapping[str, Any]) -> tuple[tuple[str, ...] | None, bool]:
        """Variable names the template mentions (None when an expression tag may read anything)
        and whether it reads ConfigMaps."""
        cached = self.names.get(id(tmpl))
        if cached is not None and cached[0] is tmpl:
            return cached[1], cached[2]
        text = json.dumps(tmpl)
        names: tuple[str, ...] | None = tuple(sorted({m.group(1).strip() for m in _TAG.finditer(text)}))
        if "{{=" in text or "{{ =" in text:
            names = None
        reads_config_maps = "configMapKeyRef" in text
        if len(self.names) > _MEMO_SIZE:
            self.names.clear()
        self.names[id(tmpl)] = (tmpl, names, reads_config_maps)
        return names, reads_config_maps

    def key(self, tmpl: Mapping[str, Any], args: Mapping[str, Any] | None,
            variables: tuple[Mapping[str, Any], Mapping[str, Any]]) -> tuple[Any, ...] | None:
        """The memo key, or None when the result cannot be reused; ``variables`` are the globals
        and the locals (a local wins), read without merging them."""
        names, reads_config_maps = self.mentioned(tmpl)
        if names is None or reads_config_maps:
            return None
        # no arguments (most tasks of a long DAG) need no JSON text
        args_text = "null" if args is None else "{}" if not args else self.args_text(args)
        if "configMapKeyRef" in args_text:
            return None
        globals_, locals_ = variables
        found = (locals_[n] if n in locals_ else globals_.get(n) for n in names)
        values = tuple(v for v in found if isinstance(v, str | None))
        return (id(tmpl), args_text, values)

    def args_text(self, args: Mapping[str, Any]) -> str:
        seen = self.args_texts.get(id(args))
        if seen is not None and seen[0] is args and seen[1] == args:
            return seen[2]
        text = json.dumps(args, sort_keys=True, default=str)
        if len(self.args_texts) > _MEMO_SIZE:
            self.args_texts.clear()
        self.args_texts[id(args)] = (args, json.loads(text), text)
        return text

    def get(self, key: tuple[Any, ...], tmpl: Mapping[str, Any]) -> JSON | None:
        hit = self.entries.get(key)
        if hit is None or hit[0] is not tmpl:
            return None
        self.entries.move_to_end(key)
        return hit[1]

    def put(self, key: tuple[Any, ...], tmpl: Mapping[str, Any], result: JSON) -> None:
        self.entries[key] = (tmpl, result)
        if len(self.entries) > _MEMO_SIZE:
            self.entries.popitem(last=False)




def process_args(
    tmpl: Mapping[str, Any],
    args: Mapping[str, Any] | None,
    globals_: Mapping[str, Any],
    locals_: Mapping[str, Any],
    config_maps: Mapping[str, Mapping[str, str]],
    memo: ArgsMemo | None = None,
) -> JSON:
    """Resolve inputs from arguments/defaults/ConfigMaps, then substitute (Argo's ProcessArgs).

    With ``memo`` (``EngineMemos.args``) the result is shared with later calls for the same
    inputs: callers must not change it.
    """
    key = memo.key(tmpl, args, (globals_, locals_)) if memo is not None else None
    if key is not None:
        assert memo is not None
        hit = memo.get(key, tmpl)
        if hit is not None:
            return hit
    result = _process_args(tmpl, args, globals_, locals_, config_maps)
    if key is not None:
        assert memo is not None
        memo.put(key, tmpl, result)
    return result


def _process_args(
    tmpl: Mapping[str, Any],
    args: Mapping[str, Any] | None,
    globals_: Mapping[str, Any],
    locals_: Mapping[str, Any],
    config_maps: Mapping[str, Mapping[str, str]],
) -> JSON:
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
            param["value"] = parameter_value_text(param["value"])
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
            replace[f"inputs.parameters.{param.get('name')}"] = parameter_value_text(param["value"])
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
