"""Local mode: the kill matrix (``killmatrix``) and concurrent takers.

Every kill point SIGKILLs the detached driver (and at half of them the ``wait`` that took over)
of the twelve-step ledger workflow; the workflow must end Succeeded with every step run exactly
once and its passed outputs intact. CI runs ``SHORT_MATRIX``; ``-m slow`` runs all 52 points.
Concurrent takers: 2-4 ``wait``s at once after a SIGKILL or a SIGSTOP of the driver (continued
``PAUSE`` seconds later): one drives, no step runs twice, all of them end with the workflow.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.runtime import killmatrix
from tests.runtime.killmatrix import FULL_MATRIX, SHORT_MATRIX, KillPoint
from tests.runtime.ledger import TWELVE_STEP_LEDGER, twelve_step_workflow

# A stopped driver wakes after this long (a suspended laptop, a long GC pause): one stopped while
# it held the local store's flock on a document holds up every other writer of it until then
PAUSE = 30.0


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "ARGOCTL_HOME": str(home), "ARGOCTL_BACKEND": "local", "NO_COLOR": "1"}


def _holder(home: Path) -> killmatrix.Holder:
    def holder(name: str) -> str | None:
        try:
            return str(json.loads((home / "namespaces" / "default" / "leases" / f"{name}.json").read_text())["holder"])
        except (OSError, ValueError, KeyError):
            return None

    return holder


def _continue(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGCONT)


def _trial(tmp_path: Path, point: KillPoint) -> killmatrix.Outcome:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    home = tmp_path / "home"
    return killmatrix.run_trial(point, name="matrix", env=_env(home), ledger=ledger, holder=_holder(home))


@pytest.mark.timeout(240)
@pytest.mark.parametrize("point", SHORT_MATRIX, ids=lambda p: p.id)
def test_kill_points(tmp_path: Path, point: KillPoint) -> None:
    outcome = _trial(tmp_path, point)
    assert outcome.errors == [], outcome
    assert "driver" in outcome.killed, outcome
    assert point.kill_taker == ("taker" in outcome.killed), outcome


@pytest.mark.slow
@pytest.mark.timeout(240)
@pytest.mark.parametrize("point", FULL_MATRIX, ids=lambda p: p.id)
def test_kill_matrix(tmp_path: Path, point: KillPoint) -> None:
    outcome = _trial(tmp_path, point)
    assert outcome.errors == [], outcome


@pytest.mark.timeout(240)
@pytest.mark.parametrize(("takers", "how"), [(2, "kill"), (3, "stop"), (4, "kill")])
def test_concurrent_takers(tmp_path: Path, takers: int, how: str) -> None:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    home = tmp_path / "home"
    env = _env(home)
    holder = _holder(home)
    manifest = ledger / "wf.yaml"
    manifest.write_text(twelve_step_workflow("takers", ledger))
    assert killmatrix.cli(env, "submit", str(manifest), "-o", "name").returncode == 0
    runs = ledger / "runs"
    assert killmatrix.until(lambda: len(killmatrix.lines(runs)) >= 3, 120)
    driver = killmatrix.pid_of(holder("takers"))
    assert driver is not None
    wake = threading.Timer(PAUSE, _continue, (driver,))
    if how == "kill":
        assert killmatrix.kill(driver)
    else:  # paused, not dead: its lease must expire before anyone takes over, and it wakes later
        os.kill(driver, signal.SIGSTOP)
        wake.start()
    try:
        waits = [subprocess.Popen([sys.executable, "-m", "argoctl", "wait", "takers"], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(takers)]
        results = [(w.wait(timeout=200), *w.communicate()) for w in waits]
    finally:
        wake.cancel()
        if how == "stop":
            _continue(driver)  # it wakes up without its lease and must not run a step (or woke already)
    assert [code for code, _, _ in results] == [0] * takers, results
    assert all("Succeeded" in out for _, out, _ in results), results
    assert sum("taking over" in err for _, _, err in results) >= 1  # someone drove it to the end
    if how == "stop":
        assert killmatrix.until(lambda: killmatrix.gone(driver), 30)  # the woken driver leaves
    assert sorted(killmatrix.lines(runs)) == TWELVE_STEP_LEDGER
    got = json.loads(killmatrix.cli(env, "get", "takers", "-o", "json").stdout)
    assert got["status"]["phase"] == "Succeeded"
