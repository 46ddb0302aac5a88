"""Images for the test engine, built offline with ``podman import`` (no registry is reachable).

* ``busybox`` root: Debian's ``busybox-static`` with one link per applet, ``/etc/passwd``,
  ``/tmp``; tagged with the BusyBox/Alpine/Debian-like names the conformance corpus uses.
* ``argosay`` root: the busybox root plus ``tests/bin/argosay`` at ``/argosay`` (its
  entrypoint) and the ``cowsay`` stand-in.
* ``jq`` root: the busybox root plus this machine's ``jq`` and ``diff`` with their libraries
  (``stedolan/jq`` with ENTRYPOINT jq; ``quay.io/argoproj/argoexec`` with CMD sh).
* ``python`` root: the busybox root plus this machine's ``python3.11`` with the shared
  libraries it and its extension modules load, and its standard library.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VERSION = "v5"  # bump when a root changes: the shared store then builds the images again
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games"
BUSYBOX_TAGS = ("busybox:latest", "alpine:3.23", "alpine:latest", "alpine:3.6", "debian:latest",
                "debian:9.1", "debian:9.4", "debian:8.9", "debian:9.5-slim", "ubuntu:17.10", "curlimages/curl:latest")
ARGOSAY_TAGS = ("argoproj/argosay:v2", "argoproj/argosay:v1", "docker/whalesay:latest")
PYTHON_TAGS = ("python:alpine3.23", "python:3.11", "python:latest")
# name -> (root builder, entrypoint, cmd, tags)
Builder = Callable[[Path], None]


def busybox_root(root: Path) -> None:
    busybox = shutil.which("busybox") or "/bin/busybox"
    for sub in ("bin", "tmp", "etc", "root", "usr/bin", "usr/games", "usr/local/bin", "var/tmp", "mnt", "opt",
                "home", "srv", "media", "run", "proc", "sys", "dev"):  # the usual top-level directories
        (root / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy2(busybox, root / "bin" / "busybox")
    applets = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout.split()
    for applet in applets:
        if applet != "busybox" and not (root / "bin" / applet).exists():
            os.symlink("busybox", root / "bin" / applet)
    (root / "bin" / "bash").unlink(missing_ok=True)  # ash stands in for the bash of Ubuntu-based images
    (root / "bin" / "bash").write_text('#!/bin/sh\nexec /bin/sh "$@"\n')
    os.chmod(root / "bin" / "bash", 0o755)
    (root / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n")
    (root / "etc" / "group").write_text("root:x:0:\nnogroup:x:65534:\n")
    (root / "etc" / "os-release").write_text('ID=busybox\nNAME="argoctl test image"\n')
    for sub in ("tmp", "var/tmp"):
        os.chmod(root / sub, 0o1777)


def argosay_root(root: Path) -> None:
    busybox_root(root)
    for name, target in (("argosay", "argosay"), ("cowsay", "usr/games/cowsay")):
        shutil.copy2(REPO / "tests" / "bin" / name, root / target)
        os.chmod(root / target, 0o755)
    os.symlink("/usr/games/cowsay", root / "usr" / "bin" / "cowsay")


def _libraries(binaries: list[Path]) -> set[Path]:
    found: set[Path] = set()
    for binary in binaries:
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            parts = line.split()
            for part in parts:
                if part.startswith("/") and Path(part).exists():
                    found.add(Path(part))
    return found


def python_root(root: Path) -> None:
    busybox_root(root)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    binary = Path(f"/usr/bin/{version}")
    stdlib = Path(f"/usr/lib/{version}")
    shutil.copytree(stdlib, root / "usr" / "lib" / version, symlinks=True,
                    ignore=shutil.ignore_patterns("site-packages", "dist-packages", "test", "__pycache__",
                                                  "idlelib", "tkinter", "turtledemo", "ensurepip"))
    shutil.copy2(binary, root / "usr" / "bin" / version)
    for alias in ("python3", "python"):
        os.symlink(version, root / "usr" / "bin" / alias)
    _copy_libraries(root, [binary, *sorted((stdlib / "lib-dynload").glob("*.so"))])


def _copy_libraries(root: Path, binaries: list[Path]) -> None:
    """The shared libraries ``binaries`` load, and the dynamic loader, at their host paths."""
    for library in _libraries(binaries):
        target = root / str(library).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(library.resolve(), target)
    loader = Path("/lib64/ld-linux-x86-64.so.2")
    if loader.exists():
        (root / "lib64").mkdir(exist_ok=True)
        shutil.copy2(loader.resolve(), root / "lib64" / loader.name)


def jq_root(root: Path) -> None:
    """The busybox root plus this machine's ``jq`` and ``diff`` (stedolan/jq, argoexec stand-ins)."""
    busybox_root(root)
    programs = [Path(p) for p in (shutil.which("jq"), shutil.which("diff")) if p]
    for program in programs:
        shutil.copy2(program, root / "usr" / "bin" / program.name)
    _copy_libraries(root, programs)


IMAGES: dict[str, tuple[Builder, list[str], list[str], tuple[str, ...]]] = {
    "busybox": (busybox_root, [], ["sh"], BUSYBOX_TAGS),
    "argosay": (argosay_root, ["/argosay"], [], ARGOSAY_TAGS),
    "python": (python_root, [], ["python3"], PYTHON_TAGS),
    "jq": (jq_root, ["jq"], [], ("stedolan/jq:latest",)),
    "argoexec": (jq_root, [], ["sh"], ("quay.io/argoproj/argoexec:latest",)),
}


def _json_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def build_image(podman: list[str], name: str, work: Path) -> None:
    """Build ``name`` from its root and tag it with every name of its table row."""
    builder, entrypoint, cmd, tags = IMAGES[name]
    root = work / f"{name}-root"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    builder(root)
    changes = ["--change", f"ENV {PATH_ENV}", "--change", f"CMD {_json_list(cmd)}"]
    if entrypoint:
        changes += ["--change", f"ENTRYPOINT {_json_list(entrypoint)}"]
    tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
    first = f"localhost/argoctl-test/{name}:{VERSION}"
    subprocess.run([*podman, "import", *changes, "-", first], stdin=tar.stdout,
                   check=True, capture_output=True)
    tar.wait()
    for tag in tags:
        subprocess.run([*podman, "tag", first, qualified(tag)], check=True, capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def qualified(tag: str) -> str:
    """Docker Hub's full name: ``busybox:latest`` → ``docker.io/library/busybox:latest`` (the
    name a Docker client sends; Podman resolves short names differently)."""
    first, _, rest = tag.partition("/")
    if rest and ("." in first or ":" in first):
        return tag
    return f"docker.io/{tag}" if rest else f"docker.io/library/{tag}"


def missing_images(podman: list[str]) -> list[str]:
    missing = []
    for name in IMAGES:
        check = subprocess.run([*podman, "image", "exists", f"localhost/argoctl-test/{name}:{VERSION}"],
                               capture_output=True, check=False)
        if check.returncode != 0:
            missing.append(name)
    return missing
