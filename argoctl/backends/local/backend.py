"""``LocalBackend``: the driver side of local pods (start, watch, adopt, kill, logs).

Each pod is run by a detached shim process (``argoctl.backends.local.shim``) that writes
everything into ``run_dir/<pod_name>/``; this class only starts shims and reads their files, so a
new driver on the same ``run_dir`` picks up where a dead one left off. ``wait`` sleeps on the
shims' notify pipes; pods adopted from an earlier driver have no pipe and are polled every
``poll_interval`` seconds, inside ``wait`` only.

Like a node whose kubelet admits at most ``maxPods`` (110 by default), at most ``max_pods`` pods
run at once (``ARGOCTL_MAX_PODS``); the others stay Pending, queued in start order, until a
running pod finishes. A queued pod keeps its request on disk, so a new driver starts it too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from argoctl.backends.base import ArtifactIO, PodRequest, PodUpdate
from argoctl.backends.images import ImageTable
from argoctl.backends.local import podfiles
from argoctl.backends.local.plan import PlanError, build_plan
from argoctl.backends.local.procs import now_rfc3339
from argoctl.backends.local.rootfs import base_hint
from argoctl.backends.local.sandbox import SandboxChoice, choose_sandbox, fallback_notice
from argoctl.backends.local.spawn import ShimSpawner, is_shim
from argoctl.backends.local.watch import PodWatch, pod_deleted, update_from_files
from argoctl.config import load_config
from argoctl.errors import BackendError
from argoctl.model import labelselector
from argoctl.model.pods import pod_metadata

_ACTIVE = ("Pending", "Running")
_QUEUED = "queued"  # marker: the pod waits for a free slot (its request.json is written)
DEFAULT_MAX_PODS = 110  # a kubelet's default maxPods
_STALE = (_QUEUED, podfiles.STATE, podfiles.KILL, podfiles.PLAN, podfiles.PID, podfiles.ARTIFACT_IO, podfiles.OUTPUTS)


def _stderr_notice(text: str) -> None:
    sys.stderr.write(text + "\n")


def max_pods_from_env() -> int:
    """``ARGOCTL_MAX_PODS`` (at least 1), else the kubelet's default of 110."""
    raw = os.environ.get("ARGOCTL_MAX_PODS", "").strip()
    try:
        value = int(raw) if raw else DEFAULT_MAX_PODS
    except ValueError:
        value = DEFAULT_MAX_PODS
    return max(1, value)


def _stored_request(data: dict[str, object]) -> PodRequest:
    fields = dict(data)
    fields["env"] = tuple(tuple(pair) for pair in fields.get("env") or ())  # type: ignore[attr-defined]
    return PodRequest(**fields)  # type: ignore[arg-type]


def check_runtime(runtime: str) -> None:
    """Only host processes are implemented; ``docker`` says so clearly."""
    if runtime in ("", "process", "local"):
        return
    if runtime == "docker":
        raise BackendError(
            "--runtime docker is not implemented in this version of argoctl",
            hint="omit --runtime to run steps as local processes (the image table maps images to host programs)",
        )
    raise BackendError(f"unknown runtime {runtime!r}", hint="use --runtime process")


