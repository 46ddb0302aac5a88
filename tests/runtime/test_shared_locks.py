"""Synchronization across workflows: several drivers in one namespace share mutexes and
semaphores through the store (``runtime.locks``), never holding more than a lock's limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from argoctl.engine.simulate import new_workflow
from argoctl.engine.types import EngineEnv, LockWaiter
from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.workflow import WorkflowState
from argoctl.runtime import locks
from argoctl.runtime.driver import Driver
from argoctl.stores.local import LocalStore


class Ledger:
    """What every fake backend of the test saw: pods alive at once, in start order."""

    def __init__(self, store: LocalStore, workflows: list[str]) -> None:
        self.store = store
        self.workflows = workflows
        self.lock = threading.Lock()
        self.alive: dict[str, str] = {}  # pod -> workflow
        self.most = 0
        self.started: list[str] = []

    def enter(self, pod: str, workflow: str) -> None:
        with self.lock:
            self.alive[pod] = workflow
            self.started.append(pod)
            self.most = max(self.most, len(self.alive))

    def leave(self, pod: str) -> None:
        with self.lock:
            self.alive.pop(pod, None)

    def others_settled(self, workflow: str) -> bool:
        """Every other workflow has finished, runs a pod, or waits for a lock: a pod may end
        only then, so the drivers really overlap however fast or slow each one is."""
        with self.lock:
            running = set(self.alive.values())
        for name in self.workflows:
            if name == workflow or name in running:
                continue
            state = WorkflowState.from_wire(self.store.get_workflow(name))
            if not (state.completed or locks.waiting_for_lock(state)):
                return False
        return True


class FakeBackend:
    """A pod succeeds once the other workflows have settled (see ``Ledger.others_settled``);
    it counts as alive until its driver is told it ended."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.pods: dict[str, PodRequest] = {}

    def start(self, request: PodRequest) -> None:
        if request.pod_name not in self.pods:
            self.ledger.enter(request.pod_name, request.workflow_name)
            self.pods[request.pod_name] = request

    def kill(self, pod_name: str, *, reason: str) -> None:
        self.pods.pop(pod_name, None)
        self.ledger.leave(pod_name)

    def wait(self, timeout: float) -> Sequence[PodUpdate]:
        time.sleep(min(timeout, 0.002))
        done = []
        for name, request in list(self.pods.items()):
            if not self.ledger.others_settled(request.workflow_name):
                continue
            del self.pods[name]
            self.ledger.leave(name)
            done.append(PodUpdate(node_id=request.node_id, pod_name=name, phase="Succeeded",
                                  outputs={"exitCode": "0"}))
        return done

    def adopt(self, requests: Sequence[PodRequest]) -> Sequence[PodUpdate]:
        return ()

    def read_logs(self, pod_name: str, container: str = "main", *, timestamps: bool = False) -> str:
        return ""

    def close(self) -> None:
        return None


WF_MUTEX = {"synchronization": {"mutexes": [{"name": "shared"}]},
            "templates": [{"name": "main", "container": {"image": "alpine"}}]}
TMPL_SEMAPHORE = {"templates": [
    {"name": "main", "steps": [[{"name": "a", "template": "locked", "withSequence": {"count": "3"}}]]},
    {"name": "locked", "synchronization": {"semaphores": [{"configMapKeyRef": {"name": "limits", "key": "t"}}]},
     "container": {"image": "alpine"}},
]}


def _submit(store: LocalStore, name: str, spec: dict[str, object], created: str) -> None:
    manifest = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {},
                "spec": {"entrypoint": "main", **spec}}
    state = new_workflow(manifest, name=name, namespace="default", created=created)
    store.create_workflow(state.to_wire())


def _run_all(store: LocalStore, names: list[str], ledger: Ledger) -> dict[str, WorkflowState]:
    results: dict[str, WorkflowState] = {}
    errors: list[BaseException] = []

    def drive(name: str) -> None:
        try:
            results[name] = Driver(store, FakeBackend(ledger), holder=f"driver-{name}").run(name)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=drive, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.timeout(120)
