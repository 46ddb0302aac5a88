"""Files in and out of containers through the Docker archive API (tar streams).

``tar_of_tree`` packs a host directory that stands for the container root (input artifacts,
the staged script) for ``put_archive`` at ``/``; ``extract_into`` unpacks what ``get_archive``
returned for a container path under a host root, refusing members that would leave it;
``single_file`` reads one regular file out of such a stream.
"""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Iterable
from pathlib import Path


def tar_of_tree(root: Path) -> bytes:
    """A tar of everything under ``root``, with paths relative to it (directories included)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for entry in sorted(root.rglob("*")):
            tar.add(str(entry), arcname=str(entry.relative_to(root)), recursive=False)
    return buffer.getvalue()


def tar_of_file(path: str, content: bytes, mode: int = 0o755) -> bytes:
    """A tar holding one file at container path ``path`` (its directories created)."""
    return tar_of_files({path: content}, mode)


def tar_of_files(files: dict[str, str] | dict[str, bytes], mode: int = 0o644) -> bytes:
    """A tar of files at their container paths (directories created), for ``put_archive`` at ``/``."""
    buffer = io.BytesIO()
    seen: set[str] = set()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            parts = path.strip("/").split("/")
            for depth in range(1, len(parts)):
                name = "/".join(parts[:depth])
                if name not in seen:
                    seen.add(name)
                    directory = tarfile.TarInfo(name)
                    directory.type = tarfile.DIRTYPE
                    directory.mode = 0o755
                    tar.addfile(directory)
            info = tarfile.TarInfo("/".join(parts))
            info.size = len(data)
            info.mode = mode
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _joined(chunks: Iterable[bytes]) -> io.BytesIO:
    return io.BytesIO(b"".join(chunks))


def _open(chunks: Iterable[bytes]) -> tarfile.TarFile:
    """The tar stream ``get_archive`` returned; a stream that is no tar names its size and start."""
    data = _joined(chunks)
    try:
        return tarfile.open(fileobj=data, mode="r")
    except tarfile.ReadError as exc:
        raw = data.getvalue()
        raise tarfile.ReadError(f"{exc} ({len(raw)} bytes from the engine, starting {raw[:40]!r})") from exc


def extract_into(chunks: Iterable[bytes], host_root: Path, container_path: str) -> None:
    """Unpack ``get_archive(container_path)`` so the path appears at ``host_root/container_path``."""
    parent = host_root / os.path.dirname(container_path.rstrip("/")).lstrip("/")
    parent.mkdir(parents=True, exist_ok=True)
    container_dir = os.path.dirname(container_path.rstrip("/")) or "/"

    def keep(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
        if (member.issym() or member.islnk()) and member.linkname.startswith("/"):
            # an absolute link means a path in the container: made relative, it stays in the copy
            where = os.path.dirname(os.path.join(container_dir, member.name))
            member = member.replace(linkname=os.path.relpath(member.linkname, where), deep=False)
        try:
            return tarfile.data_filter(member, dest)
        except tarfile.FilterError:
            return None  # a link leaving the copied tree: left out, never followed on the host

    with _open(chunks) as tar:
        tar.extractall(parent, filter=keep)


def single_file(chunks: Iterable[bytes]) -> bytes | None:
    """The content of the regular file ``get_archive`` returned, or None for anything else."""
    with _open(chunks) as tar:
        first = tar.next()
        if first is None or not first.isfile():
            return None
        handle = tar.extractfile(first)
        return handle.read() if handle is not None else None
