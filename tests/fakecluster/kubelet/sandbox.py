"""How a container's view of the filesystem is made on the host.

``rootfs`` mode (preferred; needs root, or user namespaces, and overlayfs): the command runs
under ``unshare --mount`` and ``chroot`` in a copy-on-write view of the host's root (an overlay
whose upper layer is a tmpfs that vanishes with the container), with a fresh /tmp, each volume
bind-mounted on its mountPath and the termination-message file on terminationMessagePath.
Nothing the container writes outside its volumes reaches the host.
``rewrite`` mode (fallback): mountPath prefixes (and /tmp) in the command, args, env and
workingDir are rewritten to the host directories; the process runs on the host's filesystem.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakecluster.kubelet.volumes import Mount

_UNSHARE_VARIANTS = (
    ("--mount", "--propagation", "private"),
    ("--user", "--map-root-user", "--mount", "--propagation", "private"),
)


@dataclass(frozen=True)
class ContainerView:
    argv: list[str]
    env: dict[str, str]
    mounts: list[Mount]
    working_dir: str  # "" when the container sets none
    scratch_dir: str  # per-container host directory
    termination_host_file: str
    termination_path: str
    start_error_file: str
    # programs the image has at an absolute path (e.g. /argosay): container path -> host file
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Launch:
    argv: list[str]
    env: dict[str, str]
    cwd: str
    start_error: str = ""  # set when the container cannot start at all
    notes: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def unshare_prefix() -> tuple[str, ...] | None:
    """The unshare invocation with which a container root can be built here, or None."""
    unshare = shutil.which("unshare")
    if os.environ.get("FAKECLUSTER_SANDBOX") == "rewrite" or unshare is None or shutil.which("chroot") is None:
        return None
    for variant in _UNSHARE_VARIANTS:
        with tempfile.TemporaryDirectory(prefix="fakecluster-probe-") as probe:
            view = ContainerView(["true"], {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, [], "", probe,
                                 os.path.join(probe, "termination-log"), "/tmp/termination-log",
                                 os.path.join(probe, "start-error"))
            open(view.termination_host_file, "w").close()
            argv = _rootfs_argv(view, (unshare, *variant))
            try:
                result = subprocess.run(argv, capture_output=True, timeout=20, check=False, env=view.env)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if result.returncode == 0:
                return (unshare, *variant)
    return None


def sandbox_mode() -> str:
    return "rootfs" if unshare_prefix() is not None else "rewrite"


def build_launch(view: ContainerView) -> Launch:
    prefix = unshare_prefix()
    if prefix is None:
        return _rewrite_launch(view)
    return Launch(_rootfs_argv(view, prefix), view.env, view.scratch_dir)


def _tool(name: str) -> str:
    return shutil.which(name) or name


# The program must be an executable file in the container's root (shell builtins such as
# ``exit`` do not count, as in a real container).
_EXECUTABLE_CHECK = """found=
case "$1" in
  /*) [ -f "$R$1" ] && [ -x "$R$1" ] && found=1 ;;
  */*) [ -f "$R$WD/$1" ] && [ -x "$R$WD/$1" ] && found=1 ;;
  *) saved_ifs=$IFS; IFS=:
     for dir in $PATH; do if [ -f "$R$dir/$1" ] && [ -x "$R$dir/$1" ]; then found=1; break; fi; done
     IFS=$saved_ifs ;;
