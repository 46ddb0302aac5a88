"""The image table: what a container image stands for when its steps run as host processes.

Built-in entries cover the images of ``shared/conformance/images.md`` that host programs can
emulate; user entries come from the ``images:`` table of the config file (``argoctl.config``) and
win over built-in ones. A reference is matched exactly first, then by its repository without the
tag or digest (``alpine:3.23`` → ``alpine``), after dropping a ``docker.io/`` / ``library/``
prefix. An entry gives the image's default ENTRYPOINT and CMD, extra PATH directories, program
aliases to put first on the PATH (``python`` → ``python3``; ``sh`` → a shell that accepts
BusyBox ash's ``[[ ]]``), files to place at the container root (``/argosay``), or a reason the
image must never run (``refuse``) or cannot be pulled (``pull_error``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from argoctl.config import UserConfig, UserImage

# an ash-compatible `sh`: BusyBox when present, else bash (which runs in POSIX mode as `sh`)
_ASH: tuple[str, ...] = ("busybox", "bash")


@dataclass(frozen=True, slots=True)
class ImageEntry:
    """How to emulate one image."""

    key: str
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    path_extra: tuple[str, ...] = ()
    # name on the pod's PATH -> host programs to try, first found wins
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # absolute path inside the container -> host program placed there
    root_programs: tuple[tuple[str, str], ...] = ()
    refuse: str = ""
    pull_error: str = ""


def _entry(key: str, *default: str, **extra: object) -> ImageEntry:
    return ImageEntry(key, entrypoint=tuple(default), **extra)  # type: ignore[arg-type]


_FORK_BOMB = (
    "the local backend never runs it: it is the out-of-memory test whose fork bomb needs a "
    "memory limit that only a real container runtime enforces"
)

BUILTIN_IMAGES: Mapping[str, ImageEntry] = {
    entry.key: entry
    for entry in (
        _entry("argoproj/argosay:v2", "argosay", path_extra=("/usr/games",),
               root_programs=(("/argosay", "argosay"),)),
        ImageEntry("argoproj/argosay:v1", cmd=("cowsay",), path_extra=("/usr/games",)),
        ImageEntry("argoproj/argosay", cmd=("cowsay",), path_extra=("/usr/games",)),
        ImageEntry("docker/whalesay", cmd=("cowsay",), path_extra=("/usr/games",)),
        ImageEntry("busybox", cmd=("sh",), aliases=(("sh", _ASH), ("ash", _ASH))),
        ImageEntry("alpine", cmd=("sh",), aliases=(("sh", _ASH), ("ash", _ASH))),
        ImageEntry("debian", cmd=("bash",)),
        ImageEntry("ubuntu", cmd=("bash",)),
        ImageEntry("python", cmd=("python3",), aliases=(("python", ("python3",)),)),
        ImageEntry("node", cmd=("node",)),
        _entry("stedolan/jq", "jq"),
        ImageEntry("curlimages/curl", cmd=("curl",), aliases=(("sh", _ASH),)),
        ImageEntry("quay.io/argoproj/argoexec", cmd=("sh",)),
        ImageEntry("golang", cmd=("bash",)),
        ImageEntry("alpine:doesntexist", pull_error="the tag does not exist"),
        ImageEntry("debian:9.5-slim", refuse=_FORK_BOMB),
    )
}


def normalize(ref: str) -> str:
    """Drop Docker Hub's implicit prefixes: ``docker.io/library/alpine`` → ``alpine``."""
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        if ref.startswith(prefix):
            ref = ref[len(prefix):]
            break
    return ref.removeprefix("library/")


def repository(ref: str) -> str:
    """The reference without tag or digest: ``quay.io:443/a/b:v1@sha256:..`` → ``quay.io:443/a/b``."""
    name = ref.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def _from_user(key: str, image: UserImage) -> ImageEntry:
    return ImageEntry(key, entrypoint=image.command, cmd=image.args, env=image.env)


@dataclass(frozen=True, slots=True)
class ImageTable:
    """Built-in entries plus the user's; ``lookup`` finds the entry for an image reference."""

    user: Mapping[str, ImageEntry] = field(default_factory=dict)
    builtin: Mapping[str, ImageEntry] = field(default_factory=lambda: BUILTIN_IMAGES)

    @classmethod
    def from_config(cls, config: UserConfig) -> ImageTable:
        user = {normalize(key): _from_user(key, image) for key, image in config.images.items()}
        return cls(user=user)

    def lookup(self, ref: str) -> ImageEntry | None:
        """Exact reference (user, then built-in), then repository without tag."""
        exact = normalize(ref.strip())
        for key in (exact, repository(exact)):
            for table in (self.user, self.builtin):
                if key in table:
                    return table[key]
        return None


def unknown_image_message(ref: str, config_display_path: str) -> str:
    """The error for an image with no command and no table entry (names the config key)."""
    return (
        f'image "{ref}" has no command and no entry in the image table; '
        f'add images."{ref}".command to {config_display_path}'
    )
