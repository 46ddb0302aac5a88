"""Starting a pod's shim (driver side): through the fork server when it can, else a fresh process.

The fork server (``forkserver``) serves the sandboxes it can set up itself: ``unshare``'s (its own
mount and PID namespaces, a user namespace when not root) and plain processes. With bubblewrap, or
when the server cannot be started or has gone, each shim is a fresh interpreter under the sandbox's
launcher, as before. ``ARGOCTL_FORK_SERVER=0`` turns the server off. ``is_shim`` tells whether a
pid still names a pod's shim (a guard against reused pids before signalling it).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import weakref
from pathlib import Path
from typing import Any

from argoctl.backends.local import podfiles
from argoctl.backends.local.forkserver import NAMESPACE, PLAIN, SPARE_MARGIN, SPARE_MAX_AGE, recv_fds
from argoctl.backends.local.sandbox import SANDBOX_ENV, SandboxChoice

FORK_SERVER_ENV = "ARGOCTL_FORK_SERVER"  # 0 / false / no / off: a fresh interpreter per pod
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])  # the directory holding ``argoctl/``
_SERVER_LOG = ".forkserver.log"


def shim_env(run_dir: Path) -> dict[str, str]:
    """The shim's environment: the driver's, with argoctl importable and compiled modules reused
    (kept beside the pods, never in the source tree) even where the user forbids writing them."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(run_dir / ".pycache"))
    return env


