"""The user config file: ``$ARGOCTL_CONFIG``, else ``$XDG_CONFIG_HOME/argoctl/config.yaml``
(``~/.config/argoctl/config.yaml`` when ``XDG_CONFIG_HOME`` is unset).

It is read with ``yaml.safe_load`` and holds, for now, only the ``images:`` table that tells the
local backend what an image's default entrypoint is::

    images:
      my/image:tag:
        command: [my-program]      # the image ENTRYPOINT
        args: [--default-flag]     # the image CMD
        env: {SOME_VAR: value}     # optional image ENV

A missing file is an empty config. A file that cannot be parsed, or has fields of the wrong
shape, raises ``UsageError`` naming the file and the field.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argoctl.errors import UsageError

CONFIG_ENV = "ARGOCTL_CONFIG"
DEFAULT_DISPLAY_PATH = "~/.config/argoctl/config.yaml"


@dataclass(frozen=True, slots=True)
class UserImage:
    """One user entry of the ``images:`` table."""

    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class UserConfig:
    path: Path | None = None
    images: Mapping[str, UserImage] = field(default_factory=dict)


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the config file is looked for."""
    env = os.environ if environ is None else environ
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "argoctl" / "config.yaml"


def display_path(environ: Mapping[str, str] | None = None) -> str:
    """The config path as shown in messages (``~`` kept short)."""
    path = config_path(environ)
    home = str(Path.home())
    text = str(path)
    return "~" + text[len(home):] if text.startswith(home + os.sep) else text


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return tuple(str(item) for item in value)
    raise UsageError(f"{where}: expected a list of strings")


def _parse_image(ref: str, body: Any, where: str) -> UserImage:
    if not isinstance(body, dict):
        raise UsageError(f"{where}: images.{ref!r}: expected a mapping with command/args")
    env = body.get("env") or {}
    if not isinstance(env, dict):
        raise UsageError(f"{where}: images.{ref!r}.env: expected a mapping")
    return UserImage(
        command=_string_list(body.get("command"), f"{where}: images.{ref!r}.command"),
        args=_string_list(body.get("args"), f"{where}: images.{ref!r}.args"),
        env=tuple((str(key), str(val)) for key, val in env.items()),
    )


def parse_config(text: str, *, path: Path | None = None) -> UserConfig:
    """Parse the YAML text of a config file."""
    import yaml

    where = str(path) if path else "config"
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{where}: not valid YAML: {exc}") from exc
    if loaded is None:
        return UserConfig(path=path)
    if not isinstance(loaded, dict):
        raise UsageError(f"{where}: expected a mapping at the top level")
    images = loaded.get("images") or {}
    if not isinstance(images, dict):
        raise UsageError(f"{where}: images: expected a mapping of image reference to entry")
    parsed = {str(ref): _parse_image(str(ref), body, where) for ref, body in images.items()}
    return UserConfig(path=path, images=parsed)


def load_config(path: Path | None = None) -> UserConfig:
    """Read the config file (``config_path()`` unless given); missing file → empty config."""
    target = path or config_path()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UserConfig(path=target)
    except OSError as exc:
        raise UsageError(f"{target}: cannot read the config file: {exc.strerror}") from exc
    return parse_config(text, path=target)
