"""One pod on the fake node: schedule, set up volumes, run init containers in order, then main
containers and sidecars together, enforce activeDeadlineSeconds, and write the pod's status."""

from __future__ import annotations

import copy
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakecluster.kubelet.env import ConfigError
from tests.fakecluster.kubelet.images import ImageTable
from tests.fakecluster.kubelet.runner import ContainerRunner
from tests.fakecluster.kubelet.status import ContainerState, cap_messages, condition, merge_conditions
from tests.fakecluster.kubelet.volumes import missing_claims, prepare_volumes
from tests.fakecluster.meta import rfc3339
from tests.fakecluster.resources import ResourceType
from tests.fakecluster.service import NODE_NAME, ObjectService

JSON = dict[str, Any]
NODE_LABELS = {"kubernetes.io/hostname": NODE_NAME, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}


@dataclass
class KubeletContext:
    service: ObjectService
    images: ImageTable
    state_dir: Path
    api_port: int
    max_grace: float = 10.0
    image_backoff: float = 1.0
    retry_interval: float = 0.5
    restart_backoff: float = 0.5

    @property
    def pods(self) -> ResourceType:
        found = self.service.registry.lookup("", "v1", "pods")
        assert found is not None
        return found


class PodWorker:
    def __init__(self, ctx: KubeletContext, pod: JSON) -> None:
        self.ctx = ctx
        self.pod = pod
        meta = pod["metadata"]
        self.namespace, self.name, self.uid = meta["namespace"], meta["name"], meta["uid"]
        self.pod_dir = ctx.state_dir / "pods" / self.uid
        spec = pod.get("spec") or {}
        self.restart_policy = spec.get("restartPolicy", "Always")
        self.init_states = [ContainerState(c["name"], c.get("image", ""), {"waiting": {"reason": "PodInitializing"}})
                            for c in spec.get("initContainers") or []]
        waiting = "PodInitializing" if self.init_states else "ContainerCreating"
        self.main_states = [ContainerState(c["name"], c.get("image", ""), {"waiting": {"reason": waiting}})
                            for c in spec.get("containers") or []]
        self.runners: dict[str, ContainerRunner] = {}
        self.volume_sources: dict[str, str] = {}
        self.lock = threading.RLock()
        self._wake = threading.Condition(self.lock)
        self._generation = 0
        self.stopping = False
        self.gone = False
        self.stop_reason = ""
        self.stop_message = ""
        self.start_time: float | None = None
        self.scheduled = False
        self.initialized = False
        self.init_failed = False
        self.unschedulable = ""
        self.thread = threading.Thread(target=self._run, name=f"pod-{self.name}", daemon=True)

    # ---- signals from the kubelet and from faults -----------------------------------------

    def wake(self) -> None:
        with self._wake:
            self._generation += 1
            self._wake.notify_all()

    def on_update(self, pod: JSON) -> None:
        with self.lock:
            self.pod = pod
        self.wake()

    def sleep(self, seconds: float, until_woken: bool = False) -> bool:
        """Wait up to ``seconds`` (or, with ``until_woken``, until ``wake()``); True when the pod
        is stopping. Whoever waits enforces the deadline."""
        end = time.monotonic() + seconds
        with self._wake:
            generation = self._generation
            while not self.stopping:
                self._check_deadline()
                left = end - time.monotonic()
                if left <= 0 or self.stopping or (until_woken and self._generation != generation):
                    break
                self._wake.wait(min(left, 0.2))
        return self.stopping

    def _check_deadline(self) -> None:
        deadline = (self.pod.get("spec") or {}).get("activeDeadlineSeconds")
        if deadline is not None and self.start_time is not None and time.time() - self.start_time >= deadline:
            self.stop("DeadlineExceeded", "Pod was active on the node longer than the specified deadline")

    def stop(self, reason: str, message: str, grace: float | None = None) -> None:
        """Kill every container (SIGTERM, then SIGKILL after the grace period)."""
        with self.lock:
            if self.stopping:
                return
            self.stopping, self.stop_reason, self.stop_message = True, reason, message
            runners = list(self.runners.values())
            self._wake.notify_all()
        if reason in ("DeadlineExceeded", "Evicted", "Deleted"):
            self.event("Killing" if reason == "Deleted" else reason, message, "Normal" if reason == "Deleted" else "Warning")
        spec_grace = float((self.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30))
        grace = min(self.ctx.max_grace, spec_grace if grace is None else grace)
        for runner in runners:
            runner.kill(signal.SIGTERM if grace > 0 else signal.SIGKILL)
        if grace > 0:
            threading.Thread(target=self._kill_after, args=(runners, grace), daemon=True).start()

    @staticmethod
    def _kill_after(runners: list[ContainerRunner], grace: float) -> None:
        end = time.monotonic() + grace
        while time.monotonic() < end and any(r.running() for r in runners):
            time.sleep(0.05)
        for runner in runners:
            runner.kill(signal.SIGKILL)

    def on_deleted(self) -> None:
        """The pod object is gone: kill at once and write nothing more."""
        with self.lock:
            self.gone = True
        self.stop("Deleted", "pod deleted", grace=0)

    def oom_kill(self, container: str | None) -> bool:
        with self.lock:
            names = [container] if container else [r.name for r in self.runners.values() if not r.init]
            runner = next((self.runners[n] for n in names if n in self.runners and self.runners[n].running()), None)
        if runner is None:
            return False
        runner.kill(signal.SIGKILL, reason="OOMKilled")
        return True

    # ---- helpers for runners ---------------------------------------------------------------

    def read_object(self, plural: str, name: str) -> JSON | None:
        return self.ctx.service.store.get(("", plural), self.namespace, name)

    def event(self, reason: str, message: str, event_type: str = "Normal", component: str = "kubelet") -> None:
        if not self.gone:
            self.ctx.service.record_event(self.pod, reason, message, event_type, component)

    # ---- lifecycle -------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self._schedule() and self._set_up_volumes():
                self._run_init_containers()
                if self.initialized and not self.stopping:
                    self._run_main_containers()
            self._finish()
        except Exception as error:  # a kubelet bug must not hang a test silently
            self.stop_message = f"fakecluster kubelet error: {error!r}"
            self.publish()
            raise

    def _schedule(self) -> bool:
        while True:
            problem = self._unschedulable_reason()
            if not problem:
                break
            if problem != self.unschedulable:
                self.unschedulable = problem
                self.publish()
                self.event("FailedScheduling", problem, "Warning", component="default-scheduler")
            if self.sleep(self.ctx.retry_interval):
                return False
        self.unschedulable = ""
        bound = self.ctx.service.mutate(self.ctx.pods, self.namespace, self.name,
                                        lambda p: p["spec"].__setitem__("nodeName", NODE_NAME))
        if bound is None:
            return False
        self.scheduled = True
        self.event("Scheduled", f"Successfully assigned {self.namespace}/{self.name} to {NODE_NAME}",
                   component="default-scheduler")
        self.start_time = time.time()
        self.pod_dir.mkdir(parents=True, exist_ok=True)
        self.publish()
        return True

    def _unschedulable_reason(self) -> str:
        selector = (self.pod.get("spec") or {}).get("nodeSelector") or {}
        if any(NODE_LABELS.get(k) != v for k, v in selector.items()):
            return "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."
        missing = missing_claims(self.pod, self.read_object)
        if missing:
            return f'persistentvolumeclaim "{missing[0]}" not found'
        return ""

    def _set_up_volumes(self) -> bool:
        while True:
            try:
                self.volume_sources = prepare_volumes(self.pod, self.pod_dir, self.ctx.state_dir / "claims",
                                                      self.read_object)
                return True
            except ConfigError as error:
                self.event("FailedMount", str(error), "Warning")
                if self.sleep(self.ctx.retry_interval):
                    return False

    def _run_init_containers(self) -> None:
        specs = (self.pod.get("spec") or {}).get("initContainers") or []
        for spec, state in zip(specs, self.init_states, strict=True):
            sidecar = spec.get("restartPolicy") == "Always"
            runner = self._start_runner(spec, state, init=True, sidecar=sidecar)
            while not (runner.started.is_set() if sidecar else runner.done.is_set()):
                if self.sleep(1.0, until_woken=True):
                    return
            if not sidecar and runner.exit_code != 0:
                self.init_failed = True
                self.publish()
                return
        self.initialized = True
        for state in self.main_states:
            state.set_waiting("ContainerCreating")
        self.publish()

    def _start_runner(self, spec: JSON, state: ContainerState, *, init: bool, sidecar: bool = False) -> ContainerRunner:
        runner = ContainerRunner(self, spec, state, init=init, sidecar=sidecar)
        with self.lock:
            self.runners[state.name] = runner
        runner.start()
        return runner

    def _run_main_containers(self) -> None:
        specs = (self.pod.get("spec") or {}).get("containers") or []
        mains = [self._start_runner(spec, state, init=False) for spec, state in zip(specs, self.main_states, strict=True)]
        while not all(r.done.is_set() for r in mains):
            if self.sleep(1.0, until_woken=True):
                break
        sidecars = [r for r in self.runners.values() if r.sidecar]
        for runner in sidecars:
            runner.terminate(signal.SIGTERM)
        for runner in sidecars:
            runner.done.wait(self.ctx.max_grace)

    def _finish(self) -> None:
        for runner in list(self.runners.values()):
            runner.done.wait(self.ctx.max_grace + 5)
        if self.stopping:
            for state in self.init_states + self.main_states:
                if "waiting" in state.state or "running" in state.state:
                    state.state = {"terminated": {"exitCode": 137, "reason": "ContainerStatusUnknown",
                                                  "message": "The container could not be located when the pod was terminated",
                                                  "startedAt": None, "finishedAt": rfc3339()}}
                    state.ready = state.started = False
        self.publish()
        if self.stop_reason == "Deleted" and not self.gone:
            self.ctx.service.remove_now(self.ctx.pods, self.namespace, self.name)
        if self.stop_reason == "Deleted":
            shutil.rmtree(self.pod_dir, ignore_errors=True)

    # ---- status ----------------------------------------------------------------------------

    def phase(self) -> str:
        if self.stop_reason in ("DeadlineExceeded", "Evicted"):
            return "Failed"
        if self.init_failed:
            return "Failed"
        if not self.initialized:
            return "Pending"
        finished = [s.terminated for s in self.main_states]
        if all(finished) and all(self.runners.get(s.name) is None or self.runners[s.name].done.is_set()
                                 for s in self.main_states):
            return "Succeeded" if all(t and t.get("exitCode") == 0 for t in finished) else "Failed"
        if self.stop_reason == "Deleted":
            return "Failed" if any(s.terminated and s.terminated.get("exitCode") for s in self.main_states) else "Running"
        started = any("running" in s.state or s.terminated or s.restart_count for s in self.main_states)
        return "Running" if started else "Pending"

    def _conditions(self, phase: str) -> list[JSON]:
        if not self.scheduled:
            return [condition("PodScheduled", False, "Unschedulable", self.unschedulable)] if self.unschedulable else []
        done = phase in ("Succeeded", "Failed")
        unready = [s.name for s in self.main_states if not s.ready]
        not_init = [s.name for s in self.init_states if not (s.terminated and s.terminated.get("exitCode") == 0)
                    and not s.started]
        ready_reason = "PodCompleted" if done else ("ContainersNotReady" if unready else "")
        ready_message = "" if done or not unready else f"containers with unready status: [{' '.join(unready)}]"
        conditions = [
            condition("PodReadyToStartContainers", not done),
            condition("Initialized", self.initialized, "" if self.initialized else "ContainersNotInitialized",
                      "" if self.initialized else f"containers with incomplete status: [{' '.join(not_init)}]"),
            condition("Ready", not unready and not done, ready_reason, ready_message),
            condition("ContainersReady", not unready and not done, ready_reason, ready_message),
            condition("PodScheduled", True),
        ]
        if self.stop_reason == "Evicted":
            conditions.append(condition("DisruptionTarget", True, "TerminationByKubelet", self.stop_message))
        return conditions

    def publish(self) -> None:
        """Write the pod's status (no write when nothing changed)."""
        with self.lock:
            if self.gone:
                return
            phase = self.phase()
            status: JSON = {"phase": phase, "conditions": self._conditions(phase)}
            if self.scheduled:
                status.update({"hostIP": "127.0.0.1", "hostIPs": [{"ip": "127.0.0.1"}], "podIP": "127.0.0.1",
                               "podIPs": [{"ip": "127.0.0.1"}], "startTime": rfc3339(self.start_time)})
                cap_messages(self.init_states + self.main_states)
                if self.init_states:
                    status["initContainerStatuses"] = [s.to_wire() for s in self.init_states]
                status["containerStatuses"] = [s.to_wire() for s in self.main_states]
            if self.stop_reason in ("DeadlineExceeded", "Evicted"):
                status["reason"], status["message"] = self.stop_reason, self.stop_message
            new_status = copy.deepcopy(status)

        def change(pod: JSON) -> None:
            old = pod.get("status") or {}
            new_status["conditions"] = merge_conditions(old.get("conditions") or [], new_status["conditions"])
            if "qosClass" in old:
                new_status["qosClass"] = old["qosClass"]
            pod["status"] = new_status

        if self.ctx.service.mutate(self.ctx.pods, self.namespace, self.name, change) is None:
            with self.lock:
                self.gone = True
