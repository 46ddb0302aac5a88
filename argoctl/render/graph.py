"""The workflow graph as the Argo UI draws it: a neutral model the dot and mermaid writers share.

``build_graph`` takes a node map shaped like a Workflow's ``status.nodes`` (``displayName``,
``type``, ``phase``, ``children``, ``outboundNodes``, ``boundaryID``, ``name``) and returns a
``Graph``:

* every node is drawn; StepGroup and TaskGroup nodes as small points (the UI's dots), Steps, DAG
  and Retry nodes as boxes of their own shape, pods as rounded boxes; each coloured by phase;
* an edge goes from every node to each of its ``children`` (Argo links the outbound nodes of a
  finished group to what follows, so this is the flow the UI draws);
* loop children (``name(0:item)``, ``name(1:item)`` under one parent) are grouped in a cluster;
* an exit handler (``X.onExit``) is joined to ``X``'s outbound nodes (or to ``X``) by a dashed
  ``onExit`` edge, and a Retry node's attempts hang under it (failed attempts in red).

Output is deterministic: nodes are numbered ``n0, n1, ...`` in the order of their ``name`` (the
root first), so the same pipeline draws the same text whatever its workflow's generated name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from argoctl.model import phases

JSON = Mapping[str, Any]

POINT_TYPES: Final = frozenset({phases.STEP_GROUP, phases.TASK_GROUP})
_LOOP_CHILD: Final = re.compile(r"^(?P<base>.+)\((?P<index>[0-9]+):.*\)$")
EXIT_SUFFIX: Final = ".onExit"

# fill colours by phase, close to the Argo UI's palette; "" is a node that has not run
PHASE_COLOURS: Final[Mapping[str, str]] = {
    phases.SUCCEEDED: "#18be94",
    phases.FAILED: "#e96d76",
    phases.ERROR: "#e96d76",
    phases.RUNNING: "#0dadea",
    phases.PENDING: "#f4c030",
    phases.SKIPPED: "#ccd6dd",
    phases.OMITTED: "#ccd6dd",
    "": "#ffffff",
}


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    label: str
    type: str  # the status node type (Pod, Steps, DAG, Retry, StepGroup, ...)
    phase: str  # "" for a node that has not run (lint's template graph)

    @property
    def colour(self) -> str:
        return PHASE_COLOURS.get(self.phase, PHASE_COLOURS[""])

    @property
    def is_point(self) -> bool:
        return self.type in POINT_TYPES


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class GraphCluster:
    id: str
    label: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Graph:
    title: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    clusters: tuple[GraphCluster, ...]


def build_graph(title: str, nodes: Mapping[str, JSON]) -> Graph:
    """The drawable graph of a ``status.nodes``-shaped map (see the module docstring)."""
    root = _root_name(nodes)
    order = sorted(nodes, key=lambda key: (_name(nodes, key) != root, _name(nodes, key), key))
    ids = {key: f"n{index}" for index, key in enumerate(order)}
    drawn = tuple(_graph_node(ids[key], nodes[key]) for key in order)
    edges = [GraphEdge(ids[key], ids[child]) for key in order
             for child in nodes[key].get("children") or () if child in ids]
    edges.extend(_exit_edges(nodes, order, ids, {(e.source, e.target) for e in edges}))
    return Graph(title, drawn, tuple(edges), _loop_clusters(nodes, order, ids))


def _name(nodes: Mapping[str, JSON], key: str) -> str:
    return str(nodes[key].get("name") or key)


def _root_name(nodes: Mapping[str, JSON]) -> str:
    """The workflow's root node: the one no other node names as boundary or child."""
    children = {c for node in nodes.values() for c in node.get("children") or ()}
    roots = sorted(_name(nodes, k) for k, n in nodes.items() if k not in children and not n.get("boundaryID")
                   and not str(n.get("displayName", "")).endswith(EXIT_SUFFIX))
    return roots[0] if roots else ""


def _graph_node(node_id: str, node: JSON) -> GraphNode:
    node_type = str(node.get("type") or phases.POD)
    label = str(node.get("displayName") or node.get("name") or node_id)
    return GraphNode(node_id, label, node_type, str(node.get("phase") or ""))


def _exit_edges(nodes: Mapping[str, JSON], order: list[str], ids: Mapping[str, str],
                existing: set[tuple[str, str]]) -> list[GraphEdge]:
    """Dashed ``onExit`` edges from each exit handler's owner (its outbound nodes, else itself)."""
    root = _root_name(nodes)
    by_display: dict[tuple[str, str], str] = {}
    for key in order:
        owner_scope = str(nodes[key].get("boundaryID") or "")
        by_display.setdefault((owner_scope, str(nodes[key].get("displayName") or "")), key)
    targets = {child for key in order for child in nodes[key].get("children") or ()}
    edges: list[GraphEdge] = []
    for key in order:
        display = str(nodes[key].get("displayName") or "")
        if not display.endswith(EXIT_SUFFIX) or key in targets:
            continue
        scope = str(nodes[key].get("boundaryID") or "")
        owner = by_display.get((scope, display[: -len(EXIT_SUFFIX)]))
        if owner is None:  # the workflow's own onExit: its owner is the root
            owner = next((k for k in order if _name(nodes, k) == root), None)
        if owner is None or owner == key:
            continue
        sources = [o for o in _outbound(nodes, owner, set()) if o in ids] or [owner]
        for source in sources:
            if (ids[source], ids[key]) not in existing:
                edges.append(GraphEdge(ids[source], ids[key], "onExit", dashed=True))
    return edges


def _outbound(nodes: Mapping[str, JSON], key: str, seen: set[str]) -> list[str]:
    """The pods a node ends with: its ``outboundNodes``, followed down to pods as the UI does."""
    node = nodes.get(key)
    if node is None or key in seen:
        return []
    seen.add(key)
    if node.get("type") in (phases.POD, phases.SKIPPED_TYPE) or not node.get("outboundNodes"):
        return [key]
    found: list[str] = []
    for out in node.get("outboundNodes") or ():
        found.extend(_outbound(nodes, out, seen) if out != key else [key])
    return found


def _loop_clusters(nodes: Mapping[str, JSON], order: list[str], ids: Mapping[str, str]) -> tuple[GraphCluster, ...]:
    """One cluster per loop: the ``base(N:...)`` children of one parent."""
    parent_of: dict[str, str] = {}
    for key in order:
        for child in nodes[key].get("children") or ():
            parent_of.setdefault(child, key)
    groups: dict[tuple[str, str], list[str]] = {}
    for key in order:
        match = _LOOP_CHILD.match(str(nodes[key].get("displayName") or ""))
        if match:
            groups.setdefault((parent_of.get(key, ""), match.group("base")), []).append(key)
    clusters = []
    for index, ((_, base), members) in enumerate(sorted(groups.items(), key=lambda item: ids[item[1][0]])):
        members.sort(key=lambda key: int(_LOOP_CHILD.match(str(nodes[key]["displayName"])).group("index")))  # type: ignore[union-attr]
        count = f"{len(members)} item" + ("" if len(members) == 1 else "s")
        clusters.append(GraphCluster(f"loop{index}", f"{base} ({count})", tuple(ids[k] for k in members)))
    return tuple(clusters)
