"""Fixtures for CLI tests: the real CLI (``python -m argoctl``) in a subprocess, with its own
``ARGOCTL_HOME``, the local backend and the argosay/cowsay stand-ins on the PATH.

Goldens live in ``tests/cli/goldens``; after an intended output change, rewrite them with
``ARGOCTL_UPDATE_GOLDENS=1 python -m pytest tests/cli`` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli import normalize

REPO = Path(__file__).resolve().parents[2]
MANIFESTS = Path(__file__).resolve().parent / "manifests"
GOLDENS = Path(__file__).resolve().parent / "goldens"
UPDATE_ENV = "ARGOCTL_UPDATE_GOLDENS"
TIMEOUT = 120.0
JSON = dict[str, Any]

CLEARED_ENV = ("ARGOCTL_STORE", "ARGOCTL_NAMESPACE", "ARGOCTL_SANDBOX", "KUBECONFIG", "KUBERNETES_SERVICE_HOST",
               "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "COLUMNS")


class Cli:
    """Runs ``argoctl`` as a script would, in ``work`` with ``home`` as ``ARGOCTL_HOME``."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.home = work / "home"
        self.env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
        self.env.update({
            "ARGOCTL_HOME": str(self.home), "ARGOCTL_BACKEND": "local", "NO_COLOR": "1",
            "HOME": str(work), "XDG_CONFIG_HOME": str(work / "config"), "XDG_DATA_HOME": str(work / "data"),
            "PATH": f"{REPO / 'tests' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        })

    def __call__(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None,
                 timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "argoctl", *args], cwd=self.work, input=stdin,
                              env={**self.env, **(env or {})}, capture_output=True, text=True,
                              timeout=timeout, check=False)

    def ok(self, *args: str, **kwargs: Any) -> str:
        """stdout of a command that must exit 0 (its stderr shown otherwise)."""
        result = self(*args, **kwargs)
        assert result.returncode == 0, f"argoctl {' '.join(args)} -> {result.returncode}\n{result.stderr}"
        return result.stdout

    def workflow(self, name: str) -> JSON:
        found: JSON = json.loads(self.ok("get", name, "-o", "json"))
        return found

    def node(self, name: str, display_name: str) -> JSON | None:
        nodes = self.workflow(name)["status"].get("nodes") or {}
        return next((n for n in nodes.values() if n.get("displayName") == display_name), None)

    def until(self, predicate: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        """Poll ``predicate`` (no fixed sleeps: tests must not depend on speed)."""
        end = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > end:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.2)

    def until_node(self, name: str, display_name: str, phase: str) -> None:
        def reached() -> bool:
            node = self.node(name, display_name)
            return node is not None and node.get("phase") == phase

        self.until(reached, f"node {display_name} of {name} to be {phase}")

    def write(self, file_name: str, content: str) -> str:
        path = self.work / file_name
        path.write_text(content)
        return str(path)


def stop_all(cli: Cli) -> None:
    """Terminate what is still running, so no detached driver outlives its test."""
    listed = cli("list", "--running", "-o", "json")
    running = [w["metadata"]["name"] for w in json.loads(listed.stdout)] if listed.returncode == 0 else []
    for name in running:
        cli("terminate", name)
        cli("resume", name)  # as in Argo, a suspended workflow acts on terminate only once resumed
    for name in running:
        cli("wait", name, timeout=60)


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    runner = Cli(tmp_path)
    yield runner
    stop_all(runner)


@pytest.fixture
def host_dir() -> Iterator[Path]:
    """A directory for hostPath volumes: outside /tmp, which each sandboxed step gets its own of."""
    parent = Path("/var/tmp") if Path("/var/tmp").is_dir() else REPO
    path = Path(tempfile.mkdtemp(prefix="argoctl-cli-", dir=parent))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def manifest(name: str) -> str:
    return str(MANIFESTS / name)


def assert_golden(name: str, actual: str) -> None:
    """Compare with ``goldens/NAME`` (or rewrite it when ``ARGOCTL_UPDATE_GOLDENS=1``)."""
    path = GOLDENS / name
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
        return
    assert path.is_file(), f"missing golden {path}; create it with {UPDATE_ENV}=1"
    expected = path.read_text()
    assert actual == expected, f"output differs from {path.relative_to(REPO)}"


__all__ = ["MANIFESTS", "REPO", "Cli", "assert_golden", "cli", "host_dir", "manifest", "normalize", "stop_all"]
