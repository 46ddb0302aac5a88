"""The layering of argoctl, checked on the source (AST) and on a real ``argoctl --help``.

* ``argoctl.model``, ``argoctl.expr``, ``argoctl.engine`` and ``argoctl.cron`` are pure: no I/O library, no upper
  layer, anywhere in them (function-level imports included).
* The engine and ``argoctl.expr`` never read the clock or a random source (no ``time``, ``random``,
  ``uuid``, ``secrets``, ``os.urandom``, ``datetime.now``/``utcnow``/``today``): both are injected.
* Only ``argoctl.cli`` and ``argoctl.render`` import typer, rich or click.
* Nothing imports ``kubernetes`` at module level (only inside the functions that talk to a cluster).
* Only the entry points import ``argoctl.cli``.
* The CLI is parse -> call -> render: no ``time.sleep``, no ``while True`` loop, no ``time``,
  ``threading`` or ``signal`` in ``argoctl.cli`` (waiting and looping are ``argoctl.runtime``'s).
* ``argoctl --help`` imports none of the heavy layers and packages, and stays within a module
  budget (a speed check that does not depend on the machine's speed).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "argoctl"
PURE_LAYERS = ("model", "expr", "engine", "cron")
# what each pure layer may import from argoctl (argo-semantics README architecture table)
ALLOWED_INTERNAL = {
    "model": ("argoctl.model", "argoctl.errors"),
    "expr": ("argoctl.expr", "argoctl.errors"),
    "engine": ("argoctl.engine", "argoctl.model", "argoctl.expr", "argoctl.errors"),
    # the CronWorkflow decision core: schedules, when/stopStrategy (expr), no store or clock
    "cron": ("argoctl.cron", "argoctl.expr", "argoctl.errors"),
}
IO_MODULES = frozenset({
    "typer", "rich", "click", "kubernetes", "boto3", "botocore", "yaml", "jmespath", "requests", "urllib3",
    "subprocess", "socket", "ssl", "select", "selectors", "signal", "fcntl", "shutil", "tempfile", "glob",
    "pathlib", "io", "threading", "multiprocessing", "concurrent", "asyncio", "http", "logging", "sqlite3",
    "urllib.request", "ftplib", "smtplib", "mmap", "pty", "termios",
})
UI_PACKAGES = ("typer", "rich", "click")
# the world's clock and randomness: the engine and expression evaluation get them injected
# (EngineEnv.random, step(now=...), argoctl.expr.sources), never import or read them
NONDETERMINISTIC_MODULES = ("time", "random", "uuid", "secrets")
CLOCK_READS = frozenset({"now", "utcnow", "today"})
OS_ATTRIBUTES_ALLOWED: dict[str, set[str]] = {}
# modules other than the CLI's own that may import argoctl.cli, and why
CLI_IMPORTERS = {
    "argoctl/__main__.py": "python -m argoctl",
}
# --help is answered from the generated help cache (argoctl.cli.fast), so not even typer is imported
HELP_FORBIDDEN = ("typer", "kubernetes", "boto3", "botocore", "yaml", "rich", "jmespath", "lark", "click",
                  "argoctl.engine", "argoctl.expr", "argoctl.stores", "argoctl.backends", "argoctl.runtime",
                  "argoctl.parse", "argoctl.validate", "argoctl.render", "argoctl.artifacts", "argoctl.kube",
                  "argoctl.cli.root", "argoctl.cli.commands")
HELP_MODULE_BUDGET = 100  # all modules, stdlib included; a bare `import argparse` is about 70


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    module_level: bool  # runs when the file is imported
    type_checking: bool  # inside ``if TYPE_CHECKING:``, never runs


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, path: Path, root: Path) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, root: Path = PACKAGE) -> list[Import]:
    """Every import in ``path``; ``from a import b`` counts as both ``a`` and ``a.b``."""
    found: list[Import] = []

    def visit(node: ast.AST, module_level: bool, type_checking: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(a.name, node.lineno, module_level, type_checking) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, path, root)
            found.append(Import(base, node.lineno, module_level, type_checking))
            found.extend(Import(f"{base}.{a.name}", node.lineno, module_level, type_checking) for a in node.names)
        in_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for guarded in node.body:
                visit(guarded, module_level, True)
            for other in node.orelse:
                visit(other, module_level, type_checking)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, module_level and not in_function, type_checking)

    visit(ast.parse(path.read_text(), filename=str(path)), True, False)
    return found


def _files(*layers: str) -> list[Path]:
    roots = [PACKAGE / layer for layer in layers] if layers else [PACKAGE]
    return sorted(p for root in roots for p in (root.rglob("*.py") if root.is_dir() else [root.with_suffix(".py")]))


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _where(path: Path, imp: Import) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{imp.line}: {imp.module}"


def test_the_import_scanner_sees_every_kind_of_import(tmp_path: Path) -> None:
    source = ("from typing import TYPE_CHECKING\nimport json\nfrom . import scope\nfrom argoctl import expr\n"
              "if TYPE_CHECKING:\n    import yaml\ndef f():\n    import subprocess\nclass C:\n    import socket\n")
    tree_path = tmp_path / "argoctl" / "engine" / "_layers_probe.py"
    tree_path.parent.mkdir(parents=True)
    tree_path.write_text(source)
    found = {(i.module, i.module_level, i.type_checking) for i in imports_of(tree_path, tmp_path / "argoctl")}
    assert {("json", True, False), ("argoctl.engine.scope", True, False), ("argoctl.expr", True, False),
            ("yaml", True, True), ("subprocess", False, False), ("socket", True, False)} <= found


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_pure_layers_import_no_io_and_no_upper_layer(layer: str) -> None:
    def forbidden(module: str) -> bool:
        if any(_under(module, io) for io in IO_MODULES):
            return True
        upper = _under(module, "argoctl") and module != "argoctl"
        return upper and not any(_under(module, ok) for ok in ALLOWED_INTERNAL[layer])

    bad = [_where(path, imp) for path in _files(layer) for imp in imports_of(path)
           if not imp.type_checking and forbidden(imp.module)]
    assert not bad, f"argoctl.{layer} must stay pure:\n" + "\n".join(bad)


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_pure_layers_use_os_only_where_allowed(layer: str) -> None:
    allowed = OS_ATTRIBUTES_ALLOWED.get(layer, set())
    bad = []
    for path in _files(layer):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" \
                    and node.attr not in allowed:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: os.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "os":
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: from os import ...")
        if not allowed:
            bad += [_where(path, i) for i in imports_of(path) if i.module in ("os", "os.path")]
    assert not bad, "\n".join(bad)


def _clock_reads(tree: ast.AST) -> list[ast.Attribute]:
    """``datetime.now`` / ``dt.datetime.utcnow`` / ``date.today`` and the like (any ``X.now``)."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr in CLOCK_READS
            and isinstance(node.value, (ast.Name, ast.Attribute))
            and (node.value.id if isinstance(node.value, ast.Name) else node.value.attr) in ("datetime", "date")]


