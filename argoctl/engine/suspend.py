"""Suspend templates: Running until resumed or until ``duration`` passes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from argoctl.engine.call import Call
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.timefmt import parse_duration, parse_time

JSON = dict[str, Any]


class SupplyError(Exception):
    pass


def _raw_outputs(tmpl: Mapping[str, Any]) -> JSON | None:
    """``addRawOutputFields``: supplied output parameters, default from a same-named input."""
    params = []
    inputs = {p.get("name"): p for p in (tmpl.get("inputs") or {}).get("parameters") or ()}
    for param in (tmpl.get("outputs") or {}).get("parameters") or ():
        value_from = dict(param.get("valueFrom") or {})
        if "supplied" not in value_from:
            continue
        if value_from.get("default") is None:
            same = inputs.get(param.get("name"))
            if same is not None and same.get("default") is not None:
                value_from["default"] = same["default"]
        params.append({**param, "valueFrom": value_from})
    return {"parameters": params} if params else None


def _inputs_for_suspend(tmpl: Mapping[str, Any]) -> JSON | None:
    inputs = tmpl.get("inputs") or {}
    if not inputs.get("parameters") and not inputs.get("artifacts"):
        return None
    params = []
    for param in inputs.get("parameters") or ():
        param = dict(param)
        value = param.get("value")
        if isinstance(value, str):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict) and parsed.get("enum"):
                param["enum"] = parsed["enum"]
                param.setdefault("default", parsed["enum"][0])
        params.append(param)
    return {**inputs, "parameters": params}


def override_with_defaults(outputs: JSON | None) -> JSON | None:
    """``OverrideOutputParametersWithDefault``: unset supplied outputs take their default."""
    if not outputs:
        return outputs
    params = []
    for param in outputs.get("parameters") or ():
        param = dict(param)
        value_from = param.get("valueFrom") or {}
        if "supplied" in value_from and param.get("value") is None:
            if value_from.get("default") is None:
                raise SupplyError(
                    f"raw output parameter '{param.get('name')}' has not been set and does not have a default value"
                )
            param["value"] = str(value_from["default"])
        params.append(param)
    return {**outputs, "parameters": params}


def execute_suspend(call: Call) -> Node:
    op, node, tmpl = call.op, call.node, call.tmpl
    if node is None:
        node = op.init_node(call.name, ph.SUSPEND, call.holder, ph.PENDING, call.at,
                            inputs=_inputs_for_suspend(tmpl))
        node = op.put(node.with_(outputs=_raw_outputs(tmpl)))
    duration = (tmpl.get("suspend") or {}).get("duration")
    if duration not in (None, "") and node.started_at:
        until = parse_time(node.started_at) + timedelta(seconds=parse_duration(duration))
        if op.now >= until:
            node = op.put(node.with_(outputs=override_with_defaults(node.outputs)))
            return op.mark_node(node, ph.SUCCEEDED)
        op.wake_at(until)
    deadline = op.workflow_deadline()
    if deadline is not None:
        op.wake_at(deadline)
    return op.mark_node(node, ph.RUNNING)
