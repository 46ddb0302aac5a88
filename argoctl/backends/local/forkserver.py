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
shims' exit statuses itself. Real root's server skips the intermediate (``_PidOne``): it asks for
the new PID namespace itself, forks the shim as pid 1 directly and goes back to its own. After
each pod the server makes a spare the same way, waiting for its request already in its namespaces
(its root's base mounted and its first container forked ahead, see ``rootfs.build_base`` and
``prefork``), and hands the spare's end of a new socketpair to the driver, which sends the next
pod's request to the spare directly (and tells the server to make the next spare). A spare stops
waiting ``SPARE_MAX_AGE`` after it was made (its copy of the host's mount table could be stale):
it shuts its socket, so a driver's late request fails with EPIPE and goes to the server instead. The server keeps only its socket between requests: every received
descriptor is closed right after the fork, so a shim's notify pipe and lock are held by that shim
alone, and a spare's socket is held by the driver alone.

The server dies with its driver: when the driver's end of the socket closes (its ``close``, its
exit, a SIGKILL), the server's next read sees end of file and it exits. Running pods are not
its children in any way that matters: they keep running, and a later driver adopts them. Imports
only the standard library (and the shim's modules, which it pre-imports).
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path

from argoctl.backends.local import podfiles, prefork
from argoctl.backends.local.procs import now_rfc3339
from argoctl.backends.local.sysapi import CLONE_NEWUSER, MS_PRIVATE, MS_REC, Libc, write_proc_file

TYPE_CHECKING = False  # typing is not imported at run time: the server starts faster
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from argoctl.backends.local.rootfs import Prebuilt

CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
PR_SET_CHILD_SUBREAPER = 36
NAMESPACE = "unshare"  # sandbox kind: own mount + PID namespaces (as ``unshare`` gives them)
PLAIN = "none"  # sandbox kind: plain processes (fallback mode)
MAX_MESSAGE = 1 << 20
_REAP_EVERY = 1.0
SPARE_MAX_AGE = 1.0  # seconds a spare shim (see ``_offer_spare``) may wait for a request
SPARE_MARGIN = 0.05  # the driver leaves a spare this close to its end unused


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


def enter_namespaces(libc: Libc, *, pid: bool = True) -> None:
    """``unshare --mount --propagation private --pid`` (``--user --map-root-user`` when not root);
    the caller's next child is pid 1 of the new PID namespace (``pid=False``: no new PID
    namespace, the caller is pid 1 of one already, see ``_PidOne``)."""
    uid, gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWNS | (CLONE_NEWPID if pid else 0)
    if uid != 0:
        flags |= CLONE_NEWUSER
    libc.unshare(flags)
    if uid != 0:
        write_proc_file("/proc/self/setgroups", "deny\n")
        write_proc_file("/proc/self/uid_map", f"0 {uid} 1\n")
        write_proc_file("/proc/self/gid_map", f"0 {gid} 1\n")
    libc.mount("none", "/", MS_REC | MS_PRIVATE)


class _PidOne:
    """Real root's shortcut: the server asks for a new PID namespace for its next child itself
    (``unshare``) and goes back to its own right after the fork (``setns``), so a pod's shim is
    the server's child and pid 1 at once, with no intermediate process to fork and reap (a
    user namespace, which a user's server would need first, cannot be left that way). Used only
    when a trial at the server's start worked."""

    def __init__(self) -> None:
        self.own: int | None = None  # a descriptor of the server's own PID namespace
        if os.geteuid() != 0:
            return
        try:
            own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return
        try:
            Libc().unshare(CLONE_NEWPID)
            Libc().setns(own, CLONE_NEWPID)
        except OSError:
            os.close(own)
            return
        self.own = own

    def fork(self, body: Callable[[], int]) -> int:
        """Fork ``body`` as pid 1 of a new PID namespace (``_forked``)."""
        assert self.own is not None
        Libc().unshare(CLONE_NEWPID)
        try:
            return _forked(body)
        finally:
            try:
                Libc().setns(self.own, CLONE_NEWPID)
            except OSError as exc:  # (it worked at the trial) every later child would land there:
                print(f"fork server: cannot return to its PID namespace: {exc}", file=sys.stderr, flush=True)
                os._exit(1)  # the driver starts fresh shims once its server is gone


_PID_ONE: list[_PidOne] = []  # the server's, made in ``main``


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


def _become_pod(request: dict[str, Any], notify_fd: int, lock_fd: int, prebuilt: Prebuilt | None = None,
                *, spare: bool = False) -> int:
    """In a forked child, already in the pod's namespaces: become a fresh shim of ``request``'s pod
    (``prebuilt``: the root base a spare mounted ahead, see ``_prebuild``; ``spare``: the child is
    a spare, which holds nothing of the server's since its start)."""
    pod_dir = str(request["pod_dir"])
    if not spare:
        _own_descriptors({notify_fd, lock_fd, *prefork.descriptors()})
    _redirect(pod_dir)
    os.chdir(pod_dir)
    _use_environment(request.get("env") or {})
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a fresh interpreter
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from argoctl.backends.local import shim as shim_module  # pre-imported: no cost

    return shim_module.main([pod_dir, "--notify-fd", str(notify_fd)], prebuilt)


def _child(request: dict[str, Any], notify_fd: int, lock_fd: int, pid_one: bool) -> int:
    """In the forked child: enter the pod's namespaces, then become its shim (as pid 1; forked
    so already when ``pid_one``, see ``_PidOne``)."""
    os.setsid()
    try:
        if request.get("sandbox") == NAMESPACE:
            enter_namespaces(Libc(), pid=not pid_one)
            if not pid_one and os.fork() != 0:
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
    pid_one = _pid_one() if request.get("sandbox") == NAMESPACE else None
    if pid_one is not None:
        pid_one.fork(lambda: _child(request, fds[0], fds[1], True))
    else:
        _forked(lambda: _child(request, fds[0], fds[1], False))


def _pid_one() -> _PidOne | None:
    """The server's ``_PidOne``, when it works here."""
    return _PID_ONE[0] if _PID_ONE and _PID_ONE[0].own is not None else None


def _use_environment(env: dict[str, Any]) -> None:
    """Make ``os.environ`` exactly ``env``, changing only what differs (a spare holds the last
    request's already, which is the next one's as a rule)."""
    wanted = {str(key): str(value) for key, value in env.items()}
    for key in [key for key in os.environ if key not in wanted]:
        del os.environ[key]
    for key, value in wanted.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _prebuild(last: dict[str, Any], trees: list[str] | None) -> Prebuilt | None:
    """While it waits, a spare mounts the base of a root like the last request's pod's (its
    ``root`` hint), as that pod's shim would with the last request's environment: the next pod,
    when its base has the same key, adds only its own parts (``rootfs.build_root``)."""
    hint = last.get("root")
    if not hint:
        return None
    _use_environment(last.get("env") or {})  # what ``rootfs.key_inputs`` reads, as the pod will
    from argoctl.backends.local import shim as shim_module  # pre-imported: no cost

    try:
        return shim_module.prebuild(Path(str(last["pod_dir"])), hint, trees)
    except (OSError, KeyError, TypeError, ValueError):
        return None


_TREES: dict[str, tuple[float, list[str]]] = {}  # the last ``_installed_trees`` answer, by its inputs


def _installed_trees(last: dict[str, Any]) -> list[str] | None:
    """The program installations a root like ``last``'s pod's shows (``rootfs.installed_trees``),
    worked out here, not in every spare (a cold process pays a millisecond for its path lookups):
    kept ``SPARE_MAX_AGE``, as long as a spare keeps the base it built from them."""
    hint, env = last.get("root"), last.get("env") or {}
    if not hint:
        return None
    from argoctl.backends.local import rootfs

    try:
        pod_dir = Path(str(last["pod_dir"]))
        inputs = json.dumps([str(pod_dir.parent), hint, [env.get(n) for n in rootfs.SENSITIVE_ENV]])
        now = time.monotonic()
        known = _TREES.get(inputs)
        if known is None or now - known[0] > SPARE_MAX_AGE:
            _TREES.clear()
            known = _TREES[inputs] = (now, rootfs.installed_trees(pod_dir, hint, env))
    except (OSError, KeyError, TypeError, ValueError):
        return None
    return known[1]


def _launcher_guess(last: dict[str, Any]) -> dict[str, Any] | None:
    from argoctl.backends.local import shim as shim_module  # pre-imported: no cost

    try:
        return shim_module.launcher_guess(Path(str(last["pod_dir"])), last["root"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _spare_child(kind: str, fd: int, last: dict[str, Any], made: float, trees: list[str] | None,
                 pid_one: bool) -> int:
    os.setsid()
    _own_descriptors({fd})
    prebuilt = None
    if kind == NAMESPACE:
        enter_namespaces(Libc(), pid=not pid_one)  # a failure ends the spare: requests go to the server
        if not pid_one and os.fork() != 0:
            return 0
        prebuilt = _prebuild(last, trees)
        prefork.make(_launcher_guess(last) if prebuilt is not None else None)  # its first container's
    channel = socket.socket(fileno=fd)
    received = _await_request(channel, made + SPARE_MAX_AGE)
    if received is None:
        return 0  # not needed after all (the driver is gone, or the spare grew old)
    channel.close()
    return _become_pod(json.loads(received[0]), received[1][0], received[1][1], prebuilt, spare=True)


def _await_request(channel: socket.socket, deadline: float) -> tuple[bytes, list[int]] | None:
    """The request, or None: end of file (the driver is gone), or none before ``deadline``. Then
    the reading side is shut first, so a driver sending later gets EPIPE (and asks the server),
    and a request that came just before is still served."""
    channel.settimeout(max(0.0, deadline - time.monotonic()))
    try:
        message, fds, _, _ = socket.recv_fds(channel, MAX_MESSAGE, 2)
    except (TimeoutError, BlockingIOError):
        channel.shutdown(socket.SHUT_RD)
        try:
            message, fds = recv_fds(channel, MAX_MESSAGE, 2, socket.MSG_DONTWAIT)
        except OSError:
            return None
    if not message or len(fds) != 2:
        for fd in fds:
            os.close(fd)
        return None
    return message, fds


def recv_fds(sock: socket.socket, size: int, most: int, flags: int = 0) -> tuple[bytes, list[int]]:
    """``socket.recv_fds`` with its ``flags`` honoured (Python 3.11's drops them)."""
    fds = array.array("i")
    message, ancillary, _, _ = sock.recvmsg(size, socket.CMSG_LEN(most * fds.itemsize), flags)
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    return message, list(fds)


class _Spare:
    """A spare shim the server made: its end of the spare's socket, its sandbox kind, its birth."""

    __slots__ = ("kind", "made", "sock")

    def __init__(self, sock: socket.socket, kind: str, made: float) -> None:
        self.sock, self.kind, self.made = sock, kind, made

    def take(self, request: dict[str, Any], message: bytes, fds: list[int]) -> bool:
        """Hand ``request`` to the spare (True), or False when it does not fit or is gone."""
        try:
            if request.get("sandbox") != self.kind or time.monotonic() - self.made > SPARE_MAX_AGE - SPARE_MARGIN:
                return False
            socket.send_fds(self.sock, [message], fds)
            return True
        except OSError:
            return False
        finally:
            self.sock.close()  # used or not: the spare reads its request, or end of file and exits

    def offer(self, driver: socket.socket) -> None:
        """Hand the spare's socket to the driver, which sends its next pod's request to it directly.
        The server keeps no copy: the spare ends when the driver closes it or exits, or by itself
        when it grows old (``SPARE_MAX_AGE``)."""
        try:
            offer = json.dumps({"spare": self.kind, "made": self.made}).encode()
            rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [self.sock.fileno()]))]
            driver.sendmsg([offer], rights, socket.MSG_DONTWAIT)  # (send_fds drops its flags)
        except OSError:
            pass  # no spare this time: the next request comes to the server
        finally:
            self.sock.close()


