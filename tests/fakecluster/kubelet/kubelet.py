"""The fake node's kubelet: watches pods in the store, runs one PodWorker per pod, serves logs,
and carries out pod-level faults (eviction, OOM kill, image pull failures)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from tests.fakecluster.errors import ApiError, bad_request
from tests.fakecluster.kubelet.images import ImageTable
from tests.fakecluster.kubelet.logstore import ContainerLog
from tests.fakecluster.kubelet.worker import KubeletContext, PodWorker
from tests.fakecluster.service import NODE_NAME, ObjectService
from tests.fakecluster.store import STOP, WatchEvent

JSON = dict[str, Any]
EVICTION_MESSAGE = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi."


class Kubelet:
    def __init__(self, service: ObjectService, state_dir: Path, api_port: int, images: ImageTable | None = None,
                 owns_state_dir: bool = True, **timing: float) -> None:
        """``owns_state_dir``: remove ``state_dir`` when the kubelet stops."""
        self.images = images or ImageTable()
        self.owns_state_dir = owns_state_dir
        self.ctx = KubeletContext(service, self.images, state_dir, api_port, **timing)
        self._workers: dict[str, PodWorker] = {}  # by pod uid
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._watcher: Any = None

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self.ctx.state_dir.mkdir(parents=True, exist_ok=True)
        initial, self._watcher = self.ctx.service.store.watch(("", "pods"), since=None)
        # The kubelet finishes graceful deletions itself (it sees deletionTimestamp in the watch).
        self.ctx.service.graceful_pod_deleter = lambda _pod: True
        for pod in initial:
            self._on_event("ADDED", pod)
        self._thread = threading.Thread(target=self._loop, name="fake-kubelet", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.ctx.service.graceful_pod_deleter = None
        if self._watcher is not None:
            self.ctx.service.store.unwatch(self._watcher)
            self._watcher.events.put(STOP)
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            worker.gone = True
            worker.stop("Deleted", "kubelet stopped", grace=0)
        for worker in workers:
            worker.thread.join(timeout=5)
        if self.owns_state_dir:
            shutil.rmtree(self.ctx.state_dir, ignore_errors=True)

    def _loop(self) -> None:
        assert self._watcher is not None
        while True:
            event = self._watcher.events.get()
            if event is STOP:
                return
            assert isinstance(event, WatchEvent)
            self._on_event(event.type, event.obj)

    def _on_event(self, kind: str, pod: JSON) -> None:
        uid = pod["metadata"]["uid"]
        with self._lock:
            worker = self._workers.get(uid)
            if worker is None and kind != "DELETED" and self._should_run(pod):
                worker = self._workers[uid] = PodWorker(self.ctx, pod)
                worker.thread.start()
                return
            if kind == "DELETED":
                self._workers.pop(uid, None)
        if worker is None:
            return
        if kind == "DELETED":
            worker.on_deleted()
            return
        worker.on_update(pod)
        if pod["metadata"].get("deletionTimestamp"):
            grace = pod["metadata"].get("deletionGracePeriodSeconds")
            worker.stop("Deleted", "Stopping container", grace=float(grace) if grace is not None else None)

    @staticmethod
    def _should_run(pod: JSON) -> bool:
        node = (pod.get("spec") or {}).get("nodeName")
        phase = (pod.get("status") or {}).get("phase")
        return node in (None, "", NODE_NAME) and phase not in ("Succeeded", "Failed") \
            and not pod["metadata"].get("deletionTimestamp")

    # ---- lookups ---------------------------------------------------------------------------

    def worker(self, namespace: str, name: str) -> PodWorker | None:
        with self._lock:
            return next((w for w in self._workers.values() if (w.namespace, w.name) == (namespace, name)), None)

    def _require_worker(self, namespace: str, name: str) -> PodWorker:
        worker = self.worker(namespace, name)
        if worker is None:
            raise ApiError(404, "NotFound", f'pods "{name}" not found on node {NODE_NAME}')
        return worker

    def container_log(self, pod: JSON, container: str | None, previous: bool) -> ContainerLog | None:
        """The log of a container's current (or previous) run; 400 as the API answers when unclear."""
        meta = pod["metadata"]
        spec = pod.get("spec") or {}
        names = [c["name"] for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])]
        if container is None:
            mains = [c["name"] for c in spec.get("containers") or []]
            if len(mains) != 1:
                raise bad_request(f"a container name must be specified for pod {meta['name']}, "
                                  f"choose one of: [{' '.join(mains)}] or one of the init containers: "
                                  f"[{' '.join(c['name'] for c in spec.get('initContainers') or [])}]")
            container = mains[0]
        if container not in names:
            raise bad_request(f"container {container} is not valid for pod {meta['name']}")
        worker = self.worker(meta["namespace"], meta["name"])
        runner = worker.runners.get(container) if worker else None
        runs = runner.logs if runner else []
        if previous:
            if len(runs) < 2:
                raise bad_request(f'previous terminated container "{container}" in pod "{meta["name"]}" not found')
            return runs[-2]
        if not runs:
            reason = _waiting_reason(pod, container)
            raise bad_request(f'container "{container}" in pod "{meta["name"]}" is waiting to start: {reason}')
        return runs[-1]

    # ---- pod faults ------------------------------------------------------------------------

    def evict(self, namespace: str, name: str, message: str = EVICTION_MESSAGE) -> None:
        """The node evicts the pod: containers killed, phase Failed, reason Evicted."""
        self._require_worker(namespace, name).stop("Evicted", message, grace=0)

    def oom_kill(self, namespace: str, name: str, container: str | None = None) -> None:
        """Kill a running container as the OOM killer would: exit 137, reason OOMKilled."""
        if not self._require_worker(namespace, name).oom_kill(container):
            raise ValueError(f"no running container {container or '(main)'} in pod {namespace}/{name}")


def _waiting_reason(pod: JSON, container: str) -> str:
    status = pod.get("status") or {}
    for entry in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        if entry.get("name") == container:
            return str(((entry.get("state") or {}).get("waiting") or {}).get("reason", "ContainerCreating"))
    return "ContainerCreating"
