"""Pod-producing templates (container, script, containerSet): create the node, ask for the pod,
and fold what the backend observed of the pod back into the nodes."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from argoctl.engine import memo
from argoctl.engine.call import Call
from argoctl.engine.operation import Operation
from argoctl.engine.templates import inputs_of, template_type
from argoctl.engine.types import RunPod
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.records import replace
from argoctl.model.timefmt import parse_duration, parse_time, rfc3339

JSON = dict[str, Any]
DEADLINE_MESSAGE = "Step exceeded its deadline"



def step_or_task_name(node_name: str) -> str:
    """Argo's ``getStepOrDAGTaskName``: the last name segment, loop/retry suffixes dropped."""
    name = node_name
    opener = ""
    for i in range(len(name) - 1, -1, -1):
        char = name[i]
        if char == opener:
            opener = ""
        elif opener:
            continue
        elif char == ")":
            opener = "("
        elif char == "]":
            opener = "["
        else:
            name = name[: i + 1]
            break
    return name.rsplit(".", 1)[-1]


_RESULT_REFERENCE = re.compile(r"""(tasks|steps)(?:\.([^.\s'"\[\]{}]+)|\[['"]([^'"]+)['"]\])\.outputs\.result""")


# parent template (by identity) -> (prefix, referenced names): a pure function of the template
_REFERENCES_BY_TEMPLATE: dict[int, tuple[Mapping[str, Any], tuple[str, frozenset[str]]]] = {}


def _result_references(op: Operation, boundary_id: str) -> tuple[str, frozenset[str]]:
    """The step/task names a parent template references as ``<prefix>.<name>.outputs.result``
    (computed once per parent per engine step: Argo runs a regex over the parent's JSON)."""
    cached = op.result_references.get(boundary_id)
    if cached is None:
        parent = op.boundary_template(boundary_id) or {}
        memo = _REFERENCES_BY_TEMPLATE.get(id(parent))
        if memo is None or memo[0] is not parent:
            prefix = "tasks" if parent.get("dag") is not None else "steps" if parent.get("steps") is not None else ""
            names = frozenset(m.group(2) or m.group(3) for m in _RESULT_REFERENCE.finditer(json.dumps(parent))
                              if m.group(1) == prefix)
            if len(_REFERENCES_BY_TEMPLATE) > 256:
                _REFERENCES_BY_TEMPLATE.clear()
            memo = _REFERENCES_BY_TEMPLATE[id(parent)] = (parent, (prefix, names))
        cached = op.result_references[boundary_id] = memo[1]
    return cached


def include_script_output(op: Operation, node_name: str, boundary_id: str) -> bool:
    """Capture stdout only when the parent steps/DAG references ``<name>.outputs.result``."""
    if not boundary_id:
        return False
    prefix, names = _result_references(op, boundary_id)
    return bool(prefix) and step_or_task_name(node_name) in names


def _deadline(op: Operation, node: Node, tmpl: Mapping[str, Any], on_exit: bool,
              execution_deadline: datetime | None) -> datetime | None:
    candidates: list[datetime] = []
    wf_deadline = op.workflow_deadline()
    if wf_deadline is not None and not on_exit:
        candidates.append(wf_deadline)
    if execution_deadline is not None:
        candidates.append(execution_deadline)
    ads = tmpl.get("activeDeadlineSeconds")
    if ads not in (None, ""):
        candidates.append(op.now + timedelta(seconds=float(parse_duration(ads))))
    timeout = tmpl.get("timeout")
    if timeout and node.started_at:
        candidates.append(parse_time(node.started_at) + timedelta(seconds=parse_duration(timeout)))
    return min(candidates) if candidates else None