@pytest.mark.parametrize("layer", ["engine", "expr"])
def test_engine_and_expressions_get_clock_and_randomness_injected(layer: str) -> None:
    bad = []
    for path in _files(layer):
        bad += [_where(path, i) for i in imports_of(path)
                if any(_under(i.module, m) for m in NONDETERMINISTIC_MODULES)
                or i.module == "os.urandom"]
        bad += [f"{path.relative_to(PACKAGE.parent)}:{n.lineno}: reads the clock ({ast.unparse(n)})"
                for n in _clock_reads(ast.parse(path.read_text()))]
    assert not bad, f"argoctl.{layer} must get time and randomness injected:\n" + "\n".join(bad)


def test_the_clock_check_sees_clock_reads() -> None:
    source = "import datetime as dt\nfrom datetime import datetime, date\nx = dt.datetime.now()\n" \
             "y = datetime.utcnow()\nz = date.today()\nw = datetime.fromtimestamp(0)\n"
    assert [n.lineno for n in _clock_reads(ast.parse(source))] == [3, 4, 5]


def test_only_cli_and_render_import_ui_packages() -> None:
    bad = []
    for path in _files():
        layer = path.relative_to(PACKAGE).parts[0]
        if layer in ("cli", "render"):
            continue
        bad += [_where(path, i) for i in imports_of(path) if any(_under(i.module, p) for p in UI_PACKAGES)]
    assert not bad, "typer/rich/click outside argoctl.cli and argoctl.render:\n" + "\n".join(bad)


