"""Remembering that a sandbox works, so that not every CLI run probes it (``sandbox._probe``
starts ``unshare``, ``sh``, ``mount`` and ``umount``: about 10 ms of a one-step run).

Only a working sandbox is remembered, never a failure: a stale or planted entry can then at worst
make a pod fail to enter its namespaces (an error naming the pod), never run it unconfined. The
entry is valid for what decides whether the probe works: the boot, the kernel, the user and its
capabilities, the namespaces this process is in, the sysctls that allow or forbid user
namespaces, and the launcher's program file. It lives in a private runtime directory: ``argoctl``
under ``$XDG_RUNTIME_DIR`` (cleared at each boot), else ``/tmp/argoctl-<uid>``; the directory
must be this user's, mode 0700 and not a link, and the entry this user's regular file, or the
cache is not used. ``ARGOCTL_SANDBOX_CACHE=0`` turns it off. Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path

from argoctl.backends.local import podfiles

CACHE_ENV = "ARGOCTL_SANDBOX_CACHE"  # 0 / false / no / off: probe on every run
_SYSCTLS = ("/proc/sys/kernel/random/boot_id", "/proc/sys/user/max_user_namespaces",
            "/proc/sys/user/max_mnt_namespaces", "/proc/sys/user/max_pid_namespaces",
            "/proc/sys/kernel/unprivileged_userns_clone", "/proc/sys/kernel/apparmor_restrict_unprivileged_userns")
_NAMESPACES = ("mnt", "pid", "user")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _capabilities() -> str:
    for line in _read("/proc/self/status").splitlines():
        if line.startswith("CapEff:"):
            return line.split(":", 1)[1].strip()
    return ""


def _program(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"


def key(wanted: str, launcher: tuple[str, ...]) -> dict[str, object] | None:
    """What the entry for ``launcher`` is valid for, or None when it cannot be told (no boot id)."""
    boot = _read(_SYSCTLS[0])
    if not boot:
        return None
    namespaces = []
    for name in _NAMESPACES:
        try:
            namespaces.append(os.readlink(f"/proc/self/ns/{name}"))
        except OSError:
            return None
    return {"wanted": wanted, "launcher": list(launcher), "program": _program(launcher[0]),
            "kernel": " ".join(os.uname()[2:4]), "uid": os.geteuid(), "gid": os.getegid(),
            "capabilities": _capabilities(), "namespaces": namespaces,
            "sysctls": [_read(path) for path in _SYSCTLS]}


def _directory() -> str | None:
    """The private runtime directory (created 0700), or None when it is not safely ours."""
    if os.environ.get(CACHE_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return None
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    path = os.path.join(runtime, "argoctl") if runtime else f"/tmp/argoctl-{os.geteuid()}"
    with contextlib.suppress(FileExistsError, OSError):
        os.mkdir(path, 0o700)
    try:
        st = os.lstat(path)
    except OSError:
        return None
    private = stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) == 0o700
    return path if private else None


def _entry_path(directory: str, wanted: str) -> str:
    return os.path.join(directory, f"sandbox-{wanted}.json")


def works(wanted: str, launcher: tuple[str, ...]) -> bool:
    """Whether a probe of ``launcher`` succeeded before, under the same conditions."""
    expected = key(wanted, launcher)
    directory = _directory() if expected is not None else None
    if directory is None:
        return False
    try:
        fd = os.open(_entry_path(directory, wanted), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_size > 65536:
            return False
        data = os.read(fd, 65536)
    except OSError:
        return False
    finally:
        os.close(fd)
    try:
        return bool(json.loads(data) == expected)
    except ValueError:
        return False


def remember(wanted: str, launcher: tuple[str, ...]) -> None:
    """Record that ``launcher`` works now (best effort: any failure leaves no entry)."""
    entry = key(wanted, launcher)
    directory = _directory() if entry is not None else None
    if directory is None:
        return
    with contextlib.suppress(OSError):  # the directory is ours alone (0700): a plain atomic write
        podfiles.write_json_atomic(Path(_entry_path(directory, wanted)), entry, private=True)
