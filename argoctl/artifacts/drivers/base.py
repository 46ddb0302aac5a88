"""The driver protocol: one small interface per storage kind.

A driver moves bytes between a local path and one *location body* (the object under the
location field, e.g. ``{"bucket": ..., "key": ...}`` for ``s3``). Drivers know nothing of
archives, optional artifacts or repositories; ``RepositoryArtifactIO`` does that.

Contract:

* ``load`` writes a file or a directory at ``dest`` (which does not exist yet); a missing
  object raises ``ArtifactError(not_found=True)``.
* ``save`` makes the object appear whole or not at all (temporary name + rename, single PUT,
  or multipart completed last); ``consume=True`` says ``src`` is a temporary file the caller
  will discard, so it may be moved instead of copied.
* messages never contain secret values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from argoctl.artifacts.errors import NotSupportedError

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DriverOptions:
    """Network knobs shared by the remote drivers (seconds; attempts include the first)."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_attempts: int = 3


class ArtifactDriver(Protocol):
    kind: str

    def load(self, location: JSON, dest: Path) -> None: ...

    def save(self, src: Path, location: JSON, *, consume: bool = False) -> None: ...

    def delete(self, location: JSON) -> None: ...

    def exists(self, location: JSON) -> bool: ...

    def list_keys(self, location: JSON) -> list[str]:
        """Keys under the location's key taken as a directory (relative to it), sorted."""
        ...

    def local_path(self, location: JSON) -> Path | None:
        """A readable local file/directory that already holds the object, if there is one."""
        ...

    def staging_dir(self) -> Path | None:
        """Where to stage archives so that ``save(consume=True)`` can move them, if anywhere."""
        ...


class BaseDriver:
    """Defaults: input-only, no listing, nothing local."""

    kind = "base"

    def save(self, src: Path, location: JSON, *, consume: bool = False) -> None:
        raise NotSupportedError(f"{self.kind} artifacts can only be inputs: saving is not supported")

    def delete(self, location: JSON) -> None:
        raise NotSupportedError(f"deleting {self.kind} artifacts is not supported")

    def exists(self, location: JSON) -> bool:
        raise NotSupportedError(f"checking {self.kind} artifacts is not supported")

    def list_keys(self, location: JSON) -> list[str]:
        raise NotSupportedError(f"listing {self.kind} artifacts is not supported")

    def local_path(self, location: JSON) -> Path | None:
        return None

    def staging_dir(self) -> Path | None:
        return None
