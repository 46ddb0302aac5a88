"""The driver: the one loop that carries out what the engine decides.

    load -> take the lease -> replay the outbox, adopt running pods -> loop:
        engine.step -> persist (state written BEFORE acting) -> start/kill pods -> wait for events

Any argoctl process can pick a workflow up where another left off: finished steps are in the
persisted state and are never run again; pods an earlier driver started are adopted. Pods are
deleted as ``podGC`` says (``podgc``); once the workflow completes, its ``OnWorkflowCompletion``
artifacts are collected (``artifactgc``), and it is deleted at once if its ``ttlStrategy`` is
already over (``ttl``).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from argoctl import patience
from argoctl.backends.base import Backend
from argoctl.engine.reconcile import step
from argoctl.engine.types import Event, KillPod, RunPod, SaveMemo, WakeAt
from argoctl.errors import ArgoctlError, ConflictError, NotFoundError
from argoctl.model import phases as ph
from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.workflow import NodeWireCache, WorkflowState
from argoctl.runtime import artifactgc, commands, locks, podgc, ttl
from argoctl.runtime.artifactgc import ArtifactDeleter
from argoctl.runtime.environment import snapshot
from argoctl.stores.archive import archive
from argoctl.stores.base import Store

JSON = dict[str, Any]
POD_GC_LINGER = 60.0  # seconds a completed workflow's driver stays for delayed pod deletions
LEASE_TTL = 15.0
LEASE_RENEW = 5.0
COMMAND_POLL = 0.25
SAVE_DELAY = 0.25  # seconds a decision with nothing to carry out may wait to be saved with the next


def holder_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_dead(holder: str) -> bool:
    """True when a lease holder is a process of this host that no longer exists."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _quiet(update: PodUpdate) -> bool:
    """An update the engine acts on only by recording it: a pod still Pending or Running (not a
    daemon, whose Running lets its workflow go on)."""
    return update.phase in (ph.PENDING, ph.RUNNING) and not update.daemoned


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Saving:
    """The driver's last saved document and what is not saved yet."""

    stored: JSON
    state: WorkflowState | None = None  # the state ``stored`` was written from
    must: bool = True  # the next decision is saved whatever it is (the first; a command taken)
    since: float | None = None  # when the oldest decision not saved yet was made


