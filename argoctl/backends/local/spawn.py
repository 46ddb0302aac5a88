"""Starting a pod's shim (driver side): through the fork server when it can, else a fresh process.

The fork server (``forkserver``) serves the sandboxes it can set up itself: ``unshare``'s (its own
mount and PID namespaces, a user namespace when not root) and plain processes. With bubblewrap, or
when the server cannot be started or has gone, each shim is a fresh interpreter under the sandbox's
launcher, as before. ``ARGOCTL_FORK_SERVER=0`` turns the server off. ``is_shim`` tells whether a
pid still names a pod's shim (a guard against reused pids before signalling it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from argoctl.backends.local import podfiles
from argoctl.backends.local.forkserver import NAMESPACE, PLAIN, ForkServer
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
