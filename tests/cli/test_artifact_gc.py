"""``artifactGC`` end to end in local mode: the driver deletes ``OnWorkflowCompletion`` artifacts
when the workflow completes, ``argoctl delete`` the ``OnWorkflowDeletion`` ones, and a failed
deletion keeps the workflow unless ``--force``."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.cli.conftest import Cli
from tests.s3.fixtures import S3Endpoint, s3_bucket, s3_server  # noqa: F401  (pytest fixtures)

WORKFLOW = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: gc}
spec:
  entrypoint: make
  artifactGC: {strategy: OnWorkflowDeletion}
  templates:
  - name: make
    container:
      image: busybox
      command: [sh, -c, "echo 1 > /tmp/a; echo 2 > /tmp/b; echo 3 > /tmp/c"]
    outputs:
      artifacts:
      - {name: on-completion, path: /tmp/a, artifactGC: {strategy: OnWorkflowCompletion}}
      - {name: on-deletion, path: /tmp/b}
      - {name: kept, path: /tmp/c, artifactGC: {strategy: Never}}
"""


def _stored(cli: Cli) -> dict[str, Path]:
    root = cli.home / "artifacts"
    return {p.name.split(".")[0]: p for p in root.rglob("*") if p.is_file()}


def test_strategies_delete_their_artifacts_at_completion_and_deletion(cli: Cli) -> None:
    cli.ok("submit", cli.write("gc.yaml", WORKFLOW), "--wait")
    workflow = cli.workflow("gc")
    pod = next(n for n in workflow["status"]["nodes"].values() if n["type"] == "Pod")
    deleted = {a["name"]: a.get("deleted", False) for a in pod["outputs"]["artifacts"]}
    assert deleted == {"on-completion": True, "on-deletion": False, "kept": False}
    assert workflow["status"]["artifactGCStatus"] == {"strategiesProcessed": {"OnWorkflowCompletion": True}}
    assert set(_stored(cli)) == {"on-deletion", "kept"}
    cli.ok("delete", "gc")
    assert set(_stored(cli)) == {"kept"}  # Never: left in the repository


def test_a_failed_deletion_keeps_the_workflow_until_forced(cli: Cli, s3_bucket: S3Endpoint) -> None:  # noqa: F811
    repository = {"s3": {"endpoint": s3_bucket.endpoint_url.removeprefix("http://"), "bucket": s3_bucket.bucket,
                         "insecure": True, "region": s3_bucket.region,
                         "accessKeySecret": {"name": "cred", "key": "a"}, "secretKeySecret": {"name": "cred", "key": "s"}}}
    objects = [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "cred"},
         "stringData": {"a": s3_bucket.access_key, "s": s3_bucket.secret_key}},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "artifact-repositories",
                      "annotations": {"workflows.argoproj.io/default-artifact-repository": "default"}},
         "data": {"default": yaml.safe_dump(repository)}},
    ]
    cli.ok("apply", "-f", cli.write("repo.yaml", yaml.safe_dump_all(objects)))
    cli.ok("submit", cli.write("gc.yaml", WORKFLOW), "--wait")
    assert len(s3_bucket.keys()) == 2  # on-completion is gone already
    client = s3_bucket.client()
    for key in list(s3_bucket.keys("")):
        client.delete_object(Bucket=s3_bucket.bucket, Key=key)
    client.delete_bucket(Bucket=s3_bucket.bucket)  # now every deletion fails: NoSuchBucket
    refused = cli("delete", "gc")
    assert refused.returncode == 3, refused.stderr
    assert refused.stderr.startswith('error: workflow "gc" was kept: artifact GC failed: ')
    assert "Traceback" not in refused.stderr and s3_bucket.secret_key not in refused.stderr
    condition = next(c for c in cli.workflow("gc")["status"]["conditions"] if c["type"] == "ArtifactGCError")
    assert condition["status"] == "True" and s3_bucket.bucket in condition["message"]
    assert "Workflow 'gc' deleted" in cli.ok("delete", "gc", "--force")
    assert cli("get", "gc").returncode != 0
