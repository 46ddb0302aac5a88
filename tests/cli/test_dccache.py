"""``argoctl.dccache``: dataclass methods compiled once and kept beside argoctl's bytecode; the
classes behave exactly as without it; a cache file that is not trusted like a ``.pyc`` is ignored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import REPO

PROBE = """
import json, sys
compiled = []
def hook(event, args):  # dataclasses' generated methods (their text starts so in CPython 3.11)
    if event == "compile" and str(args[0]).startswith(("def __create_fn__", "b'def __create_fn__")):
        compiled.append(1)
sys.addaudithook(hook)
import argoctl
from argoctl import dccache
dccache.install()
import dataclasses

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 2
    tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)

@dataclasses.dataclass(order=True, slots=True)
class Item:
    name: str
    count: int = 0

p = Point(1)
try:
    p.x = 5
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
facts = [repr(p), p == Point(1, 2, ()), hash(p) == hash(Point(1)), frozen, Item("a") < Item("b"),
         repr(dataclasses.replace(Item("a", 1), count=3)), str(Point.__init__.__annotations__)]
print(json.dumps({"compiled": len(compiled), "facts": facts}))
"""


def _run(prefix: Path, **env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ARGOCTL_"))}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**clean, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": str(prefix), **env},
                          check=False)
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def _cache_files(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("dataclasses.*.bin"))


def test_the_second_run_compiles_no_dataclass_method(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first["compiled"] and _cache_files(tmp_path)
    second = _run(tmp_path)
    assert second["compiled"] == 0
    assert second["facts"] == first["facts"] == [
        "Point(x=1, y=2, tags=())", True, True, True, True, "Item(name='a', count=3)",
        "{'x': <class 'int'>, 'y': <class 'int'>, 'tags': tuple[str, ...], 'return': None}"]


@pytest.mark.parametrize("damage", ["foreign", "writable", "garbage", "truncated"])
def test_an_untrusted_or_damaged_cache_is_ignored(tmp_path: Path, damage: str) -> None:
    compiled = _run(tmp_path)["compiled"]
    (path,) = _cache_files(tmp_path)
    if damage == "writable":
        path.chmod(0o666)
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 64)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-10])
    else:  # another interpreter's bytecode magic
        data = path.read_bytes()
        path.write_bytes(bytes([data[0] ^ 0xFF]) + data[1:])
    again = _run(tmp_path)
    assert again["compiled"] == compiled  # compiled afresh, same classes
    assert again["facts"][:6] == ["Point(x=1, y=2, tags=())", True, True, True, True, "Item(name='a', count=3)"]


def test_nothing_is_written_without_bytecode_writing_or_when_turned_off(tmp_path: Path) -> None:
    assert _run(tmp_path / "b", PYTHONDONTWRITEBYTECODE="1")["compiled"]
    assert _run(tmp_path / "off", ARGOCTL_DATACLASS_CACHE="0")["compiled"]
    assert not _cache_files(tmp_path)