def fork_kind(sandbox: SandboxChoice) -> str | None:
    """The fork server's name for ``sandbox``, or None when it cannot set that sandbox up."""
    if os.environ.get(FORK_SERVER_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return None
    if sandbox.mode == "none":
        return PLAIN
    if sandbox.launcher and os.path.basename(sandbox.launcher[0]) == "unshare":
        return NAMESPACE
    return None


_PRESTARTED: list[ForkServer] = []  # started ahead by ``prestart``, for the first spawner that wants one


def prestart(run_dir: Path, requested: str | None = None) -> None:
    """Start a fork server now, for the first ``ShimSpawner`` of this process to take: a CLI about
    to drive a workflow here calls it before reading the workflow, so the server's start-up (an
    interpreter and the shim's imports) runs beside the parsing. A server nobody takes dies with
    this process. Nothing is started when ``warm`` would not start one."""
    wanted = (requested or os.environ.get(SANDBOX_ENV) or "auto").strip().lower()
    if _PRESTARTED or wanted == "bwrap" or fork_kind(SandboxChoice("none")) is None:
        return
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        _PRESTARTED.append(ForkServer(shim_env(run_dir), run_dir / _SERVER_LOG))
    except OSError:
        return  # the backend starts one itself, or runs fresh shims


class ShimSpawner:
    """Starts shims for one backend; its fork server (if any) lives as long as this object."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self._server: ForkServer | None = None
        self._server_failed = False

    def spawn(self, pod_dir: Path, sandbox: SandboxChoice, write_fd: int, lock_fd: int,
              root: dict[str, Any] | None = None) -> subprocess.Popen[bytes] | None:
        """Start ``pod_dir``'s shim; the Popen of a fresh one, None when the fork server took it
        (``root``: the plan's ``rootfs.base_hint``, for the server's next spare)."""
        env = shim_env(self.run_dir)
        kind = fork_kind(sandbox)
        if kind is None:
            self.close()  # warmed up for a sandbox it cannot set up
        server = self._server_for(env) if kind is not None else None
        if server is not None and kind is not None:
            try:
                server.spawn(pod_dir, kind, write_fd, lock_fd, env, root)
                return None
            except OSError:  # the server died: fresh shims from now on
                self.close()
                self._server_failed = True
        return _popen_shim(pod_dir, sandbox, write_fd, lock_fd, env)

    def warm(self, requested: str | None) -> None:
        """Start the server now (while the sandbox is probed and the first plan built), unless it
        is turned off or bubblewrap is asked for; ``spawn`` closes it if the sandbox chosen is
        not one it serves."""
        wanted = (requested or os.environ.get(SANDBOX_ENV) or "auto").strip().lower()
        if wanted != "bwrap" and fork_kind(SandboxChoice("none")) is not None:
            self._server_for(shim_env(self.run_dir))

    def _server_for(self, env: dict[str, str]) -> ForkServer | None:
        if self._server is None and not self._server_failed and _PRESTARTED:
            self._server = _PRESTARTED.pop()  # started by ``prestart`` while the CLI read the workflow
        if self._server is None and not self._server_failed:
            try:
                self._server = ForkServer(env, self.run_dir / _SERVER_LOG)
            except OSError:
                self._server_failed = True
        return self._server

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None


def _popen_shim(pod_dir: Path, sandbox: SandboxChoice, write_fd: int, lock_fd: int,
                env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [*sandbox.launcher, sys.executable, "-m", "argoctl.backends.local.shim",
               str(pod_dir), "--notify-fd", str(write_fd)]
    with open(pod_dir / podfiles.SHIM_LOG, "ab") as log:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
            cwd=str(pod_dir), pass_fds=(write_fd, lock_fd), start_new_session=True,
        )


def is_shim(pid: int, pod_dir: Path) -> bool:
    """Guard against a reused pid: the process must be this pod's shim (the start time its pid
    file records, else a command line naming the pod)."""
    recorded = podfiles.read_pid_start(pod_dir)
    if recorded is not None:
        return podfiles.process_start(pid) == recorded
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc: trust the lock that says a shim is alive
    return str(pod_dir).encode() in cmdline


class ForkServer:
    """The driver's handle on its fork server (started at once; it dies with this object)."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            with open(log_path, "ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "argoctl.backends.local.forkserver", "--fd", str(theirs.fileno())],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                    pass_fds=(theirs.fileno(),), start_new_session=True,
                )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours
        self._finalizer = weakref.finalize(self, _stop, ours, self.process)

    def spawn(self, pod_dir: Path, sandbox: str, notify_fd: int, lock_fd: int, env: dict[str, str],
              root: dict[str, Any] | None = None) -> None:
        """Start a shim of ``pod_dir`` with ``env``: the spare the server offered, when it fits
        and is young (the server is then told to make the next one), else the server forks one;
        OSError when the server is gone. ``root`` (``rootfs.base_hint``) lets the next spare
        prebuild a root base like this pod's."""
        if self.process.poll() is not None:
            raise BrokenPipeError("the fork server exited")
        payload = json.dumps({"pod_dir": str(pod_dir), "sandbox": sandbox, "env": env, "root": root}).encode()
        spare = self._take_spare(sandbox)
        if spare is not None:
            try:
                socket.send_fds(spare, [payload], [notify_fd, lock_fd])
            except OSError:
                pass  # it grew old and shut its end, or it is gone: the server starts the pod
            else:  # the pod is started: a failure to ask for the next spare shows at the next spawn
                with contextlib.suppress(OSError):
                    self.sock.send(payload)  # no descriptors: only "make the next spare like this pod"
                return
            finally:
                spare.close()
        socket.send_fds(self.sock, [payload], [notify_fd, lock_fd])

    def _take_spare(self, kind: str) -> socket.socket | None:
        """The newest spare offered (older offers are closed), if it serves ``kind`` and has time
        left before it stops waiting (``SPARE_MAX_AGE``)."""
        newest: tuple[socket.socket, str, float] | None = None
        while True:
            try:
                message, fds = recv_fds(self.sock, 4096, 1, socket.MSG_DONTWAIT)
            except OSError:  # nothing more offered (or the server is gone: spawn finds out)
                break
            if not message or len(fds) != 1:
                for fd in fds:
                    os.close(fd)
                break
            if newest is not None:
                newest[0].close()
            offer = json.loads(message)
            newest = (socket.socket(fileno=fds[0]), str(offer["spare"]), float(offer["made"]))
        if newest is None:
            return None
        spare, offered, made = newest
        if offered != kind or time.monotonic() - made > SPARE_MAX_AGE - SPARE_MARGIN:
            spare.close()
            return None
        return spare

    def close(self) -> None:
        self._finalizer()


def _stop(sock: socket.socket, process: subprocess.Popen[bytes]) -> None:
    """End of file on the socket ends the server (never waited for: a driver's exit is not
    delayed by it); collect it if it already went."""
    sock.close()
    process.poll()
