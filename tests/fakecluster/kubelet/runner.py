"""The life of one container in a pod: pull (or fail to), configure, start, wait, restart by
policy. Runs in its own thread; reports through the pod worker."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.fakecluster.kubelet.container import START_ERROR_CODE, ContainerProcess
from tests.fakecluster.kubelet.env import ConfigError, container_env, expand
from tests.fakecluster.kubelet.images import resolve_argv
from tests.fakecluster.kubelet.logstore import ContainerLog
from tests.fakecluster.kubelet.sandbox import ContainerView, build_launch
from tests.fakecluster.kubelet.status import ContainerState, container_id
from tests.fakecluster.kubelet.volumes import container_mounts

if TYPE_CHECKING:
    from tests.fakecluster.kubelet.worker import PodWorker

JSON = dict[str, Any]


class ContainerRunner:
    def __init__(self, worker: PodWorker, spec: JSON, state: ContainerState, *, init: bool, sidecar: bool = False) -> None:
        self.worker = worker
        self.spec = spec
        self.state = state
        self.init = init
        self.sidecar = sidecar  # an init container with restartPolicy Always
        self.logs: list[ContainerLog] = []
        self.process: ContainerProcess | None = None
        self.exit_code: int | None = None
        self.done = threading.Event()
        self.stop_requested = False  # no restart after this run
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"container-{state.name}", daemon=True)

    @property
    def name(self) -> str:
        return self.state.name

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            self.done.set()
            self.started.set()
            self.worker.wake()

    def _loop(self) -> None:
        while not self.stop_requested:
            launch_ready = self._prepare()
            if launch_ready is None:
                return
            view, fallback = launch_ready
            exit_code = self._run_once(view, fallback)
            self.exit_code = exit_code
            if self.worker.stopping or self.stop_requested or not self._should_restart(exit_code):
                return
            self.state.restart()
            self.state.set_waiting("CrashLoopBackOff", f"back-off restarting failed container {self.name} "
                                   f"in pod {self.worker.name}")
            self.worker.publish()
            if self.worker.sleep(self.worker.ctx.restart_backoff * (2 ** min(self.state.restart_count - 1, 4))):
                return

    def _should_restart(self, exit_code: int) -> bool:
        policy = self.worker.restart_policy
        if self.sidecar:
            return True
        if self.init:
            return policy != "Never" and exit_code != 0
        return policy == "Always" or (policy == "OnFailure" and exit_code != 0)

    def _prepare(self) -> tuple[ContainerView, bool] | None:
        """Wait for the image and configuration; None when the pod stops first."""
        if not self._pull():
            return None
        while True:
            try:
                return self._view(), self.spec.get("terminationMessagePolicy") == "FallbackToLogsOnError"
            except ConfigError as error:
                self.state.set_waiting("CreateContainerConfigError", str(error))
                self.worker.publish()
                if self.worker.sleep(self.worker.ctx.retry_interval):
                    return None

    def _pull(self) -> bool:
        image = str(self.spec.get("image", ""))
        images = self.worker.ctx.images
        if not images.pull_fails(image):
            return True
        message = (f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}": '
                   f'failed to resolve reference "{image}": not found')
        self.state.set_waiting("ErrImagePull", message)
        self.worker.publish()
        self.worker.event("Failed", f'Failed to pull image "{image}": {message}', "Warning")
        if self.worker.sleep(self.worker.ctx.image_backoff):
            return False
        self.state.set_waiting("ImagePullBackOff", f'Back-off pulling image "{image}"')
        self.worker.publish()
        self.worker.event("BackOff", f'Back-off pulling image "{image}"', "Warning")
        while images.pull_fails(image):
            if self.worker.sleep(self.worker.ctx.image_backoff):
                return False
        return True

    def _run_dir(self) -> Path:
        run_dir: Path = self.worker.pod_dir / "containers" / f"{self.name}-{self.state.restart_count}"
        (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
        os.chmod(run_dir / "tmp", 0o1777)
        return run_dir

    def _view(self) -> ContainerView:
        pod = self.worker.pod
        env = container_env(pod, self.spec, self.worker.read_object, self.worker.ctx.api_port)
        config = self.worker.ctx.images.lookup(str(self.spec.get("image", "")))
        command = [expand(str(a), env) for a in self.spec.get("command") or []]
        args = [expand(str(a), env) for a in self.spec.get("args") or []]
        argv = resolve_argv(config, command, args)
        mounts = container_mounts(self.spec, self.worker.volume_sources, env)
        if argv and argv[0].startswith("/") and not os.path.exists(argv[0]) \
                and not any(argv[0].startswith(m.container_path + "/") for m in mounts):
            argv[0] = os.path.basename(argv[0])  # /argosay, /usr/games/cowsay: the host program of that name
        run_dir = self._run_dir()
        termination = run_dir / "termination-log"
        termination.touch()
        os.chmod(termination, 0o666)
        links = []
        for program, target in (config.aliases if config else ()):
            host = shutil.which(target[0], path=env.get("PATH")) if target else None
            if program.startswith("/") and host:
                real = os.path.join(os.path.realpath(os.path.dirname(program)), os.path.basename(program))
                links.append((real, host))
        return ContainerView(
            links=tuple(links),
            argv=argv or ["fakecluster-no-command"], env=env, mounts=mounts,
            working_dir=str(self.spec.get("workingDir", "")), scratch_dir=str(run_dir),
            termination_host_file=str(termination),
            termination_path=str(self.spec.get("terminationMessagePath") or "/dev/termination-log"),
            start_error_file=str(run_dir / "start-error"),
        )

    def _run_once(self, view: ContainerView, fallback: bool) -> int:
        log = ContainerLog()
        self.logs.append(log)
        process = ContainerProcess(build_launch(view), log, Path(view.start_error_file),
                                   Path(view.termination_host_file))
        run_id = container_id(self.worker.uid, self.name, self.state.restart_count)
        with self.worker.lock:
            if self.worker.stopping:
                return 137
            self.process = process
            start_error = process.start()
        if not start_error:
            self.state.set_running(process.started_at, run_id)
            self.worker.publish()
            self.started.set()
            self.worker.wake()
            self.worker.event("Started", f"Started container {self.name}")
            exit_code, start_error = process.wait()
        else:
            exit_code = START_ERROR_CODE
        if start_error:
            reason, message = "StartError", start_error
        else:
            reason = process.forced_reason or ("Completed" if exit_code == 0 else "Error")
            message = process.termination_message(exit_code, fallback)
        self.state.set_terminated(exit_code, reason, process.started_at, process.finished_at, message, run_id)
        self.worker.publish()
        return exit_code

    def terminate(self, sig: int) -> None:
        """Stop this container for good (a native sidecar once the main containers are done)."""
        self.stop_requested = True
        self.kill(sig)

    def kill(self, sig: int, reason: str = "") -> None:
        process = self.process
        if process is not None:
            if reason:
                process.forced_reason = reason
            process.kill(sig)

    def running(self) -> bool:
        return self.process is not None and self.process.running()
