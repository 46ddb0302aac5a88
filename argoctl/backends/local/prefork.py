"""A container process forked ahead: a spare shim forks it while it waits for its pod.

Starting a container with ``subprocess`` and a Python ``preexec_fn`` forks the whole shim (no
vfork) and runs Python in the child, on the pod's critical path. A spare shim (``forkserver``)
instead forks one ``Launcher`` child before its request comes: the child starts its own session,
then blocks on a pipe. When the pod's first container starts (``procs.start_container``), the
shim writes the container's argv, program, environment and confinement to that pipe; the child
takes the pipes prepared for its output, confines itself exactly as ``subprocess`` would have it
do (``confine.Confinement.preexec``: user namespace, ``chroot``, capabilities), restores the
signals ``subprocess`` restores, closes every other descriptor and ``execve``s. An ``exec`` or
confinement failure comes back on a close-on-exec error pipe, as with ``subprocess``: the same
``OSError`` (126/127 for the pod) or ``SubprocessError``. A launcher that is never used blocks
until the pod's PID namespace ends with its shim.

A spare that prebuilt its root's base (``rootfs.prebuild_base``) also tells its launcher the
confinement a container of a pod like the last one needs (its root, host uid, user and group,
privilege: ``shim.launcher_guess``). The launcher takes the first half of it ahead
(``Confinement.enter_root``: its user namespace and ``chroot``, then no longer dumpable, every
descriptor but its pipes closed) and, once told, only the rest (working directory,
capabilities). The shim hands a container only to a launcher whose confinement is the
container's exactly, on the very base it prebuilt (``take``); else the launcher is discarded and
the container started with ``subprocess``. Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal

from argoctl.backends.local.podfiles import read_all
from argoctl.backends.local.sysapi import PR_SET_DUMPABLE, Libc

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

    from argoctl.backends.local.confine import Confinement

_PREEXEC_FAILED = b"P"
_spare: Launcher | None = None


def make(expected: dict[str, Any] | None = None) -> None:
    """In a spare shim (pid 1 of its namespaces): fork the launcher its pod's container may use
    (``expected``: the confinement it takes ahead, see ``confinement``)."""
    global _spare
    with contextlib.suppress(OSError):
        _spare = Launcher(expected)


def confinement(root: str, host_uid: int, working_dir: str = "/", privileged: bool = False,
                run_as: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    """What a launcher needs to confine a container as ``Confinement.preexec`` would."""
    return {"root": root, "host_uid": host_uid, "working_dir": working_dir, "privileged": privileged,
            "run_as": [int(run_as[0]), int(run_as[1])]}


def descriptors() -> set[int]:
    """The shim's ends of the launcher's pipes (kept when the shim closes what it inherited)."""
    if _spare is None:
        return set()
    return {_spare.control_w, _spare.error_r, _spare.stdout_r, _spare.stderr_r}


def discard() -> None:
    """The pod is over: a launcher it did not use reads end of file and exits."""
    launcher = take()
    if launcher is not None:
        for fd in (launcher.control_w, launcher.error_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        close_pipes(launcher)


def close_pipes(launcher: Launcher) -> None:
    """The output pipes' read ends, when no container will write them."""
    for fd in (launcher.stdout_r, launcher.stderr_r):
        with contextlib.suppress(OSError):
            os.close(fd)


def take(wanted: dict[str, Any] | None = None) -> Launcher | None:
    """The launcher forked ahead, once (None when there is none or it was taken); with ``wanted``
    (a container's ``confinement``), only when it confined itself ahead for exactly that, or not
    at all (else it is discarded)."""
    global _spare
    launcher = _spare
    if launcher is not None and wanted is not None and not launcher.fits(wanted):
        discard()
        return None
    _spare = None
    return launcher


class Forked:
    """A started container process: the part of ``subprocess.Popen`` the runner uses."""

    __slots__ = ("pid", "returncode")

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # collected elsewhere: its status is lost (as Popen says 0)
                self.returncode = 0
                return 0
            if pid == self.pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


