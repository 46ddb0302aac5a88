"""Artifact GC rules (``argoctl.runtime.artifactgc``): which artifacts each strategy deletes, and
what the workflow records, as Argo's controller does."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.artifacts import ArtifactError
from argoctl.runtime import artifactgc as gc

JSON = dict[str, Any]


def workflow(spec_strategy: str | None, *artifacts: JSON, node_type: str = "Pod") -> JSON:
    spec: JSON = {"artifactGC": {"strategy": spec_strategy}} if spec_strategy else {}
    nodes = {"n1": {"id": "n1", "type": node_type, "outputs": {"artifacts": [dict(a) for a in artifacts]}}}
    return {"metadata": {"name": "wf"}, "spec": spec, "status": {"phase": "Succeeded", "nodes": nodes}}


def art(name: str, strategy: str | None = None) -> JSON:
    artifact: JSON = {"name": name, "s3": {"key": f"wf/{name}.tgz"}}
    if strategy:
        artifact["artifactGC"] = {"strategy": strategy}
    return artifact


@pytest.mark.parametrize("spec, own, want", [
    (None, None, "Never"),
    ("OnWorkflowCompletion", None, "OnWorkflowCompletion"),
    ("OnWorkflowCompletion", "Never", "Never"),
    (None, "OnWorkflowDeletion", "OnWorkflowDeletion"),
    ("OnWorkflowDeletion", "OnWorkflowCompletion", "OnWorkflowCompletion"),
])
def test_the_artifacts_strategy_wins_over_the_workflows(spec: str | None, own: str | None, want: str) -> None:
    wf = workflow(spec, art("a", own))
    assert gc.strategy_of(wf, wf["status"]["nodes"]["n1"]["outputs"]["artifacts"][0]) == want


def test_a_workflow_template_strategy_applies_when_the_workflow_sets_none() -> None:
    wf = workflow(None, art("a"))
    wf["status"]["storedWorkflowTemplateSpec"] = {"artifactGC": {"strategy": "OnWorkflowDeletion"}}
    assert gc.pending(wf, gc.ON_DELETION) == [art("a")]


def test_completion_deletes_only_its_artifacts_and_records_it() -> None:
    wf = workflow("OnWorkflowCompletion", art("a"), art("b", "OnWorkflowDeletion"), art("c", "Never"))
    deleted: list[str] = []
    updated, errors = gc.collect(wf, [gc.ON_COMPLETION], lambda a: deleted.append(a["name"]))
    assert errors == [] and deleted == ["a"] and updated is not None
    artifacts = updated["status"]["nodes"]["n1"]["outputs"]["artifacts"]
    assert [a.get("deleted") for a in artifacts] == [True, None, None]
    assert updated["status"]["artifactGCStatus"] == {"strategiesProcessed": {"OnWorkflowCompletion": True}}
    assert "deleted" not in wf["status"]["nodes"]["n1"]["outputs"]["artifacts"][0]  # the input is not changed
    assert gc.collect(updated, [gc.ON_COMPLETION], lambda a: deleted.append("again")) == (None, [])
    assert not gc.all_deleted(updated)
    final, _ = gc.collect(updated, [gc.ON_COMPLETION, gc.ON_DELETION], lambda a: deleted.append(a["name"]))
    assert final is not None and deleted == ["a", "b"] and gc.all_deleted(final)


def test_failures_become_the_artifact_gc_error_condition() -> None:
    wf = workflow("OnWorkflowDeletion", art("a"), art("b"))

    def delete(artifact: JSON) -> None:
        if artifact["name"] == "a":
            raise ArtifactError("failed to delete artifact a: access denied")

    updated, errors = gc.collect(wf, [gc.ON_DELETION], delete)
    assert errors == ["failed to delete artifact a: access denied"] and updated is not None
    assert updated["status"]["conditions"] == [
        {"type": "ArtifactGCError", "status": "True", "message": "failed to delete artifact a: access denied"}]
    assert [a.get("deleted") for a in updated["status"]["nodes"]["n1"]["outputs"]["artifacts"]] == [None, True]
    assert not gc.all_deleted(updated)


def test_nothing_happens_without_artifact_gc_or_outside_pod_nodes() -> None:
    assert gc.collect(workflow(None, art("a")), [gc.ON_COMPLETION, gc.ON_DELETION], print) == (None, [])
    steps = workflow("OnWorkflowCompletion", art("a"), node_type="Steps")
    assert not gc.has_gc(steps)
    assert gc.force_removal({"spec": {"artifactGC": {"forceFinalizerRemoval": True}}})
