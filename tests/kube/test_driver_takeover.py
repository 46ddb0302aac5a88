"""Pod mode: a driver killed with SIGKILL mid-workflow loses nothing. ``argoctl wait`` takes the
workflow over, adopts the running pod, creates no pod twice and never runs a finished step again;
a second driver started while the first lives names the lease holder and leaves.

The kubernetes-backend twin of ``tests/runtime/test_crash_recovery.py``: each step appends its id
to a ledger on a hostPath volume (so a re-run shows), and the fake API server counts pod creates.
The dead driver runs on this host, so its Lease is released at once (``holder_is_dead``): no
waiting for the 15 s lease to expire.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakecluster.fixtures import ClusterHandle
from tests.runtime.ledger import ledger_workflow

pytestmark = pytest.mark.kube

NAME = "takeover"
LEASES = ("coordination.k8s.io", "leases")


@pytest.fixture
def setup(fake_cluster: ClusterHandle, tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(ledger_workflow(NAME, ledger))
    env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "kubernetes",
           "KUBECONFIG": fake_cluster.kubeconfig_path, "NO_COLOR": "1"}
    return env, manifest, ledger / "runs"


def _cli(env: dict[str, str], *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "argoctl", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _holder(cluster: ClusterHandle) -> str | None:
    lease = cluster.server.store.get(LEASES, "default", f"argoctl-{NAME}")
    return str((lease or {}).get("spec", {}).get("holderIdentity") or "") or None


def _until(condition: Callable[[], object], what: str, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _ledger(runs: Path) -> list[str]:
    return runs.read_text().split() if runs.exists() else []


def _pod_creates(cluster: ClusterHandle) -> list[int]:
    """The status code of every pod create the server answered."""
    return [r.code for r in cluster.server.requests.records if (r.verb, r.resource) == ("create", "pods")]


@pytest.mark.timeout(150)
def test_sigkilled_driver_is_taken_over_without_recreating_pods(
        fake_cluster: ClusterHandle, setup: tuple[dict[str, str], Path, Path]) -> None:
    env, manifest, runs = setup
    submitted = _cli(env, "submit", str(manifest), "-o", "name")
    assert submitted.returncode == 0, submitted.stderr
    assert submitted.stdout.strip() == NAME
    # kill the detached driver while step two's pod runs (step one is done and recorded)
    _until(lambda: "two" in _ledger(runs), "step two to start")
    holder = _holder(fake_cluster)
    assert holder is not None, "the detached driver holds no Lease"
    pid = int(holder.rsplit(":", 1)[1])
    os.kill(pid, signal.SIGKILL)
    _until(lambda: not os.path.exists(f"/proc/{pid}") or _zombie(pid), "the driver to die", timeout=60)
    assert "three" not in _ledger(runs) and len(_pod_creates(fake_cluster)) == 2  # killed mid-workflow

    waited = _cli(env, "wait", NAME)
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert f"taking over workflow {NAME}" in waited.stderr
    assert "Succeeded" in waited.stdout

    assert _ledger(runs) == ["one", "two", "three"]  # no finished step ran again, none was skipped
    creates = _pod_creates(fake_cluster)
    assert len(creates) == 3, creates  # each step's pod was asked for once: not even a 409 adoption
    assert set(creates) == {201}, creates
    pods, _ = fake_cluster.server.store.list_objects(("", "pods"))
    assert len(pods) == 3, [p["metadata"]["name"] for p in pods]  # three creates made three distinct pods
    got = json.loads(_cli(env, "get", NAME, "-o", "json").stdout)
    assert got["status"]["phase"] == "Succeeded"
    assert got["status"]["progress"] == "3/3"
    pods = [n for n in got["status"]["nodes"].values() if n["type"] == "Pod"]
    assert sorted(n["displayName"] for n in pods) == ["one", "three", "two"]
    assert all(n["phase"] == "Succeeded" for n in pods)
    assert _holder(fake_cluster) is None  # the taking-over driver released its lease


@pytest.mark.timeout(120)
def test_a_second_driver_names_the_lease_holder_and_leaves(
        fake_cluster: ClusterHandle, setup: tuple[dict[str, str], Path, Path]) -> None:
    env, manifest, runs = setup
    assert _cli(env, "submit", str(manifest), "-o", "name").returncode == 0
    _until(lambda: _holder(fake_cluster) is not None, "the detached driver to take the lease")
    holder = _holder(fake_cluster)
    second = subprocess.run([sys.executable, "-m", "argoctl.runtime.detached", NAME], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert second.returncode == 0, second.stderr
    assert f'workflow "{NAME}" is driven by {holder}' in second.stderr, second.stderr
    assert _holder(fake_cluster) == holder  # the second driver left the lease alone

    waited = _cli(env, "wait", NAME)
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert "taking over" not in waited.stderr  # the first driver was alive: wait only followed it
    assert _ledger(runs) == ["one", "two", "three"]
    assert len(_pod_creates(fake_cluster)) == 3


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True
