"""User commands (stop, terminate, suspend, resume, node set) queued for a workflow's driver.

A command is stored as a ``WorkflowCommand`` object before anything else happens, so it survives
a driver that dies: whichever driver holds the workflow next takes it as an engine event.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from argoctl.engine.types import Event, Resume, SaveMemo, SetNode, Shutdown, Suspend
from argoctl.errors import NotFoundError
from argoctl.stores.base import Store
from argoctl.stores.records import random_suffix

JSON = dict[str, Any]
KIND = "WorkflowCommand"
MEMO_LABEL = "workflows.argoproj.io/configmap-type"


def encode(event: Event) -> JSON:
    if isinstance(event, Shutdown):
        return {"type": "shutdown", "strategy": event.strategy, "selector": event.node_field_selector,
                "message": event.message}
    if isinstance(event, Suspend):
        return {"type": "suspend"}
    if isinstance(event, Resume):
        return {"type": "resume", "selector": event.node_field_selector, "message": event.message}
    if isinstance(event, SetNode):
        return {"type": "set-node", "selector": event.node_field_selector,
                "outputParameters": dict(event.output_parameters), "phase": event.phase, "message": event.message}
    raise TypeError(f"not a command: {event!r}")


def decode(data: JSON) -> Event:
    kind = data.get("type")
    if kind == "shutdown":
        return Shutdown(str(data["strategy"]), str(data.get("selector", "")), str(data.get("message", "")))
    if kind == "suspend":
        return Suspend()
    if kind == "resume":
        return Resume(str(data.get("selector", "")), str(data.get("message", "")))
    if kind == "set-node":
        return SetNode(str(data.get("selector", "")), dict(data.get("outputParameters") or {}),
                       str(data.get("phase", "")), str(data.get("message", "")))
    raise ValueError(f"unknown command {kind!r}")


def push(store: Store, workflow: str, event: Event) -> None:
    name = f"{workflow}.{time.time_ns():020d}.{random_suffix()}"
    store.put_object(KIND, {
        "apiVersion": "argoctl.io/v1", "kind": KIND,
        "metadata": {"name": name, "labels": {"workflow": workflow}},
        "spec": encode(event),
    })


def _mine(store: Store, workflow: str) -> list[JSON]:
    found = [o for o in store.list_objects(KIND)
             if ((o.get("metadata") or {}).get("labels") or {}).get("workflow") == workflow]
    return sorted(found, key=lambda o: str(o["metadata"]["name"]))


def peek(store: Store, workflow: str) -> bool:
    return bool(_mine(store, workflow))


def pending(store: Store, workflow: str) -> list[Event]:
    """The queued commands, oldest first, left in the queue."""
    return [decode(dict(obj.get("spec") or {})) for obj in _mine(store, workflow)]


def take(store: Store, workflow: str) -> Sequence[Event]:
    """The queued commands, oldest first, removed from the queue."""
    events: list[Event] = []
    for obj in _mine(store, workflow):
        name = str(obj["metadata"]["name"])
        try:
            store.delete_object(KIND, name)
        except NotFoundError:
            continue
        events.append(decode(dict(obj.get("spec") or {})))
    return events


def save_memo(store: Store, action: SaveMemo) -> None:
    """Write a memoization entry into its cache ConfigMap (created with Argo's cache label)."""
    import json

    try:
        cm = dict(store.get_object("ConfigMap", action.config_map))
    except NotFoundError:
        cm = {"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": {"name": action.config_map, "labels": {MEMO_LABEL: "Cache"}}, "data": {}}
    data = dict(cm.get("data") or {})
    data[action.key] = json.dumps(action.entry, separators=(",", ":"))
    cm["data"] = data
    store.put_object("ConfigMap", cm)
