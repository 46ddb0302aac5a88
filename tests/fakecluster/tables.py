"""Server-side printing: the ``meta.k8s.io/v1`` Table that kubectl asks for with
``Accept: application/json;as=Table;g=meta.k8s.io;v=v1``."""

from __future__ import annotations

import time
from typing import Any

from tests.fakecluster.meta import parse_rfc3339
from tests.fakecluster.resources import ResourceType

JSON = dict[str, Any]


def wants_table(accept: str) -> bool:
    return "as=Table" in accept


def human_age(created: str | None) -> str:
    if not created:
        return "<unknown>"
    seconds = max(0, int(time.time() - parse_rfc3339(created)))
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        return f"{minutes}m{seconds % 60}s" if seconds % 60 else f"{minutes}m"
    hours = minutes // 60
    if hours < 3:
        return f"{minutes}m"
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    return f"{hours}h" if hours < 48 else f"{hours // 24}d"


def _column(name: str, kind: str = "string", priority: int = 0, fmt: str = "") -> JSON:
    return {"name": name, "type": kind, "format": fmt, "description": name, "priority": priority}


def _pod_status(pod: JSON) -> str:
    status = pod.get("status") or {}
    if pod["metadata"].get("deletionTimestamp"):
        return "Terminating"
    reason = status.get("reason") or status.get("phase") or "Pending"
    for entry in status.get("initContainerStatuses") or []:
        state = entry.get("state") or {}
        terminated = state.get("terminated")
        if terminated and terminated.get("exitCode") == 0:
            continue
        if terminated:
            return f"Init:{terminated.get('reason') or 'Error'}"
        if state.get("waiting", {}).get("reason") not in (None, "PodInitializing"):
            return f"Init:{state['waiting']['reason']}"
        total = len(status.get("initContainerStatuses") or [])
        return f"Init:0/{total}"
    for entry in status.get("containerStatuses") or []:
        state = entry.get("state") or {}
        waiting, terminated = state.get("waiting"), state.get("terminated")
        if waiting and waiting.get("reason") not in (None, "ContainerCreating", "PodInitializing"):
            reason = waiting["reason"]
        elif terminated and reason in ("Running", "Pending", "Succeeded", "Failed"):
            reason = terminated.get("reason") or reason
        elif waiting and reason == "Pending":
            reason = waiting.get("reason") or reason
    return str(reason)


def _pod_cells(pod: JSON) -> list[Any]:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    total = len((pod.get("spec") or {}).get("containers") or [])
    ready = sum(1 for s in statuses if s.get("ready"))
    restarts = sum(int(s.get("restartCount", 0)) for s in statuses)
    return [pod["metadata"]["name"], f"{ready}/{total}", _pod_status(pod), restarts,
            human_age(pod["metadata"].get("creationTimestamp")), (pod.get("status") or {}).get("podIP") or "<none>",
            (pod.get("spec") or {}).get("nodeName") or "<none>"]


def _event_cells(event: JSON) -> list[Any]:
    involved = event.get("involvedObject") or event.get("regarding") or {}
    seen = event.get("lastTimestamp") or event.get("eventTime") or event["metadata"].get("creationTimestamp")
    return [human_age(seen), event.get("type", ""), event.get("reason", ""),
            f"{str(involved.get('kind', '')).lower()}/{involved.get('name', '')}",
            event.get("message") or event.get("note") or ""]


def _layout(rt: ResourceType) -> tuple[list[JSON], Any]:
    age = _column("Age")
    if rt.group_resource == ("", "pods"):
        columns = [_column("Name", fmt="name"), _column("Ready"), _column("Status"),
                   _column("Restarts", "integer"), age, _column("IP", priority=1), _column("Node", priority=1)]
        return columns, _pod_cells
    if rt.group_resource == ("", "configmaps"):
        return [_column("Name", fmt="name"), _column("Data", "integer"), age], lambda o: [
            o["metadata"]["name"], len(o.get("data") or {}) + len(o.get("binaryData") or {}),
            human_age(o["metadata"].get("creationTimestamp"))]
    if rt.group_resource == ("", "secrets"):
        return [_column("Name", fmt="name"), _column("Type"), _column("Data", "integer"), age], lambda o: [
            o["metadata"]["name"], o.get("type", "Opaque"), len(o.get("data") or {}),
            human_age(o["metadata"].get("creationTimestamp"))]
    if rt.group_resource == ("", "namespaces"):
        return [_column("Name", fmt="name"), _column("Status"), age], lambda o: [
            o["metadata"]["name"], (o.get("status") or {}).get("phase", "Active"),
            human_age(o["metadata"].get("creationTimestamp"))]
    if rt.plural == "events":
        return [_column("Last Seen"), _column("Type"), _column("Reason"), _column("Object"), _column("Message")], \
            _event_cells
    return [_column("Name", fmt="name"), age], lambda o: [
        o["metadata"]["name"], human_age(o["metadata"].get("creationTimestamp"))]


def _row_object(obj: JSON, include: str) -> JSON | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"]}


def to_table(rt: ResourceType, items: list[JSON], list_meta: JSON, include: str = "Metadata") -> JSON:
    columns, cells = _layout(rt)
    rows = []
    for obj in items:
        row: JSON = {"cells": cells(obj)}
        embedded = _row_object(obj, include)
        if embedded is not None:
            row["object"] = embedded
        rows.append(row)
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": list_meta,
            "columnDefinitions": columns, "rows": rows}
