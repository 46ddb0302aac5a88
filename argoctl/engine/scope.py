"""The local variable scope of a steps/DAG template: ``steps.X.*`` / ``tasks.X.*`` values,
aggregated loop outputs, and absent (skipped/omitted) outputs."""

from __future__ import annotations

import copy
import json
import posixpath
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from argoctl import expr
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]
ABSENT_ARGUMENT = "__argo-internal.absent-optional-output__"


class Scope:
    """A flat map of local variables plus the keys that stand for absent optional outputs."""

    def __init__(self, tmpl: Mapping[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = {}
        self.skipped: set[str] = set()
        if tmpl:
            inputs = tmpl.get("inputs") or {}
            for param in inputs.get("parameters") or ():
                self.values[f"inputs.parameters.{param.get('name')}"] = _param_value(param)
            for art in inputs.get("artifacts") or ():
                self.values[f"inputs.artifacts.{art.get('name')}"] = art

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.skipped.discard(key)

    def set_skipped(self, key: str) -> None:
        self.values[key] = None
        self.skipped.add(key)

    def merged(self, globals_: Mapping[str, Any]) -> dict[str, Any]:
        """Globals overlaid with the string/None locals (what substitution sees)."""
        out = dict(globals_)
        for key, value in self.values.items():
            if isinstance(value, str) or (value is None and ".outputs.artifacts." not in key):
                out[key] = value
        return out

    def with_artifacts(self, globals_: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(globals_)
        out.update(self.values)
        return out

    def is_absent_ref(self, text: str) -> bool:
        if not (text.startswith("{{") and text.endswith("}}")):
            return False
        key = text[2:-2].strip()
        return "{{" not in key and "}}" not in key and key in self.skipped

    def mark_absent_args(self, args: Mapping[str, Any] | None) -> JSON:
        """Arguments whose whole value is an absent output become Argo's absent sentinel."""
        out = dict(args or {})
        params = out.get("parameters")
        if params:
            new = []
            for p in params:
                value = p.get("value")
                if isinstance(value, str) and self.is_absent_ref(value):
                    p = {**p, "value": ABSENT_ARGUMENT}
                new.append(p)
            out["parameters"] = new
        return out


def _param_value(param: Mapping[str, Any]) -> Any:
    value = param.get("value")
    if value is None:
        return None
    return value if isinstance(value, str) else parameter_value_text(value)


def parameter_value_text(value: Any) -> str:
    """A parameter value as Argo stores it: strings as-is, booleans lower-case, the rest compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def add_node_to_scope(scope: Scope, prefix: str, name: str, node: Node) -> None:
    """``buildLocalScope``: id, times, ip, status, hostNodeName, exitCode and outputs of a node."""
    base = f"{prefix}.{name}"
    if node.id:
        scope.set(f"{base}.id", node.id)
    if node.started_at:
        scope.set(f"{base}.startedAt", node.started_at)
    if node.finished_at:
        scope.set(f"{base}.finishedAt", node.finished_at)
    if node.pod_ip:
        scope.set(f"{base}.ip", node.pod_ip)
    if node.phase:
        scope.set(f"{base}.status", node.phase)
    if node.host_node_name:
        scope.set(f"{base}.hostNodeName", node.host_node_name)
    add_outputs_to_scope(scope, base, node.outputs)


def add_outputs_to_scope(scope: Scope, base: str, outputs: Mapping[str, Any] | None) -> None:
    if not outputs:
        return
    if outputs.get("result") is not None:
        scope.set(f"{base}.outputs.result", outputs["result"])
    if outputs.get("exitCode") is not None:
        scope.set(f"{base}.exitCode", str(outputs["exitCode"]))
    for param in outputs.get("parameters") or ():
        if param.get("value") is not None:
            scope.set(f"{base}.outputs.parameters.{param.get('name')}", parameter_value_text(param["value"]))
    for art in outputs.get("artifacts") or ():
        scope.set(f"{base}.outputs.artifacts.{art.get('name')}", art)


def add_skipped_outputs(scope: Scope, prefix: str, name: str, node: Node, tmpl: Mapping[str, Any] | None,
                        include_artifacts: bool) -> None:
    """Outputs of a Skipped/Omitted producer: its ``valueFrom.default`` or absent (None)."""
    if node.outputs is not None or node.phase not in (ph.SKIPPED, ph.OMITTED) or not tmpl:
        return
    outputs = tmpl.get("outputs") or {}
    base = f"{prefix}.{name}"
    for param in outputs.get("parameters") or ():
        value_from = param.get("valueFrom") or {}
        key = f"{base}.outputs.parameters.{param.get('name')}"
        if value_from.get("default") is not None:
            scope.set(key, parameter_value_text(value_from["default"]))
        else:
            scope.set_skipped(key)
    if include_artifacts:
        for art in outputs.get("artifacts") or ():
            scope.set(f"{base}.outputs.artifacts.{art.get('name')}", {})
    if tmpl.get("script") is not None or tmpl.get("container") is not None:
        key = f"{base}.outputs.result"
        if key not in scope.values:
            scope.set_skipped(key)


def add_absent_optional_artifacts(scope: Scope, prefix: str, name: str, tmpl: Mapping[str, Any] | None) -> None:
    """Optional output artifacts a producer did not create are absent: arguments that refer
    to them are dropped, so an optional input of the consumer is simply not supplied."""
    for art in ((tmpl or {}).get("outputs") or {}).get("artifacts") or ():
        key = f"{prefix}.{name}.outputs.artifacts.{art.get('name')}"
        if art.get("optional") and key not in scope.values:
            scope.set_skipped(key)


_LOOP_INDEX = re.compile(r"\((\d+)[:)]")


def _loop_index(node: Node) -> int:
    tail = node.name.rsplit("(", 1)[-1]
    match = re.match(r"(\d+)", tail)
    return int(match.group(1)) if match else 0


def aggregate_outputs(scope: Scope, prefix: str, name: str, children: Iterable[Node]) -> None:
    """``processAggregateNodeOutputs``: loop children's outputs as JSON lists."""
    nodes = [n for n in children if not (n.node_flag and (n.hooked or n.retried))]
    if not nodes:
        return
    nodes.sort(key=_loop_index)
    param_list: list[dict[str, str]] = []
    value_lists: dict[str, list[str]] = {}
    results: list[Any] = []
    for node in nodes:
        if node.outputs is None or node.phase != ph.SUCCEEDED:
            continue
        params = node.outputs.get("parameters") or []
        if params:
            entry: dict[str, str] = {}
            for p in params:
                value = parameter_value_text(p.get("value")) if p.get("value") is not None else ""
                entry[str(p.get("name"))] = value
                value_lists.setdefault(str(p.get("name")), []).append(value)
            param_list.append(entry)
        if node.outputs.get("result") is not None:
            try:
                results.append(json.loads(node.outputs["result"]))
            except ValueError as exc:
                raise ExpressionError(
                    f"unable to aggregate outputs.result of {node.name}: {exc}",
                    hint="loop results are parsed as JSON; print JSON or use output parameters",
                ) from exc
    base = f"{prefix}.{name}"
    scope.set(f"{base}.outputs.result", _go_json(results))
    scope.set(f"{base}.outputs.parameters", _go_json(param_list))
    for pname, values in value_lists.items():
        scope.set(f"{base}.outputs.parameters.{pname}", aggregated_value_list(values))


def aggregated_value_list(values: list[str]) -> str:
    parsed: list[Any] = []
    for value in values:
        try:
            item = json.loads(value)
        except ValueError:
            return _go_json(values)
        if not isinstance(item, list | dict):
            return _go_json(values)
        parsed.append(item)
    return _go_json(parsed)


def _go_json(value: Any) -> str:
    """``json.Marshal``: compact, maps with sorted keys, HTML-safe escaping as Go does."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def go_json(value: Any) -> str:
    return _go_json(value)


def template_outputs_from_scope(tmpl: Mapping[str, Any], scope: Scope) -> JSON | None:
    """``getTemplateOutputsFromScope`` for steps/DAG templates (valueFrom.parameter/expression)."""
    outputs = tmpl.get("outputs") or {}
    if not outputs.get("parameters") and not outputs.get("artifacts"):
        return None
    result: JSON = {}
    if outputs.get("parameters"):
        params = []
        for param in outputs["parameters"]:
            value_from = param.get("valueFrom")
            if not value_from:
                raise ExpressionError("output parameters must have a valueFrom specified")
            value, skipped = _resolve_parameter(value_from, scope)
            default = value_from.get("default")
            if skipped and default is not None:
                value = parameter_value_text(default)
            if value is None:
                if default is None:
                    raise ExpressionError(
                        f'output parameter "{param.get("name")}": "{value_from.get("parameter", "")}" '
                        "is an absent optional (skipped/omitted node output with no default)"
                    )
                value = parameter_value_text(default)
            new = {k: v for k, v in param.items() if k != "valueFrom"}
            new["value"] = value
            params.append(new)
        result["parameters"] = params
    if outputs.get("artifacts"):
        arts = []
        for art in outputs["artifacts"]:
            resolved = resolve_artifact(art, scope)
            if resolved is None:
                continue
            arts.append({**resolved, "name": art.get("name")})
        result["artifacts"] = arts
    return result


def _field(obj: Mapping[str, Any], name: str) -> Any:
    """A struct field as Go's JSON decoder finds it: exact name first, then case-insensitively."""
    if name in obj:
        return obj[name]
    lowered = name.lower()
    for key, value in obj.items():
        if key.lower() == lowered:
            return value
    return None


def _resolve_parameter(value_from: Mapping[str, Any], scope: Scope) -> tuple[str | None, bool]:
    expression = _field(value_from, "expression")
    default = value_from.get("default")
    try:
        if expression:
            value = expr.evaluate(str(expression), scope.values)
            if value is None:
                raise ExpressionError(f'failed to evaluate expression "{expression}"')
            return (value if isinstance(value, str) else parameter_value_text(value)), False
        ref = str(_field(value_from, "parameter") or "")
        key = ref.strip()
        if key.startswith("{{") and key.endswith("}}"):
            key = key[2:-2].strip()
        if key not in scope.values:
            raise ExpressionError(f"Unable to resolve: {ref}")
        value = scope.values[key]
        return (None if value is None else parameter_value_text(value)), key in scope.skipped
    except ExpressionError:
        if default is None:
            raise
        return parameter_value_text(default), False


def resolve_artifact(art: Mapping[str, Any], scope: Scope) -> JSON | None:
    """``from`` / ``fromExpression`` references to artifacts in scope."""
    source = art.get("from")
    from_expression = art.get("fromExpression")
    if not source and not from_expression:
        return None
    if from_expression:
        value = expr.evaluate(str(from_expression), scope.values)
    else:
        key = str(source).strip()
        if key.startswith("{{") and key.endswith("}}"):
            key = key[2:-2].strip()
        if key in scope.skipped or (key not in scope.values and art.get("optional")):
            return None
        if key not in scope.values:
            raise ExpressionError(f"Unable to resolve: {source}")
        value = scope.values[key]
    if not isinstance(value, Mapping):
        raise ExpressionError(f"Variable {{{{{source or from_expression}}}}} is not an artifact")
    resolved = copy.deepcopy(dict(value))
    if art.get("subPath"):
        try:
            return append_to_key(resolved, str(art["subPath"]))
        except ExpressionError:
            if art.get("optional"):
                return resolved
            raise
    return resolved


# the field holding the object key of each keyed location (Argo's ``GetKey``/``SetKey``)
_KEY_FIELDS = {"s3": "key", "gcs": "key", "oss": "key", "plugin": "key", "local": "key",
               "azure": "blob", "hdfs": "path"}
_URL_LOCATIONS = ("http", "artifactory")
_KEYLESS_LOCATIONS = ("git", "raw")


def append_to_key(artifact: Mapping[str, Any], sub_path: str) -> JSON:
    """Argo's ``Artifact.AppendToKey`` (``subPath`` on an artifact argument): a copy of the artifact
    whose key is ``path.Join(key, subPath)``; for HTTP/Artifactory URLs the URL path is joined."""
    out = copy.deepcopy(dict(artifact))
    for kind, field in _KEY_FIELDS.items():
        body = out.get(kind)
        if isinstance(body, dict):
            body[field] = _path_join(str(body.get(field) or ""), sub_path)
            return out
    for kind in _URL_LOCATIONS:
        body = out.get(kind)
        if isinstance(body, dict):
            url = urlsplit(str(body.get("url") or ""))
            body["url"] = urlunsplit(url._replace(path=_path_join(url.path, sub_path)))
            return out
    for kind in _KEYLESS_LOCATIONS:
        if isinstance(out.get(kind), dict):
            raise ExpressionError(f"key unsupported: {kind} artifact does not have a key")
    raise ExpressionError(f"artifact {artifact.get('name', '')!r} has no location to append subPath {sub_path!r} to")


def _path_join(*parts: str) -> str:
    """Go's ``path.Join``: join the non-empty parts with '/', then clean ("" stays "")."""
    joined = "/".join(p for p in parts if p)
    return posixpath.normpath(joined) if joined else ""


_PARAMETER_FIELDS = ("name", "default", "value", "valueFrom", "globalName", "enum", "description")


def parameters_json(params: Iterable[Mapping[str, Any]]) -> str:
    """``json.Marshal([]Parameter)``: struct field order, AnyString values as strings."""
    out = []
    for param in params:
        entry: dict[str, Any] = {}
        for field in _PARAMETER_FIELDS:
            if field not in param or param[field] is None:
                continue
            value = param[field]
            if field in ("default", "value"):
                value = parameter_value_text(value)
            elif field == "enum":
                value = [parameter_value_text(v) for v in value]
            entry[field] = value
        out.append(entry)
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
