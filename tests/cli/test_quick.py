"""``argoctl.cli.quick``: ``list`` and ``get`` read and run without typer, with the same result as
the typer commands (stdout, stderr and exit status compared in fresh interpreters), and typer
still reading whatever the quick parser is not sure of."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer._click import types as click_types

from argoctl.cli import quick, root
from argoctl.runtime.settings import ARGO_SERVER_FLAGS
from tests.cli.conftest import REPO, Cli, manifest

RUN = """
import json, sys
from argoctl.cli import main
args = json.loads(sys.argv[2])
loaded = lambda: sys.stderr.write("\\nTYPER " + str("typer" in sys.modules))
import atexit; atexit.register(loaded)
main.run(args) if sys.argv[1] == "quick" else main.run_typer(args)
"""


def _kinds(command: object) -> dict[str, tuple[str, str]]:
    found = {}
    for param in command.params:  # type: ignore[attr-defined]
        if param.param_type_name != "option" or getattr(param, "argoctl_global", False):
            continue
        kind = "flag" if param.is_flag else "values" if param.multiple else (
            "int" if isinstance(param.type, click_types.IntParamType) else "value")
        for name in param.opts:
            found[name] = (param.name, kind)
    return found


@pytest.mark.parametrize("verb", ["list", "get", "submit"])
def test_the_option_tables_match_the_typer_commands(verb: str) -> None:
    group = typer.main.get_command(root.new_app())
    command = group.commands[verb]  # type: ignore[attr-defined]
    expected = _kinds(command)
    if verb == "submit":
        del expected["--object"]  # its callback reads a Hera file: typer reads that command line
        expected["--no-strict"] = ("strict", "off")  # the flag's secondary name
    table = quick.VERB_OPTIONS[verb]
    assert set(table) == set(expected)
    for name, (dest, kind) in table.items():
        assert (dest, kind) == expected[name], name


@pytest.mark.parametrize("args", [
    [], ["list", "-h"], ["--help", "list"], ["list", "--", "x"], ["list", "-An"], ["list", "-ojson"],
    ["list", "--bogus"], ["list", "extra"], ["get"], ["get", "-o"], ["list", "--chunk-size", "x"],
    ["submit", "x.yaml", "--object", "wf"], ["submit", "x.yaml", "--strict=false"], ["submit", "-wo", "name"],
    ["submit", "x.yaml", "--priority"], ["submit", "x.yaml", "--priority", "x"],
    ["--qps", "fast", "list"], ["list", "--no-headers=1"], ["list", "-o", "-A"],
    *([f.names[-1], "x", "list"] for f in ARGO_SERVER_FLAGS if f.kind != "flag"),
])
def test_typer_reads_what_quick_is_not_sure_of(args: list[str]) -> None:
    assert quick.parse(args) is None


def test_quick_reads_options_before_and_after_the_verb() -> None:
    parsed = quick.parse(["-n", "a", "--as-group", "g1", "list", "--status=Failed", "--status", "Running",
                          "-A", "--namespace=b", "--as-group", "g2", "-o", "name", "--qps", "5", "--chunk-size", "3"])
    assert parsed is not None and parsed.verb == "list"
    assert parsed.globals == {"namespace": "b", "impersonate_group": ["g1", "g2"], "qps": 5.0}
    assert parsed.own == {"status": ["Failed", "Running"], "all_namespaces": True, "output": "name",
                          "chunk_size": 3}
    got = quick.parse(["get", "one", "-o", "json", "two", "-v", "--no-utf8"])
    assert got is not None and got.names == ["one", "two"] and got.globals == {"verbose": True}
    assert got.own == {"output": "json", "no_utf8": True}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = Cli(Path(tmp_path_factory.mktemp("quick")))
    for name, file, code in (("steps-one", "steps.yaml", 0), ("fail-one", "fail.yaml", 1)):
        assert cli("submit", manifest(file), "--name", name, "--wait").returncode == code
    yield cli


def _both(cli: Cli, args: list[str]) -> tuple[tuple[str, str, int], tuple[str, str, int]]:
    found = []
    for mode in ("quick", "typer"):
        env = {**cli.env, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        done = subprocess.run([sys.executable, "-c", RUN, mode, json.dumps(args)], cwd=cli.work, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        stderr, _, typer_loaded = done.stderr.rpartition("\nTYPER ")
        assert typer_loaded == ("False" if mode == "quick" else "True"), (mode, done.stderr)
        found.append((done.stdout, stderr, done.returncode))
    return found[0], found[1]


@pytest.mark.parametrize("args", [
    ["list"], ["list", "-o", "name", "--completed"], ["list", "--status", "Failed,Succeeded", "-o", "json"],
    ["--no-color", "list", "--no-headers", "--prefix", "steps"], ["list", "--running", "--completed"],
    ["list", "-o", "bogus"], ["list", "--since", "nonsense"], ["list", "-l", "a in (b"],
    ["get", "steps-one", "-o", "json", "--query", "metadata.name"], ["get", "fail-one", "--no-utf8"],
    ["get", "missing"], ["get", "steps-one", "fail-one", "-o", "name"], ["get", "steps-one", "--query", "x"],
    ["-n", "elsewhere", "get", "steps-one"], ["list", "--backend", "nowhere"], ["list", "--request-timeout", "soon"],
])
def test_quick_and_typer_answer_alike(home: Cli, args: list[str]) -> None:
    assert quick.parse(args) is not None
    # ages are the same in both runs unless a second ticks between them: compare without the AGE column
    fast, slow = _both(home, args)
    assert fast[1:] == slow[1:]
    assert _ageless(fast[0]) == _ageless(slow[0])


def _ageless(text: str) -> list[list[str]]:
    text = re.sub(r"\(\d+ \w+ ago\)", "(ago)", text)
    return [[w for w in line.split() if not (w[:-1].isdigit() and w[-1] in "smhd")] for line in text.splitlines()]


def _submits() -> list[list[str]]:
    steps, fail = manifest("steps.yaml"), manifest("fail.yaml")
    dry = ["--dry-run", "-o", "name"]
    return [
        ["submit"], ["submit", "no-such-file.yaml"], ["submit", steps, "--watch", "--wait"], ["submit", steps, "--dry-run"],
        ["submit", steps, "--name", "dry-one", *dry], ["submit", "--no-strict", steps, "--name", "dry-two", *dry],
        ["-n", "other", "submit", steps, "-p", "x=1", "--parameter", "y=2", "--name", "named", "-o", "name",
         "--server-dry-run", "--labels", "a=b"],
        ["submit", steps, "--labels", "novalue", *dry], ["submit", steps, "--priority", "3", "--name", "dry-four", *dry],
        ["submit", fail, "--name", "dry-three", "--entrypoint", "nowhere", *dry], ["submit", "--from", "bogus"],
    ]


@pytest.mark.parametrize("args", _submits(), ids=lambda args: " ".join(a.rsplit("/", 1)[-1] for a in args))
def test_quick_and_typer_submit_alike(home: Cli, args: list[str]) -> None:
    assert quick.parse(args) is not None
    fast, slow = _both(home, args)
    assert fast == slow


def test_quick_submit_runs_the_workflow(home: Cli) -> None:
    steps = manifest("steps.yaml")
    for mode, name in (("quick", "waited-quick"), ("typer", "waited-typer")):
        args = ["submit", steps, "--name", name, "-w", "-o", "name"]
        env = {**home.env, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        done = subprocess.run([sys.executable, "-c", RUN, mode, json.dumps(args)], cwd=home.work, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert (done.returncode, done.stdout) == (0, f"{name}\n"), done.stderr
        assert done.stderr.endswith(f"TYPER {mode == 'typer'}")
    assert home.workflow("waited-quick")["status"]["phase"] == "Succeeded"
