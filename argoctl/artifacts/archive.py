"""Archive strategies: stage an output for upload, unpack a download into place.

Argo's rules (EXEC ``stageArchiveFile``, ``unarchiveArtifact``):

* default ``tar`` = tar+gzip of the path under its base name, uploaded as ``<name>.tgz``;
  ``tar: {compressionLevel: N}`` picks the gzip level; ``none: {}`` uploads the file or
  directory as it is under the path's base name; ``zip: {}`` uploads ``<name>.zip``.
* on load, an explicit strategy decides; with none given, a gzip'd tar is detected and
  unpacked (zip files are not auto-detected, as in Argo). An archive holding one entry becomes
  that entry at the destination; one holding several becomes a directory.

When no ``compressionLevel`` is given, argoctl samples the data and stores incompressible
bytes (model weights, already-compressed files) at gzip level 0 instead of spending seconds
failing to shrink them; compressible data gets Argo's default level. The result is always a
valid ``.tgz``; only its size differs from Argo's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argoctl.artifacts.errors import ArtifactError

if TYPE_CHECKING:
    import tarfile

# gzip, tarfile and zipfile are imported where an archive is written or read: a run without
# artifacts never loads them (start-up time)

DEFAULT_GZIP_LEVEL = 6  # Go's gzip.DefaultCompression, what Argo uses
_PROBE_BYTES = 256 << 10
_PROBE_PER_FILE = 64 << 10
_INCOMPRESSIBLE_RATIO = 0.9
_COPY_BUFSIZE = 1 << 20


@dataclass(frozen=True, slots=True)
class Strategy:
    """``kind`` is ``tar``, ``none`` or ``zip``; ``level`` the explicit gzip level, if any."""

    kind: str = "tar"
    level: int | None = None

    @property
    def is_default(self) -> bool:
        return self.kind == "tar" and self.level is None


def save_strategy(artifact: Mapping[str, Any]) -> Strategy:
    """The strategy to archive an output with (default: tar+gzip)."""
    return load_strategy(artifact) or Strategy()


def load_strategy(artifact: Mapping[str, Any]) -> Strategy | None:
    """The artifact's explicit ``archive`` strategy; None means "detect a tarball"."""
    archive = artifact.get("archive")
    if not isinstance(archive, dict) or not archive:
        return None
    if "none" in archive:
        return Strategy("none")
    if "zip" in archive:
        return Strategy("zip")
    tar = archive.get("tar")
    level = tar.get("compressionLevel") if isinstance(tar, dict) else None
    if level is not None and (not isinstance(level, int) or not -1 <= level <= 9):
        raise ArtifactError(f"artifact {artifact.get('name', '')!r}: archive.tar.compressionLevel must be 0-9")
    return Strategy("tar", None if level is None or level == -1 else level)


# ---- saving --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staged:
    """What to upload: ``path`` (file or directory) under ``file_name``; ``owned`` when it is a
    temporary file this layer made (it may be moved rather than copied, and must be removed)."""

    file_name: str
    path: Path
    owned: bool


def stage(name: str, container_path: str, src: Path, strategy: Strategy, staging_dir: Path) -> Staged:
    """Archive ``src`` per ``strategy`` into ``staging_dir`` (or pass it through for ``none``)."""
    if strategy.kind == "none":
        return Staged(os.path.basename(container_path.rstrip("/")) or name, src, False)
    suffix = ".zip" if strategy.kind == "zip" else ".tgz"
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=staging_dir)
    os.close(fd)
    staged = Path(tmp)
    try:
        if strategy.kind == "zip":
            write_zip(src, staged)
        else:
            level = strategy.level if strategy.level is not None else choose_level(src)
            write_tgz(src, staged, level)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return Staged(f"{name}{suffix}", staged, True)


def write_tgz(src: Path, dest: Path, level: int) -> None:
    """tar+gzip ``src`` (file or directory) under its base name into ``dest``."""
    import gzip
    import tarfile

    with (open(dest, "wb") as raw,
          gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0) as gz,
          tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar):
        tar.copybufsize = _COPY_BUFSIZE  # type: ignore[attr-defined]
        # a symlink named as the artifact path stands for what it points to; links inside are kept
        tar.add(str(src.resolve() if src.is_symlink() else src), arcname=src.name, recursive=True)


def write_zip(src: Path, dest: Path) -> None:
    """zip ``src`` under its base name (Go's ``ZipToWriter`` layout)."""
    import zipfile

    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if src.is_file():
            zf.write(src, arcname=src.name)
            return
        for path in sorted(_walk(src)):
            arcname = str(Path(src.name) / path.relative_to(src))
            zf.write(path, arcname=arcname + ("/" if path.is_dir() else ""))


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        for entry in (*dirnames, *filenames):
            yield Path(dirpath) / entry


