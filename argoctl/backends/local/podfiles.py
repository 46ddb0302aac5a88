"""The files of one pod directory (``run_dir/<pod_name>/``), shared by the driver and the shim.

Everything a pod leaves behind lives here, so a new driver can adopt a pod started by an earlier
one. JSON files are written atomically (temp file + ``os.replace``). The shim holds an exclusive
``flock`` on ``shim.lock`` for its whole life; a lock that can be taken means no shim is alive.
Imports only the standard library: the shim loads it at start-up.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

    JSON = dict[str, Any]

REQUEST = "request.json"  # the PodRequest, as JSON
PLAN = "plan.json"  # the resolved containers (argv, env, mounts...), written by the driver
STATE = "state.json"  # progress while running (phase Running, container updates), rewritten
STATUS = "status.json"  # the final outcome; its presence means the pod is finished
OUTPUTS = "outputs.json"  # the collected outputs (also inside status.json)
KILL = "kill.json"  # a kill request from a driver: {"reason": ...}
LOCK = "shim.lock"  # flock held by the live shim
PID = "shim.pid"  # the shim's pid (for signalling a kill)
SHIM_LOG = "shim.log"  # the shim's own stderr (tracebacks, diagnostics)
ARTIFACT_IO = "artifact_io.json"  # how the shim rebuilds the ArtifactIO it calls (factory + config)
ROOT = "root"  # where an earlier version mounted the pod's private root (now ``rootfs.mount_point``)
WORK = "work"  # default working directory and TMPDIR parent (fallback mode)
BIN = "bin"  # per-pod program aliases (fallback mode; namespace mode uses /.argoctl/bin)


def write_json_atomic(path: Path, payload: Any, *, private: bool = False) -> None:
    """Write ``payload`` as JSON to ``path`` so readers see the old or the new file, never half
    (``private``: readable by the owner only, e.g. a plan holding secret values)."""
    data = json.dumps(payload, separators=(",", ":")).encode()  # (``json.dump`` encodes in Python)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write_bytes(tmp, data, 0o600 if private else 0o644)
    os.replace(tmp, path)


def write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` (created or truncated), without a buffered file object."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def read_json(path: Path) -> JSON | None:
    """The JSON object in ``path``, or None when it is missing or unreadable."""
    try:
        loaded = json.loads(read_bytes(path))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def read_bytes(path: Path) -> bytes:
    """The whole file (``Path.read_bytes`` without a buffered file object: no ``fstat`` or
    ``isatty`` calls for the small files pods and drivers exchange)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        return read_all(fd)
    finally:
        os.close(fd)


def read_all(fd: int) -> bytes:
    """What ``fd`` yields until end of file."""
    chunks: list[bytes] = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def log_path(pod_dir: Path, container: str, stream: str = "log") -> Path:
    """``<container>.log`` (stdout and stderr interleaved), ``.stdout``, ``.stderr``, ``.exitcode``."""
    return pod_dir / f"{container}.{stream}"


def open_lock(pod_dir: Path) -> int:
    """Open (creating) the lock file and return its descriptor (not inheritable)."""
    return os.open(pod_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def try_lock(fd: int) -> bool:
    """Take the exclusive lock without blocking; False when a live shim holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def shim_alive(pod_dir: Path) -> bool:
    """True while a shim holds the pod's lock."""
    if not (pod_dir / LOCK).exists():
        return False
    fd = open_lock(pod_dir)
    try:
        if try_lock(fd):
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        return True
    finally:
        os.close(fd)


def read_pid(pod_dir: Path) -> int | None:
    """The shim's pid when its pid file is readable."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int((pod_dir / PID).read_text().split()[0])
    return None


def read_pid_start(pod_dir: Path) -> str | None:
    """When the shim started (``process_start``), as its pid file records it (None: not recorded)."""
    with contextlib.suppress(OSError):
        parts = (pod_dir / PID).read_text().split()
        return parts[1] if len(parts) > 1 else None
    return None


def process_start(pid: str | int) -> str | None:
    """A process's start time in clock ticks since boot (``/proc/PID/stat`` field 22): with the pid,
    it names one process for good, whatever its command line (a forked shim has its server's)."""
    try:
        stat = read_bytes(Path(f"/proc/{pid}/stat"))
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2:].split()
    return fields[19].decode() if len(fields) > 19 else None
