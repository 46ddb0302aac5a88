"""The s3 driver and RepositoryArtifactIO against a real S3-compatible server on loopback (moto)."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import pytest

from argoctl.artifacts import (
    DEFAULT_REPOSITORY_ANNOTATION,
    ArtifactError,
    DriverOptions,
    Redactor,
    RepositoryArtifactIO,
    resolve_repository,
)
from argoctl.artifacts.drivers import DriverFactory
from argoctl.artifacts.drivers.s3 import S3Driver
from tests.artifacts.conftest import (
    FAST,
    PodFS,
    as_input,
    closed_port,
    inputs,
    make_request,
    outputs,
    s3_repository,
    secrets_for,
)
from tests.s3.fixtures import S3Endpoint

pytestmark = pytest.mark.s3
JSON = dict[str, Any]


def test_artifact_passing_through_s3(s3_io: RepositoryArtifactIO, s3_bucket: S3Endpoint,
                                     producer: PodFS, consumer: PodFS) -> None:
    producer.write("/tmp/hello_world.txt", "hello world\n")
    producer.write("/mnt/out/a/b.txt", "b")
    producer.write("/mnt/out/c.txt", "c")
    template = outputs({"name": "hello-art", "path": "/tmp/hello_world.txt"},
                       {"name": "dir", "path": "/mnt/out"},
                       {"name": "flat", "path": "/tmp/hello_world.txt", "archive": {"none": {}}},
                       {"name": "flatdir", "path": "/mnt/out", "archive": {"none": {}}},
                       {"name": "zipped", "path": "/mnt/out", "archive": {"zip": {}}})
    saved = s3_io.save_outputs(make_request(template), producer)
    assert saved[0] == {"name": "hello-art", "path": "/tmp/hello_world.txt",
                        "s3": {"key": "wf-abc/wf-abc-main-123/hello-art.tgz"}}  # Argo's key-only form
    assert sorted(s3_bucket.keys()) == [
        "wf-abc/wf-abc-main-123/dir.tgz", "wf-abc/wf-abc-main-123/hello-art.tgz",
        "wf-abc/wf-abc-main-123/hello_world.txt", "wf-abc/wf-abc-main-123/out/a/b.txt",
        "wf-abc/wf-abc-main-123/out/c.txt", "wf-abc/wf-abc-main-123/zipped.zip",
    ]
    paths = ["/in/msg", "/in/dir", "/in/flat", "/in/flatdir", "/in/zipped"]
    s3_io.load_inputs(make_request(inputs(*(as_input(a, p) for a, p in zip(saved, paths, strict=True))),
                                   pod_name="consumer-pod"), consumer)
    assert consumer.path("/in/msg").read_text() == "hello world\n"
    assert consumer.path("/in/dir/a/b.txt").read_text() == "b"
    assert consumer.path("/in/flat").read_text() == "hello world\n"
    assert consumer.path("/in/flatdir/a/b.txt").read_text() == "b"
    assert consumer.path("/in/zipped/c.txt").read_text() == "c"


def test_key_only_artifact_inherits_bucket_endpoint_and_credentials(
        s3_io: RepositoryArtifactIO, s3_bucket: S3Endpoint, producer: PodFS, consumer: PodFS) -> None:
    producer.write("/mnt/file", "hello\n")
    saved = s3_io.save_outputs(make_request(outputs(
        {"name": "file", "path": "/mnt/file", "s3": {"key": "my-file"}})), producer)
    assert saved == [{"name": "file", "path": "/mnt/file", "s3": {"key": "my-file"}}]
    assert s3_bucket.keys() == ["my-file"]
    s3_io.load_inputs(make_request(inputs({"name": "file", "path": "/tmp/file", "s3": {"key": "my-file"}})),
                      consumer)
    assert consumer.path("/tmp/file").read_text() == "hello\n"


def test_full_location_without_repository(s3_bucket: S3Endpoint, producer: PodFS, consumer: PodFS) -> None:
    """ex-output-artifact-s3: a hard-wired location needs no repository."""
    location = s3_repository(s3_bucket)["s3"] | {"key": "path/in/bucket/hello_world.txt.tgz"}
    io = RepositoryArtifactIO(None, get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/tmp/hello_world.txt", "hello world\n")
    saved = io.save_outputs(make_request(outputs({"name": "message", "path": "/tmp", "s3": location})), producer)
    assert saved[0]["s3"] == location  # selectors only
    assert s3_bucket.keys() == ["path/in/bucket/hello_world.txt.tgz"]
    io.load_inputs(make_request(inputs(as_input(saved[0], "/in/tmp"))), consumer)
    assert consumer.path("/in/tmp/hello_world.txt").read_text() == "hello world\n"


def test_repository_from_artifact_repositories_configmap(s3_bucket: S3Endpoint, producer: PodFS,
                                                         consumer: PodFS) -> None:
    body = s3_repository(s3_bucket, keyFormat="team/{{workflow.name}}/{{pod.name}}")["s3"]
    yaml_text = "archiveLogs: true\ns3:\n" + "".join(
        f"  {k}: {v!r}\n" if not isinstance(v, dict) else f"  {k}: {{name: {v['name']}, key: {v['key']}}}\n"
        for k, v in body.items()).replace("True", "true")
    configmap = {"metadata": {"annotations": {DEFAULT_REPOSITORY_ANNOTATION: "default-v1"}},
                 "data": {"default-v1": yaml_text}}
    resolved = resolve_repository({}, lambda name: configmap if name == "artifact-repositories" else None, None)
    io = RepositoryArtifactIO(resolved.repository, get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/tmp/x", "x")
    saved = io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)
    assert saved[0]["s3"] == {"key": "team/wf-abc/wf-abc-main-123/x.tgz"}
    log_file = producer.write("/logs/main.log", "hello from main\n")
    logs = io.save_logs(make_request(outputs()), {"main": log_file})
    assert logs == [{"name": "main-logs", "s3": {"key": "team/wf-abc/wf-abc-main-123/main.log"}}]
    io.download(logs[0], consumer.path("/main.log"))
    assert consumer.path("/main.log").read_text() == "hello from main\n"


def test_missing_key_is_not_found_and_optional_tolerates_it(s3_io: RepositoryArtifactIO,
                                                            consumer: PodFS) -> None:
    required = inputs({"name": "message", "path": "/tmp/message", "s3": {"key": "nope/message.tgz"}})
    with pytest.raises(ArtifactError) as info:
        s3_io.load_inputs(make_request(required), consumer)
    assert info.value.not_found
    assert info.value.message.startswith("artifact message failed to load (s3://argoctl-test-")
    assert "nope/message.tgz" in info.value.message and "key not found" in info.value.message
    assert not consumer.path("/tmp").exists() or list(consumer.path("/tmp").iterdir()) == []
    optional = inputs({"name": "message", "path": "/tmp/message", "optional": True,
                       "s3": {"key": "nope/message.tgz"}})
    s3_io.load_inputs(make_request(optional), consumer)
    assert not consumer.path("/tmp/message").exists()


def test_missing_bucket_is_an_error(s3_bucket: S3Endpoint, producer: PodFS,
                                                      consumer: PodFS) -> None:
    repo = s3_repository(s3_bucket, bucket="no-such-bucket")
    io = RepositoryArtifactIO(repo, get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/tmp/x", "x")
    with pytest.raises(ArtifactError, match=r"failed to save artifact x .*does not exist"):
        io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)


def test_create_bucket_if_not_present(s3_bucket: S3Endpoint, producer: PodFS) -> None:
    repo = s3_repository(s3_bucket, bucket=s3_bucket.bucket + "-new", createBucketIfNotPresent={})
    io = RepositoryArtifactIO(repo, get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/tmp/x", "x")
    io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)
    client = s3_bucket.client()
    assert [o["Key"] for o in client.list_objects_v2(Bucket=s3_bucket.bucket + "-new")["Contents"]] == [
        "wf-abc/wf-abc-main-123/x.tgz"]


def test_unreachable_endpoint_fails_fast_with_a_clear_message(s3_bucket: S3Endpoint, producer: PodFS,
                                                              consumer: PodFS) -> None:
    repo = s3_repository(s3_bucket, endpoint=f"127.0.0.1:{closed_port()}")
    io = RepositoryArtifactIO(repo, get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/tmp/x", "x")
    started = time.monotonic()
    with pytest.raises(ArtifactError) as saving:
        io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)
    with pytest.raises(ArtifactError) as loading:
        io.load_inputs(make_request(inputs({"name": "y", "path": "/y", "s3": {"key": "k"}})), consumer)
    assert time.monotonic() - started < 20  # refused connections, one attempt: well under a second
    assert "failed to save artifact x" in saving.value.message
    assert "cannot reach endpoint 127.0.0.1:" in saving.value.message
    assert "artifact y failed to load" in loading.value.message and not loading.value.not_found


def test_missing_secret_names_it_without_values(s3_bucket: S3Endpoint, producer: PodFS) -> None:
    repo = s3_repository(s3_bucket)
    repo["s3"]["accessKeySecret"] = {"name": "non-existent-secret", "key": "accesskey"}
    io = RepositoryArtifactIO(repo, get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/etc/alpine-release", "3.23\n")
    with pytest.raises(ArtifactError) as info:
        io.save_outputs(make_request(outputs({"name": "randomfile", "path": "/etc/alpine-release"})), producer)
    assert "randomfile" in info.value.message
    assert "cannot read secret non-existent-secret/accesskey" in info.value.message


def test_secrets_never_leak(s3_bucket: S3Endpoint, producer: PodFS, monkeypatch: pytest.MonkeyPatch,
                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="argoctl")
    io = RepositoryArtifactIO(s3_repository(s3_bucket), get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/tmp/x", "x")
    saved = io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)
    original = S3Driver._new_client

    def leaky_client(self: S3Driver, location: JSON) -> Any:
        client = original(self, location)

        def fail(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError(f"signature for {s3_bucket.access_key}:{s3_bucket.secret_key} rejected")

        client.upload_file = fail
        return client

    monkeypatch.setattr(S3Driver, "_new_client", leaky_client)
    fresh = RepositoryArtifactIO(s3_repository(s3_bucket), get_secret=secrets_for(s3_bucket), options=FAST)
    with pytest.raises(ArtifactError) as info:
        fresh.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)
    for text in (info.value.render(), repr(saved), caplog.text):
        assert s3_bucket.secret_key not in text and s3_bucket.access_key not in text
    assert "rejected" in info.value.message and "******" in info.value.message


def test_failed_directory_upload_leaves_nothing_behind(s3_bucket: S3Endpoint, producer: PodFS,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    original = S3Driver._new_client

    def flaky_client(self: S3Driver, location: JSON) -> Any:
        client = original(self, location)
        real_upload = client.upload_file
        calls = {"n": 0}

        def upload(*args: Any, **kwargs: Any) -> None:
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError("disk went away")
            real_upload(*args, **kwargs)

        client.upload_file = upload
        return client

    monkeypatch.setattr(S3Driver, "_new_client", flaky_client)
    io = RepositoryArtifactIO(s3_repository(s3_bucket), get_secret=secrets_for(s3_bucket), options=FAST)
    for i in range(5):
        producer.write(f"/out/{i}.txt", str(i))
    with pytest.raises(ArtifactError, match="failed to put directory"):
        io.save_outputs(make_request(outputs({"name": "d", "path": "/out", "archive": {"none": {}}})), producer)
    assert s3_bucket.keys() == []


def test_no_staging_files_are_left(s3_bucket: S3Endpoint, producer: PodFS, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    io = RepositoryArtifactIO(s3_repository(s3_bucket, bucket="no-such-bucket"), get_secret=secrets_for(s3_bucket),
                              options=FAST, staging_dir=staging)
    producer.write("/tmp/x", "x")
    with pytest.raises(ArtifactError):
        io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)
    assert os.listdir(staging) == []


def test_driver_exists_list_delete(s3_bucket: S3Endpoint, tmp_path: Path) -> None:
    driver = DriverFactory(Redactor(secrets_for(s3_bucket)), options=FAST).for_kind("s3")
    base = s3_repository(s3_bucket)["s3"]
    (tmp_path / "d" / "s").mkdir(parents=True)
    (tmp_path / "d" / "a").write_text("a")
    (tmp_path / "d" / "s" / "b").write_text("b")
    driver.save(tmp_path / "d", base | {"key": "dir"})
    driver.save(tmp_path / "d" / "a", base | {"key": "file"})
    assert driver.exists(base | {"key": "file"}) and driver.exists(base | {"key": "dir"})
    assert not driver.exists(base | {"key": "nothing"})
    assert driver.list_keys(base | {"key": "dir/"}) == ["a", "s/b"]
    assert driver.list_keys(base | {"key": "file"}) == ["file"]
    with pytest.raises(ArtifactError) as info:
        driver.list_keys(base | {"key": "nothing"})
    assert info.value.not_found
    driver.delete(base | {"key": "dir/"})
    driver.delete(base | {"key": "file"})
    assert s3_bucket.keys() == []


def test_large_artifact_uses_multipart_and_round_trips(s3_bucket: S3Endpoint, producer: PodFS,
                                                       consumer: PodFS) -> None:
    # the driver's real timeouts and retries, not FAST's (made for quick failures): the loopback
    # server handles one request at a time, so on a busy machine a part can wait its turn beyond
    # FAST's 5 s read timeout, and a pooled connection the server dropped needs botocore's retry
    s3_io = RepositoryArtifactIO(s3_repository(s3_bucket), get_secret=secrets_for(s3_bucket), options=DriverOptions())
    payload = os.urandom(70 << 20)  # above the 64 MiB multipart threshold
    producer.write("/model/weights.bin", payload)
    saved = s3_io.save_outputs(make_request(outputs({"name": "model", "path": "/model/weights.bin"})), producer)
    s3_io.load_inputs(make_request(inputs(as_input(saved[0], "/in/weights.bin"))), consumer)
    assert consumer.path("/in/weights.bin").read_bytes() == payload


def test_partial_location_keeps_its_own_bucket_and_endpoint(s3_bucket: S3Endpoint, local_repo: JSON,
                                                            producer: PodFS, consumer: PodFS) -> None:
    """xf-failed-artifact-save's shape (bucket and endpoint, no key) with a reachable store: the
    bytes go where the artifact says, under the default key, and the node records it in full."""
    partial = dict(s3_repository(s3_bucket)["s3"])
    io = RepositoryArtifactIO(local_repo, get_secret=secrets_for(s3_bucket), options=FAST)
    producer.write("/etc/alpine-release", "3.23\n")
    saved = io.save_outputs(make_request(outputs({"name": "randomfile", "path": "/etc/alpine-release",
                                                   "s3": partial})), producer)
    assert s3_bucket.keys() == ["wf-abc/wf-abc-main-123/randomfile.tgz"]
    assert saved[0]["s3"] == partial | {"key": "wf-abc/wf-abc-main-123/randomfile.tgz"}
    io.load_inputs(make_request(inputs(as_input(saved[0], "/in/release"))), consumer)
    assert consumer.path("/in/release").read_text() == "3.23\n"


def test_failed_artifact_save_case(producer: PodFS) -> None:
    """xf-failed-artifact-save: missing secret, unknown endpoint: an error naming both."""
    location = {"bucket": "my-bucket", "endpoint": "non-existent-endpoint:9000", "insecure": True,
                "accessKeySecret": {"name": "non-existent-secret", "key": "accesskey"},
                "secretKeySecret": {"name": "non-existent-secret", "key": "secretkey"}}

    def no_secrets(name: str, key: str) -> str:
        raise KeyError(f'secrets "{name}" not found')

    io = RepositoryArtifactIO(None, get_secret=no_secrets, options=FAST)
    producer.write("/etc/alpine-release", "3.23\n")
    with pytest.raises(ArtifactError) as info:
        io.save_outputs(make_request(outputs({"name": "randomfile", "path": "/etc/alpine-release",
                                               "s3": location})), producer)
    assert info.value.message.startswith(
        "failed to save artifact randomfile (s3://my-bucket/wf-abc/wf-abc-main-123/randomfile.tgz "
        "(endpoint non-existent-endpoint:9000)): ")
    assert "cannot read secret non-existent-secret/accesskey" in info.value.message


def test_connection_errors_are_described_without_the_dns_detail() -> None:
    from botocore.exceptions import EndpointConnectionError

    from argoctl.artifacts.drivers.s3errors import describe_error

    try:
        try:
            raise OSError("[Errno -2] Name or service not known")
        except OSError:
            raise EndpointConnectionError(endpoint_url="http://nowhere:9000/b/k") from None
    except EndpointConnectionError as err:
        text, not_found = describe_error(err, {"endpoint": "nowhere:9000"})
    assert text.startswith("cannot reach endpoint nowhere:9000: Could not connect") and not not_found