class LocalBackend:
    """Runs pods as local processes under ``run_dir`` (one directory per pod)."""

    def __init__(
        self,
        run_dir: Path,
        *,
        artifact_io: ArtifactIO | None = None,
        images: ImageTable | None = None,
        notices: Callable[[str], None] | None = None,
        sandbox: str | None = None,
        runtime: str = "process",
        kill_grace: float = 3.0,
        poll_interval: float = 0.05,
        max_pods: int | None = None,
    ) -> None:
        check_runtime(runtime)
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.artifact_io = artifact_io
        self.images = images if images is not None else ImageTable.from_config(load_config())
        self.notices = notices or _stderr_notice
        self.kill_grace = kill_grace
        self.poll_interval = poll_interval
        self._requested_sandbox = sandbox
        self._sandbox: SandboxChoice | None = None
        self._selector = selectors.DefaultSelector()
        self._watched: dict[str, PodWatch] = {}
        self.max_pods = max(1, max_pods) if max_pods is not None else max_pods_from_env()
        self._queued: dict[str, PodRequest] = {}  # waiting for a slot, in start order
        self._spawner = ShimSpawner(self.run_dir)
        self._probing: threading.Thread | None = None
        self._probed: list[SandboxChoice] = []

    # -- sandbox ------------------------------------------------------------------------------
    @property
    def sandbox(self) -> SandboxChoice:
        """The sandbox in use, probed at first use; the fallback notice is shown once."""
        if self._sandbox is None:
            probing, self._probing = self._probing, None
            if probing is not None:  # started by ``prepare``
                probing.join()
            self._sandbox = self._probed[0] if self._probed else choose_sandbox(self._requested_sandbox)
            if self._sandbox.mode == "none":
                self.notices(fallback_notice(self._sandbox.reason))
        return self._sandbox

    # -- Backend protocol ---------------------------------------------------------------------
    def start(self, request: PodRequest) -> None:
        if request.pod_name in self._watched or request.pod_name in self._queued:
            return
        pod_dir = self.run_dir / request.pod_name
        try:
            pod_dir.mkdir(parents=True)
            fresh = True  # nothing of an earlier attempt to clear
        except FileExistsError:
            fresh = False
        if not fresh and (pod_dir / podfiles.STATUS).exists():
            self._watch(request, pod_dir)
            return
        if self._sandbox is None:
            self._spawner.warm(self._requested_sandbox)
        lock_fd = podfiles.open_lock(pod_dir)
        try:
            if not podfiles.try_lock(lock_fd):  # a live shim from an earlier driver: adopt it
                self._watch(request, pod_dir)
                return
            if len(self._watched) >= self.max_pods:
                self._queue(request, pod_dir)
                return
            self._launch(request, pod_dir, lock_fd, fresh=fresh)
        finally:
            os.close(lock_fd)

    def prepare(self) -> None:
        """A driver is about to run pods: start the fork server and probe the sandbox now, while
        it loads the workflow."""
        self._spawner.warm(self._requested_sandbox)
        if self._sandbox is None and self._probing is None:
            requested = self._requested_sandbox
            self._probing = threading.Thread(target=lambda: self._probed.append(choose_sandbox(requested)),
                                             name="argoctl-sandbox-probe", daemon=True)
            self._probing.start()

    def adopt(self, requests: Sequence[PodRequest]) -> Sequence[PodUpdate]:
        return [self._adopt_one(request) for request in requests]

    def _adopt_one(self, request: PodRequest) -> PodUpdate:
        pod_dir = self.run_dir / request.pod_name
        pending = PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Pending")
        if request.pod_name in self._queued:
            return pending
        stored = podfiles.read_json(pod_dir / podfiles.REQUEST)
        if (pod_dir / _QUEUED).exists() and stored and not (pod_dir / podfiles.STATUS).exists():
            self.start(_stored_request(stored))  # queued by an earlier driver: never started
            return pending
        watch = self._watched.get(request.pod_name) or PodWatch(request, pod_dir)
        update = update_from_files(watch, force=True)
        if update is None or update.phase in _ACTIVE:
            if podfiles.shim_alive(pod_dir):
                update = update or PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Pending")
            else:  # the runner died without a status (or never started): re-read, then Error
                final = update_from_files(watch, force=True)
                update = final if final is not None and final.phase not in _ACTIVE else pod_deleted(watch)
        watch.last = update
        if update.phase in _ACTIVE:
            self._watched.setdefault(request.pod_name, watch)
        else:
            self._unwatch(request.pod_name)
        return update

    def wait(self, timeout: float) -> Sequence[PodUpdate]:
        end = time.monotonic() + max(0.0, timeout)
        while True:
            self._start_queued()
            updates = self._scan()
            self._start_queued()
            remaining = end - time.monotonic()
            if updates or remaining <= 0:
                return updates
            polled = any(w.pipe_fd is None for w in self._watched.values())
            self._sleep(min(remaining, self.poll_interval) if polled else remaining)

    def kill(self, pod_name: str, *, reason: str) -> None:
        pod_dir = self.run_dir / pod_name
        queued = self._queued.pop(pod_name, None)
        if queued is not None:  # never started: it ends now, reported by the next wait
            (pod_dir / _QUEUED).unlink(missing_ok=True)
            podfiles.write_json_atomic(pod_dir / podfiles.STATUS, {
                "phase": "Failed", "message": reason, "finished_at": now_rfc3339(),
            })
            self._watch(queued, pod_dir)
            return
        if not pod_dir.is_dir() or (pod_dir / podfiles.STATUS).exists():
            return
        podfiles.write_json_atomic(pod_dir / podfiles.KILL, {"reason": reason})
        if podfiles.shim_alive(pod_dir):
            pid = podfiles.read_pid(pod_dir)
            if pid is not None and is_shim(pid, pod_dir):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGTERM)
            return  # a shim that has not written its pid yet reads kill.json before running
        if not (pod_dir / podfiles.STATUS).exists():
            podfiles.write_json_atomic(pod_dir / podfiles.STATUS, {
                "phase": "Failed", "message": reason, "finished_at": now_rfc3339(),
            })

    def remove(self, pod_name: str, *, selector: dict[str, object] | None = None) -> None:
        """A finished pod's directory goes (its logs are archived in the store by then)."""
        pod_dir = self.run_dir / pod_name
        if not (pod_dir / podfiles.STATUS).exists():
            return  # not finished: its status is the shim's last write
        if selector:
            request = podfiles.read_json(pod_dir / podfiles.REQUEST) or {}
            labels, _ = pod_metadata(request.get("template") or {}, request.get("workflow_spec") or {})
            labels["workflows.argoproj.io/workflow"] = str(request.get("workflow_name", ""))
            if not labelselector.matches(selector, labels):
                return
        shutil.rmtree(pod_dir, ignore_errors=True)

    def workflow_deleted(self, workflow_name: str, pods: Sequence[str]) -> None:
        """Its finished pods' directories go; a pod still stopping keeps its own (its shim writes there)."""
        for pod_name in pods:
            self.remove(pod_name)

    def read_logs(self, pod_name: str, container: str = "main", *, timestamps: bool = False) -> str:
        path = podfiles.log_path(self.run_dir / pod_name, container, "tlog" if timestamps else "log")
        try:
            return path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def close(self) -> None:
        """Stop watching; the pods keep running (a later driver adopts them)."""
        for name in list(self._watched):
            self._unwatch(name)
        self._selector.close()
        self._spawner.close()

    # -- internals ------------------------------------------------------------------------------
    def _queue(self, request: PodRequest, pod_dir: Path) -> None:
        podfiles.write_json_atomic(pod_dir / podfiles.REQUEST, _request_json(request))
        (pod_dir / _QUEUED).touch()
        self._queued[request.pod_name] = request

    def _start_queued(self) -> None:
        while self._queued and len(self._watched) < self.max_pods:
            name = next(iter(self._queued))
            request = self._queued.pop(name)
            self.start(request)

    def _watch(self, request: PodRequest, pod_dir: Path, pipe_fd: int | None = None,
               process: subprocess.Popen[bytes] | None = None) -> None:
        watch = PodWatch(request, pod_dir, pipe_fd=pipe_fd, process=process)
        self._watched[request.pod_name] = watch
        if pipe_fd is not None:
            self._selector.register(pipe_fd, selectors.EVENT_READ, watch)

    def _unwatch(self, pod_name: str) -> None:
        watch = self._watched.pop(pod_name, None)
        if watch is not None:
            self._close_pipe(watch)
            if watch.process is not None:
                watch.process.poll()

    def _close_pipe(self, watch: PodWatch) -> None:
        if watch.pipe_fd is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(watch.pipe_fd)
            os.close(watch.pipe_fd)
            watch.pipe_fd = None

    def _sleep(self, seconds: float) -> None:
        if not self._selector.get_map():
            time.sleep(seconds)
            return
        for key, _ in self._selector.select(seconds):
            watch: PodWatch = key.data
            try:
                data = os.read(key.fd, 4096)
            except BlockingIOError:
                continue
            if not data:  # the shim exited: from now on read its files
                self._close_pipe(watch)
                if watch.process is not None:
                    watch.process.poll()

    def _scan(self) -> list[PodUpdate]:
        updates: list[PodUpdate] = []
        for name, watch in list(self._watched.items()):
            update = update_from_files(watch)
            if update is None and watch.pipe_fd is None and not podfiles.shim_alive(watch.pod_dir):
                update = update_from_files(watch) or pod_deleted(watch)
            if update is None:
                continue
            watch.last = update
            updates.append(update)
            if update.phase not in _ACTIVE:
                self._unwatch(name)
        return updates

    def _launch(self, request: PodRequest, pod_dir: Path, lock_fd: int, *, fresh: bool = False) -> None:
        if not fresh:
            _clear_stale(pod_dir)
        podfiles.write_json_atomic(pod_dir / podfiles.REQUEST, _request_json(request))
        sandbox = self.sandbox
        try:
            plan = build_plan(request, self.images, pod_dir, mode=sandbox.mode, grace=self.kill_grace,
                              lookup=self._object_lookup(request.namespace))
            if plan["has_input_artifacts"] or plan["has_output_artifacts"] or plan.get("data") or plan.get("archive_logs"):
                self._hand_over_artifact_io(pod_dir)
        except PlanError as exc:
            podfiles.write_json_atomic(pod_dir / podfiles.STATUS, {
                "phase": "Error", "message": exc.message, "finished_at": now_rfc3339(),
            })
            self._watch(request, pod_dir)
            return
        podfiles.write_json_atomic(pod_dir / podfiles.PLAN, plan, private=True)
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        try:
            process = self._spawner.spawn(pod_dir, sandbox, write_fd, lock_fd, base_hint(plan))
        except OSError as exc:
            os.close(read_fd)
            raise BackendError(f"cannot start the pod runner for {request.pod_name}: {exc}") from exc
        finally:
            os.close(write_fd)
        self._watch(request, pod_dir, pipe_fd=read_fd, process=process)

    def _object_lookup(self, namespace: str) -> Callable[[str, str], dict[str, object] | None] | None:
        """Secrets and ConfigMaps of the pod's namespace, from the local store whose Secrets the
        CLI gave the artifact layer (else ``$ARGOCTL_HOME``'s)."""
        from argoctl.artifacts.secrets import StoreSecrets

        getter = getattr(self.artifact_io, "secret_getter", None)
        home = getter.home if isinstance(getter, StoreSecrets) else os.environ.get("ARGOCTL_HOME")
        if not home:
            return None
        return StoreSecrets(str(home), namespace or "default").get_object

    def _hand_over_artifact_io(self, pod_dir: Path) -> None:
        if self.artifact_io is None:
            return  # the shim reports the missing repository when the pod needs it
        try:
            factory, config = self.artifact_io.handover()
            payload = json.dumps({"factory": factory, "config": config}).encode()
        except (AttributeError, TypeError, ValueError) as exc:
            raise PlanError(f"cannot hand the artifact repository to the local pod runner: {exc}") from exc
        (pod_dir / podfiles.ARTIFACT_IO).write_bytes(payload)


def _request_json(request: PodRequest) -> dict[str, object]:
    """The request's fields for ``request.json`` (``json`` writes tuples as lists, as ``asdict``
    would give them, without ``asdict``'s deep copy of the template and workflow spec)."""
    return {field.name: getattr(request, field.name) for field in dataclasses.fields(request)}


def _clear_stale(pod_dir: Path) -> None:
    """Remove what a dead earlier attempt of this pod left (never mounted from this namespace)."""
    for name in _STALE:
        with contextlib.suppress(FileNotFoundError):
            (pod_dir / name).unlink()
    for entry in pod_dir.iterdir():
        if entry.suffix in (".log", ".stdout", ".stderr", ".exitcode") and entry.name != podfiles.SHIM_LOG:
            entry.unlink()
        elif entry.is_dir() and not entry.is_symlink() and entry.name in ("root", "overlay", "tmp", "work", "bin"):
            shutil.rmtree(entry, ignore_errors=True)
