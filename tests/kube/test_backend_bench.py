"""Benchmark (slow): a sequential workflow through the real CLI in pod mode against the loopback
cluster: API requests per pod step (counted by the fake server) and wall time per step.

    python -m pytest tests/kube/test_backend_bench.py -m slow -s
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conformance.corpus import REPO
from tests.fakecluster.fixtures import ClusterHandle

pytestmark = [pytest.mark.kube, pytest.mark.slow]
STEPS = 10


def _workflow(path: Path, outputs: bool) -> Path:
    steps = "\n".join(f"    - - name: s{i}\n        template: t" for i in range(STEPS))
    produce = ("    outputs:\n      parameters:\n      - name: p\n        valueFrom: {path: /tmp/p}\n" if outputs else "")
    path.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: seq-\nspec:\n"
        "  entrypoint: main\n  templates:\n  - name: main\n    steps:\n" + steps + "\n"
        "  - name: t\n    container:\n      image: busybox\n      command: [sh, -c, 'echo -n v > /tmp/p']\n"
        + produce)
    return path


@pytest.mark.parametrize("outputs", [False, True], ids=["plain", "outputs"])
def test_requests_and_time_per_pod_step(fake_cluster: ClusterHandle, tmp_path: Path, outputs: bool) -> None:
    workflow = _workflow(tmp_path / "wf.yaml", outputs)
    env = dict(os.environ, ARGOCTL_BACKEND="kubernetes", KUBECONFIG=fake_cluster.kubeconfig_path,
               ARGOCTL_HOME=str(tmp_path / "home"), PATH=f"{REPO / 'tests' / 'bin'}{os.pathsep}{os.environ['PATH']}")
    requests = fake_cluster.server.requests
    requests.reset()
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "argoctl", "submit", str(workflow), "--wait", "-o", "name"],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    counts = requests.by_verb_resource()
    print(f"\n{STEPS} steps ({'outputs' if outputs else 'plain'}): {elapsed / STEPS:.3f} s/step wall")
    for (verb, resource), count in sorted(counts.items()):
        print(f"  {verb:8s} {resource:14s} {count / STEPS:5.2f}/step")
    pod_writes = sum(n for (verb, resource), n in counts.items()
                     if resource == "pods" and verb in ("create", "patch", "update", "delete"))
    assert pod_writes <= 2 * STEPS
    assert counts[("watch", "pods")] == 1 and counts[("get", "pods")] == 0
