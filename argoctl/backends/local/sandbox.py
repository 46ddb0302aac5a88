"""Which sandbox local pods run in, and how the shim sees a pod's paths.

Driver side: ``choose_sandbox`` probes once whether ``unshare`` can give the shim its own mount
and PID namespaces (``--mount --pid --fork``, adding ``--user --map-root-user`` when not root;
bubblewrap's ``--unshare-pid`` when asked for) and returns the launcher prefix for the shim, or
the reason it cannot (``ARGOCTL_SANDBOX=none`` forces plain processes). The shim is then pid 1 of
the pod's PID namespace: its containers see only the pod's processes, and when it exits every
process left in the pod dies with it. ``rootfs`` builds the pod's root, ``confine`` takes the
host's privileges from each container.

``PodRoot.resolve`` maps a container path to the host path the shim reads or writes, resolving
links inside the pod's root. Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from argoctl.backends.local import sandboxcache

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

SANDBOX_ENV = "ARGOCTL_SANDBOX"  # auto (default) | unshare | bwrap | none

_KERNEL_TOP = ("proc", "sys", "dev")
_UNREACHABLE = ".argoctl/unreachable"
_MAX_LINKS = 40
POD_BIN = "/.argoctl/bin"  # per-pod program aliases, first on the PATH (namespace mode)


class SandboxChoice:
    """``mode`` is ``namespace`` or ``none``; ``launcher`` prefixes the shim command."""

    __slots__ = ("launcher", "mode", "reason")

    def __init__(self, mode: str, launcher: tuple[str, ...] = (), reason: str = "") -> None:
        self.mode = mode
        self.launcher = launcher
        self.reason = reason

    def __repr__(self) -> str:
        return f"SandboxChoice(mode={self.mode!r}, launcher={self.launcher!r}, reason={self.reason!r})"


def _which(program: str) -> str | None:
    found = shutil.which(program)
    if found is None and os.path.exists(f"/usr/bin/{program}"):
        found = f"/usr/bin/{program}"
    return found


def _bwrap_command() -> tuple[str, ...] | None:
    """bubblewrap as a namespace maker only: the whole host at /, full capabilities inside
    (a user namespace when not root), so the shim can mount the pod root itself."""
    bwrap = _which("bwrap")
    if bwrap is None:
        return None
    command = [bwrap, "--dev-bind", "/", "/", "--unshare-pid"]
    if os.geteuid() != 0:
        command += ["--unshare-user", "--uid", "0", "--gid", "0"]
    return (*command, "--cap-add", "ALL", "--")


def _unshare_command() -> tuple[str, ...] | None:
    unshare = _which("unshare")
    if unshare is None:
        return None
    command = [unshare, "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child"]
    if os.geteuid() != 0:
        command += ["--user", "--map-root-user"]
    return (*command, "--")


def _probe(launcher: tuple[str, ...]) -> str:
    """Empty when ``launcher`` can run a program in a new mount namespace, else the reason."""
    import subprocess
    import tempfile

    scratch = tempfile.mkdtemp(prefix="argoctl-probe-")
    script = 'mount -t tmpfs none "$1" && umount "$1"'  # harmless even outside a namespace
    try:
        probe = subprocess.run([*launcher, "sh", "-c", script, "probe", scratch], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{os.path.basename(launcher[0])} failed: {exc}"
    finally:
        with contextlib.suppress(OSError):
            os.rmdir(scratch)
    if probe.returncode == 0:
        return ""
    lines = probe.stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else f"{os.path.basename(launcher[0])} exited {probe.returncode}"


def choose_sandbox(requested: str | None = None) -> SandboxChoice:
    """Probe once: ``unshare`` when it works, else bubblewrap; plain processes when neither does.
    A launcher that worked before under the same conditions is not probed again (``sandboxcache``).

    ``requested`` (or ``$ARGOCTL_SANDBOX``): ``auto`` (default), ``bwrap``, ``unshare`` or ``none``.
    """
    wanted = (requested or os.environ.get(SANDBOX_ENV) or "auto").strip().lower()
    if wanted == "none":
        return SandboxChoice("none", reason=f"{SANDBOX_ENV}=none")
    makers = {"unshare": _unshare_command, "bwrap": _bwrap_command}
    order = [wanted] if wanted in makers else list(makers)
    reasons: list[str] = []
    for name in order:
        launcher = makers[name]()
        if launcher is None:
            reasons.append(f"{name} not found")
            continue
        if sandboxcache.works(name, launcher):  # probed before, under the same conditions
            return SandboxChoice("namespace", launcher=launcher)
        failure = _probe(launcher)
        if not failure:
            sandboxcache.remember(name, launcher)
            return SandboxChoice("namespace", launcher=launcher)
        reasons.append(f"{name}: {failure}")
    return SandboxChoice("none", reason="; ".join(reasons))


def fallback_notice(reason: str) -> str:
    return (
        f"notice: running steps as plain processes (no mount namespace: {reason}); "
        "/tmp and volume mount paths are shared between steps"
    )


class PodRoot:
    """Where a pod's container paths live, as seen by the shim.

    ``resolve`` follows every link as the container would see it: an absolute link target starts
    again at the pod's root and ``..`` stops there, so nothing outside the root is reachable.
    Paths into the pod's ``/proc``, ``/sys`` and ``/dev`` resolve to a path that never exists:
    reading them from the shim would read the shim's own state, not the container's.
    """

    __slots__ = ("confinement", "root")

    def __init__(self, root: Path, confinement: Any = None) -> None:
        self.root = root  # the chroot directory, or / for plain processes
        self.confinement = confinement  # a ``confine.Confinement`` in namespace mode

    def resolve(self, container_path: str) -> str:
        root = str(self.root)
        if root == "/":
            return container_path
        pending = [p for p in container_path.split("/") if p]
        pending.reverse()
        resolved: list[str] = []
        hops = 0
        while pending:
            part = pending.pop()
            if part == ".":
                continue
            if part == "..":
                if resolved:
                    resolved.pop()
                continue
            candidate = os.path.join(root, *resolved, part)
            if os.path.islink(candidate):
                hops += 1
                if hops > _MAX_LINKS:
                    return os.path.join(root, _UNREACHABLE, "loop")
                target = os.readlink(candidate)
                if target.startswith("/"):
                    resolved = []
                pending.extend(reversed([p for p in target.split("/") if p]))
                continue
            resolved.append(part)
        if resolved and resolved[0] in _KERNEL_TOP:
            return os.path.join(root, _UNREACHABLE, *resolved)
        return os.path.join(root, *resolved)


def prepare_plain_root(plan: dict[str, Any]) -> PodRoot:
    """Fallback, no private root: each volume's ``mountPath`` on the host becomes a symlink to the
    volume's directory when that path is free (or already such a symlink); an existing
    directory is used as it is."""
    for container in plan["containers"]:
        for mount in container.get("mounts", []):
            source = Path(mount["source"]) / mount.get("sub_path", "")
            target = Path(mount["mount_path"])
            with contextlib.suppress(OSError):
                source.mkdir(parents=True, exist_ok=True)
                if target.is_symlink() or not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    temporary = target.with_name(f".{target.name}.{os.getpid()}")
                    os.symlink(source, temporary)
                    os.replace(temporary, target)
    return PodRoot(Path("/"))
