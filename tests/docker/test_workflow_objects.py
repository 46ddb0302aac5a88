"""Per-workflow engine objects through the real CLI and driver: the workflow's network and its
``volumeClaimTemplates`` volumes go when the workflow is done with them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from argoctl.backends.docker import naming
from tests.containerengine import ContainerEngine

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: claims}
spec:
  entrypoint: main
  podGC: {strategy: OnPodCompletion, deleteDelayDuration: 0s}
  volumeClaimTemplates:
  - metadata: {name: work}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}
  templates:
  - name: main
    steps:
    - [{name: write, template: write}]
    - [{name: read, template: read}]
  - name: write
    container: {image: busybox, command: [sh, -c, echo kept > /work/f], volumeMounts: [{name: work, mountPath: /work}]}
  - name: read
    container: {image: busybox, command: [cat, /work/f], volumeMounts: [{name: work, mountPath: /work}]}
"""


def _podman(engine: ContainerEngine, *args: str) -> str:
    return subprocess.run([*engine.podman, *args], env=engine.env, capture_output=True, text=True,
                          check=False).stdout.strip()


def _argoctl(engine: ContainerEngine, home: Path, namespace: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "ARGOCTL_STORE")}
    env.update({"ARGOCTL_HOME": str(home / "home"), "HOME": str(home), "NO_COLOR": "1",
                "ARGOCTL_NAMESPACE": namespace, "ARGOCTL_BACKEND": "docker", "DOCKER_HOST": engine.url})
    return subprocess.run([sys.executable, "-m", "argoctl", *args], cwd=home, env=env, capture_output=True,
                          text=True, timeout=180, check=False)


def test_claim_volume_and_network_are_gone_after_a_collected_workflow(container_engine: ContainerEngine,
                                                                       tmp_path: Path) -> None:
    namespace = f"c{uuid.uuid4().hex[:8]}"
    (tmp_path / "wf.yaml").write_text(WORKFLOW)
    try:
        done = _argoctl(container_engine, tmp_path, namespace, "submit", "wf.yaml", "--wait", "-o", "json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["status"]["phase"] == "Succeeded"
        label = f"label=io.argoctl.namespace={namespace}"
        assert _podman(container_engine, "ps", "-a", "-q", "--filter", label) == ""  # podGC took the pods
        assert _podman(container_engine, "volume", "ls", "-q", "--filter", label) == ""  # and the claim went
        network = naming.network_name(namespace, "claims")
        assert _podman(container_engine, "network", "ls", "-q", "--filter", f"name=^{network}$") == ""
    finally:
        container_engine.remove_all(f"io.argoctl.namespace={namespace}")


def test_deleting_a_workflow_removes_its_containers_and_network(container_engine: ContainerEngine,
                                                                 tmp_path: Path) -> None:
    """No podGC: the pods stay after the run, and go with the workflow, as Kubernetes' garbage
    collector removes a deleted Argo workflow's pods."""
    namespace = f"d{uuid.uuid4().hex[:8]}"
    (tmp_path / "wf.yaml").write_text(WORKFLOW.replace("  podGC: {strategy: OnPodCompletion, deleteDelayDuration: 0s}\n", ""))
    label = f"label=io.argoctl.namespace={namespace}"
    network = naming.network_name(namespace, "claims")
    try:
        done = _argoctl(container_engine, tmp_path, namespace, "submit", "wf.yaml", "--wait")
        assert done.returncode == 0, done.stderr
        assert _podman(container_engine, "ps", "-a", "-q", "--filter", label) != ""  # kept without podGC
        deleted = _argoctl(container_engine, tmp_path, namespace, "delete", "claims")
        assert deleted.returncode == 0, deleted.stderr
        assert _podman(container_engine, "ps", "-a", "-q", "--filter", label) == ""
        assert _podman(container_engine, "network", "ls", "-q", "--filter", f"name=^{network}$") == ""
    finally:
        container_engine.remove_all(f"io.argoctl.namespace={namespace}")