@dataclass
class Driver:
    store: Store
    backend: Backend
    holder: str = field(default_factory=holder_identity)
    clock: Callable[[], datetime] = utcnow
    on_change: Callable[[WorkflowState], None] | None = None
    notices: Callable[[str], None] | None = None
    artifact_deleter: ArtifactDeleter | None = None
    on_lease: Callable[[], None] | None = None  # called once the lease is taken, before driving
    _lease_renewed: float = 0.0
    _removed_pods: set[str] = field(default_factory=set)
    _wire_nodes: NodeWireCache = field(default_factory=dict)  # each save re-encodes only changed nodes

    def run(self, name: str) -> WorkflowState:
        """Drive ``name`` to completion; ConflictError if another live driver holds it. Transient
        faults of the cluster or object store are ridden out for minutes (``argoctl.patience``):
        this driver is the workflow's only one."""
        with patience.driving():
            self._take_lease(name)
            try:
                if self.on_lease is not None:
                    self.on_lease()
                return self._loop(name)
            finally:
                self.store.release_lease(name, self.holder)

    def _take_lease(self, name: str) -> None:
        now = time.time()
        try:
            self.store.acquire_lease(name, self.holder, LEASE_TTL, now)
        except ConflictError:
            lease = self.store.get_lease(name)
            if lease is None or not holder_is_dead(lease.holder):
                raise
            # its driver died on this machine: no need to wait for the lease to expire
            self.store.release_lease(name, lease.holder)
            self.store.acquire_lease(name, self.holder, LEASE_TTL, now)
        self._lease_renewed = now

    def _renew(self, name: str) -> None:
        now = time.time()
        if now - self._lease_renewed >= LEASE_RENEW:
            self.store.acquire_lease(name, self.holder, LEASE_TTL, now)
            self._lease_renewed = now

    def _load(self, name: str) -> tuple[WorkflowState, JSON]:
        obj = self.store.get_workflow(name)
        return WorkflowState.from_wire(obj), obj

    def _save(self, state: WorkflowState, previous: JSON) -> JSON:
        wire = state.to_wire(internal=True, node_cache=self._wire_nodes)
        wire["metadata"] = {**wire["metadata"],
                            "resourceVersion": (previous.get("metadata") or {}).get("resourceVersion")}
        return self.store.update_workflow(wire)

    def _loop(self, name: str) -> WorkflowState:
        try:
            return self._drive(name)
        except NotFoundError:
            raise NotFoundError(f'workflow "{name}" was deleted while it ran') from None

    def _kill_running(self, state: WorkflowState) -> None:
        for node in state.nodes.values():
            pod = node.extra.get("pod")
            if node.type == ph.POD and pod and not node.fulfilled:
                self.backend.kill(str(pod), reason="workflow deleted")

    def _drive(self, name: str) -> WorkflowState:
        prepare = getattr(self.backend, "prepare", None)  # e.g. the local backend's fork server
        if callable(prepare):
            prepare()
        state, stored = self._load(name)
        saving = _Saving(stored)
        events: list[Event] = list(self._recover(state))
        env = snapshot(self.store, state)
        shared_locks = locks.uses_synchronization(state, env)
        while True:
            taken = commands.take(self.store, name)
            events.extend(taken)
            saving.must = saving.must or bool(taken)
            state, actions, env = self._decide(name, state, events, env, shared_locks, saving)
            if self.on_change is not None:
                self.on_change(state)
            wake = self._act(name, actions)
            gc_due = self._collect_pods(state)
            if gc_due is not None:
                wake = gc_due if wake is None else min(wake, gc_due)
            if any(isinstance(a, SaveMemo) for a in actions):  # the ConfigMaps changed: read again
                env = replace(snapshot(self.store, state), node_ids=env.node_ids, memos=env.memos)
            if state.outbox:  # started: a driver taking over need not ask for these pods again
                state = state.with_(outbox=())
                if not state.completed:
                    self._save_now(state, saving)  # while the pods start (off the critical path)
            if state.completed:
                return self._complete(name, state, saving)
            if shared_locks and locks.waiting_for_lock(state):
                # another workflow's driver releases without telling us: look again soon
                soon = self.clock() + timedelta(seconds=locks.POLL_SECONDS)
                wake = soon if wake is None else min(wake, soon)
            events = list(self._wait(name, wake, SAVE_DELAY if saving.since is not None else None))
            if saving.since is not None and not events:  # nothing more came soon: persist it now
                self._save_now(state, saving)
                events = list(self._wait(name, wake))

    def _decide(self, name: str, state: WorkflowState, events: list[Event], env: Any, shared_locks: bool,
                saving: _Saving) -> tuple[WorkflowState, Sequence[Any], Any]:
        """One engine step, saved now or (nothing to carry out) soon: see ``_must_save``."""
        if shared_locks:
            # decide and persist lock acquisitions while no other driver of the namespace can
            with locks.critical_section(self.store, self.holder, on_wait=lambda: self._renew(name),
                                        is_dead=holder_is_dead):
                env = locks.with_others(env, self.store, state)
                state, actions = step(state, events, now=self.clock(), env=env)
                self._save_now(state, saving)
            return state, actions, env
        state, actions = step(state, events, now=self.clock(), env=env)
        saving.since = saving.since or time.monotonic()
        if saving.must or self._must_save(state, actions) or time.monotonic() - saving.since >= SAVE_DELAY:
            self._save_now(state, saving)
        return state, actions, env

    def _save_now(self, state: WorkflowState, saving: _Saving) -> None:
        saving.stored = self._save_or_stop(state, saving.stored)
        saving.state, saving.must, saving.since = state, False, None

    def _complete(self, name: str, state: WorkflowState, saving: _Saving) -> WorkflowState:
        # the decision that completed it was saved (fsynced) already, unless its outbox was cleared since
        stored = saving.stored if saving.state is state else self._save(state, saving.stored)
        self._archive(stored)
        state = self._collect_artifacts(state, stored)
        self._finish_pod_gc(name, state)
        self._workflow_completed(state)
        self._expire(state)
        return state

    @staticmethod
    def _must_save(state: WorkflowState, actions: Sequence[Any]) -> bool:
        """Whether this decision must be persisted before anything else happens. A decision with
        nothing to carry out (a pod reported Running, a step whose successors wait on others) may
        be saved together with the next ones, within ``SAVE_DELAY``: it only records what the
        pods' own reports say again to a driver that takes over. Everything else is saved at once
        (the crash-safety rule: state is written before the actions it decided are carried out),
        and so is every state of a workflow whose pods ``podGC`` deletes (their reports go with
        them)."""
        return bool(actions) or state.completed or bool(state.outbox) or podgc.policy(state) is not None

    def _archive(self, stored: JSON) -> None:
        """Keep the finished workflow in the archive; a failure is a notice, never a failed run."""
        try:
            archive(self.store, stored)
        except ArgoctlError as err:
            if self.notices is not None:
                self.notices(f"workflow {stored['metadata'].get('name')} was not archived: {err.message}")

    def _collect_pods(self, state: WorkflowState) -> datetime | None:
        """``podGC``: delete the pods that are due; when the next one is due, if any."""
        gc = podgc.policy(state)
        if gc is None:
            return None
        now, next_due = self.clock(), None
        for pod, at in podgc.schedule(gc, state):
            if pod in self._removed_pods:
                continue
            if at <= now:
                self._remove_pod(state.name, pod, gc.selector)
                self._removed_pods.add(pod)
            else:
                next_due = at if next_due is None else min(next_due, at)
        return next_due

    def _finish_pod_gc(self, name: str, state: WorkflowState) -> None:
        """Stay for deletions due soon after completion (``deleteDelayDuration``); later ones are
        left to the pods' owner, the workflow's state object."""
        limit = self.clock() + timedelta(seconds=POD_GC_LINGER)
        due = self._collect_pods(state)
        while due is not None and due <= limit:
            time.sleep(max(0.0, min((due - self.clock()).total_seconds(), LEASE_RENEW)))
            self._renew(name)
            due = self._collect_pods(state)

    def _workflow_completed(self, state: WorkflowState) -> None:
        """Tell a backend that keeps per-workflow objects (the docker backend's claim volumes)."""
        completed = getattr(self.backend, "workflow_completed", None)
        if callable(completed):
            completed(state.name, state.phase)

    def _expire(self, state: WorkflowState) -> None:
        """``ttlStrategy`` already over at completion (e.g. ``secondsAfterCompletion: 0``): delete."""
        if not ttl.expired(state.to_wire(), self.clock()):
            return
        from argoctl.runtime.deletion import delete_workflow

        try:
            delete_workflow(self.store, state, backend=lambda: self.backend, artifact_deleter=self.artifact_deleter)
        except ArgoctlError as err:
            if self.notices is not None:
                self.notices(f"ttlStrategy: workflow {state.name} was not deleted: {err.message}")

    def _collect_artifacts(self, state: WorkflowState, stored: JSON) -> WorkflowState:
        """``artifactGC: OnWorkflowCompletion``: delete those artifacts, record it, keep going on errors."""
        if self.artifact_deleter is None or not artifactgc.has_gc(stored):
            return state
        updated, errors = artifactgc.collect(stored, [artifactgc.ON_COMPLETION], self.artifact_deleter(state))
        if updated is None:
            return state
        for error in errors:
            if self.notices is not None:
                self.notices(f"artifact GC of workflow {state.name}: {error}")
        return WorkflowState.from_wire(self.store.update_workflow(updated))

    def _save_or_stop(self, state: WorkflowState, stored: JSON) -> JSON:
        try:
            return self._save(state, stored)
        except NotFoundError:
            self._kill_running(state)
            raise

    def _recover(self, state: WorkflowState) -> Sequence[PodUpdate]:
        """Replay pods the last driver asked for; adopt pods of nodes still running."""
        for request in state.outbox:
            self.backend.start(request)
        started = {r.pod_name for r in state.outbox}
        running = []
        for node in state.nodes.values():
            pod = node.extra.get("pod")
            if node.type == ph.POD and pod and not node.fulfilled and pod not in started:
                running.append(PodRequest(
                    workflow_name=state.name, workflow_uid=str(state.metadata.get("uid", "")),
                    namespace=state.namespace, node_id=node.id, node_name=node.name, pod_name=str(pod),
                    template={},
                ))
        return self.backend.adopt(running) if running else ()

    def _act(self, name: str, actions: Sequence[Any]) -> datetime | None:
        wake: datetime | None = None
        for action in actions:
            if isinstance(action, RunPod):
                self.backend.start(action.request)
            elif isinstance(action, KillPod):
                self._kill_pod(name, action.pod_name, action.reason)
            elif isinstance(action, SaveMemo):
                commands.save_memo(self.store, action)
            elif isinstance(action, WakeAt):
                wake = action.at
        return wake

    def _wait(self, name: str, wake: datetime | None, limit: float | None = None) -> Sequence[Event]:
        """Pod updates, when some come (or a command is queued) before ``wake``, the lease's
        renewal or ``limit`` seconds; an empty list when none did. Updates that decide nothing
        (``_quiet``: a pod reported Pending or Running) are held up to ``SAVE_DELAY`` for more to
        come, so a short pod's start and end make one decision (and one save), not two."""
        start = time.monotonic()
        deadline = start + (LEASE_RENEW if limit is None else min(limit, LEASE_RENEW))
        if wake is not None:
            seconds = (wake - self.clock()).total_seconds()
            deadline = min(deadline, start + max(seconds, 0.0))
        held: list[PodUpdate] = []
        end = deadline
        while True:
            self._renew(name)
            remaining = end - time.monotonic()
            updates = list(self.backend.wait(max(0.0, min(remaining, COMMAND_POLL))))
            self._archive_logs(name, updates)
            if updates and not held:
                end = min(deadline, time.monotonic() + SAVE_DELAY)
            held.extend(updates)
            if not all(_quiet(u) for u in held) or commands.peek(self.store, name) or time.monotonic() >= end:
                return held

    def _logs_live_in_pods(self) -> bool:
        """The backend keeps a pod's log until the pod is deleted (Kubernetes): copy it then."""
        return bool(getattr(self.backend, "LOGS_LIVE_IN_PODS", False))

    def _log_keeper(self, name: str, pod: str) -> Callable[[str], None]:
        """Stores the pod's whole log; a store that can (ConfigMaps) replaces an earlier copy, which a
        driver killed between copying and deleting the pod leaves for the next one."""
        keep = getattr(self.store, "keep_log", None)
        if callable(keep):
            return lambda text: keep(name, pod, "main", text)
        return lambda text: self.store.append_log(name, pod, "main", text)

    def _remove_pod(self, name: str, pod: str, selector: JSON | None) -> None:
        """``podGC``: delete the pod; its log is copied into the store first where it lives in the pod."""
        if self._logs_live_in_pods():
            backend: Any = self.backend
            backend.remove(pod, selector=selector, keep_log=self._log_keeper(name, pod))
        else:
            self.backend.remove(pod, selector=selector)

    def _kill_pod(self, name: str, pod: str, reason: str) -> None:
        """Stop the pod; where its log lives in the pod, it is copied before the pod is deleted."""
        if self._logs_live_in_pods():
            backend: Any = self.backend
            backend.kill(pod, reason=reason, keep_log=self._log_keeper(name, pod))
        else:
            self.backend.kill(pod, reason=reason)

    def _archive_logs(self, name: str, updates: Sequence[PodUpdate]) -> None:
        """Copy the logs of pods that just ended (not where logs live in the pods until they go)."""
        if self._logs_live_in_pods():
            return
        for update in updates:
            if update.phase not in ph.COMPLETED_PHASES:
                continue
            try:
                text = self.backend.read_logs(update.pod_name, "main", timestamps=True)
            except Exception:
                continue
            if text:
                self.store.append_log(name, update.pod_name, "main", text)
