"""Pod mode: the kill matrix (``tests/runtime/killmatrix``) on the loopback cluster.

The twelve-step ledger workflow runs as pods; its detached driver (and at half of the points the
``wait`` that took over) is SIGKILLed; the workflow must end Succeeded with every step run
exactly once, every pod created once, and its passed outputs intact. CI runs ``SHORT_MATRIX``;
``-m slow`` runs all 52 points.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakecluster.fixtures import ClusterHandle
from tests.runtime import killmatrix
from tests.runtime.killmatrix import FULL_MATRIX, SHORT_MATRIX, KillPoint

pytestmark = pytest.mark.kube

LEASES = ("coordination.k8s.io", "leases")


def _trial(cluster: ClusterHandle, tmp_path: Path, point: KillPoint) -> killmatrix.Outcome:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "kubernetes",
           "KUBECONFIG": cluster.kubeconfig_path, "NO_COLOR": "1"}

    def holder(name: str) -> str | None:
        lease = cluster.server.store.get(LEASES, "default", f"argoctl-{name}")
        return str((lease or {}).get("spec", {}).get("holderIdentity") or "") or None

    outcome = killmatrix.run_trial(point, name="matrix", env=env, ledger=ledger, holder=holder)
    creates = [r.code for r in cluster.server.requests.records if (r.verb, r.resource) == ("create", "pods")]
    if creates.count(201) != killmatrix.EXECUTIONS:
        outcome.errors.append(f"pods created {creates.count(201)} times for {killmatrix.EXECUTIONS} executions")
    return outcome


@pytest.mark.timeout(300)
@pytest.mark.parametrize("point", SHORT_MATRIX, ids=lambda p: p.id)
def test_kill_points(fake_cluster: ClusterHandle, tmp_path: Path, point: KillPoint) -> None:
    outcome = _trial(fake_cluster, tmp_path, point)
    assert outcome.errors == [], outcome
    assert "driver" in outcome.killed, outcome


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("point", FULL_MATRIX, ids=lambda p: p.id)
def test_kill_matrix(fake_cluster: ClusterHandle, tmp_path: Path, point: KillPoint) -> None:
    outcome = _trial(fake_cluster, tmp_path, point)
    assert outcome.errors == [], outcome