def test_nothing_imports_kubernetes_at_module_level() -> None:
    bad = [_where(path, i) for path in _files() for i in imports_of(path)
           if _under(i.module, "kubernetes") and i.module_level and not i.type_checking]
    assert not bad, "import kubernetes inside the functions that need it:\n" + "\n".join(bad)


def test_only_entry_points_import_the_cli() -> None:
    bad = []
    for path in _files():
        relative = str(path.relative_to(PACKAGE.parent))
        if relative.startswith("argoctl/cli/") or relative in CLI_IMPORTERS:
            continue
        bad += [_where(path, i) for i in imports_of(path) if _under(i.module, "argoctl.cli")]
    assert not bad, "\n".join(bad)


# what a loop that waits needs: the CLI calls argoctl.runtime for it
CLI_FORBIDDEN_MODULES = ("time", "threading", "signal")


def _waits_and_endless_loops(tree: ast.AST) -> list[tuple[int, str]]:
    """``sleep(...)`` / ``x.sleep(...)`` calls and ``while True`` (any constant true test)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == "sleep":
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.While) and isinstance(node.test, ast.Constant) and node.test.value:
            found.append((node.lineno, f"while {ast.unparse(node.test)}:"))
    return sorted(found)


def test_the_loop_check_sees_sleeps_and_endless_loops() -> None:
    source = ("import time\nwhile True:\n    time.sleep(1)\nwhile 1:\n    sleep(2)\n"
              "while i < 3:\n    i += 1\nclock.sleep(0.2)\n")
    assert [line for line, _ in _waits_and_endless_loops(ast.parse(source))] == [2, 3, 4, 5, 8]


def test_the_cli_only_parses_calls_and_renders() -> None:
    bad = []
    for path in _files("cli"):
        bad += [f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
                for line, what in _waits_and_endless_loops(ast.parse(path.read_text()))]
        bad += [_where(path, i) for i in imports_of(path) if i.module in CLI_FORBIDDEN_MODULES]
    assert not bad, "argoctl.cli waits or loops; move it into argoctl.runtime:\n" + "\n".join(bad)


def _help_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOCTL_", "PYTHON")) and k != "COLUMNS"}
    return {**env, "NO_COLOR": "1"}


def test_help_imports_no_heavy_module() -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "argoctl", "--help"], capture_output=True,
                            text=True, env=_help_env(), check=False, timeout=120)
    assert result.returncode == 0 and "Usage: argoctl" in result.stdout, result.stderr[-2000:]
    imported = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", result.stderr, re.MULTILINE))
    assert "argoctl.cli.main" in imported  # the parse found the modules
    heavy = sorted(m for m in imported if any(_under(m, h) for h in HELP_FORBIDDEN))
    assert not heavy, f"argoctl --help imports {heavy}"


PROBE = """
import json, runpy, sys
sys.argv = ["argoctl", "--help"]
try:
    runpy.run_module("argoctl", run_name="__main__")
except SystemExit as done:
    assert done.code in (0, None), done.code
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def test_help_stays_within_a_module_budget() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=_help_env(),
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    modules = json.loads(result.stderr)
    heavy = sorted(m for m in modules if any(_under(m, h) for h in HELP_FORBIDDEN))
    assert not heavy, f"argoctl --help loads {heavy}"
    assert len(modules) <= HELP_MODULE_BUDGET, (
        f"argoctl --help loads {len(modules)} modules (budget {HELP_MODULE_BUDGET}): import the new ones lazily")
