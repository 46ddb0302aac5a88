"""The start-up fast path: help from the generated cache and ``version`` without typer. Output must
be byte for byte what typer prints; the speed itself is checked by counting imports, never by timing.
"""

from __future__ import annotations

import pytest

from argoctl.cli import fast, helptext, main
from tests.cli.test_startup import probe as _probe

UI = ("typer", "rich", "click")
PATHS = sorted(helptext.HELP)


def _typer(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str, int]:
    """stdout, stderr and exit status of ``args`` through the typer application, in this process."""
    with pytest.raises(SystemExit) as done:
        main.run_typer(args)
    out, err = capsys.readouterr()
    return out, err, int(done.value.code or 0)


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_cached_help_is_what_typer_prints(path: tuple[str, ...], capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for flag in fast.HELP_FLAGS:
        assert _typer([*path, flag], capsys) == (helptext.HELP[path] + "\n", "", 0)
        assert fast.serve([*path, flag]) == 0
        assert capsys.readouterr() == (helptext.HELP[path] + "\n", "")
    if path in helptext.NO_ARGS_IS_HELP:
        assert _typer(list(path), capsys) == ("", helptext.HELP[path] + "\n", 0)
        assert fast.serve(list(path)) == 0
        assert capsys.readouterr() == ("", helptext.HELP[path] + "\n")


def test_every_group_that_shows_help_without_arguments_is_listed() -> None:
    assert {(), ("template",), ("cluster-template",), ("cron",), ("node",)} <= helptext.NO_ARGS_IS_HELP
    assert {("submit",), ("list",), ("logs",)}.isdisjoint(helptext.NO_ARGS_IS_HELP)


@pytest.mark.parametrize("args", [["list"], ["logs"], ["bogus", "--help"], ["--help", "submit"], ["-v", "--help"],
                                  ["version", "--bogus"], ["template get", "--help"], ["list", "-o", "name"]])
def test_anything_else_goes_to_typer(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert fast.serve(args) is None


@pytest.mark.parametrize("columns", ["79", "60", "40"])
def test_a_narrow_terminal_goes_to_typer(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert fast.serve(["--help"]) is None and fast.serve(["template"]) is None


def test_a_wide_terminal_gets_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert fast.columns() == 200
    monkeypatch.delenv("COLUMNS")
    assert fast.columns() >= 1


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["template"], ["template", "get", "--help"],
                                  ["node", "set", "-h"], ["version"], ["version", "--short"]])
def test_fast_path_imports_no_ui_package(args: list[str]) -> None:
    out, err, code, modules = _probe(args)
    assert code == 0 and (out or err), err
    assert not [m for m in modules if m.split(".")[0] in UI], f"argoctl {args} imported typer, rich or click"
    assert "argoctl.cli.root" not in modules and "argoctl.cli.app" not in modules


def test_fast_path_prints_what_typer_prints(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], [], ["cron", "-h"], ["version"], ["version", "--short"]):
        out, err, code, _ = _probe(args)
        assert (out, err, code) == _typer(args, capsys), args


def test_narrow_terminal_help_is_typers(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    out, err, code, modules = _probe(["--help"], COLUMNS="60")
    assert "typer" in modules and code == 0 and err == ""
    assert max(len(line) for line in out.splitlines()) <= 58
    monkeypatch.setenv("COLUMNS", "60")
    assert (out, err, code) == _typer(["--help"], capsys)
