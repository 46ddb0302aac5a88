"""``NodeIndex``: facts derived from a workflow's node table, kept up to date node by node.

An engine step must cost what changed, not what exists: the nodes that failed (for
``workflow.failures``), the daemoned nodes, and each DAG's progress (``dag_progress``) are kept
here and updated by ``Operation.put`` as single nodes change, instead of being recounted over
all nodes on every step.

The index is derived, never persisted: a state read from a store gets a fresh one, built once in
one pass. Between steps it is carried over in a small table keyed by the workflow, kept in the
engine environment (``EngineMemos.carried``), valid only for the very ``nodes`` mapping the
previous step handed back (an identity check), and taken out of the table by the step that uses it, so a state stepped twice, or a state built by other means, gets an
index rebuilt from its own nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from argoctl.model import phases as ph
from argoctl.model.node import Node

ABSENT, UNFULFILLED, FULFILLED = 0, 1, 2
Carried = dict[tuple[str, str], tuple[Mapping[str, Node], "NodeIndex"]]  # ``EngineMemos.carried``
_MAX_CARRIED = 64


class NodeWatcher(Protocol):
    """One DAG's progress record: told when a node below its boundary changes status."""

    def node_changed(self, key: str, status: int) -> None: ...


def status_of(node: Node | None) -> int:
    if node is None:
        return ABSENT
    return FULFILLED if node.fulfilled else UNFULFILLED


class NodeIndex:
    """Derived, incrementally kept facts about one node table (see the module's doc)."""

    def __init__(self, nodes: Mapping[str, Node]) -> None:
        self._position: dict[str, int] = {}
        self.unsuccessful: set[str] = set()
        self.daemoned: set[str] = set()
        # boundary node name -> (template, targets, record)
        self.dags: dict[str, tuple[object, tuple[str, ...], NodeWatcher]] = {}
        for node in nodes.values():
            self._position[node.id] = len(self._position)
            self._note(node)

    def _note(self, node: Node) -> None:
        if node.phase in ph.UNSUCCESSFUL_PHASES:
            self.unsuccessful.add(node.id)
        else:
            self.unsuccessful.discard(node.id)
        if node.daemoned:
            self.daemoned.add(node.id)
        else:
            self.daemoned.discard(node.id)

    def changed(self, old: Node | None, new: Node) -> None:
        """``new`` replaced ``old`` (None: a new node) in the table."""
        if old is None and new.id not in self._position:
            self._position[new.id] = len(self._position)
        self._note(new)
        if not self.dags:
            return
        status = status_of(new)
        if status == status_of(old):
            return
        name = new.name
        dot = name.find(".")
        while dot >= 0:
            entry = self.dags.get(name[:dot])
            if entry is not None:
                entry[2].node_changed(name[dot + 1:], status)
            dot = name.find(".", dot + 1)

    def in_table_order(self, ids: set[str]) -> list[str]:
        """``ids`` in the order their nodes are in the table (insertion order, as dicts keep it)."""
        return sorted(ids, key=self._position.__getitem__)

    def dag(self, boundary_name: str, tmpl: object, targets: tuple[str, ...]) -> NodeWatcher | None:
        """The progress record of the DAG under ``boundary_name``, if built for this very template
        object and these targets."""
        entry = self.dags.get(boundary_name)
        if entry is None or entry[0] is not tmpl or entry[1] != targets:
            return None
        return entry[2]

    def watch_dag(self, boundary_name: str, tmpl: object, targets: tuple[str, ...], record: NodeWatcher) -> None:
        self.dags[boundary_name] = (tmpl, targets, record)


def take(table: Carried, workflow: tuple[str, str], nodes: Mapping[str, Node]) -> NodeIndex:
    """The index of ``nodes``: the one the previous step left in ``table`` for exactly this
    mapping, or a new one."""
    carried = table.pop(workflow, None)
    if carried is not None and carried[0] is nodes:
        return carried[1]
    return NodeIndex(nodes)


def leave(table: Carried, workflow: tuple[str, str], nodes: Mapping[str, Node], index: NodeIndex) -> None:
    """Keep ``index`` in ``table`` for the next step of ``workflow``, valid only while its nodes
    are ``nodes``."""
    table.pop(workflow, None)
    while len(table) >= _MAX_CARRIED:
        table.pop(next(iter(table)))
    table[workflow] = (nodes, index)
