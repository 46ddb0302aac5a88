"""A driver killed with SIGKILL mid-workflow loses nothing: another argoctl takes over, adopts the
running step and never runs a finished step twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.runtime.ledger import ledger_workflow

REPO = Path(__file__).resolve().parents[2]


def _cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "argoctl", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _driver_pid(home: Path) -> int | None:
    lease = home / "namespaces" / "default" / "leases" / "crash.json"
    try:
        holder = json.loads(lease.read_text())["holder"]
    except (OSError, ValueError, KeyError):
        return None
    return int(str(holder).rsplit(":", 1)[1])


@pytest.mark.timeout(120)
def test_sigkilled_driver_is_taken_over_without_rerunning_steps(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(ledger_workflow("crash", ledger))
    env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "local", "NO_COLOR": "1"}
    submitted = _cli(env, "submit", str(manifest), "-o", "name")
    assert submitted.returncode == 0, submitted.stderr
    runs = ledger / "runs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "two" not in (runs.read_text() if runs.exists() else ""):
        time.sleep(0.05)
    pid = _driver_pid(tmp_path / "home")
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    waited = _cli(env, "wait", "crash")
    assert waited.returncode == 0, waited.stderr
    assert "taking over workflow crash" in waited.stderr
    assert runs.read_text().split() == ["one", "two", "three"]
    got = json.loads(_cli(env, "get", "crash", "-o", "json").stdout)
    assert got["status"]["phase"] == "Succeeded"
    assert got["status"]["progress"] == "3/3"


@pytest.mark.timeout(180)
def test_a_second_driver_reports_the_lease_holder(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(ledger_workflow("crash", ledger))
    env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "local", "NO_COLOR": "1"}
    assert _cli(env, "submit", str(manifest), "-o", "name").returncode == 0
    deadline = time.monotonic() + 60
    while _driver_pid(tmp_path / "home") is None and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.run([sys.executable, "-m", "argoctl.runtime.detached", "crash"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert second.returncode == 0
    assert "held by" in second.stderr or "lease" in second.stderr, second.stderr
    assert _cli(env, "wait", "crash").returncode == 0
    assert (ledger / "runs").read_text().split() == ["one", "two", "three"]


@pytest.mark.timeout(120)
def test_of_concurrent_waits_only_the_one_that_takes_over_says_so(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(ledger_workflow("crash", ledger))
    env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "local", "NO_COLOR": "1"}
    assert _cli(env, "submit", str(manifest), "-o", "name").returncode == 0
    runs = ledger / "runs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "two" not in (runs.read_text() if runs.exists() else ""):
        time.sleep(0.05)
    pid = _driver_pid(tmp_path / "home")
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    waits = [subprocess.Popen([sys.executable, "-m", "argoctl", "wait", "crash"], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    results = [(w.wait(timeout=90), *w.communicate()) for w in waits]
    assert [code for code, _, _ in results] == [0, 0, 0], results
    said = [err.count("taking over workflow crash") for _, _, err in results]
    assert sorted(said) == [0, 0, 1], results
    assert runs.read_text().split() == ["one", "two", "three"]
