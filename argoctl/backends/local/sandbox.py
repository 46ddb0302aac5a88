"""The private root each local pod runs in, and how to tell whether the OS allows one.

Driver side: ``choose_sandbox`` probes once whether ``unshare --mount --propagation private``
works (adding ``--user --map-root-user`` when not root) and returns the launcher prefix for the
shim, or the reason it cannot (``ARGOCTL_SANDBOX=none`` forces plain processes).

Shim side (inside the new mount namespace): ``build_root`` lays out ``POD_DIR/root``: every
top-level host directory is overlay-mounted (host content below, the pod's changes above, on a
tmpfs of the pod), so a step writing ``/mnt/out`` or ``/data`` changes nothing on the host and
nothing another step sees, as in a container; the host's own mounts below them are bound back
in; ``/proc``, ``/sys``, ``/dev`` and ``/run`` are bound as they are and ``/tmp`` is a private
directory; volumes are bind-mounted at their ``mountPath``. Where overlayfs is refused (some
user namespaces) a directory is bound as it is instead. Containers are then started with
``chroot`` into that root. Namespace mounts vanish with the last process of the pod.
Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

SANDBOX_ENV = "ARGOCTL_SANDBOX"  # auto (default) | unshare | none

MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384

PRIVATE_TOP = frozenset({"tmp"})  # top-level directories the pod gets its own copy of
BIND_ONLY_TOP = frozenset({"proc", "sys", "dev", "run"})  # shared kernel and runtime state
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
    command = [bwrap, "--dev-bind", "/", "/"]
    if os.geteuid() != 0:
        command += ["--unshare-user", "--uid", "0", "--gid", "0"]
    return (*command, "--cap-add", "ALL", "--")


def _unshare_command() -> tuple[str, ...] | None:
    unshare = _which("unshare")
    if unshare is None:
        return None
    command = [unshare, "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        command += ["--user", "--map-root-user"]
    return (*command, "--")


def _probe(launcher: tuple[str, ...]) -> str:
    """Empty when ``launcher`` can run a program in a new mount namespace, else the reason."""
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
    """Probe once: bubblewrap when present, else ``unshare``; plain processes when neither works.

    ``requested`` (or ``$ARGOCTL_SANDBOX``): ``auto`` (default), ``bwrap``, ``unshare`` or ``none``.
    """
    wanted = (requested or os.environ.get(SANDBOX_ENV) or "auto").strip().lower()
    if wanted == "none":
        return SandboxChoice("none", reason=f"{SANDBOX_ENV}=none")
    makers = {"bwrap": _bwrap_command, "unshare": _unshare_command}
    order = [wanted] if wanted in makers else list(makers)
    reasons: list[str] = []
    for name in order:
        launcher = makers[name]()
        if launcher is None:
            reasons.append(f"{name} not found")
            continue
        failure = _probe(launcher)
        if not failure:
            return SandboxChoice("namespace", launcher=launcher)
        reasons.append(f"{name}: {failure}")
    return SandboxChoice("none", reason="; ".join(reasons))


def fallback_notice(reason: str) -> str:
    return (
        f"notice: running steps as plain processes (no mount namespace: {reason}); "
        "/tmp and volume mount paths are shared between steps"
    )


class _Libc:
    """``mount(2)`` through ctypes (the shim avoids one subprocess per mount)."""

    def __init__(self) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)

    def mount(self, source: str, target: str, flags: int, fstype: str | None = None, data: str | None = None) -> None:
        result = self._libc.mount(
            source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
            data.encode() if data else None,
        )
        if result != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"mount {source} on {target}: {os.strerror(err)}")


def _top(path: str) -> str:
    parts = [part for part in path.split("/") if part]
    return parts[0] if parts else ""


def _needs_overlay(container_paths: list[str]) -> set[str]:
    """Top-level host directories where a missing mount point or directory must be created."""
    needed: set[str] = set()
    for path in container_paths:
        top = _top(path)
        if not top or top in PRIVATE_TOP or path.rstrip("/") == f"/{top}":
            continue
        if os.path.isdir(f"/{top}") and not os.path.islink(f"/{top}") and not os.path.exists(path):
            needed.add(top)
    return needed


class PodRoot:
    """Where a pod's container paths live, as seen by the shim."""

    __slots__ = ("root",)

    def __init__(self, root: Path) -> None:
        self.root = root  # the chroot directory, or / for plain processes

    def resolve(self, container_path: str) -> str:
        if str(self.root) == "/":
            return container_path
        return str(self.root / container_path.lstrip("/"))


def _bind_host_top(libc: _Libc, root: Path, entry: os.DirEntry[str], overlay_dir: Path | None) -> bool:
    """Mount one top-level host entry into the root; True when it was overlaid."""
    target = root / entry.name
    if entry.is_symlink():
        if not target.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        return False
    if entry.is_dir():
        target.mkdir(exist_ok=True)
        if overlay_dir is not None:
            upper, work = overlay_dir / "upper", overlay_dir / "work"
            upper.mkdir(parents=True, exist_ok=True)
            work.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                libc.mount("overlay", str(target), 0, "overlay",
                           f"lowerdir={entry.path},upperdir={upper},workdir={work}")
                return True
        libc.mount(entry.path, str(target), MS_BIND | MS_REC)
    elif entry.is_file():
        target.touch(exist_ok=True)
        libc.mount(entry.path, str(target), MS_BIND)
    return False


