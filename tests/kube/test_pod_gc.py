"""podGC and ttlStrategy in pod mode, through the CLI against the loopback cluster, and the logs
of pods argoctl deletes (copied into the store just before; README "Logs on a cluster")."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_pod_gc_ttl import TWO_STEPS
from tests.conformance.corpus import REPO
from tests.fakecluster.fixtures import ClusterHandle

pytestmark = pytest.mark.kube
NAMESPACE = "default"


def _cli(fake_cluster: ClusterHandle, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    env = dict(os.environ, ARGOCTL_BACKEND="kubernetes", KUBECONFIG=fake_cluster.kubeconfig_path,
               ARGOCTL_HOME=str(tmp_path / "home"), ARGOCTL_NAMESPACE=NAMESPACE,
               PATH=f"{REPO / 'tests' / 'bin'}{os.pathsep}{os.environ['PATH']}")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "argoctl", *args], env=env, capture_output=True, text=True,
                              timeout=180, check=False)

    return run


def test_pods_matching_the_selector_are_deleted_when_they_complete(
        fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    cli = _cli(fake_cluster, tmp_path)
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(TWO_STEPS.format(
        name="gc", extra="podGC: {strategy: OnPodCompletion, labelSelector: {matchLabels: {keep: 'no'}}}"))
    done = cli("submit", str(manifest), "--wait")
    assert done.returncode == 0, done.stderr
    pods, _ = fake_cluster.server.store.list_objects(("", "pods"), lambda p: p["metadata"]["namespace"] == NAMESPACE)
    names = [p["metadata"]["name"] for p in pods]
    labels = [p["metadata"]["labels"]["keep"] for p in pods]
    assert len(names) == 1 and labels == ["yes"], names
    logs = cli("logs", "gc")
    assert "keep=yes" in logs.stdout and "keep=no" in logs.stdout  # archived before the pod went


SLOW_STEP = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: halted}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "echo started-line; sleep 120"]}
"""


def test_a_terminated_step_keeps_its_log_after_its_pod_is_deleted(
        fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    cli = _cli(fake_cluster, tmp_path)
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(SLOW_STEP)
    env = dict(os.environ, ARGOCTL_BACKEND="kubernetes", KUBECONFIG=fake_cluster.kubeconfig_path,
               ARGOCTL_HOME=str(tmp_path / "home"), ARGOCTL_NAMESPACE=NAMESPACE)
    driving = subprocess.Popen([sys.executable, "-m", "argoctl", "submit", str(manifest), "--wait"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while "started-line" not in cli("logs", "halted").stdout and time.monotonic() < deadline:
            time.sleep(0.3)  # read from the running pod
        fake_cluster.server.requests.reset()
        assert cli("terminate", "halted").returncode == 0
        assert driving.wait(timeout=120) == 1  # the workflow failed
    finally:
        driving.kill()
        driving.wait()
    assert fake_cluster.server.requests.count("get", "pods/log") == 1  # copied once, before the delete
    assert not _pods(fake_cluster, "halted")  # deleted when it was terminated
    assert "started-line" in cli("logs", "halted").stdout


def test_ttl_zero_removes_the_workflow_and_its_pods(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    cli = _cli(fake_cluster, tmp_path)
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(TWO_STEPS.format(name="brief", extra="ttlStrategy: {secondsAfterCompletion: 0}"))
    done = cli("submit", str(manifest), "--wait", "-o", "name")
    assert done.returncode == 0, done.stderr
    gone = cli("get", "brief")
    assert gone.returncode != 0 and "not found" in gone.stderr
    deadline = time.monotonic() + 60
    while _pods(fake_cluster, "brief-") and time.monotonic() < deadline:  # owned by the state ConfigMap
        time.sleep(0.05)
    assert not _pods(fake_cluster, "brief-")


def _pods(fake_cluster: ClusterHandle, prefix: str) -> list[str]:
    pods, _ = fake_cluster.server.store.list_objects(("", "pods"), lambda p: p["metadata"]["name"].startswith(prefix))
    return [p["metadata"]["name"] for p in pods]