def _make_spare(last: dict[str, Any]) -> _Spare | None:
    """Fork a spare shim for a pod like ``last``'s."""
    kind = str(last.get("sandbox"))
    if kind not in (NAMESPACE, PLAIN):
        return None
    trees = _installed_trees(last) if kind == NAMESPACE else None
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    made = time.monotonic()
    pid_one = _pid_one() if kind == NAMESPACE else None
    try:
        if pid_one is not None:
            pid_one.fork(lambda: _spare_child(kind, theirs.fileno(), last, made, trees, True))
        else:
            _forked(lambda: _spare_child(kind, theirs.fileno(), last, made, trees, False))
    except OSError:
        ours.close()
        return None
    finally:
        theirs.close()
    return _Spare(ours, kind, made)


def _serve_one(message: bytes, fds: list[int], spare: _Spare | None) -> _Spare | None:
    """Start the pod of a request with descriptors (through the server's spare when it fits);
    after any message, return a new spare for the next pod."""
    request = json.loads(message)
    if len(fds) != 2:  # the driver started a pod on an offered spare: keep a held one for the next
        if spare is not None and spare.kind == request.get("sandbox"):
            return spare
    elif spare is not None and spare.take(request, message, fds):
        spare = None
    else:
        _launch(request, fds)
    if spare is not None:
        spare.sock.close()
    return _make_spare(request)


def serve(sock: socket.socket) -> int:
    """Serve the driver until its end of ``sock`` closes. After each message the server makes a
    spare; it keeps it for a request already queued behind (a fan-out's next pod), and else
    offers it to the driver (``_Spare.offer``)."""
    with contextlib.suppress(OSError):
        Libc().prctl(PR_SET_CHILD_SUBREAPER, 1)
    spare: _Spare | None = None
    while True:
        _reap()
        if spare is not None and not select.select([sock], [], [], 0)[0]:
            spare.offer(sock)
            spare = None
        ready, _, _ = select.select([sock], [], [], _REAP_EVERY)
        if not ready:
            continue
        try:
            message, fds = recv_fds(sock, MAX_MESSAGE, 2)
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
    _PID_ONE.append(_PidOne())
    sock = socket.socket(fileno=int(argv[argv.index("--fd") + 1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a ^C at the terminal is the driver's business
    return serve(sock)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