def test_a_workflow_level_mutex_lets_one_workflow_of_the_namespace_run_at_a_time(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    names = [f"w{i}" for i in range(3)]
    for i, name in enumerate(names):
        _submit(store, name, WF_MUTEX, f"2024-01-01T00:00:0{i}Z")
    ledger = Ledger(store, names)
    results = _run_all(store, names, ledger)
    assert {n: s.phase for n, s in results.items()} == dict.fromkeys(names, "Succeeded")
    assert ledger.most == 1
    assert len(ledger.started) == 3
    assert store.get_lease(locks.SECTION) is None


@pytest.mark.timeout(120)
def test_a_template_semaphore_is_shared_by_the_pods_of_several_workflows(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put_object("ConfigMap", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "limits"},
                                   "data": {"t": "2"}})
    names = ["s0", "s1", "s2"]
    for i, name in enumerate(names):
        _submit(store, name, TMPL_SEMAPHORE, f"2024-01-01T00:00:0{i}Z")
    ledger = Ledger(store, names)
    results = _run_all(store, names, ledger)
    assert {n: s.phase for n, s in results.items()} == dict.fromkeys(names, "Succeeded")
    assert ledger.most == 2
    assert len(ledger.started) == 9


def test_only_workflows_that_mention_synchronization_take_the_critical_section() -> None:
    plain = new_workflow({"spec": {"entrypoint": "main", "templates": [{"name": "main"}]}})
    locked = new_workflow({"spec": {"entrypoint": "main", **TMPL_SEMAPHORE}})
    referenced = new_workflow({"spec": {"workflowTemplateRef": {"name": "t"}}})
    env = EngineEnv(workflow_templates={"namespaced/t": {"synchronization": {"mutexes": [{"name": "m"}]}}})
    assert not locks.uses_synchronization(plain, env)
    assert locks.uses_synchronization(locked, EngineEnv())
    assert locks.uses_synchronization(referenced, env)


def _stored(store: LocalStore, name: str, spec: dict[str, object], status: dict[str, object],
            created: str = "2024-01-01T00:00:00Z", priority: int | None = None) -> None:
    labels = {"workflows.argoproj.io/completed": "true" if status.get("phase") == "Succeeded" else "false"}
    store.create_workflow({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                           "metadata": {"name": name, "namespace": "default", "labels": labels,
                                        "creationTimestamp": created},
                           "spec": {**spec, **({"priority": priority} if priority is not None else {})},
                           "status": status})


def test_the_environment_carries_other_workflows_holds_live_waiters_and_fresh_limits(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    mutex, sem = "default/Mutex/shared", "default/ConfigMap/limits/t"
    _stored(store, "holder", WF_MUTEX, {"phase": "Running", "synchronization": {
        "mutex": {"holding": [{"mutex": mutex, "holder": "default/holder"}]},
        "semaphore": {"holding": [{"semaphore": sem, "holders": ["default/holder/n1"]}]}}})
    _stored(store, "queued", WF_MUTEX, {"phase": "Pending"}, created="2024-01-01T00:00:05Z", priority=3)
    _stored(store, "nodes", TMPL_SEMAPHORE, {"phase": "Running", "synchronization": {"semaphore": {}}, "nodes": {
        "n2": {"id": "n2", "name": "nodes[0].a(0:0)", "type": "Pod", "phase": "Pending",
               "synchronizationStatus": {"waiting": sem}},
        "n3": {"id": "n3", "name": "nodes[0].a(1:1)", "type": "Pod", "phase": "Running"}}})
    _stored(store, "done", WF_MUTEX, {"phase": "Succeeded", "synchronization": {
        "mutex": {"holding": [{"mutex": mutex, "holder": "default/done"}]}}})
    _stored(store, "by-ref", {"workflowTemplateRef": {"name": "t"}},
            {"phase": "Pending", "storedWorkflowTemplateSpec": WF_MUTEX}, created="2024-01-01T00:00:07Z")
    _stored(store, "abandoned", WF_MUTEX, {"phase": "Pending"})
    store.put_object("ConfigMap", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "limits"},
                                   "data": {"t": "4"}})
    now = time.time()
    for name in ("queued", "nodes", "by-ref"):
        store.acquire_lease(name, f"driver-{name}", 15, now)
    store.acquire_lease("abandoned", "dead-driver", 15, now - 60)
    me = new_workflow({"spec": WF_MUTEX}, name="me", namespace="default")
    env = locks.with_others(EngineEnv(), store, me)
    assert env.lock_holders == {mutex: ["default/holder"], sem: ["default/holder/n1"]}
    assert env.lock_waiters == {
        mutex: [LockWaiter("default/by-ref", created="2024-01-01T00:00:07Z"),
                LockWaiter("default/queued", priority=3, created="2024-01-01T00:00:05Z")],
        sem: [LockWaiter("default/nodes/n2", created="2024-01-01T00:00:00Z")],
    }
    assert env.config_maps["limits"] == {"t": "4"}
