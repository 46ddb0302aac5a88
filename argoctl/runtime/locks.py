"""Synchronization locks shared by the drivers of one namespace.

Argo keeps its locks in the controller's memory; argoctl has one driver per workflow, so the
locks live where every driver can see them: in the workflows' own ``status.synchronization``
(what each holds) and their waiting nodes (what each waits for). A driver whose workflow uses
``synchronization`` runs each engine step inside a namespace-wide critical section, a store
lease named :data:`SECTION`: it takes the lease, reads the other workflows' holds and waits,
steps, persists the new state and only then gives the lease back. Every acquisition is therefore
decided against holds that are already persisted, and two drivers can never both take the last
slot of a lock. The lease expires after :data:`SECTION_TTL` seconds if its driver dies.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from argoctl.engine import sync
from argoctl.engine.types import EngineEnv, LockWaiter
from argoctl.errors import ConflictError, NotFoundError
from argoctl.model import phases as ph
from argoctl.model.workflow import LABEL_COMPLETED, WorkflowState
from argoctl.stores.base import Store

JSON = dict[str, Any]
# a name no Kubernetes workflow is likely to have (the stores key leases by workflow name)
SECTION = "synchronization.argoctl.io"
SECTION_TTL = 10.0
RETRY_SECONDS = 0.02
# how often a workflow waiting for a lock another workflow holds looks again
POLL_SECONDS = 1.0


def uses_synchronization(state: WorkflowState, env: EngineEnv) -> bool:
    """The workflow (its spec, stored or referenced templates) mentions ``synchronization``."""
    if state.status_extra.get("synchronization"):
        return True
    parts: list[Any] = [state.spec, state.stored_workflow_template_spec, dict(state.stored_templates)]
    if state.spec.get("workflowTemplateRef") or "templateRef" in json.dumps(state.spec):
        parts.append(dict(env.workflow_templates))
    return '"synchronization"' in json.dumps(parts)


def waiting_for_lock(state: WorkflowState) -> bool:
    status = state.status_extra.get("synchronization") or {}
    if state.phase == ph.PENDING and status:
        return True
    return any(n.synchronization_status and not n.fulfilled for n in state.nodes.values())


@contextmanager
def critical_section(store: Store, holder: str, *, on_wait: Callable[[], None] = lambda: None,
                     is_dead: Callable[[str], bool] = lambda _holder: False,
                     clock: Callable[[], float] = time.time,
                     sleep: Callable[[float], None] = time.sleep) -> Iterator[None]:
    """Hold the namespace's synchronization lease for the duration of the block; a holder that
    ``is_dead`` (a crashed driver of this machine) is evicted instead of waited out."""
    while True:
        try:
            store.acquire_lease(SECTION, holder, SECTION_TTL, clock())
            break
        except ConflictError:
            current = store.get_lease(SECTION)
            if current is not None and current.holder != holder and is_dead(current.holder):
                store.release_lease(SECTION, current.holder)
                continue
            on_wait()
            sleep(RETRY_SECONDS)
    try:
        yield
    finally:
        store.release_lease(SECTION, holder)


def _refs(spec: Mapping[str, Any] | None, namespace: str) -> list[str]:
    block = (spec or {}).get("synchronization")
    if not block:
        return []
    try:
        return [ref.key for ref in sync.lock_refs(block, namespace)]
    except sync.SyncError:
        return []


def _waiter(obj: JSON, holder: str) -> LockWaiter:
    metadata, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    priority = spec.get("priority")
    return LockWaiter(holder=holder, priority=priority if isinstance(priority, int) else 0,
                      created=str(metadata.get("creationTimestamp") or ""))


def _holds(status: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    block = status.get("synchronization") or {}
    for entry in (block.get("semaphore") or {}).get("holding") or ():
        for holder in entry.get("holders") or ():
            yield str(entry.get("semaphore")), str(holder)
    for entry in (block.get("mutex") or {}).get("holding") or ():
        if entry.get("holder"):
            yield str(entry.get("mutex")), str(entry["holder"])


def others(store: Store, state: WorkflowState, now: float | None = None,
           ) -> tuple[dict[str, list[str]], dict[str, list[LockWaiter]]]:
    """Holds and waits of the namespace's other unfinished workflows, by lock key.

    Every recorded hold counts (a workflow whose driver died keeps its locks until a driver
    takes it over, as Argo keeps them across controller restarts); a wait counts only while the
    waiting workflow has a live driver, so an abandoned waiter cannot hold a queue up forever.
    """
    now = time.time() if now is None else now
    holders: dict[str, list[str]] = {}
    waiters: dict[str, list[LockWaiter]] = {}
    for summary in store.list_workflows({LABEL_COMPLETED: "false"}):
        metadata, status = summary.get("metadata") or {}, summary.get("status") or {}
        name, namespace = str(metadata.get("name", "")), str(metadata.get("namespace") or state.namespace)
        if name == state.name or status.get("phase") in ph.COMPLETED_PHASES:
            continue
        for lock, holder in _holds(status):
            holders.setdefault(lock, []).append(holder)
        waiting = status.get("phase") == ph.PENDING or bool(status.get("synchronization"))
        if waiting and _driven(store, name, now):
            _waits(store, summary, name, namespace, waiters)
    return holders, waiters


def _driven(store: Store, name: str, now: float) -> bool:
    lease = store.get_lease(name)
    return lease is not None and not lease.expired(now)


def _waits(store: Store, summary: JSON, name: str, namespace: str, waiters: dict[str, list[LockWaiter]]) -> None:
    """A Pending workflow waits for its workflow-level locks; a running one for the locks its
    nodes' ``synchronizationStatus.waiting`` name (only the full object has those)."""
    spec = summary.get("spec") or {}
    status = summary.get("status") or {}
    if status.get("phase") == ph.PENDING and not spec.get("workflowTemplateRef"):
        for lock in _refs(spec, namespace):
            waiters.setdefault(lock, []).append(_waiter(summary, f"{namespace}/{name}"))
        return
    try:
        whole = store.get_workflow(name)
    except NotFoundError:  # deleted meanwhile: it waits for nothing any more
        return
    whole_status = whole.get("status") or {}
    if whole_status.get("phase") == ph.PENDING:
        merged = {**(whole_status.get("storedWorkflowTemplateSpec") or {}), **(whole.get("spec") or {})}
        for lock in _refs(merged, namespace):
            waiters.setdefault(lock, []).append(_waiter(whole, f"{namespace}/{name}"))
        return
    for nid, node in (whole_status.get("nodes") or {}).items():
        wanted = (node.get("synchronizationStatus") or {}).get("waiting")
        if wanted and node.get("phase") == ph.PENDING:
            waiters.setdefault(str(wanted), []).append(_waiter(whole, f"{namespace}/{name}/{nid}"))


def with_others(env: EngineEnv, store: Store, state: WorkflowState) -> EngineEnv:
    """``env`` with the other workflows' holds and waits, and the ConfigMaps read again (Argo
    reads a semaphore's limit on every acquisition, so a changed limit applies at once)."""
    holders, waiters = others(store, state)
    shared_holders: Mapping[str, Sequence[str]] = holders
    shared_waiters: Mapping[str, Sequence[LockWaiter]] = waiters
    maps = {str((obj.get("metadata") or {}).get("name", "")): {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
            for obj in store.list_objects("ConfigMap")}
    return replace(env, lock_holders=shared_holders, lock_waiters=shared_waiters, config_maps=maps)
