"""The shim's event loop: run a pod's containers in order and watch them until they end.

Init containers run one after another; then sidecars start and the main containers run as a DAG
of their ``dependencies`` (a plain container or script pod has one main container, ``main``);
when the mains are done the sidecars are stopped. A kill request (SIGTERM from a driver, with
``kill.json`` giving the reason) or the pod deadline stops every container: SIGTERM to each
process group, SIGKILL after the grace period. One selector waits on the output pipes and on a
wake-up pipe written by signal handlers (SIGCHLD, SIGTERM). Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import time
from collections.abc import Callable
from pathlib import Path

from argoctl.backends.local import podfiles
from argoctl.backends.local.procs import Container, drain, read_available, reap, start_container
from argoctl.backends.local.sandbox import PodRoot

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

    JSON = dict[str, Any]

DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"
_MAX_WAIT = 1.0  # the loop re-checks children at least this often (safety net)


class Interrupted:
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class GroupResult:
    """What happened to a group of containers (init, or the mains)."""

    __slots__ = ("finished", "interrupted", "not_run")

    def __init__(self) -> None:
        self.finished: dict[str, Container] = {}
        self.not_run: dict[str, str] = {}  # name -> why it never started
        self.interrupted: Interrupted | None = None


class PodRunner:
    """Runs the containers of one plan; ``on_change`` is called after every container event."""

    def __init__(self, pod_dir: Path, plan: JSON, root: PodRoot, on_change: Callable[[Container], None],
                 on_tick: Callable[[], float | None] | None = None) -> None:
        self.pod_dir = pod_dir
        self.plan = plan
        self.root = root
        self.on_change = on_change
        self.on_tick = on_tick  # called around every wait; returns when it is due next (monotonic)
        self.selector = selectors.DefaultSelector()
        self.running: dict[str, Container] = {}
        self.kill_requested = False
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, None)
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _on_term(self, *_: object) -> None:
        self.kill_requested = True

    # -- interruption -------------------------------------------------------------------------
    def interruption(self) -> Interrupted | None:
        if self.kill_requested or (self.pod_dir / podfiles.KILL).exists():
            request = podfiles.read_json(self.pod_dir / podfiles.KILL) or {}
            return Interrupted(str(request.get("reason") or "pod killed"))
        deadline = self.plan.get("deadline")
        if deadline is not None and time.time() >= float(deadline):
            return Interrupted(DEADLINE_MESSAGE)
        return None

    def _timeout(self, wake_at: float | None) -> float:
        candidates = [_MAX_WAIT]
        if self.plan.get("deadline") is not None:
            candidates.append(float(self.plan["deadline"]) - time.time())
        if wake_at is not None:
            candidates.append(wake_at - time.monotonic())
        return max(0.0, min(candidates))

    # -- process plumbing ---------------------------------------------------------------------
    def start(self, spec: JSON) -> Container:
        container = start_container(spec, self.pod_dir, self.root)
        if container.exit_code is None:
            self.running[container.name] = container
            for fd in container.fds:
                self.selector.register(fd, selectors.EVENT_READ, container)
        else:
            self._record_exit(container)
        self.on_change(container)
        return container

    def _record_exit(self, container: Container) -> None:
        """``<name>.exitcode`` in the pod directory, as Argo's executor leaves it."""
        path = podfiles.log_path(self.pod_dir, container.name, "exitcode")
        podfiles.write_bytes(path, f"{container.exit_code}\n".encode())

    def pump(self, timeout: float) -> list[Container]:
        """Wait up to ``timeout`` for output or signals; return the containers that exited."""
        due = self.on_tick() if self.on_tick is not None else None
        if due is not None:
            timeout = max(0.0, min(timeout, due - time.monotonic()))
        for key, _ in self.selector.select(timeout):
            if key.data is None:
                with contextlib.suppress(OSError):
                    while os.read(self._wake_r, 512):
                        pass
                continue
            container: Container = key.data
            if not read_available(container, key.fd):
                self.selector.unregister(key.fd)
        exited = [c for c in list(self.running.values()) if reap(c)]
        for container in exited:
            del self.running[container.name]
            for fd in list(container.fds):
                self.selector.unregister(fd)
            drain(container)
            self._record_exit(container)
            self.on_change(container)
        self._reap_orphans()
        if self.on_tick is not None:
            self.on_tick()
        return exited

    def _reap_orphans(self) -> None:
        """As pid 1 of the pod's PID namespace the shim inherits the processes containers orphan:
        collect the exited ones (never a container's own process, which ``reap`` collects)."""
        ours = {c.popen.pid for c in self.running.values() if c.popen is not None}
        while True:
            try:
                info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if info is None or info.si_pid in ours:
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(info.si_pid, 0)

    def stop(self, containers: list[Container]) -> None:
        """SIGTERM the process groups, SIGKILL after the grace period, wait for all to exit."""
        alive = [c for c in containers if c.exit_code is None]
        for container in alive:
            container.signal_group(signal.SIGTERM)
        end = time.monotonic() + float(self.plan.get("grace", 3.0))
        while any(c.exit_code is None for c in alive) and time.monotonic() < end:
            self.pump(min(0.05, max(0.0, end - time.monotonic())))
        for container in alive:
            if container.exit_code is None:
                container.signal_group(signal.SIGKILL)
        while any(c.exit_code is None for c in alive):
            self.pump(0.05)

    # -- scheduling -----------------------------------------------------------------------------
    def run_sequence(self, specs: list[JSON]) -> GroupResult:
        """Init containers: one after another, stopping at the first failure."""
        result = GroupResult()
        for spec in specs:
            step = self.run_dag([spec], retries=0, backoff=0.0)
            result.finished.update(step.finished)
            if step.interrupted is not None:
                result.interrupted = step.interrupted
                return result
            if step.finished[spec["name"]].exit_code != 0:
                return result
        return result

    def run_dag(self, specs: list[JSON], *, retries: int, backoff: float) -> GroupResult:
        """Main containers by their dependencies; failing ones restart up to ``retries`` times."""
        result = GroupResult()
        waiting = {str(spec["name"]): spec for spec in specs}
        attempts = dict.fromkeys(waiting, 0)
        restart_at: dict[str, float] = {}
        while True:
            for failed in self._start_ready(waiting, result, restart_at, attempts):
                self._finish(failed, result, waiting, attempts, restart_at, retries, backoff)
            active = any(name in self.running for name in attempts)
            if not active and not restart_at:
                for name in waiting:  # nothing left can satisfy them (a cycle)
                    result.not_run[name] = "its dependencies can never complete"
                waiting.clear()
            if not waiting and not active:
                return result
            interrupted = self.interruption()
            if interrupted is not None:
                stopped = [c for n, c in self.running.items() if n in attempts]
                self.stop(stopped)
                result.finished.update((c.name, c) for c in stopped)
                result.interrupted = interrupted
                return result
            wake_at = min(restart_at.values()) if restart_at else None
            for container in self.pump(self._timeout(wake_at)):
                if container.name not in attempts:
                    continue
                self._finish(container, result, waiting, attempts, restart_at, retries, backoff)

    def _finish(self, container: Container, result: GroupResult, waiting: dict[str, JSON],
                attempts: dict[str, int], restart_at: dict[str, float], retries: int, backoff: float) -> None:
        if container.exit_code != 0 and attempts[container.name] < retries:
            attempts[container.name] += 1
            waiting[container.name] = container.spec
            restart_at[container.name] = time.monotonic() + backoff
            return
        result.finished[container.name] = container

    def _start_ready(self, waiting: dict[str, JSON], result: GroupResult, restart_at: dict[str, float],
                     group: dict[str, int]) -> list[Container]:
        """Start every waiting container whose dependencies succeeded; return failed starts."""
        failed_starts: list[Container] = []
        for name, spec in list(waiting.items()):
            if restart_at.get(name, 0.0) > time.monotonic():
                continue
            dependencies = [str(d) for d in spec.get("dependencies") or []]
            blocked = [d for d in dependencies if d not in group or d in result.not_run or (
                d in result.finished and result.finished[d].exit_code != 0)]
            if blocked:
                result.not_run[name] = f"dependency {blocked[0]!r} did not succeed"
                del waiting[name]
                continue
            if all(d in result.finished for d in dependencies):
                del waiting[name]
                restart_at.pop(name, None)
                container = self.start(spec)
                if container.exit_code is not None:
                    failed_starts.append(container)
        return failed_starts

    def close(self) -> None:
        with contextlib.suppress(ValueError, OSError):
            signal.set_wakeup_fd(-1)
        self.selector.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
