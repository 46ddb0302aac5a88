"""Pod mode with an S3 artifact repository, end to end through the CLI: the loopback cluster, a
real S3-compatible server on loopback (moto), the ``artifact-repositories`` ConfigMap and a Secret
with the credentials, as Argo's quick-start configures MinIO."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from argoctl.kube.client import KubeClient
from tests.artifacts.conftest import s3_repository
from tests.conformance.corpus import REPO
from tests.fakecluster.fixtures import ClusterHandle
from tests.s3.fixtures import S3Endpoint, s3_bucket, s3_server  # noqa: F401  (pytest fixtures)

pytestmark = [pytest.mark.kube, pytest.mark.s3]
NAMESPACE = "default"
WORKFLOW = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: s3-passing-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: produce, template: produce}
    - - name: consume
        template: consume
        arguments:
          artifacts: [{name: data, from: "{{steps.produce.outputs.artifacts.data}}"}]
  - name: produce
    container:
      image: busybox
      command: [sh, -c, "mkdir -p /tmp/d && echo model-v1 > /tmp/d/weights"]
    outputs:
      artifacts: [{name: data, path: /tmp/d}]
  - name: consume
    inputs:
      artifacts: [{name: data, path: /in}]
    container:
      image: busybox
      command: [cat, /in/weights]
"""


def _configure(client: KubeClient, bucket: S3Endpoint) -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "my-minio-cred"},
              "data": {"accesskey": base64.b64encode(bucket.access_key.encode()).decode(),
                       "secretkey": base64.b64encode(bucket.secret_key.encode()).decode()}}
    client.create(f"/api/v1/namespaces/{NAMESPACE}/secrets", secret)
    repositories = {"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "artifact-repositories",
                                 "annotations": {"workflows.argoproj.io/default-artifact-repository": "default-v1"}},
                    "data": {"default-v1": yaml.safe_dump(s3_repository(bucket))}}
    client.create(f"/api/v1/namespaces/{NAMESPACE}/configmaps", repositories)


def test_artifacts_pass_through_the_bucket_and_credentials_stay_out(
        fake_cluster: ClusterHandle, s3_bucket: S3Endpoint, tmp_path: Path) -> None:  # noqa: F811
    client = KubeClient.from_kubeconfig(fake_cluster.kubeconfig_path)
    try:
        _configure(client, s3_bucket)
    finally:
        client.close()
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(WORKFLOW)
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(ARGOCTL_BACKEND="kubernetes", KUBECONFIG=fake_cluster.kubeconfig_path, ARGOCTL_HOME=str(tmp_path / "h"),
               ARGOCTL_NAMESPACE=NAMESPACE, PATH=f"{REPO / 'tests' / 'bin'}{os.pathsep}{os.environ['PATH']}")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "argoctl", *args], env=env, capture_output=True, text=True,
                              timeout=180, check=False)

    done = cli("submit", str(manifest), "--wait", "-o", "name")
    assert done.returncode == 0, done.stderr
    name = done.stdout.strip()
    workflow = json.loads(cli("get", name, "-o", "json").stdout)
    assert workflow["status"]["phase"] == "Succeeded"
    consume = next(n for n in workflow["status"]["nodes"].values() if n["displayName"] == "consume")
    produce = next(n for n in workflow["status"]["nodes"].values() if n["displayName"] == "produce")
    [artifact] = produce["outputs"]["artifacts"]
    key = artifact["s3"]["key"]  # Argo's default key format {{workflow.name}}/{{pod.name}}
    assert key.startswith(f"{name}/{name}-produce-") and key.endswith("/data.tgz")
    assert s3_bucket.keys() == [artifact["s3"]["key"]]
    assert workflow["status"]["artifactRepositoryRef"]["configMap"] == "artifact-repositories"
    logs = cli("logs", name, consume["id"])
    assert "model-v1" in logs.stdout
    pods = json.loads(cli("get", name, "-o", "json").stdout)
    text = json.dumps(pods)
    assert s3_bucket.secret_key not in text and s3_bucket.access_key not in text
    client = KubeClient.from_kubeconfig(fake_cluster.kubeconfig_path)
    try:
        stored = client.list(f"/api/v1/namespaces/{NAMESPACE}/pods")
    finally:
        client.close()
    assert s3_bucket.secret_key not in json.dumps(stored)  # the pods never see the credentials