class Launcher:
    """The parent's handle: the child's pid, its control pipe, its error pipe and output pipes, and
    the confinement it took ahead (``expected``), if any."""

    def __init__(self, expected: dict[str, Any] | None = None) -> None:
        self.expected = expected
        self.control_r, self.control_w = os.pipe()
        self.error_r, self.error_w = os.pipe()  # close-on-exec, as every descriptor Python makes
        self.stdout_r, self.stdout_w = os.pipe()
        self.stderr_r, self.stderr_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child never returns (it execs or exits)
            code = 1
            try:
                code = self._child()
            finally:
                os._exit(code)
        for fd in (self.control_r, self.error_w, self.stdout_w, self.stderr_w):
            os.close(fd)

    def fits(self, wanted: dict[str, Any]) -> bool:
        """Whether a container needing ``wanted`` may be handed to this launcher."""
        if self.expected is None:
            return True
        return all(wanted.get(key) == value for key, value in self.expected.items() if key != "working_dir")

    def start(self, argv: list[str], program: str, env: dict[str, str], confinement: dict[str, Any]) -> Forked:
        """Hand the container over; its process once it has exec'd (``OSError`` as from Popen)."""
        message = json.dumps({"argv": argv, "program": program, "env": env, **confinement}).encode()
        try:
            with os.fdopen(self.control_w, "wb") as control:
                control.write(message)
            failure = read_all(self.error_r)
        finally:
            os.close(self.error_r)
        if failure:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            if failure == _PREEXEC_FAILED:
                import subprocess

                raise subprocess.SubprocessError("Exception occurred in preexec_fn.")
            code = int(failure.decode())
            raise OSError(code, os.strerror(code), argv[0])
        return Forked(self.pid)

    def _child(self) -> int:
        os.setsid()  # its own session and process group, as start_new_session gives
        libc = Libc()
        with contextlib.suppress(OSError):  # as the shim: no step may ptrace it while it waits
            libc.prctl(PR_SET_DUMPABLE, 0)
        for fd in (self.control_w, self.error_r, self.stdout_r, self.stderr_r):
            os.close(fd)
        kept = sorted((self.control_r, self.error_w, self.stdout_w, self.stderr_w))
        for low, high in zip([2, *kept], [*kept, 1 << 16], strict=True):  # nothing of the shim's but these
            os.closerange(low + 1, high)
        entered: Confinement | BaseException | None = None
        if self.expected is not None:
            try:
                run_as = self.expected["run_as"]
                entered = _confinement_of(self.expected)
                entered.enter_root(bool(self.expected["privileged"]), (int(run_as[0]), int(run_as[1])))
                libc.prctl(PR_SET_DUMPABLE, 0)  # (entering made it dumpable to write its id maps)
            except BaseException as exc:  # told when the container comes
                entered = exc
        request = json.loads(read_all(self.control_r) or b"null")
        if not request:
            return 0  # the shim went without using it
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(self.stdout_w, 1)
        os.dup2(self.stderr_w, 2)
        os.closerange(3, self.error_w)
        os.closerange(self.error_w + 1, 1 << 16)
        for signum in (signal.SIGPIPE, signal.SIGXFSZ):  # what subprocess restores
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # as the runner has it when it starts containers
        try:
            if isinstance(entered, BaseException):
                raise entered
            if entered is not None:  # the launcher is used only when the rest is the same (``fits``)
                entered.finish(str(request["working_dir"]), bool(request.get("privileged")))
            else:
                _confine(request)
        except BaseException:
            os.write(self.error_w, _PREEXEC_FAILED)
            return 255
        try:
            os.execve(request["program"], request["argv"], request["env"])
        except OSError as exc:
            os.write(self.error_w, str(exc.errno or 0).encode())
        return 255


def _confinement_of(request: dict[str, Any]) -> Confinement:
    from argoctl.backends.local.confine import Confinement

    return Confinement(str(request["root"]), host_uid=int(request["host_uid"]))


def _confine(request: dict[str, Any]) -> None:
    run_as = request.get("run_as") or (0, 0)
    _confinement_of(request).preexec(str(request["working_dir"]), bool(request.get("privileged")),
                                     (int(run_as[0]), int(run_as[1])))()
