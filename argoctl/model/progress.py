"""``status.progress`` and each node's ``progress`` ("done/total"), derived as Argo's progress
updater does: executable nodes count 0/1 until they Succeed (or are Skipped/Omitted); other nodes
sum the executable nodes reachable through their children."""

from __future__ import annotations

from collections.abc import Mapping

from argoctl.model import phases as ph

TYPE_CHECKING = False
if TYPE_CHECKING:  # read only for type, phase and children (``argoctl.model.wire`` passes lighter shapes)
    from argoctl.model.node import Node

_DONE = frozenset({ph.SUCCEEDED, ph.SKIPPED, ph.OMITTED})


def _own(node: Node) -> tuple[int, int]:
    return (1 if node.phase in _DONE else 0, 1)


def node_progress(nodes: Mapping[str, Node]) -> dict[str, str]:
    """``{node id: "done/total"}`` for every node with a valid (non-zero total) progress."""
    sums = _tree_sums(nodes)
    if sums is not None:
        out = {}
        for nid, node in nodes.items():
            done, total = _own(node) if node.type in ph.PROGRESS_TYPES else sums[nid]
            if total:
                out[nid] = f"{done}/{total}"
        return out
    return _walk_each(nodes)


def _tree_sums(nodes: Mapping[str, Node]) -> dict[str, tuple[int, int]] | None:
    """Each node's sum over the executable nodes below it, in one pass, when no node has two
    parents (a chain of steps, a fan-out: the sums cannot count a node twice); None otherwise
    (a DAG's shared dependencies, a cycle), where each node is walked on its own."""
    parents: dict[str, int] = {}
    for node in nodes.values():
        for child_id in node.children:
            if child_id in nodes:
                if child_id in parents:
                    return None
                parents[child_id] = 1
    order: list[str] = []
    stack = [nid for nid in nodes if nid not in parents]
    while stack:
        nid = stack.pop()
        order.append(nid)
        stack.extend(c for c in nodes[nid].children if c in nodes)
    if len(order) != len(nodes):  # a cycle nothing leads into
        return None
    sums: dict[str, tuple[int, int]] = {}
    for nid in reversed(order):  # children before their parent
        done = total = 0
        for child_id in nodes[nid].children:
            if child_id not in nodes:
                continue
            child = nodes[child_id]
            d, t = sums[child_id]
            if child.type in ph.PROGRESS_TYPES:
                own_d, own_t = _own(child)
                d, t = d + own_d, t + own_t
            done, total = done + d, total + t
        sums[nid] = (done, total)
    return sums


def _walk_each(nodes: Mapping[str, Node]) -> dict[str, str]:
    out: dict[str, str] = {}
    for nid, node in nodes.items():
        if node.type in ph.PROGRESS_TYPES:
            done, total = _own(node)
        else:
            done = total = 0
            seen: set[str] = set()
            stack = list(node.children)
            while stack:
                child_id = stack.pop()
                if child_id in seen:
                    continue
                seen.add(child_id)
                child = nodes.get(child_id)
                if child is None:
                    continue
                stack.extend(child.children)
                if child.type in ph.PROGRESS_TYPES:
                    d, t = _own(child)
                    done, total = done + d, total + t
        if total:
            out[nid] = f"{done}/{total}"
    return out


def workflow_progress(nodes: Mapping[str, Node]) -> str:
    done = total = 0
    for node in nodes.values():
        if node.type in ph.PROGRESS_TYPES:
            d, t = _own(node)
            done, total = done + d, total + t
    return f"{done}/{total}"
