"""``local``: argoctl's repository in a local directory (local mode's default repository).

Keys map to paths under ``root``; a key naming a directory holds a directory artifact
(``archive: none`` of a directory). Writes go to ``root/.tmp`` first and are renamed into
place, so a reader never sees half an object.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from argoctl.artifacts.drivers.base import JSON, BaseDriver
from argoctl.artifacts.errors import ArtifactError

TMP_DIR = ".tmp"


class LocalDirDriver(BaseDriver):
    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()

    def path_of(self, location: JSON) -> Path:
        key = str(location.get("key") or "").strip("/")
        if not key:
            raise ArtifactError("local repository location has no key")
        target = Path(os.path.normpath(self.root / key))
        if target == self.root or self.root not in target.parents or key.split("/")[0] == TMP_DIR:
            raise ArtifactError(f"key {key!r} points outside the local artifact repository")
        return target

    def load(self, location: JSON, dest: Path) -> None:
        src = self.path_of(location)
        if src.is_dir():
            shutil.copytree(src, dest, symlinks=True)
        elif src.is_file():
            shutil.copyfile(src, dest)
        else:
            raise ArtifactError(f"key not found in the local artifact repository {self.root}", not_found=True)

    def save(self, src: Path, location: JSON, *, consume: bool = False) -> None:
        target = self.path_of(location)
        staging = self.staging_dir()
        tmp = staging / f"{target.name}.{uuid.uuid4().hex}"
        try:
            if consume and src.is_file() and _same_device(src, staging):
                os.replace(src, tmp)
            elif src.is_dir():
                shutil.copytree(src, tmp, symlinks=True)
            else:
                shutil.copyfile(src, tmp)
            target.parent.mkdir(parents=True, exist_ok=True)
            _replace(tmp, target, staging)
        finally:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            elif tmp.exists():
                tmp.unlink()

    def delete(self, location: JSON) -> None:
        target = self.path_of(location)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()

    def exists(self, location: JSON) -> bool:
        return self.path_of(location).exists()

    def list_keys(self, location: JSON) -> list[str]:
        """Keys below the location's key; an empty key lists the whole repository (data templates)."""
        whole = not str(location.get("key") or "").strip("/")
        base = self.root if whole else self.path_of(location)
        if base.is_file():
            return [base.name]
        out = [str(Path(d, f).relative_to(base)) for d, _, files in os.walk(base) for f in files]
        if whole:
            out = [key for key in out if key.split("/")[0] != TMP_DIR]
        return sorted(out)

    def local_path(self, location: JSON) -> Path | None:
        path = self.path_of(location)
        return path if path.exists() else None

    def staging_dir(self) -> Path:
        staging = self.root / TMP_DIR
        staging.mkdir(parents=True, exist_ok=True)
        return staging


def _same_device(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def _replace(tmp: Path, target: Path, staging: Path) -> None:
    """Atomically put ``tmp`` at ``target``; an existing directory is swapped out, then removed."""
    if target.is_dir() and not target.is_symlink():
        old = Path(tempfile.mkdtemp(dir=staging)) / "old"
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old.parent, ignore_errors=True)
    else:
        if tmp.is_dir() and (target.exists() or target.is_symlink()):
            target.unlink()
        os.replace(tmp, target)