def execute_pod(call: Call) -> Node:
    op, name, node, tmpl, opts = call.op, call.name, call.node, call.tmpl, call.opts
    if node is not None and node.extra.get("pod"):
        return node
    if node is None:
        node = op.init_node(name, ph.POD, call.holder, ph.PENDING, call.at, inputs=inputs_of(tmpl))
    template_name = node_template(node, tmpl)
    pname = op.pod_name(name, template_name)
    deadline = _deadline(op, node, tmpl, opts.on_exit, opts.execution_deadline)
    # Argo captures stdout only when the parent references the result; argoctl also keeps it for
    # a workflow whose entrypoint is a single pod (documented difference)
    capture = (include_script_output(op, name, opts.boundary_id) or not opts.boundary_id
               or template_type(tmpl) == "data")
    if not opts.on_exit and op.workflow_deadline_passed():
        return op.mark_node(node, ph.FAILED, DEADLINE_MESSAGE)
    if template_type(tmpl) == "containerSet":
        _init_container_nodes(call, node)
    spec = {k: v for k, v in op.spec.items() if k not in ("templates", "arguments")}
    env = (
        ("ARGO_NODE_ID", node.id),
        ("ARGO_WORKFLOW_NAME", op.wf_name),
        ("ARGO_WORKFLOW_UID", str(op.metadata.get("uid", ""))),
        ("ARGO_POD_NAME", pname),
        ("ARGO_INCLUDE_SCRIPT_OUTPUT", "true" if capture else "false"),
        *((("ARGO_DEADLINE", rfc3339(deadline)),) if deadline else ()),
    )
    request = PodRequest(
        workflow_name=op.wf_name, workflow_uid=str(op.metadata.get("uid", "")), namespace=op.namespace,
        node_id=node.id, node_name=name, pod_name=pname, template=tmpl, workflow_spec=spec,
        capture_result=capture, deadline=rfc3339(deadline) if deadline else None,
        is_exit_handler=opts.on_exit, env=env, artifact_repository=op.env.default_artifact_repository,
    )
    node = op.put(node.with_(extra={**node.extra, "pod": pname}))
    op.emit(RunPod(request))
    op.outbox.append(request)
    if deadline is not None:
        op.wake_at(deadline)
    return node


def node_template(node: Node, tmpl: Mapping[str, Any]) -> str:
    if node.template_ref:
        return str(node.template_ref.get("template", ""))
    return node.template_name or str(tmpl.get("name", ""))


def _init_container_nodes(call: Call, node: Node) -> None:
    op = call.op
    containers = (call.tmpl.get("containerSet") or {}).get("containers") or []
    for container in containers:
        child = f"{node.name}.{container.get('name')}"
        if op.get(child) is None:
            op.init_node(child, ph.CONTAINER, call.holder, ph.PENDING, replace(call.at, boundary_id=node.id))
    for container in containers:
        child = f"{node.name}.{container.get('name')}"
        deps = container.get("dependencies") or []
        if not deps:
            op.add_child(node.name, child)
        for dep in deps:
            op.add_child(f"{node.name}.{dep}", child)


def apply_pod_update(op: Operation, update: PodUpdate, daemon: bool) -> None:
    """``assessNodeStatus``: a pod observation becomes the node's phase, message and outputs."""
    node = op.by_id(update.node_id)
    if node is None or node.type != ph.POD:
        return
    if node.fulfilled and not (node.daemoned and update.phase in ph.COMPLETED_PHASES):
        return
    phase, message = update.phase, update.message
    changes: JSON = {}
    if update.pod_ip:
        changes["pod_ip"] = update.pod_ip
    if update.host_node_name:
        changes["host_node_name"] = update.host_node_name
    if update.outputs is not None:
        changes["outputs"] = update.outputs
    if daemon and phase == ph.RUNNING and update.daemoned:
        changes["daemoned"] = True
    if node.daemoned and phase == ph.SUCCEEDED:
        phase = ph.FAILED
    if phase in ph.COMPLETED_PHASES and node.daemoned:
        changes["daemoned"] = False
    if phase in ph.COMPLETED_PHASES and update.finished_at:
        changes["finished_at"] = update.finished_at
    node = op.mark_node(node, phase, message if message or phase != node.phase else None, also=changes)
    for container in update.containers:
        child = op.get(f"{node.name}.{container.name}")
        if child is None:
            continue
        if container.finished_at and container.phase in ph.COMPLETED_PHASES:
            child = op.put(child.with_(finished_at=container.finished_at))
        op.mark_node(child, container.phase, container.message or None)
    if phase in ph.COMPLETED_PHASES:
        _finish_container_nodes(op, node, phase)
        done = op.by_id(node.id)
        if done is not None and done.phase == ph.SUCCEEDED and done.memoization_status:
            memo.save(op, done)


def _finish_container_nodes(op: Operation, pod_node: Node, phase: str) -> None:
    """A finished containerSet pod ends its Container nodes that did not report."""
    stack = [c for c in op.children_of(pod_node) if c.type == ph.CONTAINER]
    seen: set[str] = set()
    while stack:
        other = stack.pop()
        if other.id in seen:
            continue
        seen.add(other.id)
        stack.extend(c for c in op.children_of(other) if c.type == ph.CONTAINER)
        if other.boundary_id == pod_node.id and not other.fulfilled:
            op.mark_node(other, ph.FAILED if phase != ph.SUCCEEDED else ph.SUCCEEDED)
