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


def test_claim_volume_and_network_are_gone_after_a_collected_workflow(container_engine: ContainerEngine,
                                                                       tmp_path: Path) -> None:
    namespace = f"c{uuid.uuid4().hex[:8]}"
    (tmp_path / "wf.yaml").write_text(WORKFLOW)
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "ARGOCTL_STORE")}
    env.update({"ARGOCTL_HOME": str(tmp_path / "home"), "HOME": str(tmp_path), "NO_COLOR": "1",
                "ARGOCTL_NAMESPACE": namespace, "ARGOCTL_BACKEND": "docker", "DOCKER_HOST": container_engine.url})
    try:
        done = subprocess.run([sys.executable, "-m", "argoctl", "submit", "wf.yaml", "--wait", "-o", "json"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["status"]["phase"] == "Succeeded"
        label = f"label=io.argoctl.namespace={namespace}"
        assert _podman(container_engine, "ps", "-a", "-q", "--filter", label) == ""  # podGC took the pods
        assert _podman(container_engine, "volume", "ls", "-q", "--filter", label) == ""  # and the claim went
        network = naming.network_name(namespace, "claims")
        assert _podman(container_engine, "network", "ls", "-q", "--filter", f"name=^{network}$") == ""
    finally:
        container_engine.remove_all(f"io.argoctl.namespace={namespace}")
