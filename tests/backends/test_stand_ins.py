"""tests/bin stand-ins for argosay and cowsay behave as conformance/images.md describes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import STAND_INS


def _run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(STAND_INS / argv[0]), *argv[1:]], input=stdin, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize("args, stdout, code", [
    ((), "hello argo\n", 0),
    (("echo",), "hello argo\n", 0),
    (("echo", "a message"), "a message\n", 0),
    (("echo", "a", "b", "c"), "", 0),
    (("exit",), "", 0),
    (("exit", "7"), "", 7),
    (("exit 1",), "", 1),
    (("unknown",), "", 1),
    (("sleep", "0.05"), "", 0),
])
def test_argosay_table(args: tuple[str, ...], stdout: str, code: int) -> None:
    result = _run("argosay", *args)
    assert (result.stdout, result.returncode) == (stdout, code)


def test_argosay_file_subcommands(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "dir" / "f.txt"
    assert _run("argosay", "echo", "msg", str(target)).stdout == ""
    assert target.read_text() == "msg\n"
    assert _run("argosay", "cat", str(target)).stdout == "msg\n"
    assert _run("argosay", "assert_contains", str(target), "ms").returncode == 0
    assert _run("argosay", "assert_contains", str(target), "absent").returncode == 1
    script = tmp_path / "s.sh"
    script.write_text("echo from-script\n")
    assert _run("argosay", "sh", str(script)).stdout == "from-script\n"
    assert _run("argosay", "sh").returncode != 0


def test_cowsay_says_its_arguments() -> None:
    result = _run("cowsay", "hello", "world")
    assert result.returncode == 0 and "< hello world >" in result.stdout
    assert _run("cowsay").returncode == 0  # no args: reads (empty) stdin, exits 0
