"""Artifacts in pod mode, over HTTP against the loopback cluster: outputs leave in the bundle and
are saved by the driver, inputs are staged into the pod spec or (large) ConfigMaps."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from argoctl.artifacts import RepositoryArtifactIO
from argoctl.backends.kube import podartifacts
from argoctl.backends.kube.backend import KubeBackend
from argoctl.kube.client import KubeClient
from tests.fakecluster.fixtures import ClusterHandle
from tests.kube.test_backend_support import NAMESPACE, container, kube_client, make_request, run_one  # noqa: F401

pytestmark = pytest.mark.kube
JSON = dict[str, object]


@pytest.fixture
def repository(tmp_path: Path) -> JSON:
    return {"local": {"path": str(tmp_path / "repo")}}


@pytest.fixture
def artifact_backend(kube_client: KubeClient, repository: JSON) -> Iterator[KubeBackend]:  # noqa: F811
    backend = KubeBackend(kube_client, NAMESPACE, artifact_io=RepositoryArtifactIO(repository))
    try:
        yield backend
    finally:
        backend.close()


def test_outputs_are_saved_and_passed_to_the_next_pod(artifact_backend: KubeBackend, repository: JSON) -> None:
    make = "mkdir -p /tmp/dir/sub && echo one > /tmp/dir/sub/a && echo two > /tmp/file && chmod 0700 /tmp/file"
    producer = {**container(["sh", "-c", make]),
                "outputs": {"artifacts": [{"name": "dir", "path": "/tmp/dir"}, {"name": "file", "path": "/tmp/file"},
                                          {"name": "gone", "path": "/tmp/gone", "optional": True}]}}
    first = run_one(artifact_backend, make_request("produce", producer))
    assert first.phase == "Succeeded", first.message
    assert first.outputs is not None
    saved = {a["name"]: a for a in first.outputs["artifacts"]}
    assert set(saved) == {"dir", "file"}  # a missing optional output is left out, as Argo does
    assert saved["file"]["local"]["key"].endswith("/file.tgz")
    consumer = {**container(["sh", "-c", "cat /in/dir/sub/a /in/file; ls -l /in/file | cut -c1-10"]),
                "inputs": {"artifacts": [{**saved["dir"], "path": "/in/dir"}, {**saved["file"], "path": "/in/file"}]}}
    second = run_one(artifact_backend, make_request("consume", consumer, capture=True))
    assert second.phase == "Succeeded", second.message
    assert second.outputs is not None and second.outputs["result"] == "one\ntwo\n-rwx------"


def test_a_missing_output_fails_the_node_with_argos_message(artifact_backend: KubeBackend) -> None:
    template = {**container(["true"]), "outputs": {"artifacts": [{"name": "out", "path": "/tmp/none"}]}}
    final = run_one(artifact_backend, make_request("missing", template))
    assert (final.phase, final.message) == ("Error", "failed to save artifact out: /tmp/none no such file or directory")


def test_large_inputs_travel_in_configmaps_that_are_deleted_after(
        artifact_backend: KubeBackend, fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    blob = os.urandom(1_500_000)  # incompressible: two ConfigMap parts
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "blob").write_bytes(blob)
    template = {**container(["sh", "-c", "sha256sum /in/blob | cut -d' ' -f1"]),
                "inputs": {"artifacts": [{"name": "blob", "path": "/in/blob", "archive": {"none": {}},
                                          "local": {"path": str(tmp_path / "store"), "key": "blob"}}]}}
    request = make_request("big", template, capture=True)
    fake_cluster.server.requests.reset()
    final = run_one(artifact_backend, request)
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["result"] == hashlib.sha256(blob).hexdigest()
    created = [r for r in fake_cluster.server.requests.records if r.resource == "configmaps" and r.verb == "create"]
    assert len(created) == 2
    names = [f"{request.pod_name}-inputs-{i}" for i in range(2)]
    assert all(fake_cluster.server.store.get(("", "configmaps"), NAMESPACE, n) is None for n in names)


def test_small_inputs_need_no_extra_request(artifact_backend: KubeBackend, fake_cluster: ClusterHandle) -> None:
    template = {**container(["cat", "/in/raw"]),
                "inputs": {"artifacts": [{"name": "raw", "path": "/in/raw", "raw": {"data": "hello $(HOME)"}}]}}
    fake_cluster.server.requests.reset()
    final = run_one(artifact_backend, make_request("small", template, capture=True))
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["result"] == "hello $(HOME)"
    assert not [r for r in fake_cluster.server.requests.records if r.resource == "configmaps"]


def test_a_link_out_of_the_artifact_is_not_followed_by_the_driver(
        artifact_backend: KubeBackend, repository: JSON, tmp_path: Path) -> None:
    secret = tmp_path / "driver-secret"
    secret.write_text("the driver's own file")
    make = f"mkdir -p /tmp/out && echo ok > /tmp/out/ok && ln -s {secret} /tmp/out/leak"
    template = {**container(["sh", "-c", make]),
                "outputs": {"artifacts": [{"name": "out", "path": "/tmp/out", "archive": {"none": {}}}]}}
    final = run_one(artifact_backend, make_request("links", template))
    assert final.phase == "Succeeded", final.message
    stored = Path(str(repository["local"]["path"]))  # type: ignore[index]
    files = {p.name: p for p in stored.rglob("*") if p.is_file() or p.is_symlink()}
    assert "ok" in files and "leak" not in files


def test_archive_logs_saves_the_main_log(artifact_backend: KubeBackend, repository: JSON) -> None:
    template = {**container(["echo", "to the archive"]), "archiveLocation": {"archiveLogs": True}}
    final = run_one(artifact_backend, make_request("logs", template))
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None
    [logs] = final.outputs["artifacts"]
    assert logs["name"] == "main-logs" and logs["local"]["key"].endswith("/main.log")
    stored = Path(str(repository["local"]["path"])) / logs["local"]["key"]  # type: ignore[index]
    assert stored.read_text() == "to the archive\n"


def test_unreadable_input_fails_the_node_before_any_pod(artifact_backend: KubeBackend,
                                                         fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    template = {**container(["true"]),
                "inputs": {"artifacts": [{"name": "in", "path": "/in", "local": {"path": str(tmp_path), "key": "nope"}}]}}
    request = make_request("noinput", template)
    final = run_one(artifact_backend, request)
    assert final.phase == "Error" and final.message.startswith("artifact in failed to load")
    assert fake_cluster.server.pod(NAMESPACE, request.pod_name) is None


def test_spec_limit_is_what_decides_the_carrier() -> None:
    archive = podartifacts.InputArchive(b"x" * podartifacts.SPEC_LIMIT, ("a",))
    staged = podartifacts.publish(None, NAMESPACE, make_request("s", container(["true"])), archive, None)
    assert staged.archive and not staged.parts  # no client call was needed
