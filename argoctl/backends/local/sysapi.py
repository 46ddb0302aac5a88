"""The few Linux system calls the local sandbox needs, through ctypes (no subprocess per call).

``mount``/``umount2`` lay out a pod's root (shim side); ``unshare``, ``prctl`` and ``capset``
confine a container process just before it execs (``confine``). Imports only the standard library.
"""

from __future__ import annotations

import ctypes
import functools
import os

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2
CLONE_NEWUSER = 0x10000000

PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
# SECBIT_NOROOT, NO_SETUID_FIXUP, KEEP_CAPS and NO_CAP_AMBIENT_RAISE, each with its lock bit
SECURE_ALL = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x40 | 0x80
_CAP_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


@functools.cache
def _c_library() -> ctypes.CDLL:
    """The C library, loaded once per process tree (a fork keeps it): a ``CDLL`` builds a class of
    its own each time, and a pod's shim asked for six."""
    return ctypes.CDLL(None, use_errno=True)


class Libc:
    """Thin wrappers raising ``OSError`` with the call named."""

    def __init__(self) -> None:
        self._libc = _c_library()

    def _check(self, result: int, what: str) -> None:
        if result != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"{what}: {os.strerror(err)}")

    def mount(self, source: str, target: str, flags: int, fstype: str | None = None, data: str | None = None) -> None:
        self._check(self._libc.mount(
            source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
            data.encode() if data else None,
        ), f"mount {source} on {target}")

    def umount(self, target: str, flags: int = MNT_DETACH) -> None:
        self._check(self._libc.umount2(target.encode(), flags), f"umount {target}")

    def unshare(self, flags: int) -> None:
        self._check(self._libc.unshare(flags), "unshare")

    def setns(self, fd: int, kind: int) -> None:
        self._check(self._libc.setns(fd, kind), "setns")

    def prctl(self, option: int, arg: int = 0, arg3: int = 0) -> None:
        self._check(self._libc.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(arg3), 0, 0), f"prctl {option}")

    def clear_capabilities(self) -> None:
        """Empty the effective, permitted and inheritable sets of the calling thread."""
        header = _CapHeader(_CAP_VERSION_3, 0)
        data = (_CapData * 2)()
        self._check(self._libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")


@functools.cache
def last_capability() -> int:
    """The highest capability number the kernel knows (read once per process tree)."""
    try:
        with open("/proc/sys/kernel/cap_last_cap") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return 40


def write_proc_file(path: str, text: str) -> None:
    """One unbuffered write, as ``/proc/self/{uid,gid}_map`` and ``setgroups`` need."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)
