"""The driver persists once per batch of pod events, never after acting: a pod's Running report
is held briefly for its end (one decision, one save), a decision with nothing to carry out is
saved a little later, and every pod is started only once the state that asked for it is saved."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from argoctl.engine.reconcile import step as reconcile_step
from argoctl.engine.simulate import new_workflow
from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.workflow import WorkflowState
from argoctl.runtime import driver as driver_module
from argoctl.runtime.driver import Driver
from argoctl.stores.local import LocalStore

CHAIN = {"templates": [
    {"name": "main", "steps": [[{"name": f"s{i}", "template": "t"}] for i in range(3)]},
    {"name": "t", "container": {"image": "alpine", "command": ["true"]}},
]}


class CountingStore(LocalStore):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.saves = 0

    def update_workflow(self, workflow: dict[str, Any]) -> dict[str, Any]:
        self.saves += 1
        return super().update_workflow(workflow)


class TwoReportBackend:
    """Each pod reports Running on one ``wait`` and Succeeded on a later one (as a local pod's
    shim does); the Succeeded waits for ``release`` when it is given. ``start`` checks that the
    store already holds the node it runs (the state was saved before the action)."""

    def __init__(self, store: LocalStore, name: str, release: threading.Event | None = None) -> None:
        self.store, self.name, self.release = store, name, release
        self.queue: list[PodUpdate] = []
        self.unsaved_starts: list[str] = []
        self.started: list[str] = []

    def start(self, request: PodRequest) -> None:
        state = WorkflowState.from_wire(self.store.get_workflow(self.name))
        if request.node_id not in state.nodes:
            self.unsaved_starts.append(request.pod_name)
        self.started.append(request.pod_name)
        self.queue.append(PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Running"))
        self.queue.append(PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Succeeded",
                                    outputs={"exitCode": "0"}))

    def wait(self, timeout: float) -> Sequence[PodUpdate]:
        time.sleep(min(timeout, 0.002))
        if not self.queue:
            return ()
        if self.queue[0].phase == "Succeeded" and self.release is not None and not self.release.is_set():
            return ()
        return [self.queue.pop(0)]

    def kill(self, pod_name: str, *, reason: str) -> None:
        return None

    def remove(self, pod_name: str, *, selector: dict[str, Any] | None = None) -> None:
        return None

    def adopt(self, requests: Sequence[PodRequest]) -> Sequence[PodUpdate]:
        return ()

    def read_logs(self, pod_name: str, container: str = "main", *, timestamps: bool = False) -> str:
        return ""

    def close(self) -> None:
        return None


def _submit(store: LocalStore, name: str) -> None:
    manifest = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {},
                "spec": {"entrypoint": "main", **CHAIN}}
    store.create_workflow(new_workflow(manifest, name=name, namespace="default",
                                       created="2026-01-01T00:00:00Z").to_wire())


def test_one_decision_per_step_and_every_start_after_its_save(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    decisions = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        decisions.append(1)
        return reconcile_step(*args, **kwargs)

    monkeypatch.setattr(driver_module, "step", counted)
    store = CountingStore(tmp_path / "home")
    _submit(store, "chain")
    backend = TwoReportBackend(store, "chain")
    final = Driver(store, backend).run("chain")
    assert final.phase == "Succeeded"
    assert len(backend.started) == 3
    assert backend.unsaved_starts == []
    # the first decision, one per pod (its Running report waits for its end); a decision per
    # report would make 7
    assert len(decisions) <= 3 + 1
    # each decision that starts a pod, then its cleared outbox once the pod is asked for, the
    # completion
    assert store.saves <= 2 * 3 + 2


def test_a_running_report_alone_is_saved_soon(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "home")
    _submit(store, "slow")
    release = threading.Event()
    backend = TwoReportBackend(store, "slow", release)
    result: list[WorkflowState] = []
    driver = threading.Thread(target=lambda: result.append(Driver(store, backend).run("slow")))
    driver.start()
    try:
        end = time.monotonic() + 30  # a bound for a busy machine, not a speed check
        while True:
            state = WorkflowState.from_wire(store.get_workflow("slow"))
            if any(n.phase == "Running" and n.type == "Pod" for n in state.nodes.values()):
                break
            assert time.monotonic() < end, "the Running pod was never saved"
            time.sleep(0.02)
    finally:
        release.set()
        driver.join(60)
    assert result and result[0].phase == "Succeeded"
