"""``swap_into_place``: the atomic swap a running workflow's checkpoint uses instead of ``os.replace``."""

from __future__ import annotations

from pathlib import Path

import pytest

from argoctl.stores import exchange


def test_swap_puts_the_new_file_in_place_and_removes_the_temp_name(tmp_path: Path) -> None:
    target, temp = tmp_path / "wf.json", tmp_path / ".wf.json.x.tmp"
    target.write_bytes(b"old")
    with open(target, "rb") as reader:  # a reader that opened the old version keeps reading it
        temp.write_bytes(b"new")
        inode = temp.stat().st_ino
        exchange.swap_into_place(str(temp), str(target))
        assert reader.read() == b"old"
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wf.json"]


def test_swap_onto_a_missing_target_is_a_plain_rename(tmp_path: Path) -> None:
    target, temp = tmp_path / "wf.json", tmp_path / "t.tmp"
    temp.write_bytes(b"first")
    exchange.swap_into_place(str(temp), str(target))
    assert target.read_bytes() == b"first"
    assert not temp.exists()


def test_without_renameat2_it_falls_back_to_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "_renameat2", None)
    target, temp = tmp_path / "wf.json", tmp_path / "t.tmp"
    target.write_bytes(b"old")
    temp.write_bytes(b"new")
    exchange.swap_into_place(str(temp), str(target))
    assert target.read_bytes() == b"new"
    assert not temp.exists()


def test_a_real_error_is_raised_and_leaves_both_files(tmp_path: Path) -> None:
    temp = tmp_path / "t.tmp"
    temp.write_bytes(b"new")
    with pytest.raises(OSError):
        exchange.swap_into_place(str(temp), str(tmp_path / "no-such-dir" / "wf.json"))
    assert temp.read_bytes() == b"new"
