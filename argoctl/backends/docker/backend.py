"""``DockerBackend``: pods as containers on a Docker Engine API (Docker Engine or Podman).

``start`` plans the pod (``containers.plan_pod``) and drives it one move at a time: its infra
container (holding the pod's namespaces, which every other container joins), init containers
one after another, then main with its sidecars. ``wait`` lists the namespace's containers (one request) every ``poll_interval``
seconds while pods are active and advances each pod from what the engine says, so a driver that
adopts pods an earlier one started continues them the same way: a container that was started is
never started again; one created but never started is created afresh (its inputs may be
missing). When main ends, sidecars get SIGTERM (SIGKILL after the grace period), outputs are read
out of the stopped container, logs are kept under ``log_dir`` and the final update is written
there too (a removed pod's outcome survives). Each workflow's pods share one bridge network
(created with its first pod). ``remove`` (podGC) deletes the containers and the pod's emptyDir
volumes, and the workflow's network once its last pod is gone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argoctl.backends import datatemplate
from argoctl.backends import outputs as rules
from argoctl.backends.base import ArtifactIO, PodRequest, PodUpdate
from argoctl.backends.docker import claims, containerset, naming, podgc, records, transfer
from argoctl.backends.docker.collect import collect, place_inputs
from argoctl.backends.docker.containers import SCRIPT_PATH, ContainerPlan, PodPlanError, plan_pod
from argoctl.backends.docker.engine import Engine, EngineError
from argoctl.backends.docker.envsources import Lookup
from argoctl.backends.docker.pods import Pod, State, next_init, observe

JSON = dict[str, Any]
DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"
POD_DELETED = "pod deleted"
LAUNCH_THREADS = 8


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")


class DockerBackend:
    """Runs the pods of ``namespace`` on the engine at ``url``; logs and outcomes under ``log_dir``."""

    def __init__(self, url: str, log_dir: Path, *, namespace: str = "argo", artifact_io: ArtifactIO | None = None,
                 notices: Callable[[str], None] | None = None, kill_grace: float = 30.0,
                 poll_interval: float = 0.1, lookup: Lookup | None = None) -> None:
        self.url = url
        self._local = threading.local()
        self._pool: ThreadPoolExecutor | None = None
        self._main_engine = Engine(url)
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.namespace = namespace
        self.artifact_io = artifact_io
        self.notices = notices or _stderr
        self.kill_grace = kill_grace
        self.poll_interval = poll_interval
        self.lookup = lookup  # ConfigMaps and Secrets for env (the store's applied objects)
        self._pods: dict[str, Pod] = {}
        self._ready: list[PodUpdate] = []
        self._kill_times: dict[str, float] = {}

    @property
    def engine(self) -> Engine:
        """This thread's connection (pods advance on a few threads: an engine call blocks)."""
        if threading.current_thread() is threading.main_thread():
            return self._main_engine
        engine: Engine | None = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = Engine(self.url)
        return engine

    # -- Backend protocol -------------------------------------------------------------------------
    def start(self, request: PodRequest) -> None:
        if request.pod_name in self._pods:
            return
        final = self._stored_final(request)
        if final is not None:  # finished under an earlier driver: report, never run again
            self._pods[request.pod_name] = Pod(request, [], done=True, last=final)
            self._ready.append(final)
            return
        self._track(request)

    def adopt(self, requests: Sequence[PodRequest]) -> Sequence[PodUpdate]:
        updates = []
        states = self._states()
        for request in requests:
            final = self._stored_final(request)
            if final is not None:
                self._pods[request.pod_name] = Pod(request, [], done=True, last=final)
                updates.append(final)
                continue
            pod = self._track(request)
            if pod is None or pod.done:
                updates.append(self._ready.pop() if self._ready else PodUpdate(
                    node_id=request.node_id, pod_name=request.pod_name, phase="Pending"))
                continue
            update = self._advance(pod, states.get(request.pod_name, {}))
            pod.last = update
            updates.append(update)
        return updates

    def wait(self, timeout: float) -> Sequence[PodUpdate]:
        end = time.monotonic() + max(0.0, timeout)
        while True:
            updates = self._scan()
            remaining = end - time.monotonic()
            if updates or remaining <= 0:
                return updates
            active = any(not pod.done for pod in self._pods.values())
            time.sleep(min(remaining, self.poll_interval) if active else remaining)

    def kill(self, pod_name: str, *, reason: str) -> None:
        pod = self._pods.get(pod_name)
        if pod is None or pod.done or pod.kill_reason:
            return
        pod.kill_reason = reason
        self._signal_all(pod, "SIGTERM")

    def remove(self, pod_name: str, *, selector: JSON | None = None) -> None:
        if podgc.remove_pod(self.engine, self.namespace, self.log_dir, pod_name, selector):
            self._pods.pop(pod_name, None)

    def workflow_deleted(self, workflow_name: str, pods: Sequence[str]) -> None:
        """Its pods' containers and volumes go, and with the last of them its network (``podgc``)."""
        for pod_name in pods:
            self.remove(pod_name)

    def workflow_completed(self, workflow_name: str, phase: str) -> None:
        """The driver's word that the workflow ended in ``phase``: its claim volumes per ``volumeClaimGC``."""
        claims.collect(self.engine, self.namespace, self.log_dir, workflow_name, phase)

    def read_logs(self, pod_name: str, container: str = "main", *, timestamps: bool = False) -> str:
        saved = self.log_dir / pod_name / f"{container}.{'tlog' if timestamps else 'log'}"
        if saved.exists():
            return saved.read_bytes().decode("utf-8", errors="replace")
        name = naming.container_name(self.namespace, pod_name, container)
        try:
            return self.engine.logs(name, timestamps=timestamps).decode("utf-8", errors="replace")
        except EngineError:
            return ""

    def close(self) -> None:
        """Stop watching; the containers keep running (a later driver adopts them)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._main_engine.close()

    # -- tracking ---------------------------------------------------------------------------------
    def _track(self, request: PodRequest) -> Pod | None:
        if request.template.get("data") is not None:
            pod = Pod(request, [], done=True)
            self._pods[request.pod_name] = pod
            self._ready.append(self._run_data(pod))
            return pod
        try:
            plans = plan_pod(request, self.namespace, lookup=self.lookup)
        except PodPlanError as err:
            pod = Pod(request, [], done=True)
            self._pods[request.pod_name] = pod
            self._ready.append(self._final(pod, "Error", err.message))
            return pod
        pod = Pod(request, plans)
        self._pods[request.pod_name] = pod
        (self.log_dir / request.pod_name).mkdir(parents=True, exist_ok=True)
        return pod

    def _states(self) -> dict[str, dict[str, State]]:
        rows = self.engine.containers(naming.pod_filter(self.namespace))
        by_pod: dict[str, list[JSON]] = {}
        for row in rows:
            by_pod.setdefault(str((row.get("Labels") or {}).get(naming.LABEL_POD, "")), []).append(row)
        return {pod: observe(pod_rows) for pod, pod_rows in by_pod.items()}

    def _scan(self) -> list[PodUpdate]:
        updates, self._ready = self._ready, []
        active = [pod for pod in self._pods.values() if not pod.done]
        if not active:
            return updates
        states = self._states()
        if len(active) == 1:
            advanced = [self._advance_safely(active[0], states)]
        else:  # several pods may each wait on the engine (create, start, copy): overlap them
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=LAUNCH_THREADS, thread_name_prefix="argoctl-docker")
            advanced = list(self._pool.map(lambda pod: self._advance_safely(pod, states), active))
        for pod, update in zip(active, advanced, strict=True):
            if update != pod.last:
                pod.last = update
                updates.append(update)
        return updates

    # -- one pod, one move ------------------------------------------------------------------------
    def _advance_safely(self, pod: Pod, states: dict[str, dict[str, State]]) -> PodUpdate:
        try:
            return self._advance(pod, states.get(pod.request.pod_name, {}))
        except EngineError as err:
            return self._final(pod, "Error", err.message)
        except Exception as err:  # one pod's surprise must not stop the driver's other pods
            return self._final(pod, "Error", f"{type(err).__name__}: {err}")

    def _advance(self, pod: Pod, states: dict[str, State]) -> PodUpdate:
        self._check_deadline(pod, states)
        self._escalate_kill(pod, states)
        broken = self._ensure_infra(pod, states)
        if broken is not None:
            return broken
        init, init_state = next_init(pod, states)
        if init is not None:
            return self._advance_init(pod, init, init_state)
        if pod.container_set:
            return containerset.advance_set(self, pod, states)
        main = pod.main()
        state = states.get(main.name)
        if state is None and (main.name in pod.started or records.launched(self.log_dir / pod.request.pod_name)):
            return self._final(pod, "Error", POD_DELETED)  # removed from the engine by someone else
        if state is None or (state.status == "created" and main.name not in pod.started):
            if pod.kill_reason:
                return self._final(pod, "Failed", pod.kill_reason)
            return self._launch_main(pod, recreate=state is not None)
        if state.status != "exited":
            return self._running(pod, main)
        sidecars = [p for p in pod.of_role("sidecar") if states.get(p.name, State("exited")).status != "exited"]
        if sidecars:  # Argo kills the sidecars once main is done; the pod ends when they have
            self._stop_sidecars(pod, sidecars)
            return pod.last or self._running(pod, main)
        return self._finish(pod, main)

    def _ensure_infra(self, pod: Pod, states: dict[str, State]) -> PodUpdate | None:
        """Start the pod's infra container first; the pod's final update if it is gone or dead."""
        infra = pod.infra()
        state = states.get(infra.name)
        if state is not None and state.status == "running":
            return None
        if state is None and (pod.started or records.launched(self.log_dir / pod.request.pod_name)):
            return self._final(pod, "Error", POD_DELETED)
        if state is not None and state.status == "exited":
            return self._final(pod, "Error", pod.kill_reason or "the pod's infra container exited")
        if pod.kill_reason:
            return self._final(pod, "Failed", pod.kill_reason)
        if state is None:  # one created but never started has no inputs to miss: started as it is
            self._prepare(pod, [infra])
        self._start(pod, infra)
        return None

    def _advance_init(self, pod: Pod, init: ContainerPlan, state: State | None) -> PodUpdate:
        if state is not None and state.status == "exited":
            _, message = rules.node_phase_for_exit(state.exit_code or 0, init.name)
            return self._final(pod, "Failed" if pod.kill_reason else "Error", pod.kill_reason or message)
        if pod.kill_reason:
            return self._final(pod, "Failed", pod.kill_reason) if state is None else pod.update("Pending")
        if state is None or (state.status == "created" and init.name not in pod.started):
            if state is not None:
                self.engine.remove(init.engine_name)
            self._prepare(pod, [init])
            self._start(pod, init)
        return pod.update("Pending")

    def _launch_main(self, pod: Pod, *, recreate: bool) -> PodUpdate:
        main = pod.main()
        others = [main, *pod.of_role("sidecar")]
        if recreate:
            for plan in others:
                self.engine.remove(plan.engine_name)
        try:
            self._prepare(pod, others, inputs_for=main)
        except EngineError as err:
            return self._final(pod, "Error", err.message)
        except Exception as err:
            return self._final(pod, "Error", getattr(err, "message", None) or str(err))
        try:
            records.mark_launched(self.log_dir / pod.request.pod_name)
            self._start(pod, main)
        except EngineError as err:
            return self._final(pod, "Failed", f"main: {err.message}")
        pod.started_at = now_rfc3339()
        for sidecar in pod.of_role("sidecar"):
            self._start(pod, sidecar)
        return self._running(pod, main)

    def _prepare(self, pod: Pod, plans: list[ContainerPlan], inputs_for: ContainerPlan | None = None) -> None:
        for plan in plans:
            self._ensure_image(plan)
            if plan.network:
                self.engine.ensure_network(plan.network, {
                    naming.LABEL_MANAGED: "1", naming.LABEL_NAMESPACE: self.namespace,
                    naming.LABEL_WORKFLOW: pod.request.workflow_name})
            for mount in plan.mounts:
                if mount["type"] == "volume":
                    self.engine.create_volume(str(mount["source"]), claims.volume_labels(
                        self.namespace, pod.request.pod_name, pod.request.workflow_name, mount))
            self.engine.create(plan)
            for mount in plan.mounts:
                if mount["type"] == "files":
                    files = {f"{mount['target'].rstrip('/')}/{path}": text for path, text in mount["files"].items()}
                    self.engine.put_archive(plan.engine_name, "/", transfer.tar_of_files(files))
            if plan is inputs_for:
                place_inputs(self.engine, pod.request, plan.engine_name, self.artifact_io, plan.script, SCRIPT_PATH)

    def _ensure_image(self, plan: ContainerPlan) -> None:
        # no policy: IfNotPresent even for :latest (Kubernetes would say Always); the engine's image
        # cache is what a laptop or CI box has, and a pull that cannot succeed offline costs seconds
        policy = plan.pull_policy or "IfNotPresent"
        present = self.engine.has_image(plan.image)
        if policy == "Never":
            if not present:
                raise EngineError(f'ErrImageNeverPull: container image "{plan.image}" is not present '
                                  'with pull policy of Never')
            return
        if present and policy != "Always":
            return
        try:
            self.engine.pull(plan.image, self.notices)
        except EngineError as err:
            if not present:
                raise EngineError(f"ErrImagePull: {err.message}") from err
            self.notices(f"notice: could not pull {plan.image} ({err.message}); using the local copy")

    def _start(self, pod: Pod, plan: ContainerPlan) -> None:
        pod.started.add(plan.name)
        self.engine.start(plan.engine_name)

    def _running(self, pod: Pod, main: ContainerPlan) -> PodUpdate:
        daemon = bool(pod.request.template.get("daemon"))
        if daemon and not pod.pod_ip:
            details = self.engine.inspect(pod.infra().engine_name) or {}  # it holds the pod's network
            pod.pod_ip = str((details.get("NetworkSettings") or {}).get("IPAddress") or "")
            if not pod.pod_ip:
                for network in ((details.get("NetworkSettings") or {}).get("Networks") or {}).values():
                    pod.pod_ip = pod.pod_ip or str((network or {}).get("IPAddress") or "")
        return pod.update("Running", started_at=pod.started_at or now_rfc3339(), pod_ip=pod.pod_ip,
                          daemoned=daemon)

    # -- termination ------------------------------------------------------------------------------
    def _grace(self, pod: Pod) -> float:
        patch = pod.request.template.get("podSpecPatch")
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            loaded = json.loads(patch) if isinstance(patch, str) and patch.strip().startswith("{") else None
            if isinstance(loaded, dict) and "terminationGracePeriodSeconds" in loaded:
                return float(loaded["terminationGracePeriodSeconds"])
        return self.kill_grace

    def _signal_all(self, pod: Pod, signal: str, plans: list[ContainerPlan] | None = None) -> None:
        for plan in plans if plans is not None else pod.containers():
            with contextlib.suppress(EngineError):
                self.engine.kill(plan.engine_name, signal)
        self._kill_times.setdefault(f"{pod.request.pod_name}/{signal}", time.monotonic())

    def _escalate_kill(self, pod: Pod, states: dict[str, State]) -> None:
        if not pod.kill_reason:
            return
        sent = self._kill_times.get(f"{pod.request.pod_name}/SIGTERM")
        if sent is not None and time.monotonic() - sent > self._grace(pod):
            running = [p for p in pod.containers() if states.get(p.name, State("exited")).status == "running"]
            if running and f"{pod.request.pod_name}/SIGKILL" not in self._kill_times:
                self._signal_all(pod, "SIGKILL", running)

    def _check_deadline(self, pod: Pod, states: dict[str, State]) -> None:
        deadline = pod.request.deadline
        if not deadline or pod.kill_reason:
            return
        try:
            moment = datetime.fromisoformat(deadline.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return
        if time.time() >= moment:
            self.kill(pod.request.pod_name, reason=DEADLINE_MESSAGE)

    def _stop_sidecars(self, pod: Pod, sidecars: list[ContainerPlan]) -> None:
        key = f"{pod.request.pod_name}/sidecars"
        if key not in self._kill_times:
            self._kill_times[key] = time.monotonic()
            for plan in sidecars:
                with contextlib.suppress(EngineError):
                    self.engine.kill(plan.engine_name, "SIGTERM")
        elif time.monotonic() - self._kill_times[key] > self._grace(pod):
            for plan in sidecars:
                with contextlib.suppress(EngineError):
                    self.engine.kill(plan.engine_name, "SIGKILL")

    # -- the end ----------------------------------------------------------------------------------
    def _finish(self, pod: Pod, main: ContainerPlan) -> PodUpdate:
        details = self.engine.inspect(main.engine_name) or {}
        exit_code = int((details.get("State") or {}).get("ExitCode") or 0)
        self._keep_logs(pod)
        outputs, error = collect(self.engine, pod.request, main.engine_name, exit_code, self.artifact_io,
                                 self.log_dir / pod.request.pod_name / "main.log")
        if pod.kill_reason:
            return self._final(pod, "Failed", pod.kill_reason, outputs={"exitCode": str(exit_code)})
        phase, message = rules.node_phase_for_exit(exit_code)
        if (details.get("State") or {}).get("OOMKilled"):
            message = "OOMKilled (exit code 137)"
        if error and phase == "Succeeded":
            phase, message = "Error", error
        return self._final(pod, phase, message, outputs=outputs)

    def _finish_set(self, pod: Pod, states: dict[str, State], not_run: dict[str, str]) -> PodUpdate:
        """A containerSet pod whose members are all done: outputs from its ``main`` member, if any."""
        running = [p for p in pod.of_role("sidecar") if states.get(p.name, State("exited")).status != "exited"]
        if running:
            self._stop_sidecars(pod, running)
            return pod.last or pod.update("Running", started_at=pod.started_at)
        containers = containerset.container_updates(pod, states, not_run)
        message = containerset.first_failure(pod, states, not_run)
        self._keep_logs(pod)
        main = next((p for p in pod.of_role("main") if p.name == "main"), None)
        main_state = states.get("main")
        outputs: JSON | None = None
        error = None
        if main is not None and main_state is not None and main_state.exit_code is not None:
            outputs, error = collect(self.engine, pod.request, main.engine_name, main_state.exit_code,
                                     self.artifact_io, self.log_dir / pod.request.pod_name / "main.log")
        phase = "Failed" if pod.kill_reason or message else "Succeeded"
        if error and phase == "Succeeded":
            phase, message = "Error", error
        update = self._final(pod, phase, pod.kill_reason or message, outputs=outputs)
        return dataclasses.replace(update, containers=containers)

    def _keep_logs(self, pod: Pod) -> None:
        directory = self.log_dir / pod.request.pod_name
        directory.mkdir(parents=True, exist_ok=True)
        for plan in pod.containers():  # one read: the plain log is the stamped one without its stamps
            stamped = self.engine.logs(plan.engine_name, timestamps=True)
            (directory / f"{plan.name}.tlog").write_bytes(stamped)
            plain = b"".join(line.partition(b" ")[2] for line in stamped.splitlines(keepends=True))
            (directory / f"{plan.name}.log").write_bytes(plain)

    def _final(self, pod: Pod, phase: str, message: str, outputs: JSON | None = None) -> PodUpdate:
        pod.done = True
        if pod.plans:  # the sandbox is of no use once the pod is over
            with contextlib.suppress(EngineError):
                self.engine.kill(pod.infra().engine_name, "SIGKILL")
        update = pod.update(phase, message=message, outputs=outputs, started_at=pod.started_at,
                            finished_at=now_rfc3339(), pod_ip=pod.pod_ip)
        records.write_final(self.log_dir / pod.request.pod_name, update)
        return update

    def _stored_final(self, request: PodRequest) -> PodUpdate | None:
        """The outcome an earlier driver recorded for this pod (it is never run again)."""
        return records.read_final(self.log_dir / request.pod_name, request)

    def _run_data(self, pod: Pod) -> PodUpdate:
        artifact_io: Any = self.artifact_io
        if artifact_io is None:
            return self._final(pod, "Error", "data templates need an artifact repository, and none is configured")
        request = pod.request
        try:
            result = datatemplate.run(request.template, lambda paths: artifact_io.list_keys(paths, request))
        except Exception as exc:
            return self._final(pod, "Error", getattr(exc, "message", None) or str(exc))
        return self._final(pod, "Succeeded", "", outputs={"result": result})

