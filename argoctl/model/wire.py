"""A stored workflow as Argo's Workflow JSON, straight from its JSON: what
``WorkflowState.from_wire(stored).to_wire()`` gives, without building the state.

``get`` prints a workflow and needs no ``WorkflowState``: building one imports ``dataclasses``
(and ``inspect``) and defines the model's dataclasses, a good part of a short command's time.
``tests/model/test_wire.py`` holds this module to the model's round trip, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping

from argoctl.model import INTERNAL_KEY
from argoctl.model.progress import node_progress, workflow_progress

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: ``get`` does not import typing for it
if TYPE_CHECKING:
    from typing import Any

API_VERSION = "argoproj.io/v1alpha1"

# Argo's NodeStatus fields in Argo's order: (``Node`` attribute, wire name)
NODE_WIRE_NAMES: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("name", "name"),
    ("display_name", "displayName"),
    ("type", "type"),
    ("template_name", "templateName"),
    ("template_ref", "templateRef"),
    ("template_scope", "templateScope"),
    ("phase", "phase"),
    ("boundary_id", "boundaryID"),
    ("message", "message"),
    ("started_at", "startedAt"),
    ("finished_at", "finishedAt"),
    ("estimated_duration", "estimatedDuration"),
    ("progress", "progress"),
    ("resources_duration", "resourcesDuration"),
    ("pod_ip", "podIP"),
    ("daemoned", "daemoned"),
    ("node_flag", "nodeFlag"),
    ("inputs", "inputs"),
    ("outputs", "outputs"),
    ("children", "children"),
    ("outbound_nodes", "outboundNodes"),
    ("host_node_name", "hostNodeName"),
    ("memoization_status", "memoizationStatus"),
    ("synchronization_status", "synchronizationStatus"),
    ("failed_pod_restarts", "failedPodRestarts"),
)
# the fields ``Node`` gives a value when the wire has none (the others default to empty)
_NODE_DEFAULTS = {"templateScope": "local/", "phase": "Pending", "type": "Pod"}
_LISTS = ("children", "outboundNodes")
# status fields ``WorkflowState`` interprets (the others are kept as they are, after them)
STATUS_KNOWN = frozenset({INTERNAL_KEY, "phase", "message", "startedAt", "finishedAt", "nodes", "outputs",
                          "storedTemplates", "storedWorkflowTemplateSpec", "conditions", "progress"})


class _Shape:
    """What ``argoctl.model.progress`` reads of a node."""

    __slots__ = ("children", "phase", "type")

    def __init__(self, node: Mapping[str, Any]) -> None:
        self.type = node.get("type", "Pod")
        self.phase = node.get("phase", "Pending")
        self.children = tuple(node["children"]) if "children" in node else ()


def node_output(node: Mapping[str, Any]) -> dict[str, Any]:
    """``Node.from_wire(node).to_wire()``: Argo's field order, empty fields left out."""
    out: dict[str, Any] = {}
    for _, wire in NODE_WIRE_NAMES:
        if wire in node:
            value = tuple(node[wire]) if wire in _LISTS else node[wire]
        elif wire == "displayName":
            value = node.get("name", "")
        elif wire in _NODE_DEFAULTS:
            value = _NODE_DEFAULTS[wire]
        else:
            continue
        if value is None or value == "" or value == () or value == 0 or value is False:
            continue
        out[wire] = list(value) if isinstance(value, tuple) else value
    return out


def workflow_output(stored: Mapping[str, Any]) -> dict[str, Any]:
    """``WorkflowState.from_wire(stored).to_wire()``: the workflow as ``get -o json`` prints it
    (progress derived, argoctl's bookkeeping left out)."""
    given = dict(stored.get("status") or {})
    nodes: Mapping[str, Any] = given.get("nodes") or {}
    status: dict[str, Any] = {}
    if given.get("phase"):
        status["phase"] = given["phase"]
    if given.get("startedAt"):
        status["startedAt"] = given["startedAt"]
    status["finishedAt"] = given.get("finishedAt")
    shapes = {nid: _Shape(node) for nid, node in nodes.items()}
    if nodes:
        status["progress"] = workflow_progress(shapes)  # type: ignore[arg-type]  # duck-typed
    if given.get("message"):
        status["message"] = given["message"]
    if nodes:
        progress = node_progress(shapes)  # type: ignore[arg-type]
        wire_nodes = {}
        for nid, node in nodes.items():
            wire = node_output(node)
            if nid in progress:
                wire["progress"] = progress[nid]
            wire_nodes[nid] = wire
        status["nodes"] = wire_nodes
    if given.get("storedTemplates"):
        status["storedTemplates"] = dict(given["storedTemplates"])
    if given.get("conditions"):
        status["conditions"] = [dict(c) for c in given["conditions"]]
    if given.get("outputs"):
        status["outputs"] = given["outputs"]
    if given.get("storedWorkflowTemplateSpec"):
        status["storedWorkflowTemplateSpec"] = given["storedWorkflowTemplateSpec"]
    status.update((key, value) for key, value in given.items() if key not in STATUS_KNOWN)
    return {"apiVersion": API_VERSION, "kind": "Workflow", "metadata": dict(stored.get("metadata") or {}),
            "spec": dict(stored.get("spec") or {}), "status": status}
