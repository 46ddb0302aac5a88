"""A fork server for local pods: one pre-imported shim process that forks a child per pod.

Starting a fresh interpreter for every pod costs tens of milliseconds before the shim does any
work; here ``LocalBackend`` starts ``python -m argoctl.backends.local.forkserver`` once, the first
time it launches a pod, and asks it over a private ``socketpair`` (never a named socket, so no
other user, driver or ``ARGOCTL_HOME`` can reach it) to run each pod. A request is the pod
directory, the driver's environment, the sandbox kind, and two descriptors passed with
``SCM_RIGHTS``: the write end of the driver's notify pipe and the pod's locked ``shim.lock``.

For each request the server forks a child that does what ``unshare --mount --propagation private
--pid --fork`` (``--user --map-root-user`` when not root) did for a freshly started shim: a new
session, its own mount and PID namespaces (and user namespace), ``/`` made private, then a fork
whose child is pid 1 of the new PID namespace and runs ``shim.main`` exactly as a fresh shim would
(the private root, the confinement of each container, the outputs: nothing changes after this
point). The intermediate child exits at once; the server is a child subreaper, so it collects the
shims' exit statuses itself. After each pod the server makes a spare the same way, waiting for its
request already in its namespaces, so the next pod skips the forks and ``unshare``; a spare older
than ``SPARE_MAX_AGE`` is thrown away (its copy of the host's mount table could be stale). It keeps only its socket between requests: every received descriptor
is closed right after the fork, so a shim's notify pipe and lock are held by that shim alone.

The server dies with its driver: when the driver's end of the socket closes (its ``close``, its
exit, a SIGKILL), the server's next read sees end of file and it exits. Running pods are not
its children in any way that matters: they keep running, and a later driver adopts them. Imports
only the standard library (and the shim's modules, which it pre-imports).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import weakref
from pathlib import Path

from argoctl.backends.local import podfiles, prefork
from argoctl.backends.local.procs import now_rfc3339
from argoctl.backends.local.sysapi import CLONE_NEWUSER, MS_PRIVATE, MS_REC, Libc, write_proc_file

TYPE_CHECKING = False  # typing is not imported at run time: the server starts faster
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
PR_SET_CHILD_SUBREAPER = 36
NAMESPACE = "unshare"  # sandbox kind: own mount + PID namespaces (as ``unshare`` gives them)
PLAIN = "none"  # sandbox kind: plain processes (fallback mode)
MAX_MESSAGE = 1 << 20
_REAP_EVERY = 1.0
SPARE_MAX_AGE = 1.0  # seconds a spare shim (see ``_Spare``) may wait for a request


def _preload() -> None:
    """What a shim imports (lazily too), imported once here instead of in every pod."""
    import argoctl.backends.local.shim
    import argoctl.backends.local.shim_outputs
    import argoctl.backends.outputs  # noqa: F401


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def enter_namespaces(libc: Libc) -> None:
    """``unshare --mount --propagation private --pid`` (``--user --map-root-user`` when not root);
    the caller's next child is pid 1 of the new PID namespace."""
    uid, gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWNS | CLONE_NEWPID
    if uid != 0:
        flags |= CLONE_NEWUSER
    libc.unshare(flags)
    if uid != 0:
        write_proc_file("/proc/self/setgroups", "deny\n")
        write_proc_file("/proc/self/uid_map", f"0 {uid} 1\n")
        write_proc_file("/proc/self/gid_map", f"0 {gid} 1\n")
    libc.mount("none", "/", MS_REC | MS_PRIVATE)


def _own_descriptors(keep: set[int]) -> None:
    """Close every descriptor but ``keep`` (the server's socket, other requests' leftovers)."""
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
        fd = int(name)
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _redirect(pod_dir: str) -> None:
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    log = os.open(os.path.join(pod_dir, podfiles.SHIM_LOG), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)


def _become_pod(request: dict[str, Any], notify_fd: int, lock_fd: int, prebuilt: list[Any] | None = None) -> int:
    """In a forked child, already in the pod's namespaces: become a fresh shim of ``request``'s pod
    (``prebuilt``: the key of the root base a spare mounted ahead, see ``_prebuild``)."""
    pod_dir = str(request["pod_dir"])
    _own_descriptors({notify_fd, lock_fd, *prefork.descriptors()})
    _redirect(pod_dir)
    os.chdir(pod_dir)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in (request.get("env") or {}).items()})
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a fresh interpreter
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from argoctl.backends.local import shim as shim_module  # pre-imported: no cost

    return shim_module.main([pod_dir, "--notify-fd", str(notify_fd)], prebuilt)


def _child(request: dict[str, Any], notify_fd: int, lock_fd: int) -> int:
    """In the forked child: enter the pod's namespaces, then become its shim (as pid 1)."""
    os.setsid()
    try:
        if request.get("sandbox") == NAMESPACE:
            enter_namespaces(Libc())
            if os.fork() != 0:
                return 0  # the shim below is pid 1 of its PID namespace; the server reaps it
    except OSError as exc:
        podfiles.write_json_atomic(Path(str(request["pod_dir"])) / podfiles.STATUS, {
            "phase": "Error", "message": f"local pod runner failed: {exc}",
            "finished_at": now_rfc3339(),
        })
        return 1
    return _become_pod(request, notify_fd, lock_fd)


