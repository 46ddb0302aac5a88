"""One container as a host process: finding its program, starting it, teeing its output.

Each container runs in its own session (so its whole process group can be signalled), with
stdout and stderr read through pipes into ``<name>.stdout``, ``<name>.stderr`` and the combined
``<name>.log`` in the pod directory. In namespace mode the process ``chroot``s into the pod root
and gives up the host's privileges (``confine``) before ``exec``. Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from argoctl.backends.local import podfiles, prefork
from argoctl.backends.local.confine import plain_preexec
from argoctl.backends.local.sandbox import PodRoot

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    import subprocess
    from typing import IO, Any

    JSON = dict[str, Any]

NOT_FOUND_EXIT = 127
NOT_EXECUTABLE_EXIT = 126


def now_rfc3339_nano() -> str:
    """UTC with nanosecond digits, as the kubelet stamps log lines."""
    now = time.time_ns()
    seconds, nanos = divmod(now, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{nanos:09d}Z"


def now_rfc3339() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Container:
    """A started (or failed-to-start) container and where its output goes."""

    __slots__ = ("_line_start", "exit_code", "fds", "files", "finished_at", "message", "popen", "pty_master", "spec",
                 "started_at")

    def __init__(self, spec: JSON, started_at: str, files: dict[str, IO[bytes]]) -> None:
        self.spec = spec
        self.started_at = started_at
        self.files = files
        self.popen: subprocess.Popen[bytes] | prefork.Forked | None = None
        self.exit_code: int | None = None
        self.message = ""
        self.finished_at: str | None = None
        self.fds: dict[int, str] = {}  # open pipe fd -> "stdout" | "stderr"
        self.pty_master: int | None = None
        self._line_start = True  # the timestamped log starts a new line next

    @property
    def name(self) -> str:
        return str(self.spec["name"])

    def write(self, stream: str, data: bytes) -> None:
        self.files[stream].write(data)
        self.files["log"].write(data)
        self._write_timestamped(data)

    def _write_timestamped(self, data: bytes) -> None:
        """``<name>.tlog``: the combined log with an RFC3339 time before each line (``logs
        --timestamps`` and ``--since``), stamped when the line's first bytes arrived."""
        stamp = (now_rfc3339_nano() + " ").encode()
        out = bytearray()
        for piece in data.splitlines(keepends=True):
            if self._line_start:
                out += stamp
            out += piece
            self._line_start = piece.endswith(b"\n")
        self.files["tlog"].write(bytes(out))

    def close_files(self) -> None:
        for handle in self.files.values():
            with contextlib.suppress(OSError):
                handle.close()
        if self.pty_master is not None:
            with contextlib.suppress(OSError):
                os.close(self.pty_master)
            self.pty_master = None

    def signal_group(self, signum: int) -> None:
        """Signal the container's whole process group (its session)."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)


def find_program(name: str, path: str, root: PodRoot, working_dir: str) -> str | None:
    """The container path of ``name`` (searched on ``path`` inside the pod root), or None."""
    if "/" in name:
        container_path = name if name.startswith("/") else os.path.join(working_dir, name)
        return container_path if os.path.exists(root.resolve(container_path)) else None
    for directory in path.split(os.pathsep):
        if not directory:
            continue
        candidate = os.path.join(directory, name)
        host = root.resolve(candidate)
        if os.path.isfile(host) and os.access(host, os.X_OK):
            return candidate
    return None


def _preexec(root: PodRoot, spec: JSON) -> Callable[[], None]:
    working_dir = str(spec["working_dir"])
    if root.confinement is None:
        return plain_preexec(working_dir)
    run_as = [int(i) for i in spec.get("run_as") or (0, 0)]
    return root.confinement.preexec(  # type: ignore[no-any-return]
        working_dir, bool(spec.get("privileged")), (run_as[0], run_as[1]))


def _open_logs(pod_dir: Path, name: str) -> dict[str, IO[bytes]]:
    return {stream: open(podfiles.log_path(pod_dir, name, stream), "ab", buffering=0)
            for stream in ("stdout", "stderr", "log", "tlog")}


def _failed_start(container: Container, code: int, message: str) -> Container:
    container.exit_code = code
    container.message = message
    container.finished_at = now_rfc3339()
    container.write("stderr", (message + "\n").encode())
    container.close_files()
    return container


def start_container(spec: JSON, pod_dir: Path, root: PodRoot) -> Container:
    """Start one container; a program that cannot start gives a finished container (126/127)."""
    container = Container(spec=spec, started_at=now_rfc3339(), files=_open_logs(pod_dir, str(spec["name"])))
    argv = [str(arg) for arg in spec["argv"]]
    env = {str(key): str(value) for key, value in spec["env"]}
    working_dir = str(spec["working_dir"])
    with contextlib.suppress(OSError):
        Path(root.resolve(working_dir)).mkdir(parents=True, exist_ok=True)
    program = find_program(argv[0], env.get("PATH", os.defpath), root, working_dir) if argv else None
    if program is None:
        shown = argv[0] if argv else ""
        return _failed_start(container, NOT_FOUND_EXIT,
                             f'exec: "{shown}": executable file not found in $PATH')
    slave = None
    if spec.get("tty"):
        container.pty_master, slave = os.openpty()
    wanted = _confinement(root, spec) if root.confinement is not None else None
    launcher = prefork.take(wanted) if wanted is not None and slave is None else None
    try:
        if launcher is not None and wanted is not None:
            container.popen = launcher.start(argv, program, env, wanted)
            print(f"container {container.name}: forked ahead by the spare shim", file=sys.stderr, flush=True)
            pipes = [("stdout", launcher.stdout_r), ("stderr", launcher.stderr_r)]
        else:
            import subprocess  # (not at the top: ``threading`` would slow every fork of the shim)

            popen = subprocess.Popen(
                argv, executable=program, env=env, stdin=subprocess.DEVNULL if slave is None else slave,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_preexec(root, spec),
            )
            container.popen = popen
            pipes = [(s, p.fileno()) for s, p in (("stdout", popen.stdout), ("stderr", popen.stderr)) if p]
    except OSError as exc:
        if launcher is not None:
            prefork.close_pipes(launcher)
        code = NOT_EXECUTABLE_EXIT if isinstance(exc, PermissionError) else NOT_FOUND_EXIT
        return _failed_start(container, code, f'exec: "{argv[0]}": {exc.strerror or exc}')
    finally:
        if slave is not None:
            os.close(slave)
    for stream, fd in pipes:
        os.set_blocking(fd, False)
        container.fds[fd] = stream
    return container


def _confinement(root: PodRoot, spec: JSON) -> JSON:
    """What a pre-forked launcher needs to confine itself as ``_preexec`` would."""
    run_as = [int(i) for i in spec.get("run_as") or (0, 0)]
    return prefork.confinement(root.confinement.root, root.confinement.host_uid, str(spec["working_dir"]),
                               bool(spec.get("privileged")), (run_as[0], run_as[1]))


def read_available(container: Container, fd: int) -> bool:
    """Move what the pipe holds into the log files; False at end of file (fd closed)."""
    try:
        data = os.read(fd, 65536)
    except BlockingIOError:
        return True
    except OSError:
        data = b""
    if data:
        container.write(container.fds[fd], data)
        return True
    container.fds.pop(fd, None)
    os.close(fd)
    return False


def reap(container: Container) -> bool:
    """Record the exit code if the process ended; True when it has."""
    if container.popen is None or container.exit_code is not None:
        return container.exit_code is not None
    code = container.popen.poll()
    if code is None:
        return False
    container.exit_code = 128 - code if code < 0 else code  # signal N -> 128+N, like a shell
    container.finished_at = now_rfc3339()
    container.signal_group(signal.SIGKILL)  # a container's leftovers die with its main process
    return True


def drain(container: Container, limit: float = 0.5) -> None:
    """Read what is left in the pipes after exit (bounded: a detached grandchild may hold them)."""
    end = time.monotonic() + limit
    while container.fds and time.monotonic() < end:
        progressed = False
        for fd in list(container.fds):
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            progressed = True
            if data:
                container.write(container.fds[fd], data)
            else:
                container.fds.pop(fd, None)
                os.close(fd)
        if not progressed:
            time.sleep(0.01)
    for fd in list(container.fds):
        container.fds.pop(fd, None)
        os.close(fd)
    container.close_files()
