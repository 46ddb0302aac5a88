"""Start-up: the typer path registers only the invoked verb's module. Output must be byte for byte
what it was; the speed itself is checked by counting imports, never by timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from argoctl.cli import main, root
from argoctl.cli.commands import MODULES, VERBS
from tests.cli.conftest import REPO, Cli

PROBE = """
import json, runpy, sys
sys.argv = ["argoctl", *json.loads(sys.argv[1])]
try:
    runpy.run_module("argoctl", run_name="__main__")
except SystemExit as done:
    code = done.code
sys.stderr.write("\\nMODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def probe(args: list[str], **env: str) -> tuple[str, str, int, set[str]]:
    """stdout, stderr, exit status and the modules loaded of ``argoctl ARGS`` in a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOCTL_", "PYTHON")) and k != "COLUMNS"}
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                            env={**clean, "NO_COLOR": "1", **env}, cwd=REPO, check=False, timeout=120)
    stderr, _, tail = result.stderr.rpartition("\nMODULES ")
    found = json.loads(tail)
    return result.stdout, stderr, found["code"] or 0, set(found["modules"])


def test_a_verb_loads_only_its_own_command_module(tmp_path: Path) -> None:
    _, err, code, modules = probe(["archive", "list"], ARGOCTL_HOME=str(tmp_path), ARGOCTL_BACKEND="local")
    assert code == 0, err
    commands = {m for m in modules if m.startswith("argoctl.cli.commands.")}
    assert commands == {"argoctl.cli.commands.archive"}


def test_list_and_get_load_no_typer(tmp_path: Path) -> None:
    """``argoctl.cli.quick`` runs them (tests/cli/test_quick.py checks it answers as typer would)."""
    for args in (["list"], ["-n", "default", "get", "nothing-here", "-o", "json"]):
        _, err, code, modules = probe(args, ARGOCTL_HOME=str(tmp_path), ARGOCTL_BACKEND="local")
        assert code == (0 if args == ["list"] else 2), err
        assert not {m for m in modules if m.split(".")[0] in ("typer", "click", "rich", "kubernetes", "urllib3")}


@pytest.mark.parametrize(("args", "expected"), [
    (["list"], ("listing",)),
    (["-n", "ns", "--backend", "local", "-v", "--no-color", "get", "x"], ("get",)),
    (["--namespace=ns", "-nns", "--qps", "5", "watch", "x"], ("wait",)),
    (["template", "get", "x"], ("templates",)),
    (["version", "--help"], ("version",)),
    ([], None),
    (["--help", "list"], None),
    (["-vh", "list"], None),
    (["--", "list"], None),
    (["bogus"], None),
    (["completion", "bash"], None),  # prints the whole command tree
    (["-n"], None),
])
def test_modules_for(args: list[str], expected: tuple[str, ...] | None) -> None:
    assert main.modules_for(args) == expected


def test_verbs_name_the_modules_that_register_them() -> None:
    everything = typer.main.get_command(root.new_app())
    assert set(VERBS) == set(everything.commands)  # type: ignore[attr-defined]
    assert set(VERBS.values()) == set(MODULES)
    for module in MODULES:
        alone = typer.main.get_command(root.new_app([module]))
        assert set(alone.commands) == {v for v, m in VERBS.items() if m == module}, module  # type: ignore[attr-defined]


def test_root_option_lists_match_the_callback() -> None:
    params = [p for p in typer.main.get_command(root.new_app([])).params if p.param_type_name == "option"]
    flags = {name for p in params if p.is_flag for name in p.opts}  # type: ignore[attr-defined]
    values = {name for p in params if not p.is_flag for name in p.opts}  # type: ignore[attr-defined]
    assert (frozenset(flags), frozenset(values)) == (main.ROOT_FLAGS, main.ROOT_VALUE_OPTIONS)


def test_the_full_app_is_still_importable() -> None:
    assert set(typer.main.get_command(main.app).commands) == set(VERBS)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("args", "stderr"), [
    (["bogus"], "error: No such command 'bogus'. Did you mean 'logs'?\n"),
    (["-n", "ns", "subimt"], "error: No such command 'subimt'. Did you mean 'submit', 'resubmit'?\n"),
    (["template", "bogus"], "error: No such command 'bogus'.\n"),
])
def test_unknown_commands_keep_their_errors(cli: Cli, args: list[str], stderr: str) -> None:
    result = cli(*args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", stderr)


EXIT_PROBE = """
import atexit, sys, threading, time
from argoctl.cli.main import run
atexit.register(lambda: print("ATEXIT", flush=False))
threading.Thread(target=lambda: (time.sleep(0.2), print("THREAD", flush=False))).start()
sys.argv = ["argoctl", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize(("args", "code"), [(["version", "--short"], 0), (["no-such-verb"], 2)])
def test_argoctls_own_exit_still_finishes_what_an_exit_finishes(args: list[str], code: int) -> None:
    """A command's exit finishes what an ordinary exit finishes (non-daemon threads, atexit
    handlers, buffered output) and keeps its status. (Ending with ``os._exit`` to skip the
    interpreter's teardown was tried and dropped: it joined a thread pool's workers before their
    pool was shut down, and ``submit --wait`` on the docker backend never exited.)"""
    done = subprocess.run([sys.executable, "-c", EXIT_PROBE, *args], capture_output=True, text=True,
                          cwd=REPO, check=False, timeout=120)
    assert done.returncode == code, done.stderr
    assert done.stdout.endswith("THREAD\nATEXIT\n"), done.stdout
    assert ("argoctl: v" in done.stdout) == (code == 0)