def _forked(body: Callable[[], int]) -> int:
    """Fork; the child runs ``body`` and exits with its code (never returns); the parent gets the pid."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = body()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    return pid


def _launch(request: dict[str, Any], fds: list[int]) -> None:
    _forked(lambda: _child(request, fds[0], fds[1]))


class _Spare:
    """A shim forked ahead, already in fresh namespaces, waiting on ``sock`` for its pod's request:
    the next request of the same sandbox kind skips the forks and ``unshare``. It copied the host's
    mount table when it was made, so it is used only while young (``SPARE_MAX_AGE``)."""

    __slots__ = ("kind", "made", "sock")

    def __init__(self, kind: str, sock: socket.socket) -> None:
        self.kind, self.sock, self.made = kind, sock, time.monotonic()

    def fresh(self) -> bool:
        return time.monotonic() - self.made <= SPARE_MAX_AGE

    def take(self, request: dict[str, Any], message: bytes, fds: list[int]) -> bool:
        """Hand the request to the spare (True), or False when it does not fit or is gone."""
        try:
            if request.get("sandbox") != self.kind or not self.fresh():
                return False
            socket.send_fds(self.sock, [message], fds)
            return True
        except OSError:
            return False
        finally:
            self.sock.close()  # used or not: the spare reads its request, or end of file and exits


def _prebuild(last: dict[str, Any]) -> list[Any] | None:
    """While it waits, a spare mounts the base of a root like the last request's pod's (its
    ``root`` hint), as that pod's shim would with the last request's environment: the next pod,
    when its base has the same key, adds only its own parts (``rootfs.build_root``)."""
    hint = last.get("root")
    if not hint:
        return None
    os.environ.clear()  # what ``rootfs.sensitive_paths`` reads; the request's replaces it
    os.environ.update({str(k): str(v) for k, v in (last.get("env") or {}).items()})
    from argoctl.backends.local import shim as shim_module  # pre-imported: no cost

    try:
        return shim_module.prebuild(Path(str(last["pod_dir"])), hint)
    except (OSError, KeyError, TypeError, ValueError):
        return None


def _spare_child(kind: str, fd: int, last: dict[str, Any]) -> int:
    os.setsid()
    _own_descriptors({fd})
    prebuilt = None
    if kind == NAMESPACE:
        enter_namespaces(Libc())  # a failure ends the spare: the request is then served directly
        if os.fork() != 0:
            return 0
        prebuilt = _prebuild(last)
        prefork.make()  # the pod's first container, forked ahead too
    channel = socket.socket(fileno=fd)
    message, fds, _, _ = socket.recv_fds(channel, MAX_MESSAGE, 2)
    if not message or len(fds) != 2:
        return 0  # not needed after all (the server is gone, or the spare grew old)
    channel.close()
    return _become_pod(json.loads(message), fds[0], fds[1], prebuilt)


def _make_spare(kind: str, last: dict[str, Any]) -> _Spare | None:
    if kind not in (NAMESPACE, PLAIN):
        return None
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        _forked(lambda: _spare_child(kind, theirs.fileno(), last))
    except OSError:
        ours.close()
        return None
    finally:
        theirs.close()
    return _Spare(kind, ours)


def _serve_one(message: bytes, fds: list[int], spare: _Spare | None) -> _Spare | None:
    """Start the pod of one request (through the spare when it fits); return the next spare."""
    request = json.loads(message)
    if len(fds) != 2:
        return spare
    if spare is None or not spare.take(request, message, fds):
        _launch(request, fds)
    return _make_spare(str(request.get("sandbox")), request)


def serve(sock: socket.socket) -> int:
    """Fork a shim per request until the driver's end of ``sock`` closes."""
    with contextlib.suppress(OSError):
        Libc().prctl(PR_SET_CHILD_SUBREAPER, 1)
    spare: _Spare | None = None
    while True:
        _reap()
        ready, _, _ = select.select([sock], [], [], _REAP_EVERY)
        if not ready:
            if spare is not None and not spare.fresh():
                spare.sock.close()
                spare = None
            continue
        try:
            message, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 2)
        except OSError:
            return 0
        if not message:
            for fd in fds:
                os.close(fd)
            return 0  # the driver is gone
        try:
            spare = _serve_one(message, fds, spare)
        except (OSError, ValueError) as exc:
            print(f"fork server: cannot start a pod: {exc}", file=sys.stderr, flush=True)
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)


def main(argv: list[str]) -> int:
    _preload()
    sock = socket.socket(fileno=int(argv[argv.index("--fd") + 1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a ^C at the terminal is the driver's business
    return serve(sock)


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
        """Ask for a shim of ``pod_dir`` with ``env``; OSError when the server is gone. ``root``
        (``rootfs.base_hint``) lets the next spare prebuild a root base like this pod's."""
        if self.process.poll() is not None:
            raise BrokenPipeError("the fork server exited")
        payload = json.dumps({"pod_dir": str(pod_dir), "sandbox": sandbox, "env": env, "root": root}).encode()
        socket.send_fds(self.sock, [payload], [notify_fd, lock_fd])

    def close(self) -> None:
        self._finalizer()


def _stop(sock: socket.socket, process: subprocess.Popen[bytes]) -> None:
    """End of file on the socket ends the server (never waited for: a driver's exit is not
    delayed by it); collect it if it already went."""
    sock.close()
    process.poll()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
