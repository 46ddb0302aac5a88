"""Mutexes and semaphores (Argo's ``synchronization``), decided inside one engine step.

Locks are named as Argo names them: ``<ns>/Mutex/<name>`` and ``<ns>/ConfigMap/<configmap>/<key>``
(``<ns>/Database/<name>`` parses, but argoctl has no lock database, so using one fails as it does
on an Argo controller without one). A holder is ``<ns>/<workflow>`` for the workflow-level lock
and ``<ns>/<workflow>/<node id>`` for a template-level lock.

This workflow's holds and waits live in ``status.synchronization`` in Argo's shape, so a lock's
holders inside one workflow are read from the state itself; holders and waiters in *other*
workflows come in through ``EngineEnv.lock_holders`` / ``EngineEnv.lock_waiters`` (empty when one
driver runs one workflow). A semaphore's limit is the integer in its ConfigMap key
(``EngineEnv.config_maps``), read again on every step as Argo does with no limit cache.

Order: a waiter of another workflow that is ahead in the queue (higher ``spec.priority``, then
earlier creation) blocks an acquisition even when a slot is free; inside one workflow Argo does
not order waiters (any node of the workflow at the front may take the slot), so nodes acquire in
the order the reconcile reaches them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from argoctl.engine.operation import Operation
from argoctl.model import phases as ph
from argoctl.model.node import Node

JSON = dict[str, Any]
MUTEX = "Mutex"
SEMAPHORE = "Semaphore"


class SyncError(Exception):
    """The synchronization spec cannot be acquired at all (Argo's non-transient ``syncErr``)."""


@dataclass(frozen=True, slots=True)
class LockRef:
    """One mutex or semaphore of a ``synchronization`` block, with Argo's lock key."""

    key: str
    kind: str  # MUTEX | SEMAPHORE
    namespace: str
    config_map: str = ""
    config_key: str = ""
    database: bool = False


@dataclass(frozen=True, slots=True)
class Attempt:
    """The outcome of one ``try_acquire``: acquired, or the waiting message and lock."""

    acquired: bool
    message: str = ""
    lock: str = ""


def _semaphore_ref(sem: Mapping[str, Any], namespace: str) -> LockRef:
    ns = str(sem.get("namespace") or namespace)
    cm, db = sem.get("configMapKeyRef"), sem.get("database")
    if cm is not None and db is not None:
        raise SyncError("requested configuration is invalid: invalid semaphore with both ConfigMapKeyRef and Database")
    if cm is not None:
        name, key = str(cm.get("name", "")), str(cm.get("key", ""))
        return LockRef(f"{ns}/ConfigMap/{name}/{key}", SEMAPHORE, ns, config_map=name, config_key=key)
    if db is not None:
        return LockRef(f"{ns}/Database/{db.get('key', '')}", SEMAPHORE, ns, database=True)
    raise SyncError("requested configuration is invalid: "
                    "cannot get LockName for a Semaphore without a ConfigMapRef or Database")


def _mutex_ref(mutex: Mapping[str, Any], namespace: str) -> LockRef:
    ns = str(mutex.get("namespace") or namespace)
    kind = "Database" if mutex.get("database") else MUTEX
    return LockRef(f"{ns}/{kind}/{mutex.get('name', '')}", MUTEX, ns, database=bool(mutex.get("database")))


def lock_refs(sync: Mapping[str, Any], namespace: str) -> list[LockRef]:
    """The locks of a ``synchronization`` block, semaphores first as Argo lists them.

    The singular ``semaphore``/``mutex`` of Argo before v4 are accepted as one more entry each.
    """
    semaphores = [*(sync.get("semaphores") or ()), *((sync["semaphore"],) if sync.get("semaphore") else ())]
    mutexes = [*(sync.get("mutexes") or ()), *((sync["mutex"],) if sync.get("mutex") else ())]
    items = [("s", s) for s in semaphores] + [("m", m) for m in mutexes]
    for i, item in enumerate(items):
        if item in items[i + 1:]:
            raise SyncError("requested configuration is invalid: duplicate synchronization item found")
    return [_semaphore_ref(spec, namespace) if kind == "s" else _mutex_ref(spec, namespace)
            for kind, spec in items]


def _atoi(text: str) -> int | None:
    """Go's ``strconv.Atoi``: an optional sign and decimal digits, nothing else."""
    body = text[1:] if text[:1] in ("+", "-") else text
    return int(text) if body.isascii() and body.isdigit() else None


def limit_of(op: Operation, ref: LockRef) -> int:
    if ref.database:
        what = "semaphore" if ref.kind == SEMAPHORE else "mutex"
        raise SyncError(f"database session is not available for {what} {ref.key}")
    if ref.kind == MUTEX:
        return 1
    data = op.env.config_maps.get(ref.config_map) if ref.namespace == op.namespace else None
    value = _atoi(str((data or {}).get(ref.config_key, "")))
    if not value:
        raise SyncError(f"failed to initialize semaphore {ref.key} with limit")
    return value


# ---- status.synchronization (Argo's SynchronizationStatus) ---------------------------------


def _status(op: Operation) -> JSON:
    """This step's own copy of ``status.synchronization`` to write to (the input state's dicts
    are shared with it, and a step never changes its input)."""
    current = op.status_extra.get("synchronization")
    status: JSON = {}
    if isinstance(current, dict):
        shared = current is op.state.status_extra.get("synchronization")
        status = copy.deepcopy(current) if shared else current
    op.status_extra["synchronization"] = status
    return status


def _section(op: Operation, kind: str) -> JSON:
    status = _status(op)
    key = "semaphore" if kind == SEMAPHORE else "mutex"
    section = status.get(key)
    if not isinstance(section, dict):
        section = status[key] = {}
    return section


def own_holders(op: Operation, lock: str) -> list[str]:
    """Holders of ``lock`` recorded in this workflow's status."""
    status = op.status_extra.get("synchronization") or {}
    found: list[str] = []
    for entry in (status.get("semaphore") or {}).get("holding") or ():
        if entry.get("semaphore") == lock:
            found.extend(str(h) for h in entry.get("holders") or ())
    for entry in (status.get("mutex") or {}).get("holding") or ():
        if entry.get("mutex") == lock and entry.get("holder"):
            found.append(str(entry["holder"]))
    return found


def holders_of(op: Operation, lock: str) -> list[str]:
    others = [h for h in op.env.lock_holders.get(lock, ()) if not _of_workflow(op, h)]
    return own_holders(op, lock) + others


def held_by(op: Operation) -> list[tuple[str, str]]:
    """(lock, holder) for every hold recorded in this workflow's status."""
    status = op.status_extra.get("synchronization") or {}
    pairs = [(str(e.get("semaphore")), str(h)) for e in (status.get("semaphore") or {}).get("holding") or ()
             for h in e.get("holders") or ()]
    pairs += [(str(e.get("mutex")), str(e.get("holder"))) for e in (status.get("mutex") or {}).get("holding") or ()]
    return pairs


def _record_acquired(op: Operation, ref: LockRef, holder: str) -> None:
    section = _section(op, ref.kind)
    holding: list[JSON] = list(section.get("holding") or [])
    if ref.kind == MUTEX:
        entry = {"mutex": ref.key, "holder": holder}
        index = next((i for i, e in enumerate(holding) if e.get("mutex") == ref.key), len(holding))
        section["holding"] = [*holding[:index], entry, *holding[index + 1:]]
        return
    for i, entry in enumerate(holding):
        if entry.get("semaphore") == ref.key:
            holders = list(entry.get("holders") or [])
            if holder not in holders:
                holding[i] = {**entry, "holders": [*holders, holder]}
            break
    else:
        holding.append({"semaphore": ref.key, "holders": [holder]})
    section["holding"] = holding
    waiting: list[JSON] = []
    for entry in section.get("waiting") or ():
        rest = [h for h in entry.get("holders") or () if h != holder]
        if entry.get("semaphore") != ref.key:
            waiting.append(entry)
        elif rest:
            waiting.append({**entry, "holders": rest})
    _set_list(section, "waiting", waiting)


def _record_waiting(op: Operation, ref: LockRef, current: Sequence[str]) -> None:
    """Argo's ``LockWaiting``: the waiting entry lists the lock's current holders (a mutex's
    first holder; none recorded for a mutex nobody holds)."""
    if ref.kind == MUTEX and not current:
        return
    section = _section(op, ref.kind)
    name_key = "semaphore" if ref.kind == SEMAPHORE else "mutex"
    entry: JSON = ({"semaphore": ref.key, "holders": list(current)} if ref.kind == SEMAPHORE
                   else {"mutex": ref.key, "holder": current[0]})
    waiting: list[JSON] = list(section.get("waiting") or ())
    for i, existing in enumerate(waiting):
        if existing.get(name_key) == ref.key:
            waiting[i] = entry
            break
    else:
        waiting.append(entry)
    section["waiting"] = waiting


def _set_list(section: JSON, key: str, items: list[JSON]) -> None:
    if items:
        section[key] = items
    else:
        section.pop(key, None)


def release(op: Operation, holder: str) -> bool:
    """Argo's ``Release``/``LockReleased`` for every lock ``holder`` holds; True if any."""
    if not isinstance(op.status_extra.get("synchronization"), dict):
        return False
    status = _status(op)
    released = False
    sem = status.get("semaphore")
    if isinstance(sem, dict):
        holding = []
        for entry in sem.get("holding") or ():
            holders = list(entry.get("holders") or ())
            if holder in holders:
                released = True
                rest = [h for h in holders if h != holder]
                entry = {k: v for k, v in entry.items() if k != "holders"} | ({"holders": rest} if rest else {})
            holding.append(entry)
        _set_list(sem, "holding", holding)
    mutex = status.get("mutex")
    if isinstance(mutex, dict):
        kept = [e for e in mutex.get("holding") or () if e.get("holder") != holder]
        released = released or len(kept) != len(mutex.get("holding") or ())
        _set_list(mutex, "holding", kept)
    return released


def release_all(op: Operation) -> None:
    """Argo's ``ReleaseAll`` when the workflow is fulfilled: no status, no node waiting."""
    op.status_extra.pop("synchronization", None)
    for node in list(op.all_nodes().values()):
        if node.synchronization_status:
            op.put(node.with_(synchronization_status=None))


# ---- acquiring ---------------------------------------------------------------------------


def workflow_holder(op: Operation) -> str:
    return f"{op.namespace}/{op.wf_name}"


def node_holder(op: Operation, node_id: str) -> str:
    return f"{op.namespace}/{op.wf_name}/{node_id}"


def _of_workflow(op: Operation, holder: str) -> bool:
    parts = holder.split("/")
    return len(parts) >= 2 and parts[0] == op.namespace and parts[1] == op.wf_name


def _queue_position(op: Operation) -> tuple[int, str, str]:
    priority = op.spec.get("priority")
    created = str(op.metadata.get("creationTimestamp") or "")
    return -int(priority) if isinstance(priority, int) else 0, created, op.wf_name


def _ahead_of_us(op: Operation, lock: str, holder: str) -> bool:
    """A waiter of another workflow is before us in the lock's queue (priority, creation)."""
    ours = _queue_position(op)
    depth = len(holder.split("/"))
    for waiter in op.env.lock_waiters.get(lock, ()):
        if _of_workflow(op, waiter.holder) and len(waiter.holder.split("/")) == depth:
            continue
        workflow = waiter.holder.split("/")[1] if "/" in waiter.holder else waiter.holder
        if (-waiter.priority, waiter.created, workflow) < ours:
            return True
    return False


def try_acquire(op: Operation, holder: str, refs: Sequence[LockRef]) -> Attempt:
    """Argo's ``TryAcquire``: all of ``refs`` or none; raises SyncError when it never can."""
    message, failed = "", ""
    for ref in refs:
        holders = holders_of(op, ref.key)
        if holder in holders:
            continue
        limit = limit_of(op, ref)
        if (_ahead_of_us(op, ref.key, holder) or len(holders) >= limit) and not failed:
            message = f"Waiting for {ref.key} lock. Lock status: {limit - len(holders)}/{limit}"
            failed = ref.key
    for ref in refs:
        _section(op, ref.kind)
    if failed:
        for ref in refs:
            _record_waiting(op, ref, holders_of(op, ref.key))
        return Attempt(False, message, failed)
    for ref in refs:
        _record_acquired(op, ref, holder)
    return Attempt(True)


def release_fulfilled(op: Operation) -> bool:
    """Release template-level holds whose node is fulfilled (or gone); True if any was."""
    prefix = f"{op.namespace}/{op.wf_name}/"
    released = False
    for _lock, holder in held_by(op):
        if not holder.startswith(prefix):
            continue
        node = op.by_id(holder[len(prefix):])
        if node is None or node.fulfilled:
            released = release(op, holder) or released
    return released


def has_waiting_nodes(op: Operation) -> bool:
    return any(n.synchronization_status and n.synchronization_status.get("waiting") and not n.fulfilled
               for n in op.all_nodes().values())


def mark_waiting(op: Operation, node: Node, attempt: Attempt) -> Node:
    """Argo's ``markNodeWaitingForLock``: the lock in ``synchronizationStatus``, its message."""
    return op.put(node.with_(synchronization_status={"waiting": attempt.lock}, message=attempt.message))


def mark_acquired(op: Operation, node: Node) -> Node:
    """A waiting node got its locks: no sync status, no message, and a boundary node runs."""
    if not (node.synchronization_status and node.synchronization_status.get("waiting")):
        return node
    node = op.put(node.with_(synchronization_status=None, message=""))
    if node.type in (ph.STEPS, ph.DAG, ph.RETRY):
        node = op.mark_node(node, ph.RUNNING)
    return node