def choose_level(src: Path) -> int:
    """Gzip level for a default tar: 0 for data that does not compress, else Argo's default."""
    sample = bytearray()
    files = [src] if src.is_file() else (p for p in sorted(_walk(src)) if p.is_file() and not p.is_symlink())
    for path in files:
        with contextlib.suppress(OSError), open(path, "rb") as fh:
            sample += fh.read(min(_PROBE_PER_FILE, _PROBE_BYTES - len(sample)))
        if len(sample) >= _PROBE_BYTES:
            break
    if len(sample) < 4096:
        return DEFAULT_GZIP_LEVEL
    packed = zlib.compress(bytes(sample), 1)
    return 0 if len(packed) > _INCOMPRESSIBLE_RATIO * len(sample) else DEFAULT_GZIP_LEVEL


# ---- loading -------------------------------------------------------------------------------


def is_tarball(path: Path) -> bool:
    """A gzip stream whose first tar header reads (Argo's ``isTarball``)."""
    import tarfile

    if not path.is_file():
        return False
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return False
    try:
        with tarfile.open(path, "r:gz") as tar:
            return tar.next() is not None
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        return False


def unpack_into(archive: Path, kind: str, dest: Path) -> None:
    """Unpack ``archive`` (``tar`` = gzip'd tar, ``zip``) and install the result at ``dest``."""
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".unpack", dir=dest.parent))
    try:
        tmpdir.chmod(0o755)  # it becomes the destination when the archive has several entries
        if kind == "zip":
            _unzip(archive, tmpdir)
        else:
            _untar(archive, tmpdir)
        entries = list(tmpdir.iterdir())
        if len(entries) == 1:
            install(entries[0], dest)
        else:
            install(tmpdir, dest)
    finally:
        if tmpdir.exists():
            shutil.rmtree(tmpdir, ignore_errors=True)


def _untar(archive: Path, into: Path) -> None:
    import tarfile

    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.copybufsize = _COPY_BUFSIZE  # type: ignore[attr-defined]
            members = tar.getmembers()
            for member in members:
                _check_member(member, into)
            if hasattr(tarfile, "data_filter"):
                tar.extractall(into, members=members, filter="data")
            else:  # pragma: no cover - Python < 3.11.4 has no extraction filters
                tar.extractall(into, members=members)
    except (tarfile.TarError, EOFError, zlib.error) as err:
        raise ArtifactError(f"failed to unpack tar archive: {err}") from None


def _check_member(member: tarfile.TarInfo, into: Path) -> None:
    """Reject names, and link targets, that would land outside ``into``; and special files."""
    _check_inside(member.name, into)
    if member.issym():
        if os.path.isabs(member.linkname):
            raise ArtifactError(f"illegal symlink target in archive: {member.name} -> {member.linkname}")
        _check_inside(os.path.join(os.path.dirname(member.name), member.linkname), into)
    elif member.islnk():
        _check_inside(member.linkname, into)
    elif not (member.isfile() or member.isdir()):
        raise ArtifactError(f"illegal file type in archive: {member.name}")


def _check_inside(name: str, into: Path) -> None:
    root = str(into)
    target = os.path.normpath(os.path.join(root, name))
    if os.path.isabs(name) or (target != root and not target.startswith(root + os.sep)):
        raise ArtifactError(f"illegal file path in archive: {name}")


def _unzip(archive: Path, into: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                _check_inside(info.filename, into)
            zf.extractall(into)
    except zipfile.BadZipFile as err:
        raise ArtifactError(f"failed to unpack zip archive: {err}") from None


def install(src: Path, dest: Path) -> None:
    """Move ``src`` to ``dest`` (same filesystem): files replace files, directories merge."""
    if dest.is_symlink() or dest.is_file():
        if src.is_dir():
            dest.unlink()
        os.replace(src, dest)
        return
    if not dest.exists():
        os.replace(src, dest)
        return
    # dest is an existing directory
    if not src.is_dir():
        if any(dest.iterdir()):
            raise ArtifactError(f"cannot place a file at {dest}: a non-empty directory is there")
        dest.rmdir()
        os.replace(src, dest)
        return
    for child in list(src.iterdir()):
        target = dest / child.name
        if target.is_dir() and not target.is_symlink():
            install(child, target)
        else:
            os.replace(child, target)


def apply_mode(path: Path, mode: Any, recurse: bool) -> None:
    """``mode`` (an int, e.g. 0o755, or an octal string) on ``path``, and below it if ``recurse``."""
    if mode is None:
        return
    bits = int(mode, 8) if isinstance(mode, str) else int(mode)
    os.chmod(path, bits)
    if recurse and path.is_dir():
        for child in _walk(path):
            if not child.is_symlink():
                os.chmod(child, bits)
