"""Images as host programs: each known image has an entrypoint and a default command (Docker's
ENTRYPOINT and CMD) and a few program aliases; ``*:doesntexist`` images fail to pull."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImageConfig:
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # program in the image -> host argv prefix

    def alias(self, program: str) -> tuple[str, ...] | None:
        return next((target for name, target in self.aliases if name == program), None)


_ASH = (("sh", ("bash",)), ("/bin/sh", ("bash",)), ("ash", ("bash",)), ("/bin/ash", ("bash",)))
_PYTHON = (("python", ("python3",)), ("/usr/local/bin/python", ("python3",)))

DEFAULT_IMAGES: tuple[tuple[str, ImageConfig], ...] = (
    ("argoproj/argosay:v2", ImageConfig(entrypoint=("argosay",), aliases=(("/argosay", ("argosay",)),))),
    ("argoproj/argosay:v1", ImageConfig(cmd=("cowsay",))),
    ("docker/whalesay:*", ImageConfig(cmd=("cowsay",))),
    ("busybox:*", ImageConfig(cmd=("sh",), aliases=_ASH)),
    ("alpine:*", ImageConfig(cmd=("sh",), aliases=_ASH)),
    ("debian:*", ImageConfig(cmd=("bash",))),
    ("ubuntu:*", ImageConfig(cmd=("bash",))),
    ("python:*", ImageConfig(cmd=("python3",), aliases=_PYTHON)),
    ("node:*", ImageConfig(cmd=("node",))),
    ("stedolan/jq:*", ImageConfig(entrypoint=("jq",))),
    ("curlimages/curl:*", ImageConfig(cmd=("curl",))),
    ("quay.io/argoproj/argoexec:*", ImageConfig(entrypoint=("argoexec",))),
)
PULL_FAILURES: tuple[str, ...] = ("*:doesntexist",)


def normalize(image: str) -> str:
    """``docker.io/library/alpine`` -> ``alpine:latest``; digests dropped."""
    name = image.split("@", 1)[0]
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else f"{name}:latest"


@dataclass
class ImageTable:
    """Image patterns (fnmatch on the normalized ``name:tag``) -> ImageConfig; first match wins."""

    _entries: list[tuple[str, ImageConfig]] = field(default_factory=lambda: list(DEFAULT_IMAGES))
    _pull_failures: list[str] = field(default_factory=lambda: list(PULL_FAILURES))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def register(self, pattern: str, entrypoint: tuple[str, ...] = (), cmd: tuple[str, ...] = (),
                 aliases: dict[str, tuple[str, ...]] | None = None) -> None:
        """Add an image (checked before the defaults)."""
        config = ImageConfig(tuple(entrypoint), tuple(cmd), tuple((aliases or {}).items()))
        with self._lock:
            self._entries.insert(0, (pattern, config))

    def fail_pull(self, pattern: str) -> None:
        """Images matching ``pattern`` fail to pull from now on (ErrImagePull, then ImagePullBackOff)."""
        with self._lock:
            self._pull_failures.append(pattern)

    def clear_pull_failure(self, pattern: str) -> None:
        with self._lock:
            if pattern in self._pull_failures:
                self._pull_failures.remove(pattern)

    def pull_fails(self, image: str) -> bool:
        name = normalize(image)
        with self._lock:
            return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(image, p) for p in self._pull_failures)

    def lookup(self, image: str) -> ImageConfig | None:
        name = normalize(image)
        with self._lock:
            return next((c for p, c in self._entries if fnmatch.fnmatchcase(name, p)), None)


def resolve_argv(config: ImageConfig | None, command: list[str], args: list[str]) -> list[str]:
    """Kubernetes rules: ``command`` replaces ENTRYPOINT, ``args`` replaces CMD."""
    entrypoint = list(config.entrypoint) if config else []
    default_cmd = list(config.cmd) if config else []
    if command:
        argv = command + args
    elif args:
        argv = entrypoint + args
    else:
        argv = entrypoint + default_cmd
    if argv and config is not None:
        alias = config.alias(argv[0])
        if alias is not None:
            argv = list(alias) + argv[1:]
    return argv
