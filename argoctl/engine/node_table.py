"""``NodeTable``: one engine step's working copy of the node table, and the node bookkeeping
Argo's operator does (create, mark, connect, walk).

It keeps the counters that parallelism and failFast need up to date as nodes change, so no check
ever scans all nodes. ``Operation`` composes it with the outbox and the workflow facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argoctl.engine import nodeindex
from argoctl.model import phases as ph
from argoctl.model.ids import display_name, node_id, pod_name_of_id
from argoctl.model.node import Node

JSON = dict[str, Any]
_ACTIVE = (ph.PENDING, ph.RUNNING)
_CHILD_TYPES = (ph.POD, ph.STEPS, ph.DAG)


@dataclass(frozen=True, slots=True)
class NodeAt:
    """Where a new node hangs: its boundary (the steps/DAG node it belongs to), the template
    scope its template was resolved in, and its flags (``hooked``, ``retried``)."""

    boundary_id: str = ""
    template_scope: str = ""
    node_flag: JSON | None = None


class NodeTable:
    """The nodes of one engine step, by id, with the incremental counters and graph walks."""

    def __init__(self, wf_name: str, nodes: Mapping[str, Node], ids: dict[str, str], now_str: str,
                 index: nodeindex.NodeIndex) -> None:
        self.wf_name = wf_name
        self.now_str = now_str
        self.nodes: dict[str, Node] = dict(nodes)
        self.index = index
        self._ids = ids
        self._children: dict[str, set[str]] = {}  # parent id -> child ids, for add_child's membership test
        # parent id -> children added but not yet written into the parent node: a fan-out of N
        # tasks appends N children to one node, and writing each into a new tuple was O(N**2);
        # they are written at once when the parent (or any node, through ``all_nodes``) is read
        self._new_children: dict[str, list[str]] = {}
        self._settled: dict[str, bool] = {}  # children_fulfilled answers, valid until the next put
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

    def init_node(self, name: str, node_type: str, holder: Mapping[str, Any], phase: str, at: NodeAt,
                  *, inputs: JSON | None = None) -> Node:
        return self._init_node(name, node_type, holder, phase, at, {"inputs": inputs})

    def init_skipped(self, name: str, holder: Mapping[str, Any], phase: str, at: NodeAt, message: str) -> Node:
        """A Skipped-type node (a step/task that does not run, or errored before it could)."""
        return self._init_node(name, ph.SKIPPED_TYPE, holder, phase, at, {"message": message})

    def _init_node(self, name: str, node_type: str, holder: Mapping[str, Any], phase: str, at: NodeAt,
                   more: Mapping[str, Any]) -> Node:
        boundary_id, template_scope, node_flag = at.boundary_id, at.template_scope, at.node_flag
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
            message=str(more.get("message", "")),
            started_at=self.now_str,
            finished_at=self.now_str if phase in ph.FULFILLED_PHASES else None,
            node_flag=dict(node_flag) if node_flag else None,
            inputs=more.get("inputs"),
        )
        return self.put(node)

    def mark_phase(self, name: str, phase: str, message: str | None = None) -> Node:
        node = self.get(name)
        if node is None:
            raise KeyError(name)
        return self.mark_node(node, phase, message)

    def mark_node(self, node: Node, phase: str, message: str | None = None,
                  also: Mapping[str, Any] | None = None) -> Node:
        """``node`` in ``phase`` (with ``message``); ``also``: other field changes made in the same
        copy, as if made first (a pod's report: one node write, not two)."""
        changes: dict[str, Any] = dict(also) if also else {}
        if node.phase != phase:
            changes["phase"] = phase
        if message is not None and message != node.message:
            changes["message"] = message
        daemoned = changes.get("daemoned", node.daemoned)
        fulfilled = phase in ph.FULFILLED_PHASES or (daemoned and phase != ph.PENDING)
        if fulfilled and not changes.get("finished_at", node.finished_at):
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

    # ---- graph helpers ---------------------------------------------------------------------

    def children_of(self, node: Node) -> list[Node]:
        return [c for c in (self.by_id(i) for i in node.children) if c is not None]

    def children_fulfilled(self, node: Node) -> bool:
        """Every node below ``node`` (through children) is fulfilled; remembered until a node
        changes (step groups ask on every pass, and the walk covers everything after them)."""
        known = self._settled.get(node.id)
        return self._children_fulfilled(node) if known is None else known

    def any_daemoned(self) -> bool:
        return bool(self.index.daemoned)

    def _children_fulfilled(self, node: Node) -> bool:
        """Depth first; every node it settles is remembered, so the step groups of a long steps
        chain (each group holds the rest of the chain) cost one walk per change, not one each.
        An unfulfilled leaf ends the walk and settles the nodes on its path (still expanded on
        the stack: its ancestors) as unfulfilled."""
        settled = self._settled
        stack: list[tuple[Node, bool]] = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if expanded:  # every child settled as fulfilled (an unfulfilled one returns at once)
                settled[current.id] = True
                continue
            known = settled.get(current.id)
            if known is None and not current.children:
                known = settled[current.id] = current.fulfilled
            if known is False:
                for ancestor, on_path in stack:
                    if on_path:
                        settled[ancestor.id] = False
                return False
            if known is None:
                settled[current.id] = True  # provisional while below it is walked (a cycle ends here)
                stack.append((current, True))
                stack.extend((child, False) for child in self.children_of(current))
        return settled[node.id]

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
        return self.pod_name(node.name, template)

    def pod_name(self, name: str, template: str) -> str:
        """``ids.pod_name`` through the kept node ID (the name is not hashed again)."""
        return pod_name_of_id(self.wf_name, self.node_id(name), template)

    def has_daemoned_nodes(self) -> bool:
        return bool(self.index.daemoned)

    def unsuccessful_nodes(self) -> list[Node]:
        """The nodes in an unsuccessful phase, in the table's order (kept by the index)."""
        nodes = self.all_nodes()
        return [nodes[nid] for nid in self.index.in_table_order(self.index.unsuccessful)]


def one_line(message: str) -> str:
    """The first line of ``message``: status messages are one line (a table cell in ``list``), as
    Argo's are; what follows it in argoctl's errors (a hint, an expression's caret) is for stderr."""
    return message.split("\n", 1)[0].rstrip() if "\n" in message else message
