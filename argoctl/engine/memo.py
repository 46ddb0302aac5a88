"""Memoization: ConfigMap-backed caches of node outputs (``memoize.key``, ``maxAge``)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from argoctl.engine.call import Call
from argoctl.engine.operation import Operation
from argoctl.engine.templates import template_type
from argoctl.engine.types import SaveMemo
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.timefmt import parse_duration, parse_time

JSON = dict[str, Any]

_NODE_TYPES = {"steps": ph.STEPS, "dag": ph.DAG, "suspend": ph.SUSPEND}


def _entry(op: Operation, cache: str, key: str) -> JSON | None:
    data = op.env.config_maps.get(cache) or {}
    raw = op.pending_memos.get((cache, key)) or data.get(key)
    if raw is None:
        return None
    try:
        entry = json.loads(raw) if isinstance(raw, str) else dict(raw)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def lookup(call: Call) -> Node:
    op, name, tmpl = call.op, call.name, call.tmpl
    memoize = tmpl.get("memoize") or {}
    cache = str(((memoize.get("cache") or {}).get("configMap") or {}).get("name", ""))
    key = str(memoize.get("key", ""))
    entry = _entry(op, cache, key)
    hit = (entry is not None and entry.get("outputs") is not None) or (entry is not None and "nodeID" in entry)
    if hit and entry is not None and memoize.get("maxAge"):
        created = entry.get("creationTimestamp")
        max_age = timedelta(seconds=parse_duration(memoize["maxAge"]))
        hit = bool(created) and op.now - parse_time(str(created)) <= max_age
    status = {"hit": bool(hit), "key": key, "cacheName": cache}
    node_type = _NODE_TYPES.get(template_type(tmpl), ph.POD)
    inputs = tmpl.get("inputs") or {}
    node = op.init_node(name, node_type, call.holder, ph.PENDING, call.at,
                        inputs=dict(inputs) if inputs.get("parameters") or inputs.get("artifacts") else None)
    node = op.put(node.with_(memoization_status=status))
    if hit and entry is not None:
        node = op.put(node.with_(outputs=entry.get("outputs")))
        node = op.mark_node(node, ph.SUCCEEDED)
    return node


def save(op: Operation, node: Node) -> None:
    status = node.memoization_status or {}
    cache, key = str(status.get("cacheName", "")), str(status.get("key", ""))
    if not cache or not key:
        return
    entry = {
        "nodeID": node.id,
        "outputs": node.outputs,
        "creationTimestamp": op.now_str,
        "lastHitTimestamp": op.now_str,
    }
    op.pending_memos[(cache, key)] = json.dumps(entry)
    op.emit(SaveMemo(config_map=cache, key=key, entry=entry))
