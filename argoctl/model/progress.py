"""``status.progress`` and each node's ``progress`` ("done/total"), derived as Argo's progress
updater does: executable nodes count 0/1 until they Succeed (or are Skipped/Omitted); other nodes
sum the executable nodes reachable through their children."""

from __future__ import annotations

from collections.abc import Mapping

from argoctl.model import phases as ph
from argoctl.model.node import Node

_DONE = frozenset({ph.SUCCEEDED, ph.SKIPPED, ph.OMITTED})


def _own(node: Node) -> tuple[int, int]:
    return (1 if node.phase in _DONE else 0, 1)


def node_progress(nodes: Mapping[str, Node]) -> dict[str, str]:
    """``{node id: "done/total"}`` for every node with a valid (non-zero total) progress."""
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
