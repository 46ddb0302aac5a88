"""Archive strategies: staging outputs, detecting and unpacking inputs, safety, modes."""

from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from argoctl.artifacts import ArtifactError
from argoctl.artifacts.archive import (
    DEFAULT_GZIP_LEVEL,
    Strategy,
    apply_mode,
    choose_level,
    install,
    is_tarball,
    load_strategy,
    save_strategy,
    stage,
    unpack_into,
)


def make_tree(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha\n")
    (root / "sub" / "b.bin").write_bytes(bytes(range(256)) * 10)
    os.symlink("a.txt", root / "link")
    return root


def tree(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = path.read_bytes()
        else:
            out[rel] = "dir"
    return out


def test_strategies() -> None:
    assert save_strategy({}) == Strategy("tar")
    assert load_strategy({}) is None
    assert save_strategy({"archive": {"none": {}}}) == Strategy("none")
    assert save_strategy({"archive": {"zip": {}}}) == Strategy("zip")
    assert save_strategy({"archive": {"tar": {"compressionLevel": 0}}}) == Strategy("tar", 0)
    assert save_strategy({"archive": {"tar": {}}}) == Strategy("tar")
    with pytest.raises(ArtifactError, match="compressionLevel"):
        save_strategy({"name": "a", "archive": {"tar": {"compressionLevel": 12}}})


def test_tgz_round_trip_of_a_file(tmp_path: Path) -> None:
    src = tmp_path / "hello_world.txt"
    src.write_text("hello world\n")
    staged = stage("hello-art", "/tmp/hello_world.txt", src, Strategy(), tmp_path)
    assert staged.file_name == "hello-art.tgz" and staged.owned
    assert is_tarball(staged.path)
    with tarfile.open(staged.path) as tar:
        assert tar.getnames() == ["hello_world.txt"]  # base name of the path, as Argo writes it
    dest = tmp_path / "in" / "message"
    dest.parent.mkdir()
    unpack_into(staged.path, "tar", dest)
    assert dest.read_text() == "hello world\n"
    assert [p.name for p in dest.parent.iterdir()] == ["message"]  # no temporary left behind


def test_tgz_round_trip_of_a_directory_keeps_symlinks(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "out")
    staged = stage("dir", "/mnt/out", src, Strategy("tar", 1), tmp_path)
    dest = tmp_path / "in"
    unpack_into(staged.path, "tar", dest)
    assert tree(dest) == tree(src)
    assert tree(dest)["link"] == "-> a.txt"


def test_zip_round_trip_of_a_directory(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "out")
    (src / "link").unlink()
    staged = stage("dir", "/mnt/out", src, Strategy("zip"), tmp_path)
    assert staged.file_name == "dir.zip"
    with zipfile.ZipFile(staged.path) as zf:
        assert "out/a.txt" in zf.namelist()
    dest = tmp_path / "in"
    unpack_into(staged.path, "zip", dest)
    assert tree(dest) == tree(src)


def test_none_passes_the_path_through(tmp_path: Path) -> None:
    src = tmp_path / "hello_world.txt"
    src.write_text("x")
    staged = stage("hello-txt", "/tmp/hello_world.txt", src, Strategy("none"), tmp_path)
    assert (staged.file_name, staged.path, staged.owned) == ("hello_world.txt", src, False)


def test_archive_with_several_top_entries_becomes_a_directory(tmp_path: Path) -> None:
    archive = tmp_path / "multi.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ("one", "two"):
            data = name.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    unpack_into(archive, "tar", tmp_path / "dest")
    assert tree(tmp_path / "dest") == {"one": b"one", "two": b"two"}


def test_incompressible_data_is_stored_not_compressed(tmp_path: Path) -> None:
    noise = tmp_path / "model.bin"
    noise.write_bytes(os.urandom(1 << 20))
    text = tmp_path / "data.csv"
    text.write_text("a,b,c\n" * 200_000)
    assert choose_level(noise) == 0
    assert choose_level(text) == DEFAULT_GZIP_LEVEL
    staged = stage("m", "/m/model.bin", noise, Strategy(), tmp_path)
    assert staged.path.stat().st_size < (1 << 20) * 1.01  # stored: no growth beyond framing
    staged_text = stage("t", "/m/data.csv", text, Strategy(), tmp_path)
    assert staged_text.path.stat().st_size < text.stat().st_size / 20
    assert is_tarball(staged.path) and is_tarball(staged_text.path)


def test_compression_level_zero_is_honoured(tmp_path: Path) -> None:
    text = tmp_path / "data.csv"
    text.write_text("a,b,c\n" * 50_000)
    staged = stage("t", "/data.csv", text, Strategy("tar", 0), tmp_path)
    assert staged.path.stat().st_size > text.stat().st_size


def test_is_tarball(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_text("not an archive")
    gz_only = tmp_path / "x.gz"
    gz_only.write_bytes(gzip.compress(b"just gzip, no tar"))
    assert not is_tarball(plain)
    assert not is_tarball(gz_only)
    assert not is_tarball(tmp_path)
    assert not is_tarball(tmp_path / "missing")


def _evil_tar(path: Path, name: str, *, linkname: str = "", kind: bytes = tarfile.REGTYPE) -> None:
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = linkname
        data = b"pwned"
        info.size = len(data) if kind == tarfile.REGTYPE else 0
        tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


@pytest.mark.parametrize(("name", "linkname", "kind"), [
    ("../escape.txt", "", tarfile.REGTYPE),
    ("/abs.txt", "", tarfile.REGTYPE),
    ("link", "/etc/passwd", tarfile.SYMTYPE),
    ("link", "../../outside", tarfile.SYMTYPE),
    ("dev", "", tarfile.CHRTYPE),
])
def test_unsafe_archives_are_refused(tmp_path: Path, name: str, linkname: str, kind: bytes) -> None:
    archive = tmp_path / "evil.tgz"
    _evil_tar(archive, name, linkname=linkname, kind=kind)
    (tmp_path / "work").mkdir()
    with pytest.raises(ArtifactError, match="illegal"):
        unpack_into(archive, "tar", tmp_path / "work" / "dest")
    assert not (tmp_path / "escape.txt").exists()
    assert list((tmp_path / "work").iterdir()) == []


def test_corrupt_archive_is_an_error(tmp_path: Path) -> None:
    archive = tmp_path / "bad.tgz"
    archive.write_bytes(gzip.compress(b"x" * 1000)[:30])
    with pytest.raises(ArtifactError, match="failed to unpack"):
        unpack_into(archive, "tar", tmp_path / "dest")


def test_install_replaces_files_and_merges_directories(tmp_path: Path) -> None:
    new_file = tmp_path / "new"
    new_file.write_text("new")
    old_file = tmp_path / "old"
    old_file.write_text("old")
    install(new_file, old_file)
    assert old_file.read_text() == "new"
    dest = tmp_path / "dest"
    (dest / "keep").mkdir(parents=True)
    (dest / "keep" / "k").write_text("k")
    incoming = tmp_path / "incoming"
    (incoming / "keep").mkdir(parents=True)
    (incoming / "keep" / "n").write_text("n")
    (incoming / "top").write_text("t")
    install(incoming, dest)
    assert tree(dest) == {"keep": "dir", "keep/k": b"k", "keep/n": b"n", "top": b"t"}


def test_install_file_over_non_empty_directory_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "x").write_text("x")
    src = tmp_path / "f"
    src.write_text("f")
    with pytest.raises(ArtifactError, match="non-empty directory"):
        install(src, dest)


def test_apply_mode_plain_and_recursive(tmp_path: Path) -> None:
    f = tmp_path / "kubectl"
    f.write_text("#!/bin/sh\n")
    apply_mode(f, 0o755, False)
    assert stat.S_IMODE(f.stat().st_mode) == 0o755
    d = make_tree(tmp_path / "d")
    apply_mode(d, "0700", True)
    assert {stat.S_IMODE(p.stat().st_mode) for p in d.rglob("*") if not p.is_symlink()} == {0o700}
    apply_mode(f, None, False)
    assert stat.S_IMODE(f.stat().st_mode) == 0o755


def test_a_symlinked_artifact_path_is_archived_as_its_target(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("real")
    os.symlink(tmp_path / "real.txt", tmp_path / "alias.txt")
    staged = stage("a", "/x/alias.txt", tmp_path / "alias.txt", Strategy("tar", 1), tmp_path)
    unpack_into(staged.path, "tar", tmp_path / "out")
    assert not (tmp_path / "out").is_symlink() and (tmp_path / "out").read_text() == "real"
