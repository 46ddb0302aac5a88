"""The private root a local pod runs in, built by the shim inside its own mount and PID namespaces.

``RUN_DIR/.root`` (``mount_point``) becomes a fresh tmpfs (the pod's private writable layer, owned
by the pod's unprivileged user) holding, as a container image would:

* the host's system directories (``SYSTEM_TOP``: ``/usr``, ``/bin``, ``/lib*``, ``/etc``, ``/opt``...),
  bound read-only; merged-``/usr`` links are recreated as links;
* the installation of every program the pod may run that lives elsewhere (each ``PATH``
  directory, the image table's aliases and placed programs): the directory itself, a virtualenv
  it belongs to, or a version manager's tree (``~/.pyenv``...), read-only, at the same path;
  never ``/``, nor anything holding argoctl's store, the user's home, the working tree or a
  credentials directory (``~/.kube``, ``~/.aws``, ``~/.ssh``, ``~/.config``...);
* a fresh ``/proc`` of the pod's PID namespace, ``/sys`` read-only, a private ``/dev`` (null, zero,
  full, random, urandom, tty, its own ``pts``, ``shm``), private ``/run`` and ``/tmp``;
* its volumes at their ``mountPath``.

Nothing else of the host is there: no ``/root``, ``/home``, ``/work``, ``/var`` or other pod's
files. Every pod mounts its root on the same empty directory, each in its own mount namespace, so
a pod's mounts are never seen outside it and vanish with its namespace when the shim exits (after
it wrote the pod's status): nothing is unmounted or removed on the way to the status.
``teardown`` removes the pod's emptyDir and secret volumes and its plan. Imports only the
standard library.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from argoctl.backends.local.sysapi import (
    MS_BIND,
    MS_NODEV,
    MS_NOEXEC,
    MS_NOSUID,
    MS_RDONLY,
    MS_REC,
    MS_REMOUNT,
    Libc,
)

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

SYSTEM_TOP = ("bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "opt")
EMPTY_TOP = ("root", "home", "mnt", "srv", "media", "var", "run", "tmp")
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
VERSION_MANAGERS = (".pyenv", ".rbenv", ".nvm", ".asdf", ".sdkman", ".volta")
CREDENTIAL_DIRS = (".kube", ".aws", ".ssh", ".config", ".gnupg", ".docker", ".azure", ".netrc", ".git-credentials")
WRITABLE_KINDS = ("emptyDir", "persistentVolumeClaim")
SENSITIVE_ENV = ("HOME", "ARGOCTL_HOME", "PWD")  # what ``sensitive_paths`` reads of a pod's environment
RUN_LINKED = ("/etc/resolv.conf", "/etc/hosts", "/etc/localtime")  # /etc files that may link into /run
_RO_BIND = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV


def mount_point(pod_dir: Path) -> Path:
    """Where a pod's root is mounted (inside its own mount namespace; shared by all the pods)."""
    return pod_dir.parent / ".root"


def sensitive_paths(pod_dir: Path, env: Mapping[str, str] | None = None) -> tuple[list[str], list[str]]:
    """What no pod may see unless a hostPath volume names it: ``(hidden, holders)``. Nothing
    inside a hidden path (argoctl's store, the run, credentials directories) nor holding one is
    shown; a holder (the user's home, the working tree) is never shown whole, though a program
    directory inside it may be. ``env``: the pod's environment (this process's by default)."""
    env = os.environ if env is None else env
    home = (env["HOME"].rstrip("/") or "/") if "HOME" in env else os.path.expanduser("~")
    hidden = [str(pod_dir.parent), env.get("ARGOCTL_HOME", "")]
    hidden += [os.path.join(home, name) for name in CREDENTIAL_DIRS]
    holders = [home, env.get("PWD", "")]
    return [os.path.realpath(p) for p in hidden if p], [os.path.realpath(p) for p in holders if p]


