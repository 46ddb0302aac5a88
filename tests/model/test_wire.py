"""``argoctl.model.wire.workflow_output`` is ``WorkflowState.from_wire(stored).to_wire()``, byte
for byte (``get`` prints it without building the state): over the conformance corpus driven by
the engine (each workflow pending, one step in, and finished), and over odd stored shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from argoctl.engine.simulate import new_workflow, simulate
from argoctl.model.wire import workflow_output
from argoctl.model.workflow import WorkflowState

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "cases"


def _same(stored: dict[str, Any]) -> None:
    expected = json.dumps(WorkflowState.from_wire(stored).to_wire(), indent=4)
    assert json.dumps(workflow_output(stored), indent=4) == expected


def _manifests() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(CASES.glob("*/*.yaml")):
        doc = next((d for d in yaml.safe_load_all(path.read_text()) if isinstance(d, dict)
                    and d.get("kind") == "Workflow"), None)
        if doc is not None:
            found.append((path.parent.name, doc))
    return found


def test_the_corpus_round_trips_alike_at_every_stage() -> None:
    manifests = _manifests()
    assert len(manifests) > 150, f"the conformance corpus is missing from {CASES}"
    checked = 0
    for _, manifest in manifests:
        state = new_workflow(manifest, name="wf")
        _same(state.to_wire(internal=True))
        for steps in (1, 4, 300):
            try:
                later = simulate(state, max_steps=steps).state
            except Exception:  # a manifest the plain simulation cannot run: its
                break  # pending state was compared above
            _same(later.to_wire(internal=True))
            _same(later.to_wire())
            checked += 1
    assert checked > 300


@pytest.mark.parametrize("status", [
    {},
    {"phase": None, "finishedAt": None, "message": "", "progress": "9/9"},
    {"phase": "Running", "startedAt": "2024-01-01T00:00:00Z", "extra": {"a": 1}, "x-argoctl": {"outbox": []}},
    {"nodes": {"n": {"id": "n", "name": "wf"}}},
    {"nodes": {"a": {"id": "a", "name": "wf", "type": "Steps", "children": ["b", "c"], "progress": "0/0",
                     "x-argoctl": {"pod": "p"}, "inputs": {}, "outputs": None, "estimatedDuration": 0,
                     "daemoned": False, "templateScope": "", "unknown": 1},
               "b": {"id": "b", "name": "wf.b", "displayName": None, "phase": "Succeeded", "children": []},
               "c": {"id": "c", "name": "wf.c", "type": None, "phase": "Failed", "outboundNodes": ["c"],
                     "failedPodRestarts": 2, "message": "boom"}},
     "storedTemplates": {"t": {"name": "t"}}, "conditions": [{"type": "Completed", "status": "True"}],
     "outputs": {"parameters": []}, "storedWorkflowTemplateSpec": {"entrypoint": "m"}, "zz": None},
    {"nodes": {"a": {"id": "a", "name": "a", "type": "DAG", "children": ["b", "c"]},
               "b": {"id": "b", "name": "b", "children": ["d"]}, "c": {"id": "c", "name": "c", "children": ["d"]},
               "d": {"id": "d", "name": "d", "phase": "Succeeded"}}},  # a shared child: walked node by node
])
def test_odd_stored_shapes_round_trip_alike(status: dict[str, Any]) -> None:
    _same({"apiVersion": "v1", "kind": "Other", "metadata": {"name": "wf", "labels": {"a": "b"}},
           "spec": {"entrypoint": "main"}, "status": status})
    _same({"metadata": None, "status": status})