def _host_mount_points() -> list[str]:
    points = []
    with contextlib.suppress(OSError), open("/proc/self/mountinfo") as handle:
        for line in handle:
            fields = line.split(" ")
            if len(fields) > 4:
                points.append(fields[4].encode().decode("unicode_escape"))
    return points


def _rebind_submounts(libc: _Libc, root: Path, overlaid: list[str]) -> None:
    """overlayfs does not show the mounts below its lower directory: bind them back in."""
    done: list[str] = []
    tops = {f"/{name}" for name in overlaid}
    for point in sorted(set(_host_mount_points()), key=lambda p: p.count("/")):
        top = "/" + point.strip("/").split("/")[0] if point.strip("/") else "/"
        if top not in tops or point == top or str(root).startswith(point):
            continue
        if any(point.startswith(parent + "/") for parent in done):
            continue  # a recursive bind of a parent already brought it in
        target = root / point.lstrip("/")
        with contextlib.suppress(OSError):
            if os.path.isdir(point):
                target.mkdir(parents=True, exist_ok=True)
            libc.mount(point, str(target), MS_BIND | MS_REC)
            done.append(point)


def build_root(pod_dir: Path, plan: dict[str, Any]) -> PodRoot:
    """Lay out the pod's private root under ``pod_dir/root`` (call inside the namespace)."""
    libc = _Libc()
    root = pod_dir / "root"
    root.mkdir(exist_ok=True)
    mounts = [m for c in plan["containers"] for m in c.get("mounts", [])]
    wanted_paths = [m["mount_path"] for m in mounts]
    wanted_paths += [c["working_dir"] for c in plan["containers"]]
    wanted_paths += [path for c in plan["containers"] for path, _ in c.get("root_programs", [])]
    if plan.get("script"):
        wanted_paths.append(plan["script"]["path"])
    del wanted_paths  # every top-level directory is overlaid now, not only the ones that need it
    uppers = pod_dir / "overlay"
    uppers.mkdir(exist_ok=True)
    with contextlib.suppress(OSError):  # keep upper layers off the host's filesystems
        libc.mount("tmpfs", str(uppers), 0, "tmpfs", "mode=0755")
    overlaid: list[str] = []
    for entry in os.scandir("/"):
        if entry.name in PRIVATE_TOP or entry.name == "":
            continue
        overlay_dir = None if entry.name in BIND_ONLY_TOP else uppers / entry.name
        if _bind_host_top(libc, root, entry, overlay_dir):
            overlaid.append(entry.name)
    _rebind_submounts(libc, root, overlaid)
    tmp = root / "tmp"
    tmp.mkdir(exist_ok=True)
    os.chmod(tmp, 0o1777)
    _bind_programs_under_tmp(libc, root, plan)
    for mount in mounts:
        _mount_volume(libc, root, mount)
    return PodRoot(root)


def _bind_programs_under_tmp(libc: _Libc, root: Path, plan: dict[str, Any]) -> None:
    """The pod's /tmp is its own, but programs the steps run may live under the host's /tmp
    (a virtualenv or a checkout there): the PATH directories below /tmp and the programs the
    plan names there are bound in, read-only, at the same paths."""
    wanted: set[str] = set()
    for container in plan["containers"]:
        env = dict(container.get("env") or [])
        for entry in str(env.get("PATH", "")).split(":"):
            wanted.add(entry)
        for _, host in [*container.get("aliases", []), *container.get("root_programs", [])]:
            wanted.add(os.path.dirname(str(host)))
        argv = container.get("argv") or []
        if argv and str(argv[0]).startswith("/"):
            wanted.add(os.path.dirname(str(argv[0])))
    for path in sorted(wanted):
        if not path.startswith("/tmp/") or not os.path.isdir(path):
            continue
        target = root / path.lstrip("/")
        with contextlib.suppress(OSError):
            target.mkdir(parents=True, exist_ok=True)
            libc.mount(path, str(target), MS_BIND | MS_REC)
            libc.mount(path, str(target), MS_BIND | MS_REMOUNT | MS_RDONLY)


def _mount_volume(libc: _Libc, root: Path, mount: dict[str, Any]) -> None:
    source = Path(mount["source"])
    if mount.get("sub_path"):
        source = source / mount["sub_path"]
        source.mkdir(parents=True, exist_ok=True)
    target = root / mount["mount_path"].lstrip("/")
    if source.is_dir():
        target.mkdir(parents=True, exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(exist_ok=True)
    libc.mount(str(source), str(target), MS_BIND | MS_REC)
    if mount.get("read_only"):
        libc.mount(str(source), str(target), MS_BIND | MS_REMOUNT | MS_RDONLY)


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
