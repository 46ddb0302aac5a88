"""How a container process gives up the host before it execs (shim side, in the forked child).

In namespace mode every container is ``chroot``ed into its pod's root. Unless the container is
privileged (an explicit opt-in, see ``plan``), it also gets no host privileges:

* when the shim is real root, the child first becomes ``STEP_UID`` on the host (groups dropped;
  uid 0 when the pod mounts a writable hostPath volume, see ``host_uid``),
  then enters a new user namespace where it is uid 0 (or its ``runAsUser``) mapped to that
  unprivileged host uid (where
  argoctl runs unprivileged, the shim's own user namespace already maps root to the user, and the
  child's namespace maps root to that);
* every capability is dropped (bounding, ambient, effective, permitted, inheritable; securebits
  make uid 0 gain none at exec), and ``no_new_privs`` is set, so no setuid program gives any back.

A chrooted process without capabilities can neither leave the root nor make a user namespace in
which it would have them again. Imports only the standard library.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from argoctl.backends.local.sysapi import (
    CLONE_NEWUSER,
    PR_CAP_AMBIENT,
    PR_CAP_AMBIENT_CLEAR_ALL,
    PR_CAPBSET_DROP,
    PR_SET_DUMPABLE,
    PR_SET_NO_NEW_PRIVS,
    PR_SET_SECUREBITS,
    SECURE_ALL,
    Libc,
    last_capability,
    write_proc_file,
)

STEP_UID = 65534  # the host uid (and gid) of unprivileged steps when argoctl runs as root ("nobody")


def host_uid(plan: dict[str, object]) -> int:
    """``STEP_UID``, or 0 when the pod mounts a writable hostPath volume: it may then write there as a
    pod's root would (still in a user namespace, without capabilities, unable to reach the shim)."""
    for container in plan.get("containers") or []:  # type: ignore[attr-defined]
        for mount in container.get("mounts", []):
            if mount.get("kind") == "hostPath" and not mount.get("read_only"):
                return 0
    return STEP_UID


_HOST_ROOT: dict[str, bool] = {}  # per user namespace: a pod's shim and its containers ask thrice


def _host_root() -> bool:
    """True when this process is uid 0 of the initial user namespace (real root)."""
    if os.geteuid() != 0:
        return False
    try:
        namespace = os.readlink("/proc/self/ns/user")
    except OSError:
        namespace = ""
    known = _HOST_ROOT.get(namespace) if namespace else None
    if known is not None:
        return known
    try:
        with open("/proc/self/uid_map") as handle:
            first = handle.readline().split()
    except OSError:
        return False
    answer = first[:3] == ["0", "0", "4294967295"]
    if namespace:
        _HOST_ROOT[namespace] = answer
    return answer


class Confinement:
    """Computed once per pod; ``preexec(working_dir, privileged)`` runs in each forked child."""

    def __init__(self, root: str, *, host_uid: int = STEP_UID) -> None:
        self.root = root
        self.host_uid = host_uid
        self.libc = Libc()
        self.host_root = _host_root()
        self.outer_uid = host_uid if self.host_root else os.geteuid()
        self.outer_gid = host_uid if self.host_root else os.getegid()
        self.last_cap = last_capability()

    def owner(self) -> tuple[int, int] | None:
        """Who should own the pod's writable directories on the host (None: leave them)."""
        return (self.outer_uid, self.outer_gid) if self.host_root else None

    def preexec(self, working_dir: str, privileged: bool, run_as: tuple[int, int] = (0, 0)) -> Callable[[], None]:
        def enter() -> None:
            self.enter_root(privileged, run_as)
            self.finish(working_dir, privileged)

        return enter

    def enter_root(self, privileged: bool, run_as: tuple[int, int] = (0, 0)) -> None:
        """The first half of ``preexec``: the container's user namespace, then its root. A launcher
        forked ahead (``prefork``) takes it before its container is known."""
        root_fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        if not privileged:
            self._enter_user_namespace(run_as)
        os.fchdir(root_fd)
        os.chroot(".")
        os.close(root_fd)

    def finish(self, working_dir: str, privileged: bool) -> None:
        """The second half of ``preexec``: the working directory, then no capabilities."""
        os.chdir(working_dir)
        if not privileged:
            self._drop_capabilities()

    def _enter_user_namespace(self, run_as: tuple[int, int]) -> None:
        """Inside, the container's uid (0, or ``runAsUser``) is the one outer uid of the pod."""
        uid, gid = run_as
        if self.host_root:
            os.setgroups([])
            os.setresgid(self.outer_gid, self.outer_gid, self.outer_gid)
            os.setresuid(self.outer_uid, self.outer_uid, self.outer_uid)
        self.libc.prctl(PR_SET_DUMPABLE, 1)  # the shim is not dumpable; /proc/self must be ours
        self.libc.unshare(CLONE_NEWUSER)
        write_proc_file("/proc/self/uid_map", f"{uid} {self.outer_uid} 1\n")
        write_proc_file("/proc/self/setgroups", "deny\n")
        write_proc_file("/proc/self/gid_map", f"{gid} {self.outer_gid} 1\n")
        if (uid, gid) != (0, 0):
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)

    def _drop_capabilities(self) -> None:
        libc = self.libc
        libc.prctl(PR_SET_SECUREBITS, SECURE_ALL)
        for cap in range(self.last_cap + 1):
            libc.prctl(PR_CAPBSET_DROP, cap)
        libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1)
        libc.clear_capabilities()


def plain_preexec(working_dir: str) -> Callable[[], None]:
    """No private root (fallback mode): only the working directory and ``no_new_privs``."""
    libc = Libc()

    def enter() -> None:
        os.chdir(working_dir)
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1)

    return enter


