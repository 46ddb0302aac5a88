"""``node_progress``: the one-pass sums for trees give what walking each node gives, on random graphs."""

from __future__ import annotations

import random

import pytest

from argoctl.model import phases as ph
from argoctl.model import progress
from argoctl.model.node import Node

_TYPES = (ph.POD, ph.POD, "Steps", "StepGroup", "DAG", ph.SUSPEND, "Retry")
_PHASES = (ph.SUCCEEDED, ph.FAILED, "Running", ph.SKIPPED, "Pending", ph.OMITTED)


def _graph(rng: random.Random, size: int, *, shared: bool) -> dict[str, Node]:
    ids = [f"n{i}" for i in range(size)]
    children: dict[str, list[str]] = {nid: [] for nid in ids}
    for i in range(1, size):
        children[ids[rng.randrange(i)]].append(ids[i])  # a tree: one parent each
        if shared and rng.random() < 0.3:  # a DAG: a second parent (and once a missing child)
            children[ids[rng.randrange(i)]].append(ids[i])
    if shared:
        children[ids[0]].append("gone")
    return {nid: Node(id=nid, name=nid, display_name=nid, type=rng.choice(_TYPES),
                      phase=rng.choice(_PHASES), children=tuple(children[nid])) for nid in ids}


@pytest.mark.parametrize("shared", [False, True])
def test_sums_match_walking_each_node(shared: bool) -> None:
    rng = random.Random(11)
    for _ in range(200):
        nodes = _graph(rng, rng.randrange(1, 40), shared=shared)
        assert progress.node_progress(nodes) == progress._walk_each(nodes)


def test_a_chain_is_summed_without_walking_each_node() -> None:
    nodes = {f"g{i}": Node(id=f"g{i}", name="g", display_name="g", type="StepGroup",
                           children=(f"p{i}",)) for i in range(3)}
    nodes.update({f"p{i}": Node(id=f"p{i}", name="p", display_name="p", type=ph.POD,
                                phase=ph.SUCCEEDED if i < 2 else "Running",
                                children=(f"g{i + 1}",) if i < 2 else ()) for i in range(3)})
    assert progress._tree_sums(nodes) is not None
    assert progress.node_progress(nodes) == {"g0": "2/3", "g1": "1/2", "g2": "0/1",
                                             "p0": "1/1", "p1": "1/1", "p2": "0/1"}


def test_a_cycle_falls_back_to_walking() -> None:
    nodes = {nid: Node(id=nid, name=nid, display_name=nid, type=ph.POD, children=(other,))
             for nid, other in (("a", "b"), ("b", "a"))}
    assert progress._tree_sums(nodes) is None
    assert progress.node_progress(nodes) == {"a": "0/1", "b": "0/1"}