def _inside(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def installation(directory: str) -> str:
    """The tree a program directory needs: a version manager's root, a virtualenv, or itself."""
    parts = directory.split("/")
    for marker in VERSION_MANAGERS:
        if marker in parts:
            return "/".join(parts[: parts.index(marker) + 1])
    parent = os.path.dirname(directory)
    if os.path.isfile(os.path.join(parent, "pyvenv.cfg")):
        return parent
    return directory


def allowed(path: str, hidden: list[str], holders: list[str]) -> bool:
    """A program tree may be shown when it is not /, holds nothing hidden nor a holder, and is not
    inside anything hidden."""
    if path in ("", "/") or not path.startswith("/"):
        return False
    if any(_inside(s, path) for s in [*hidden, *holders]):
        return False
    return not any(_inside(path, s) for s in hidden)


def _venv_base(tree: str) -> str:
    """A virtualenv's base interpreter installation (its ``pyvenv.cfg`` ``home``), else ""."""
    try:
        with open(os.path.join(tree, "pyvenv.cfg"), encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.partition("=")
                if key.strip() == "home" and value.strip().startswith("/"):
                    return installation(os.path.realpath(value.strip()))
    except OSError:
        pass
    return ""


def program_trees(plan: dict[str, Any], hidden: list[str], holders: list[str]) -> list[str]:
    """The installations outside the system directories that the plan's programs need."""
    wanted: set[str] = set()
    for container in plan["containers"]:
        env = dict(container.get("env") or [])
        wanted.update(p for p in str(env.get("PATH", "")).split(":") if p)
        for _, host in [*container.get("aliases", []), *container.get("root_programs", [])]:
            wanted.add(os.path.dirname(str(host)))
            wanted.add(os.path.dirname(os.path.realpath(str(host))))
    trees: set[str] = set()
    for directory in wanted:
        if not directory.startswith("/") or _top(directory) in SYSTEM_TOP or not os.path.isdir(directory):
            continue
        tree = installation(os.path.realpath(directory))
        for candidate in (tree, _venv_base(tree)):
            if candidate and _top(candidate) not in SYSTEM_TOP and allowed(candidate, hidden, holders):
                trees.add(candidate)
    ordered = sorted(trees)
    return [t for t in ordered if not any(t != o and _inside(t, o) for o in ordered)]


def _top(path: str) -> str:
    parts = [part for part in path.split("/") if part]
    return parts[0] if parts else ""


class RootBuilder:
    """Mounts one pod's root; ``owner`` is the (uid, gid) of the pod's writable directories."""

    def __init__(self, pod_dir: Path, owner: tuple[int, int] | None) -> None:
        self.libc = Libc()
        self.root = mount_point(pod_dir)
        self.pod_dir = pod_dir
        self.owner = owner

    def path(self, container_path: str) -> Path:
        return self.root / container_path.lstrip("/")

    def chown(self, path: Path) -> None:
        if self.owner is not None:
            os.lchown(path, *self.owner)

    def makedirs(self, container_path: str, mode: int = 0o755) -> Path:
        """Create a directory on the pod's layer, every new component owned by the pod's user."""
        current = self.root
        for part in [p for p in container_path.split("/") if p]:
            current = current / part
            if not os.path.lexists(current):
                current.mkdir(mode=mode)
                self.chown(current)
        return current

    def bind(self, source: str, container_path: str, *, read_only: bool, recursive: bool = True) -> None:
        if os.path.isdir(source):
            target = self.makedirs(container_path)
        else:
            target = self.makedirs(os.path.dirname(container_path)) / os.path.basename(container_path)
            if not target.exists():
                target.touch()
        self.libc.mount(source, str(target), MS_BIND | (MS_REC if recursive else 0))
        if read_only:
            # keep the source's nosuid/nodev/noexec: a user namespace may not clear them
            kept = os.statvfs(source).f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC)
            self.libc.mount(source, str(target), _RO_BIND | kept)

    def layer(self) -> None:
        self.root.mkdir(exist_ok=True)
        options = "mode=0755"
        if self.owner is not None:
            options += f",uid={self.owner[0]},gid={self.owner[1]}"
        self.libc.mount("tmpfs", str(self.root), MS_NOSUID | MS_NODEV, "tmpfs", options)

    def system(self) -> None:
        for name in SYSTEM_TOP:
            host = f"/{name}"
            if os.path.islink(host):
                os.symlink(os.readlink(host), self.root / name)
            elif os.path.isdir(host):
                self.bind(host, host, read_only=True)
        for name in EMPTY_TOP:
            self.makedirs(name, 0o700 if name == "root" else 0o755)
        os.chmod(self.root / "tmp", 0o1777)
        self.makedirs("/var/tmp")
        os.chmod(self.root / "var" / "tmp", 0o1777)
        self.libc.mount("proc", str(self.makedirs("/proc")), MS_NOSUID | MS_NODEV | MS_NOEXEC, "proc")
        with contextlib.suppress(OSError):
            self.bind("/sys", "/sys", read_only=True)
        self._dev()

    def _dev(self) -> None:
        dev = self.makedirs("/dev")
        self.libc.mount("tmpfs", str(dev), MS_NOSUID | MS_NOEXEC, "tmpfs", "mode=0755")
        for name in DEVICES:
            if os.path.exists(f"/dev/{name}"):
                (dev / name).touch()
                self.libc.mount(f"/dev/{name}", str(dev / name), MS_BIND)
        (dev / "pts").mkdir()
        with contextlib.suppress(OSError):
            self.libc.mount("devpts", str(dev / "pts"), MS_NOSUID | MS_NOEXEC, "devpts",
                            "newinstance,ptmxmode=0666,mode=0620")
            os.symlink("pts/ptmx", dev / "ptmx")
        (dev / "shm").mkdir()
        self.libc.mount("tmpfs", str(dev / "shm"), MS_NOSUID | MS_NODEV, "tmpfs", "mode=1777")
        for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                             ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
            os.symlink(target, dev / name)
        self.libc.mount("tmpfs", str(self.path("/run")), MS_NOSUID | MS_NODEV, "tmpfs",
                        "mode=0755" + (f",uid={self.owner[0]},gid={self.owner[1]}" if self.owner else ""))
        for name in RUN_LINKED:  # e.g. systemd-resolved's stub resolv.conf lives under /run
            target = os.path.realpath(name)
            if target.startswith("/run/") and os.path.isfile(target):
                with contextlib.suppress(OSError):
                    self.bind(target, target, read_only=True, recursive=False)

    def programs(self, trees: list[str]) -> None:
        for tree in trees:
            with contextlib.suppress(OSError):
                self.bind(tree, tree, read_only=True)

    def volume(self, mount: dict[str, Any]) -> None:
        source = Path(mount["source"])
        writable = mount.get("kind", "emptyDir") in WRITABLE_KINDS
        if writable and self.owner is not None and os.stat(source).st_uid != self.owner[0]:
            self.chown(source)
        if mount.get("kind") in ("secret", "configMap"):
            chown_tree(source, self.owner)  # only this pod's user can read them
        if mount.get("sub_path"):
            source = source / mount["sub_path"]
            if not source.exists():
                source.mkdir(parents=True)
                if writable:
                    self.chown(source)
        self.bind(str(source), mount["mount_path"], read_only=bool(mount.get("read_only")))


def installed_trees(pod_dir: Path, plan: dict[str, Any], env: Mapping[str, str] | None = None) -> list[str]:
    """The program installations a root for ``plan`` shows (``program_trees``), with ``env``."""
    return program_trees(plan, *sensitive_paths(pod_dir, env))


def root_key(pod_dir: Path, plan: dict[str, Any], owner: tuple[int, int] | None,
             trees: list[str] | None = None) -> list[Any]:
    """What the pod-independent part of a root (``build_base``) depends on: where it is mounted,
    who owns its writable layer, and the program installations shown (``trees``, when they were
    worked out already). Two plans with equal keys get the same base, mount for mount."""
    return [str(mount_point(pod_dir)), list(owner) if owner is not None else None,
            installed_trees(pod_dir, plan) if trees is None else trees]


def base_hint(plan: dict[str, Any]) -> dict[str, Any] | None:
    """The part of a plan its root's base depends on (``root_key`` of it equals the plan's), and
    the identity its containers run with: what a spare shim is given to prebuild the next pod's
    base and confine its first container ahead. None for a pod without a private root."""
    if plan.get("mode") != "namespace" or plan.get("data"):
        return None
    return {"containers": [{
        "env": [pair for pair in container.get("env") or [] if pair[0] == "PATH"],
        "aliases": container.get("aliases", []), "root_programs": container.get("root_programs", []),
        "mounts": [m for m in container.get("mounts", []) if m.get("kind") == "hostPath"],
        "run_as": container.get("run_as"), "privileged": bool(container.get("privileged")),
    } for container in plan["containers"]]}


def key_inputs(pod_dir: Path, hint: dict[str, Any] | None, owner: tuple[int, int] | None) -> list[Any]:
    """What ``root_key`` reads besides the host's files (``hint``: ``base_hint`` of the plan):
    equal inputs a moment apart give an equal key, so a pod like the spare's last one need not
    work its key out again."""
    return [str(pod_dir.parent), list(owner) if owner is not None else None, hint,
            [os.environ.get(name) for name in SENSITIVE_ENV]]


class Prebuilt:
    """A base a spare shim mounted ahead: its ``root_key`` and the ``key_inputs`` it came from."""

    __slots__ = ("inputs", "key")

    def __init__(self, key: list[Any], inputs: list[Any]) -> None:
        self.key, self.inputs = key, inputs


def build_base(pod_dir: Path, key: list[Any]) -> RootBuilder:
    """The part of a root that is the same for every pod of ``key``: the layer, the system
    directories, /dev, /proc, /sys, /run, /tmp and the program installations."""
    owner = key[1]
    builder = RootBuilder(pod_dir, (int(owner[0]), int(owner[1])) if owner is not None else None)
    builder.layer()
    builder.system()
    builder.programs(list(key[2]))
    return builder


def prebuild_base(pod_dir: Path, hint: dict[str, Any], owner: tuple[int, int] | None,
                  trees: list[str] | None = None) -> Prebuilt | None:
    """A spare shim's head start, inside its namespaces while it waits for its pod: the base of a
    root for ``hint`` (the previous pod's ``base_hint``; ``trees``: its ``installed_trees``, when
    known), or None when nothing is left mounted."""
    key = root_key(pod_dir, hint, owner, trees)
    try:
        build_base(pod_dir, key)
    except OSError:
        discard_base(pod_dir)
        return None
    return Prebuilt(key, key_inputs(pod_dir, hint, owner))


def discard_base(pod_dir: Path) -> None:
    """Unmount a prebuilt base (the layer and everything on it) that the pod cannot use."""
    with contextlib.suppress(OSError):
        Libc().umount(str(mount_point(pod_dir)))


def build_root(pod_dir: Path, plan: dict[str, Any], owner: tuple[int, int] | None,
               prebuilt: Prebuilt | None = None) -> tuple[Path, bool]:
    """Lay out the pod's private root at ``mount_point`` (call inside the namespaces); the root,
    and whether it stands on the base ``prebuilt``. A base ``prebuilt`` for the same key is used as
    it is; one for another key is unmounted first."""
    if prebuilt is not None and prebuilt.inputs == key_inputs(pod_dir, base_hint(plan), owner):
        key = prebuilt.key  # worked out by the spare a moment ago, from the same inputs
    else:
        key = root_key(pod_dir, plan, owner)
    reused = prebuilt is not None and prebuilt.key == key
    if reused:
        builder = RootBuilder(pod_dir, owner)
        _say("root: on the base a spare shim prebuilt")
    else:
        if prebuilt is not None:
            discard_base(pod_dir)
            _say("root: a prebuilt base for another pod's programs or owner was unmounted")
        builder = build_base(pod_dir, key)
    builder.makedirs("/.argoctl/bin")
    for container in plan["containers"]:
        builder.makedirs(container["working_dir"])
        for mount in container.get("mounts", []):
            builder.volume(mount)
    return builder.root, reused


def _say(text: str) -> None:
    """A line in the shim's log (its stderr), for whoever diagnoses a pod."""
    import sys

    print(text, file=sys.stderr, flush=True)


def chown_tree(path: Path, owner: tuple[int, int] | None) -> None:
    """Hand files the shim wrote into the pod (input artifacts) to the pod's user."""
    if owner is None or not os.path.lexists(path):
        return
    os.lchown(path, *owner)
    if path.is_dir() and not path.is_symlink():
        for directory, dirs, files in os.walk(path):
            for name in dirs + files:
                os.lchown(os.path.join(directory, name), *owner)


def teardown(pod_dir: Path) -> None:
    """Remove what only the running pod needed (podGC keeps the rest: logs, status, outputs). The
    root's mounts go with the pod's mount namespace when the shim exits."""
    import shutil

    for name in {"volumes", "staging", "tmp", "work", "bin", "overlay"}.intersection(os.listdir(pod_dir)):
        shutil.rmtree(pod_dir / name, ignore_errors=True)
    with contextlib.suppress(OSError):
        (pod_dir / "plan.json").unlink()  # it holds the values of the pod's secret env variables
