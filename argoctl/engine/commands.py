"""User commands on a workflow's state: stop, terminate, suspend, resume, ``node set``.

Pure functions over ``WorkflowState``; the engine applies them as events, and the CLI may call
them first to report an error before it hands the command to a driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.engine.suspend import SupplyError, override_with_defaults
from argoctl.errors import UsageError
from argoctl.model import phases as ph
from argoctl.model.fieldselector import node_matches, parse_node_field_selector
from argoctl.model.node import Node
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]


def _active_suspend_nodes(state: WorkflowState, selector: str) -> list[Node]:
    requirements = parse_node_field_selector(selector) if selector else []
    out = []
    for node in state.nodes.values():
        if node.type != ph.SUSPEND or node.phase not in (ph.PENDING, ph.RUNNING):
            continue
        if requirements and not node_matches(node.to_wire(), requirements):
            continue
        out.append(node)
    return out


def suspend(state: WorkflowState) -> WorkflowState:
    if state.completed:
        raise UsageError("cannot suspend completed workflows")
    return state.with_(spec={**state.spec, "suspend": True})


def resume(state: WorkflowState, now_str: str, selector: str = "", message: str = "") -> WorkflowState:
    spec = {k: v for k, v in state.spec.items() if k != "suspend"} if not selector else dict(state.spec)
    changed: dict[str, Node] = {}
    for node in _active_suspend_nodes(state, selector):
        try:
            outputs = override_with_defaults(node.outputs)
        except SupplyError as exc:
            raise UsageError(str(exc)) from exc
        changed[node.id] = node.with_(phase=ph.SUCCEEDED, outputs=outputs, message=message or node.message,
                                      finished_at=node.finished_at or now_str)
    return state.with_(spec=spec).with_nodes(changed)


def shutdown(state: WorkflowState, strategy: str, now_str: str, selector: str = "",
             message: str = "") -> WorkflowState:
    if strategy not in ("Stop", "Terminate"):
        raise UsageError(f"unknown shutdown strategy {strategy!r}")
    if selector:
        changed = {
            n.id: n.with_(phase=ph.FAILED, message=message or n.message, finished_at=n.finished_at or now_str)
            for n in _active_suspend_nodes(state, selector)
        }
        return state.with_nodes(changed)
    return state.with_(spec={**state.spec, "shutdown": strategy})


def set_node(state: WorkflowState, selector: str, now_str: str, output_parameters: Mapping[str, str],
             phase: str = "", message: str = "") -> WorkflowState:
    nodes = _active_suspend_nodes(state, selector)
    changed: dict[str, Node] = {}
    for node in nodes:
        outputs: JSON = dict(node.outputs or {})
        params = []
        supplied = {p.get("name") for p in outputs.get("parameters") or ()}
        for name in output_parameters:
            if name not in supplied:
                raise UsageError(f"node {node.display_name} does not have an output parameter named {name!r} "
                                 "with valueFrom.supplied")
        for param in outputs.get("parameters") or ():
            param = dict(param)
            if param.get("name") in output_parameters:
                param["value"] = output_parameters[str(param["name"])]
            params.append(param)
        if params:
            outputs["parameters"] = params
        new = node.with_(outputs=outputs or None)
        if phase:
            new = new.with_(phase=phase, finished_at=new.finished_at or now_str)
        if message:
            new = new.with_(message=message)
        changed[node.id] = new
    return state.with_nodes(changed)
