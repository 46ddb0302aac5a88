"""Pod mode under API faults: every workflow finishes correct with ONE ``submit --wait``.

While the workflow runs, the loopback API server (``tests/fakecluster/faults.py``) answers
everything with 503 or 429 (Retry-After) for longer than a command would retry, resets
connections, drops watch streams, forgets its watch history (410 Gone) or answers slowly. Its
detached driver and the waiting command ride the faults out (``argoctl.patience``): the workflow
ends Succeeded, every step ran exactly once, every pod was created once, and the waiting
command said so on stderr in at most one line per outage. CI runs each fault on the three-step
ledger workflow; ``-m slow`` runs all of them at once on the twelve-step one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakecluster.cluster import FakeCluster
from tests.fakecluster.fixtures import ClusterHandle
from tests.runtime.killmatrix import lines, until
from tests.runtime.ledger import TWELVE_STEP_LEDGER, ledger_workflow, twelve_step_workflow

pytestmark = pytest.mark.kube

OUTAGE = 12.0  # seconds: four times what a command retries
Plan = Callable[[FakeCluster, threading.Event], None]


def _window(cluster: FakeCluster, rule: object, stop: threading.Event, seconds: float = OUTAGE) -> None:
    stop.wait(seconds)
    cluster.faults.remove(rule)  # type: ignore[arg-type]


def outage_5xx(cluster: FakeCluster, stop: threading.Event) -> None:
    _window(cluster, cluster.faults.fail_next(None, status=503, message="etcd is restarting"), stop)


def throttled_429(cluster: FakeCluster, stop: threading.Event) -> None:
    _window(cluster, cluster.faults.throttle_next(None, retry_after=2), stop)


def connection_resets(cluster: FakeCluster, stop: threading.Event) -> None:
    _window(cluster, cluster.faults.reset_next(None), stop)


def dropped_watches(cluster: FakeCluster, stop: threading.Event) -> None:
    for turn in range(16):
        cluster.faults.drop_watches(abrupt=bool(turn % 2))
        if stop.wait(0.5):
            return


def gone_410(cluster: FakeCluster, stop: threading.Event) -> None:
    for _ in range(4):  # the history is forgotten: a watch resumed from where it was gets 410
        cluster.compact()
        cluster.faults.drop_watches()
        if stop.wait(1.5):
            return


def latency(cluster: FakeCluster, stop: threading.Event) -> None:
    _window(cluster, cluster.faults.delay(0.4), stop, seconds=3600)


def everything(cluster: FakeCluster, stop: threading.Event) -> None:
    slow = cluster.faults.delay(0.1)
    for plan in (outage_5xx, dropped_watches, throttled_429, gone_410, connection_resets):
        plan(cluster, stop)
        if stop.wait(1.0):
            break
    cluster.faults.remove(slow)


PLANS: dict[str, Plan] = {"5xx": outage_5xx, "429": throttled_429, "resets": connection_resets,
                          "dropped-watches": dropped_watches, "410-gone": gone_410, "latency": latency}


def _run(cluster: ClusterHandle, tmp_path: Path, plan: Plan, manifest_text: Callable[[Path], str],
         expected: list[str]) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(manifest_text(ledger))
    env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "kubernetes",
           "KUBECONFIG": cluster.kubeconfig_path, "NO_COLOR": "1"}
    stop = threading.Event()

    def inject() -> None:  # once the first step ran: the workflow, its driver and the waiter exist
        if until(lambda: stop.is_set() or lines(ledger / "runs"), 120):
            plan(cluster.server, stop)

    injector = threading.Thread(target=inject, daemon=True)
    injector.start()
    try:
        done = subprocess.run([sys.executable, "-m", "argoctl", "submit", "--wait", str(manifest)], env=env,
                              capture_output=True, text=True, timeout=400, check=False)
    finally:
        stop.set()
        injector.join(timeout=30)
        cluster.server.faults.clear()
    creates = [r.code for r in cluster.server.requests.records if (r.verb, r.resource) == ("create", "pods")]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Succeeded" in done.stdout, done.stdout
    assert sorted(lines(ledger / "runs")) == expected  # every step once, none skipped
    assert creates.count(201) == len(expected), creates  # every pod created once (a repeat is a 409)
    return done, creates


@pytest.mark.timeout(300)
@pytest.mark.parametrize("fault", list(PLANS))
def test_one_wait_rides_out(fake_cluster: ClusterHandle, tmp_path: Path, fault: str) -> None:
    started = time.monotonic()
    done, _ = _run(fake_cluster, tmp_path, PLANS[fault], lambda ledger: ledger_workflow("faults", ledger, sleep=1.0),
                   ["one", "three", "two"])
    notices = [line for line in done.stderr.splitlines() if "is failing" in line]
    assert len(notices) <= 1, done.stderr  # one line per outage, however many requests wait
    if fault in ("5xx", "429"):
        assert notices and "retrying for up to 10m00s" in notices[0], done.stderr
        assert time.monotonic() - started > OUTAGE  # it really waited the outage out


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_fault_in_one_run_of_the_twelve_step_workflow(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    _run(fake_cluster, tmp_path, everything, lambda ledger: twelve_step_workflow("faults", ledger),
         TWELVE_STEP_LEDGER)
