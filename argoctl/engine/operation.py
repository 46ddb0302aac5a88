"""``Operation``: the working copy of one engine step, and the node bookkeeping Argo's operator does.

An Operation starts from an immutable ``WorkflowState``, changes a private dict of nodes while the
step runs (``put``, ``init_node``, ``mark_phase``, ``add_child``) and hands back a new state. It
keeps the counters that parallelism and failFast need up to date as nodes change, so no check
ever scans all nodes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from argoctl.engine import nodeindex
from argoctl.engine.templates import TemplateContext, TemplateError, resolve
from argoctl.engine.types import Action, EngineEnv, KillPod, WakeAt
from argoctl.model import phases as ph
from argoctl.model.ids import display_name, node_id, pod_name
from argoctl.model.node import Node
from argoctl.model.pods import PodRequest
from argoctl.model.timefmt import parse_time, rfc3339
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]
_ACTIVE = (ph.PENDING, ph.RUNNING)
_CHILD_TYPES = (ph.POD, ph.STEPS, ph.DAG)


class Operation:
    """One engine step's mutable workspace (never visible outside ``engine.step``)."""

    def __init__(self, state: WorkflowState, env: EngineEnv, now: datetime) -> None:
        self.state = state
        self.env = env
        self.now = now
        self.now_str = rfc3339(now)
        self.wf_name = state.name
        self.namespace = state.namespace
        self.nodes: dict[str, Node] = dict(state.nodes)
        self.index = nodeindex.take((state.namespace, state.name), state.nodes)
        self._ids: dict[str, str] = env.node_ids.setdefault(state.name, {})
        self.spec: JSON = dict(state.spec)
        self.metadata: JSON = dict(state.metadata)
        self.stored_templates: dict[str, JSON] = dict(state.stored_templates)
        self.outputs: JSON | None = state.outputs
        self.phase = state.phase
        self.message = state.message
        self.started_at = state.started_at
        self.finished_at = state.finished_at
        self.conditions: tuple[JSON, ...] = state.conditions
        self.status_extra: JSON = dict(state.status_extra)
        self.actions: list[Action] = []
        self.wake_times: list[datetime] = []
        self.killed: set[str] = set()
        self.globals: dict[str, Any] = {}
        self.stack_depth = 0
        self.outbox: list[PodRequest] = []
        self.pending_memos: dict[tuple[str, str], str] = {}
        self.boundary_templates: dict[str, JSON] = {}
        self.result_references: dict[str, tuple[str, frozenset[str]]] = {}
        self._children: dict[str, set[str]] = {}  # parent id -> child ids, for add_child's membership test
        # parent id -> children added but not yet written into the parent node: a fan-out of N
        # tasks appends N children to one node, and writing each into a new tuple was O(N**2);
        # they are written at once when the parent (or any node, through ``nodes``) is read
        self._new_children: dict[str, list[str]] = {}
        self._settled: dict[str, bool] = {}  # children_fulfilled answers, valid until the next put
        self.local_context: TemplateContext = TemplateContext.of(f"local/{self.wf_name}", self.spec)
        self._deadline: datetime | None = None
        self._counted = False
        self._active_pods: Counter[str] = Counter()
        self._active_children: Counter[str] = Counter()
        self._unsuccessful_children: Counter[str] = Counter()

    # ---- lookups ---------------------------------------------------------------------------

    def node_id(self, name: str) -> str:
        nid = self._ids.get(name)
        if nid is None:
            nid = self._ids[name] = node_id(self.wf_name, name)
        return nid

    def get(self, name: str) -> Node | None:
        nid = self.node_id(name)
        if nid in self._new_children:
            self._write_children(nid)
        return self.nodes.get(nid)

    def by_id(self, nid: str) -> Node | None:
        if nid in self._new_children:
            self._write_children(nid)
        return self.nodes.get(nid)

    def peek(self, nid: str) -> Node | None:
        """The node as stored, children added in this step perhaps not yet in its ``children``:
        for callers that read anything else (a fan-out's boundary is asked about once per task)."""
        return self.nodes.get(nid)

    def all_nodes(self) -> dict[str, Node]:
        """The node table with every added child written (read ``nodes`` only through this or
        the lookups above)."""
        for nid in list(self._new_children):
            self._write_children(nid)
        return self.nodes

    def _write_children(self, nid: str) -> None:
        added = self._new_children.pop(nid)
        node = self.nodes.get(nid)
        if node is not None:
            self.put(node.with_(children=(*node.children, *added)))

    # ---- counters (Argo's node_counters, kept incrementally) ------------------------------

    def _ensure_counted(self) -> None:
        """Counters are derived from the nodes once per step, and only when a limit needs them."""
        if not self._counted:
            self._counted = True
            for node in self.all_nodes().values():
                self._count(node, +1)

    def _count(self, node: Node, delta: int) -> None:
        active = node.phase in _ACTIVE
        if node.type == ph.POD and active and not (
            node.synchronization_status and node.synchronization_status.get("waiting")
        ):
            self._active_pods[""] += delta
            self._active_pods[node.boundary_id] += delta
        if node.type in _CHILD_TYPES:
            if active:
                self._active_children[node.boundary_id] += delta
            elif node.phase in ph.UNSUCCESSFUL_PHASES:
                self._unsuccessful_children[node.boundary_id] += delta

    def active_pods(self, boundary_id: str = "") -> int:
        self._ensure_counted()
        return self._active_pods[boundary_id]

    def active_children(self, boundary_id: str) -> int:
        self._ensure_counted()
        return self._active_children[boundary_id]

    def unsuccessful_children(self, boundary_id: str) -> int:
        self._ensure_counted()
        return self._unsuccessful_children[boundary_id]

    # ---- writes ----------------------------------------------------------------------------

    def put(self, node: Node) -> Node:
        if "\n" in node.message:  # status messages stay one line; hints are for stderr only
            node = node.with_(message=one_line(node.message))
        old = self.nodes.get(node.id)
        if self._new_children:
            # a whole node replaces the one with pending children, as it did when each was written
            self._new_children.pop(node.id, None)
        self.nodes[node.id] = node
        if self._settled:
            self._settled.clear()
        self.index.changed(old, node)
        if self._counted:
            if old is not None:
                self._count(old, -1)
            self._count(node, +1)
        return node

    def init_node(
        self,
        name: str,
        node_type: str,
        holder: Mapping[str, Any],
        boundary_id: str,
        phase: str,
        *,
        template_scope: str = "",
        node_flag: JSON | None = None,
        message: str = "",
        inputs: JSON | None = None,
    ) -> Node:
        nid = self.node_id(name)
        boundary = self.peek(boundary_id) if boundary_id else None
        node = Node(
            id=nid,
            name=name,
            display_name=display_name(name, boundary.name if boundary else None),
            type=node_type,
            template_name=str(holder.get("template") or ""),
            template_ref=dict(holder["templateRef"]) if holder.get("templateRef") else None,
            template_scope=template_scope or f"local/{self.wf_name}",
            phase=phase,
            boundary_id=boundary_id,
            message=message,
            started_at=self.now_str,
            finished_at=self.now_str if phase in ph.FULFILLED_PHASES else None,
            node_flag=dict(node_flag) if node_flag else None,
            inputs=inputs,
        )
        return self.put(node)

    def mark_phase(self, name: str, phase: str, message: str | None = None) -> Node:
        node = self.get(name)
        if node is None:
            raise KeyError(name)
        return self.mark_node(node, phase, message)

    def mark_node(self, node: Node, phase: str, message: str | None = None) -> Node:
        changes: dict[str, Any] = {}
        if node.phase != phase:
            changes["phase"] = phase
        if message is not None and message != node.message:
            changes["message"] = message
        fulfilled = phase in ph.FULFILLED_PHASES or (node.daemoned and phase != ph.PENDING)
        if fulfilled and not node.finished_at:
            changes["finished_at"] = self.now_str
        if not changes:
            return node
        return self.put(node.with_(**changes))

    def mark_error(self, name: str, message: str) -> Node:
        return self.mark_phase(name, ph.ERROR, message)

    def add_child(self, parent_name: str, child_name: str) -> None:
        parent = self.peek(self.node_id(parent_name))
        if parent is None:
            return
        child_id = self.node_id(child_name)
        known = self._children.get(parent.id)
        if known is None:
            known = self._children[parent.id] = set(parent.children)
        if child_id not in known:
            known.add(child_id)
            self._new_children.setdefault(parent.id, []).append(child_id)
            if self._settled:
                self._settled.clear()

    def set_outputs(self, node: Node, outputs: JSON | None) -> Node:
        return self.put(node.with_(outputs=outputs))

    # ---- actions ---------------------------------------------------------------------------

    def emit(self, action: Action) -> None:
        self.actions.append(action)

    def kill_pod(self, node: Node, pod_name: str, reason: str) -> None:
        if pod_name in self.killed:
            return
        self.killed.add(pod_name)
        self.emit(KillPod(pod_name=pod_name, node_id=node.id, reason=reason))

    def wake_at(self, moment: datetime) -> None:
        self.wake_times.append(moment)

    def requeue(self) -> None:
        """Argo's ``woc.requeue()``: reconcile again at once (something this step decided
        lets other nodes progress only on the next pass)."""
        self.wake_times.append(self.now)

    def finish_actions(self) -> list[Action]:
        actions = list(self.actions)
        if self.wake_times:
            actions.append(WakeAt(at=max(self.now, min(self.wake_times))))
        return actions

    # ---- workflow-level facts --------------------------------------------------------------

    def shutdown_strategy(self) -> str:
        return str(self.spec.get("shutdown") or "")

    def should_run_exit_handlers(self) -> bool:
        """Argo's ``ShouldExecute(isExitHandler=true)``: exit handlers run unless Terminate."""
        return self.shutdown_strategy() != "Terminate"

    def workflow_deadline(self) -> datetime | None:
        if self._deadline is None:
            seconds = self.spec.get("activeDeadlineSeconds")
            started = self.started_at
            if seconds is None or not started:
                return None
            from datetime import timedelta

            self._deadline = parse_time(started) + timedelta(seconds=int(seconds))
        return self._deadline

    def workflow_deadline_passed(self) -> bool:
        deadline = self.workflow_deadline()
        return deadline is not None and self.now >= deadline

    def workflow_deadline_text(self) -> str:
        deadline = self.workflow_deadline()
        return deadline.strftime("%Y-%m-%d %H:%M:%S +0000 UTC") if deadline else ""

    # ---- graph helpers ---------------------------------------------------------------------

    def remember_boundary_template(self, boundary_id: str, tmpl: JSON) -> None:
        self.boundary_templates[boundary_id] = tmpl

    def boundary_template(self, boundary_id: str) -> JSON | None:
        tmpl = self.boundary_templates.get(boundary_id)
        if tmpl is not None:
            return tmpl
        node = self.by_id(boundary_id)
        if node is None or (not node.template_name and not node.template_ref):
            return None
        holder = {"template": node.template_name, "templateRef": node.template_ref}
        return self.template_for(self.context_for_scope(node.template_scope), holder)

    def template_for(self, ctx: TemplateContext, holder: Mapping[str, Any]) -> JSON | None:
        """The template a step/task refers to, or None when it cannot be resolved."""
        try:
            found: JSON = resolve(ctx, holder, self.env.workflow_templates, self.stored_templates)[1]
        except TemplateError:
            return None
        return found

    def context_for_scope(self, scope: str) -> TemplateContext:
        if not scope or scope.startswith("local"):
            return self.local_context
        spec = self.env.workflow_templates.get(scope)
        return TemplateContext.of(scope, spec or {})

    def children_of(self, node: Node) -> list[Node]:
        return [c for c in (self.by_id(i) for i in node.children) if c is not None]

    def children_fulfilled(self, node: Node) -> bool:
        """Every node below ``node`` (through children) is fulfilled; remembered until a node
        changes (step groups ask on every pass, and the walk covers everything after them)."""
        known = self._settled.get(node.id)
        if known is None:
            known = self._settled[node.id] = self._children_fulfilled(node)
        return known

    def any_daemoned(self) -> bool:
        return bool(self.index.daemoned)

    def _children_fulfilled(self, node: Node) -> bool:
        stack = [node]
        seen: set[str] = set()
        while stack:
            current = stack.pop()
            if current.id in seen:
                continue
            seen.add(current.id)
            if not current.children:
                if not current.fulfilled:
                    return False
                continue
            stack.extend(self.children_of(current))
        return True

    def last_attempt(self, node: Node) -> Node:
        """A Retry node's last non-hook attempt (Argo's possiblyGetRetryChildNode), else the node."""
        if node.type != ph.RETRY or (node.memoization_status and node.memoization_status.get("hit")):
            return node
        for child_id in reversed(node.children):
            child = self.by_id(child_id)
            if child is not None and not child.hooked:
                return child
        return node

    def last_node_of_type(self, boundary_id: str, node_type: str) -> Node | None:
        found: Node | None = None
        root = self.by_id(boundary_id)
        stack = [root] if root else []
        seen: set[str] = set()
        while stack:
            current = stack.pop()
            if current is None or current.id in seen:
                continue
            seen.add(current.id)
            if current.type == node_type:
                found = current
            stack.extend(reversed(self.children_of(current)))
        return found

    def outbound_nodes(self, nid: str) -> list[str]:
        node = self.by_id(nid)
        if node is None:
            return []
        if node.type in (ph.SKIPPED_TYPE, ph.SUSPEND, ph.HTTP, ph.PLUGIN):
            return [node.id]
        if node.type == ph.POD:
            containers = [c for c in self.children_of(node) if c.type == ph.CONTAINER]
            if not containers:
                return [node.id]
        if node.type in (ph.POD, ph.CONTAINER, ph.TASK_GROUP):
            if not node.children:
                return [node.id]
            out: list[str] = []
            for child in self.children_of(node):
                if node.type == ph.CONTAINER and node.boundary_id != child.boundary_id:
                    out.append(node.id)
                else:
                    out.extend(self.outbound_nodes(child.id))
            return out
        if node.type == ph.RETRY:
            return [node.children[-1]] if node.children else []
        if node.type in (ph.STEPS, ph.DAG) and node.memoization_status and node.memoization_status.get("hit"):
            return [node.id]
        result: list[str] = []
        for out_id in node.outbound_nodes:
            result.extend(self.outbound_nodes(out_id))
        return result

    def pod_name_of(self, node: Node) -> str:
        if node.extra.get("pod"):
            return str(node.extra["pod"])
        template = str(node.template_ref.get("template", "")) if node.template_ref else node.template_name
        return pod_name(self.wf_name, node.name, template)

    def has_daemoned_nodes(self) -> bool:
        return bool(self.index.daemoned)

    def unsuccessful_nodes(self) -> list[Node]:
        """The nodes in an unsuccessful phase, in the table's order (kept by the index)."""
        nodes = self.all_nodes()
        return [nodes[nid] for nid in self.index.in_table_order(self.index.unsuccessful)]

    def hand_over_nodes(self) -> dict[str, Node]:
        """The step's final node table, its index kept for the next step (nothing changes it after)."""
        nodes = self.all_nodes()
        nodeindex.leave((self.namespace, self.wf_name), nodes, self.index)
        return nodes

    def state_spec(self) -> JSON:
        """The workflow's own spec (commands already applied); never the merged exec spec."""
        return dict(self.state.spec)

    def kill_daemoned_children(self, boundary_id: str) -> None:
        for node in list(self.all_nodes().values()):
            if not node.daemoned or (boundary_id and node.boundary_id != boundary_id):
                continue
            self.kill_pod(node, self.pod_name_of(node), "daemon step finished")
            self.put(node.with_(phase=ph.SUCCEEDED, daemoned=False,
                                finished_at=node.finished_at or self.now_str))

    # ---- outputs ---------------------------------------------------------------------------

    def add_workflow_outputs(self, scope: Any) -> None:
        for param in (self.outputs or {}).get("parameters") or ():
            if param.get("value") is not None:
                scope.set(f"workflow.outputs.parameters.{param.get('name')}", str(param["value"]))
        for art in (self.outputs or {}).get("artifacts") or ():
            scope.set(f"workflow.outputs.artifacts.{art.get('name')}", art)

    def add_outputs_to_globals(self, outputs: Mapping[str, Any] | None) -> None:
        """``globalName`` parameters and artifacts become workflow outputs."""
        if not outputs:
            return
        current: JSON = dict(self.outputs or {})
        for param in outputs.get("parameters") or ():
            gname = param.get("globalName")
            if not gname or param.get("value") is None:
                continue
            value = str(param["value"])
            self.globals[f"workflow.outputs.parameters.{gname}"] = value
            params = [p for p in current.get("parameters") or [] if p.get("name") != gname]
            params.append({"name": gname, "value": value})
            current["parameters"] = params
        for art in outputs.get("artifacts") or ():
            gname = art.get("globalName")
            if not gname:
                continue
            entry = {k: v for k, v in art.items() if k not in ("globalName", "path")}
            entry["name"] = gname
            arts = [a for a in current.get("artifacts") or [] if a.get("name") != gname]
            arts.append(entry)
            current["artifacts"] = arts
        if current:
            self.outputs = current


def one_line(message: str) -> str:
    """The first line of ``message``: status messages are one line (a table cell in ``list``), as
    Argo's are; what follows it in argoctl's errors (a hint, an expression's caret) is for stderr."""
    return message.split("\n", 1)[0].rstrip() if "\n" in message else message
