"""Deleting a workflow: what ``argoctl delete``, ``ttlStrategy`` and the driver share.

Running pods are killed first; then artifact GC runs (``OnWorkflowDeletion``, and
``OnWorkflowCompletion`` if its driver never got to it). A failed artifact deletion keeps the
workflow, as Argo's finalizer does, unless ``force`` or ``spec.artifactGC.forceFinalizerRemoval``.
A finished workflow's last record goes to the archive before the live one is removed; then its pods
go, as Kubernetes' garbage collector removes the pods of a deleted Argo workflow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from argoctl.errors import BackendError

if TYPE_CHECKING:  # the deleting machinery is imported when something is deleted: ``list`` and
    # ``get`` call ``unexpired`` on every run, and nearly always nothing has expired
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from argoctl.backends.base import Backend
    from argoctl.model.workflow import WorkflowState
    from argoctl.runtime.artifactgc import ArtifactDeleter
    from argoctl.runtime.wiring import Wiring
    from argoctl.stores.base import Store


def delete_workflow(store: Store, state: WorkflowState, *, backend: Callable[[], Backend],
                    artifact_deleter: ArtifactDeleter | None, force: bool = False) -> None:
    from argoctl.stores.archive import archive

    pods = {str(node.extra["pod"]): node.fulfilled for node in state.nodes.values() if node.extra.get("pod")}
    if not state.completed:
        for pod, fulfilled in pods.items():
            if not fulfilled:
                backend().kill(pod, reason="workflow deleted")
    if artifact_deleter is not None:
        _collect_artifacts(store, state, artifact_deleter, force=force)
    if state.completed:  # the archive keeps what the live record held last (argoctl.stores.archive)
        archive(store, store.get_workflow(state.name))
    store.delete_workflow(state.name)
    if pods:
        backend().workflow_deleted(state.name, list(pods))


def _collect_artifacts(store: Store, state: WorkflowState, artifact_deleter: ArtifactDeleter, *, force: bool) -> None:
    from argoctl.runtime import artifactgc

    stored = store.get_workflow(state.name)
    updated, errors = artifactgc.collect(stored, [artifactgc.ON_COMPLETION, artifactgc.ON_DELETION],
                                         artifact_deleter(state))
    if updated is None or not errors or force or artifactgc.force_removal(stored):
        return
    store.update_workflow(updated)
    raise BackendError(f'workflow "{state.name}" was kept: artifact GC failed: {errors[-1]}',
                       hint="fix the artifact repository and delete again, or delete --force to leave the "
                            "artifacts behind")


def delete_history(wiring: Wiring, names: Sequence[str]) -> None:
    """Finished workflows a CronWorkflow's history limits let go, deleted as ``argoctl delete`` does
    (archive, artifact GC, their pods). One already gone is fine; one whose artifacts cannot be
    collected stays, as Argo's finalizer keeps it (the next ``argoctl delete`` says why)."""
    from argoctl.errors import ArgoctlError
    from argoctl.model.workflow import WorkflowState

    store = wiring.store()
    for name in names:
        try:
            delete_workflow(store, WorkflowState.from_wire(store.get_workflow(name)), backend=wiring.backend,
                            artifact_deleter=wiring.artifact_deleter)
        except ArgoctlError:  # not found (gone already), or kept by a failed artifact GC
            continue


def unexpired(wiring: Wiring, workflows: list[dict[str, Any]], now: datetime, *,
              report: Callable[[str], None]) -> list[dict[str, Any]]:
    """``ttlStrategy`` with no controller: the workflows whose TTL is over are deleted now (with
    their artifact GC) and left out; one whose artifacts cannot be collected stays (``report``
    says why)."""
    from argoctl.errors import ArgoctlError, NotFoundError
    from argoctl.runtime import ttl

    kept = []
    for workflow in workflows:
        if not ttl.expired(workflow, now):
            kept.append(workflow)
            continue
        from argoctl.model.workflow import WorkflowState

        try:
            delete_workflow(wiring.store(), WorkflowState.from_wire(workflow), backend=wiring.backend,
                            artifact_deleter=wiring.artifact_deleter)
        except NotFoundError:
            continue
        except ArgoctlError as err:
            report(f"argoctl: ttlStrategy: workflow {workflow['metadata']['name']} was not deleted: {err.message}")
            kept.append(workflow)
    return kept
