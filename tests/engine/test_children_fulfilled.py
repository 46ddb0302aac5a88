"""``NodeTable.children_fulfilled`` remembers what every walk settles (a long steps chain asks
once per step group); its answers must stay those of the plain definition: every leaf below the
node is fulfilled. Checked on random graphs with shared children, queried in random orders, with
nodes changing between queries."""

from __future__ import annotations

import random

import pytest

from argoctl.engine.node_table import NodeTable
from argoctl.engine.nodeindex import NodeIndex
from argoctl.model.node import Node

PHASES = ("Pending", "Running", "Succeeded", "Failed", "Error", "Skipped", "Omitted")


def _plain(nodes: dict[str, Node], node: Node) -> bool:
    seen: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        if not current.children:
            if not current.fulfilled:
                return False
            continue
        stack.extend(nodes[c] for c in current.children if c in nodes)
    return True


def _graph(rng: random.Random, size: int) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for i in range(size):  # children only point forward: a DAG, with shared children
        later = list(range(i + 1, size))
        children = tuple(f"n{j}" for j in rng.sample(later, min(len(later), rng.choice((0, 0, 1, 1, 2, 3)))))
        nodes[f"n{i}"] = Node(id=f"n{i}", name=f"n{i}", display_name=f"n{i}", type="Pod", phase=rng.choice(PHASES),
                              children=children)
    return nodes


@pytest.mark.parametrize("seed", range(40))
def test_answers_match_the_plain_definition(seed: int) -> None:
    rng = random.Random(seed)
    nodes = _graph(rng, rng.randint(1, 40))
    table = NodeTable("wf", nodes, {}, "2026-01-01T00:00:00Z", NodeIndex(nodes))
    for _ in range(120):
        if rng.random() < 0.2:  # a node changes: what was settled may not hold any more
            changed = table.nodes[rng.choice(list(table.nodes))]
            table.put(changed.with_(phase=rng.choice(PHASES)))
        node = table.nodes[rng.choice(list(table.nodes))]
        assert table.children_fulfilled(node) == _plain(table.nodes, node), (seed, node.id)


def test_a_steps_chain_is_walked_once_per_change() -> None:
    """Each step group of a chain holds the rest of the chain: asking every group walks each node
    once, not once per group."""
    size = 200
    nodes = {f"n{i}": Node(id=f"n{i}", name=f"n{i}", display_name=f"n{i}", type="StepGroup", phase="Succeeded",
                           children=(f"n{i + 1}",) if i + 1 < size else ()) for i in range(size)}
    table = NodeTable("wf", nodes, {}, "2026-01-01T00:00:00Z", NodeIndex(nodes))
    looked_up: list[str] = []
    by_id = table.by_id
    table.by_id = lambda nid: (looked_up.append(nid), by_id(nid))[1]  # type: ignore[method-assign]
    assert all(table.children_fulfilled(table.nodes[f"n{i}"]) for i in range(size))
    assert len(looked_up) <= size
