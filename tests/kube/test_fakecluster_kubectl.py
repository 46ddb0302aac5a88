"""kubectl against the fake server, and the standalone ``python -m tests.fakecluster``."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.helpers import api, client_for, is_done, pod_manifest

pytestmark = pytest.mark.kube
REPO = Path(__file__).resolve().parents[2]
needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")


def kubectl(handle: ClusterHandle, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(tmp_path), "KUBECONFIG": ""}
    return subprocess.run(["kubectl", "--kubeconfig", handle.kubeconfig_path, "--cache-dir", str(tmp_path / "cache"),
                           *args], capture_output=True, text=True, env=env, timeout=60, check=False)


@needs_kubectl
def test_kubectl_get_pods_and_configmaps(core_v1: Any, fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("hello", ["sh", "-c", "echo hi"]))
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "wf-state"}, "data": {"a": "1", "b": "2"}})
    fake_cluster.server.wait_for_pod("default", "hello", is_done)
    result = kubectl(fake_cluster, tmp_path, "get", "pods,configmaps")
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert lines[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert lines[1][:4] == ["pod/hello", "0/1", "Completed", "0"]
    assert ["NAME", "DATA", "AGE"] in lines
    assert any(row[:2] == ["configmap/wf-state", "2"] for row in lines)


@needs_kubectl
def test_kubectl_selectors_logs_and_delete(core_v1: Any, fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "a", "labels": {"app": "argoctl"}}})
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "b"}})
    names = kubectl(fake_cluster, tmp_path, "get", "configmaps", "-l", "app=argoctl", "-o", "name")
    assert names.stdout.split() == ["configmap/a"]
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sh", "-c", "echo from-the-pod"]))
    fake_cluster.server.wait_for_pod("default", "p", is_done)
    assert kubectl(fake_cluster, tmp_path, "logs", "p").stdout == "from-the-pod\n"
    as_json = kubectl(fake_cluster, tmp_path, "get", "pod", "p", "-o", "jsonpath={.status.phase}")
    assert as_json.stdout == "Succeeded"
    deleted = kubectl(fake_cluster, tmp_path, "delete", "configmap", "a")
    assert deleted.returncode == 0 and 'configmap "a" deleted' in deleted.stdout


def test_standalone_server(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    process = subprocess.Popen([sys.executable, "-m", "tests.fakecluster", "--kubeconfig", str(kubeconfig),
                                "--namespace", "argo"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        v1 = api("CoreV1Api", client_for(str(kubeconfig)))
        assert "argo" in [n.metadata.name for n in v1.list_namespace().items]
        v1.create_namespaced_config_map("argo", {"metadata": {"name": "x"}})
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0
