"""``argo retry`` and ``argo resubmit``: Argo's algorithms as pure functions over the state."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from typing import Any

from argoctl.errors import UsageError
from argoctl.model import phases as ph
from argoctl.model.fieldselector import node_matches, parse_node_field_selector
from argoctl.model.ids import node_id, pod_name
from argoctl.model.node import Node
from argoctl.model.workflow import LABEL_COMPLETED, LABEL_PHASE, WorkflowState

JSON = dict[str, Any]
_GROUPS = (ph.DAG, ph.TASK_GROUP, ph.STEP_GROUP, ph.STEPS)
_EXECUTION = (ph.CONTAINER, ph.POD, ph.HTTP, ph.PLUGIN)


def _override_parameters(spec: JSON, parameters: Sequence[tuple[str, str]]) -> JSON:
    """Argo's ``overrideParameters``: the ``-p`` parameters first, then the untouched ones."""
    if not parameters:
        return spec
    args = dict(spec.get("arguments") or {})
    passed = [{"name": key, "value": value} for key, value in parameters]
    names = {key for key, _ in parameters}
    rest = [dict(p) for p in args.get("parameters") or [] if p.get("name") not in names]
    return {**spec, "arguments": {**args, "parameters": passed + rest}}


class _Graph:
    def __init__(self, state: WorkflowState) -> None:
        self.nodes = dict(state.nodes)
        self.parent: dict[str, str] = {}
        for nid in sorted(self.nodes):
            for child in self.nodes[nid].children:
                self.parent[child] = nid

    def descendants(self, nid: str) -> set[str]:
        out: set[str] = set()
        queue = deque(self.nodes[nid].children if nid in self.nodes else ())
        while queue:
            current = queue.popleft()
            if current in out or current not in self.nodes:
                continue
            out.add(current)
            queue.extend(self.nodes[current].children)
        return out

    def bfs(self, root: str) -> list[str]:
        order, seen, queue = [], {root}, deque([root])
        while queue:
            current = queue.popleft()
            order.append(current)
            for child in self.nodes[current].children if current in self.nodes else ():
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
        return order

    def reset_until(self, start: str | None, match: Any, reset: set[str]) -> str:
        current = start
        while current is not None:
            if match(self.nodes[current]):
                reset.add(current)
                return current
            current = self.parent.get(current)
        raise UsageError("was seeking node but ran out of nodes to explore")

    def reset_boundaries(self, start: str, reset: set[str]) -> str | None:
        current: str | None = start
        while current is not None:
            parent = self.parent.get(current)
            if parent is not None and self.nodes[parent].type == ph.RETRY:
                reset.add(parent)
                current = parent
                parent = self.parent.get(current)
            if parent is not None and self.nodes[parent].type in (ph.STEP_GROUP, ph.TASK_GROUP):
                reset.add(parent)
            boundary = self.nodes[current].boundary_id
            if not boundary:
                return self.parent.get(current)
            current = self.reset_until(current, lambda n, b=boundary: n.id == b, reset)
        return None

    def reset_path(self, start: str) -> tuple[set[str], set[str]]:
        to_delete = self.descendants(start) | {start}
        to_reset: set[str] = set()
        current = self.parent.get(start)
        while current is not None:
            node = self.nodes[current]
            if node.type in _GROUPS:
                to_reset.add(current)
                current = self.reset_boundaries(current, to_reset)
                continue
            if node.type == ph.RETRY and node.phase in ph.UNSUCCESSFUL_PHASES:
                to_reset.add(current)
            elif node.type == ph.CONTAINER:
                pod = self.reset_until(current, lambda n: n.type == ph.POD, to_reset)
                to_delete |= self.descendants(pod) | {pod}
                current = self.parent.get(pod)
                continue
            current = self.parent.get(current)
        return to_reset, to_delete


def _descendant_succeeded(graph: _Graph, node: Node, to_reset: set[str]) -> bool:
    for child_id in node.children:
        child = graph.nodes.get(child_id)
        if child is None:
            continue
        if (child_id not in to_reset and child.phase == ph.SUCCEEDED) or _descendant_succeeded(graph, child, to_reset):
            return True
    return False


def _reset_node(node: Node, now_str: str) -> Node:
    outputs = node.outputs
    if node.type == ph.SUSPEND and outputs:
        params = [{"name": p.get("name"), "valueFrom": {"supplied": {}}} for p in outputs.get("parameters") or ()]
        outputs = {**outputs, "parameters": params}
    return node.with_(phase=ph.SKIPPED if node.phase == ph.SKIPPED else ph.RUNNING, message="",
                      started_at=now_str, finished_at=None, outputs=outputs)


def retry_workflow(state: WorkflowState, now_str: str, *, restart_successful: bool = False,
                   node_field_selector: str = "",
                   parameters: Sequence[tuple[str, str]] = ()) -> tuple[WorkflowState, list[str]]:
    """The retried workflow and the pods to delete (Argo's FormulateRetryWorkflow)."""
    if state.phase == ph.SUCCEEDED:
        if not restart_successful or not node_field_selector:
            raise UsageError("To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector")
    elif state.phase not in (ph.FAILED, ph.ERROR):
        raise UsageError(f"Cannot retry a workflow in phase {state.phase or 'Unknown'}")
    graph = _Graph(state)
    requested: set[str] = set()
    if restart_successful and node_field_selector:
        requirements = parse_node_field_selector(node_field_selector)
        requested = {n.id for n in state.nodes.values() if node_matches(n.to_wire(), requirements)}
    for nid, node in state.nodes.items():
        if node.phase in ph.UNSUCCESSFUL_PHASES and node.type in _EXECUTION:
            target = node
            if node.retried and nid in graph.parent:
                target = graph.nodes[graph.parent[nid]]
            if not _descendant_succeeded(graph, target, requested):
                requested.add(nid)
    to_reset: set[str] = set()
    to_delete: set[str] = set()
    for nid in graph.bfs(state.name):
        if nid in requested and nid not in to_delete:
            reset, delete = graph.reset_path(nid)
            to_reset |= reset
            to_delete |= delete
    if parameters:
        for nid in list(to_reset):
            if nid not in to_delete and graph.nodes[nid].type in (ph.TASK_GROUP, ph.STEP_GROUP):
                to_delete |= graph.descendants(nid)
    return _assemble(state, graph, to_reset, to_delete, now_str, parameters)