esac
[ -n "$found" ] || fail "exec: \\"$1\\": executable file not found in \\$PATH"
"""


def in_root(path: str) -> str:
    """``path`` with its symlinks resolved as the container would (its root is an overlay of the
    host's, so host resolution matches); an absolute link such as /var/run -> /run must not be
    followed from outside the container's root."""
    return os.path.realpath(path)


def _rootfs_script(view: ContainerView) -> str:
    q = shlex.quote
    mount, mkdir = _tool("mount"), _tool("mkdir")
    layer = os.path.join(view.scratch_dir, "rootfs")
    workdir = in_root(view.working_dir or "/")
    lines = [
        f"err={q(view.start_error_file)}", 'fail() { printf "%s" "$1" > "$err"; exit 128; }',
        f"S={q(layer)}; R=$S/root; WD={q(workdir)}",
        f'{mkdir} -p "$S" && {mount} -t tmpfs -o mode=755 fakecluster-rootfs "$S" || fail "cannot make the container root"',
        f'{mkdir} "$S/upper" "$S/work" "$R" || fail "cannot make the container root"',
        *(f'{mkdir} -p "$S/upper"{q(os.path.dirname(path))} && cp -L {q(host)} "$S/upper"{q(path)} || '
      f'fail {q("cannot place " + path)}' for path, host in view.links),
    f'{mount} -t overlay overlay -o "lowerdir=/,upperdir=$S/upper,workdir=$S/work" "$R" || fail "cannot mount the container root"',
        f'for m in /proc /sys /dev; do {mount} --rbind "$m" "$R$m" || fail "cannot mount $m"; done',
        f'{mount} -t tmpfs -o mode=1777 fakecluster-tmp "$R/tmp" || fail "cannot mount /tmp"',
    ]
    # programs on the PATH may live under the host's /tmp (a checkout or virtualenv there), and so
    # may this interpreter and the checkout it imports argoctl from (images mapped to python)
    host_dirs = [*view.env.get("PATH", "").split(":"), sys.prefix, str(Path(__file__).resolve().parents[3])]
    for entry in dict.fromkeys(host_dirs):
        if entry.startswith("/tmp/") and os.path.isdir(entry):
            inside = f'"$R"{q(entry)}'
            lines.append(f"{mkdir} -p {inside} && {mount} --bind {q(entry)} {inside} || "
                         f"fail {q('cannot bind ' + entry)}")
    targets = [(m.host_path, m.container_path, m.read_only, m.is_file) for m in view.mounts]
    targets.append((view.termination_host_file, view.termination_path, False, True))
    for source, target, read_only, is_file in targets:
        inside = f'"$R"{q(in_root(target))}'
        if is_file:
            parent = f'"$R"{q(os.path.dirname(in_root(target)) or "/")}'
            lines.append(f"[ -e {inside} ] || {{ {mkdir} -p {parent} && : > {inside}; }} || "
                         f"fail {q('cannot create mount point ' + target)}")
        else:
            lines.append(f"{mkdir} -p {inside} || fail {q('cannot create mount point ' + target)}")
        lines.append(f"{mount} --bind {q(source)} {inside} || fail {q('cannot mount ' + target)}")
        if read_only:
            lines.append(f"{mount} -o remount,bind,ro {inside} || fail {q('cannot remount ' + target)}")
    lines.append(f'{mkdir} -p "$R$WD" || fail "cannot create working directory $WD"')
    lines.append(_EXECUTABLE_CHECK)
    lines.append(f'exec {_tool("chroot")} "$R" /bin/sh -c \'cd "$0" && exec "$@"\' "$WD" "$@"')
    return "\n".join(lines)


def _rootfs_argv(view: ContainerView, prefix: tuple[str, ...]) -> list[str]:
    return [*prefix, "/bin/sh", "-c", _rootfs_script(view), "fakecluster-sandbox", *view.argv]


def _rewriter(view: ContainerView) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every container path (longest first), so a rewritten path is never
    rewritten again."""
    pairs = {m.container_path: m.host_path for m in view.mounts}
    pairs[view.termination_path] = view.termination_host_file
    pairs.setdefault("/tmp", os.path.join(view.scratch_dir, "tmp"))
    alternatives = "|".join(re.escape(path) for path in sorted(pairs, key=len, reverse=True))
    return re.compile(r"(?<![\w.\-/])(" + alternatives + r")(?=/|$|[^\w.\-])"), pairs


def _rewrite(text: str, rules: tuple[re.Pattern[str], dict[str, str]]) -> str:
    pattern, pairs = rules
    return pattern.sub(lambda match: pairs[match.group(1)], text)


def _rewrite_launch(view: ContainerView) -> Launch:
    rules = _rewriter(view)
    argv = [_rewrite(a, rules) for a in view.argv]
    env = {k: _rewrite(v, rules) for k, v in view.env.items()}
    env.setdefault("TMPDIR", os.path.join(view.scratch_dir, "tmp"))
    cwd = _rewrite(view.working_dir, rules) if view.working_dir else view.scratch_dir
    os.makedirs(cwd, exist_ok=True)
    program = argv[0] if argv else ""
    found = shutil.which(program, path=env.get("PATH")) if program else None
    if found is None:
        return Launch(argv, env, cwd, start_error=f'exec: "{program}": executable file not found in $PATH')
    return Launch(argv, env, cwd)
