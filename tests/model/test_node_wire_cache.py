"""``WorkflowState.to_wire(node_cache=...)``: the driver's saves re-encode only changed nodes;
the document must be the one an uncached encoding gives, save after save."""

from __future__ import annotations

from argoctl.model.node import Node
from argoctl.model.workflow import NodeWireCache, WorkflowState

WIRE = {
    "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
    "metadata": {"name": "wf", "namespace": "default"},
    "spec": {"entrypoint": "main", "templates": [{"name": "main", "container": {"image": "x"}}]},
    "status": {"phase": "Running", "startedAt": "2026-01-01T00:00:00Z", "nodes": {
        "wf": {"id": "wf", "name": "wf", "displayName": "wf", "type": "Steps", "phase": "Running",
               "children": ["wf-1"]},
        "wf-1": {"id": "wf-1", "name": "wf[0]", "displayName": "[0]", "type": "StepGroup", "phase": "Running",
                 "boundaryID": "wf", "children": ["wf-2", "wf-3"]},
        "wf-2": {"id": "wf-2", "name": "wf[0].a", "displayName": "a", "type": "Pod", "phase": "Pending",
                 "boundaryID": "wf", "x-argoctl": {"pod": "wf-a-2"}},
        "wf-3": {"id": "wf-3", "name": "wf[0].b", "displayName": "b", "type": "Pod", "phase": "Running",
                 "boundaryID": "wf"},
    }},
}


def test_cached_saves_equal_uncached_ones_as_nodes_change_and_go() -> None:
    cache: NodeWireCache = {}
    state = WorkflowState.from_wire(WIRE)
    assert state.to_wire(internal=True, node_cache=cache) == state.to_wire(internal=True)
    first = dict(cache)
    done = state.nodes["wf-2"].with_(phase="Succeeded", finished_at="2026-01-01T00:00:01Z")
    state = state.with_nodes({"wf-2": done})
    again = state.to_wire(internal=True, node_cache=cache)
    assert again == state.to_wire(internal=True)
    assert again["status"]["nodes"]["wf-2"]["phase"] == "Succeeded"
    assert cache["wf-3"] is first["wf-3"] and cache["wf-2"] is not first["wf-2"]  # only the changed one
    again["status"]["nodes"]["wf-3"]["phase"] = "Mangled"  # a caller's edit reaches no cache entry
    assert state.to_wire(internal=True, node_cache=cache) == state.to_wire(internal=True)
    fewer = state.with_(nodes={k: v for k, v in state.nodes.items() if k != "wf-3"})
    assert fewer.to_wire(internal=True, node_cache=cache) == fewer.to_wire(internal=True)
    assert set(cache) == {"wf", "wf-1", "wf-2"}


def test_a_node_is_matched_by_identity_not_by_id() -> None:
    cache: NodeWireCache = {}
    state = WorkflowState.from_wire(WIRE)
    state.to_wire(node_cache=cache)
    same_id = Node(id="wf-3", name="wf[0].b", display_name="b", type="Pod", phase="Failed", boundary_id="wf")
    changed = state.with_nodes({"wf-3": same_id})
    assert changed.to_wire(node_cache=cache)["status"]["nodes"]["wf-3"]["phase"] == "Failed"