def _assemble(state: WorkflowState, graph: _Graph, to_reset: set[str], to_delete: set[str], now_str: str,
              parameters: Sequence[tuple[str, str]]) -> tuple[WorkflowState, list[str]]:
    on_exit = f"{state.name}.onExit"
    pods: list[str] = []
    nodes: dict[str, Node] = {}
    for nid, node in state.nodes.items():
        dropped = nid in to_delete or node.name.startswith(on_exit)
        if dropped:
            if node.type == ph.POD:
                pods.append(str(node.extra.get("pod") or pod_name(state.name, node.name, _template(node))))
            continue
        new = _reset_node(node, now_str) if nid in to_reset else node
        nodes[nid] = new.with_(children=tuple(c for c in new.children if c not in to_delete),
                               outbound_nodes=tuple(o for o in new.outbound_nodes if o not in to_delete))
    labels = {k: v for k, v in (state.metadata.get("labels") or {}).items()
              if k not in (LABEL_COMPLETED, "workflows.argoproj.io/workflow-archiving-status")}
    spec = {k: v for k, v in state.spec.items() if k != "shutdown"}
    if spec.get("activeDeadlineSeconds") == 0:
        spec.pop("activeDeadlineSeconds")
    spec = _override_parameters(spec, parameters)
    retried = state.with_(
        metadata={**state.metadata, "labels": labels}, spec=spec, phase="", message="", started_at=now_str,
        finished_at=None, nodes=nodes, outbox=(),
        conditions=({"type": "Completed", "status": "False"},),
    )
    return retried, pods


def _template(node: Node) -> str:
    return str(node.template_ref.get("template", "")) if node.template_ref else node.template_name


def resubmit_workflow(state: WorkflowState, new_name: str, now_str: str, *, memoized: bool = False,
                      parameters: Sequence[tuple[str, str]] = ()) -> JSON:
    """The manifest of a resubmitted workflow (Argo's FormulateResubmitWorkflow)."""
    if memoized and state.phase not in (ph.FAILED, ph.ERROR):
        raise UsageError("workflow must be Failed/Error to resubmit in memoized mode")
    labels = {k: v for k, v in (state.metadata.get("labels") or {}).items()
              if k not in ("workflows.argoproj.io/creator", LABEL_PHASE, LABEL_COMPLETED,
                           "workflows.argoproj.io/workflow-archiving-status")}
    labels["workflows.argoproj.io/resubmitted-from-workflow"] = state.name
    spec = {k: v for k, v in state.spec.items() if k != "shutdown"}
    if spec.get("activeDeadlineSeconds") == 0:
        spec.pop("activeDeadlineSeconds")
    spec = _override_parameters(spec, parameters)
    metadata: JSON = {"name": new_name, "labels": labels}
    if state.metadata.get("generateName"):
        metadata["generateName"] = state.metadata["generateName"]
    if state.metadata.get("annotations"):
        metadata["annotations"] = dict(state.metadata["annotations"])
    wf: JSON = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": metadata, "spec": spec}
    if memoized:
        wf["status"] = _memoized_status(state, new_name, now_str)
    return wf


def _memoized_status(state: WorkflowState, new_name: str, now_str: str) -> JSON:
    old = re.compile("^" + re.escape(state.name))
    nodes: JSON = {}
    for node in state.nodes.values():
        if node.name.startswith(f"{state.name}.onExit"):
            continue
        name = old.sub(new_name, node.name, count=1)
        failed_pod = node.phase in ph.UNSUCCESSFUL_PHASES and node.type == ph.POD
        new = node.with_(id=node_id(new_name, name), name=name,
                         started_at=None if failed_pod else now_str,
                         finished_at=None if failed_pod else now_str,
                         children=tuple(_convert(state, new_name, c) for c in node.children),
                         outbound_nodes=tuple(_convert(state, new_name, c) for c in node.outbound_nodes),
                         boundary_id=_convert(state, new_name, node.boundary_id) if node.boundary_id else "",
                         extra={})
        if node.type == ph.POD and node.phase not in ph.UNSUCCESSFUL_PHASES:
            new = new.with_(type=ph.SKIPPED_TYPE, phase=ph.SKIPPED, message=f"original pod: {node.id}")
        elif node.type == ph.SKIPPED_TYPE and not _has_succeeded_descendant(state, node):
            continue
        else:
            new = new.with_(phase=ph.PENDING, message="")
        nodes[new.id] = new.to_wire(internal=True)
    return {"phase": "", "nodes": nodes, "storedTemplates": dict(state.stored_templates),
            "conditions": [{"type": "Completed", "status": "False"}]}


def _convert(state: WorkflowState, new_name: str, old_id: str) -> str:
    node = state.nodes.get(old_id)
    if node is None:
        return old_id
    return node_id(new_name, re.sub("^" + re.escape(state.name), new_name, node.name, count=1))


def _has_succeeded_descendant(state: WorkflowState, node: Node) -> bool:
    stack = list(node.children)
    while stack:
        child = state.nodes.get(stack.pop())
        if child is None:
            continue
        if child.phase == ph.SUCCEEDED:
            return True
        stack.extend(child.children)
    return False
