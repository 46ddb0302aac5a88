"""RepositoryArtifactIO against the local-directory repository (local mode's default)."""

from __future__ import annotations

import os
import stat
import tarfile
from pathlib import Path
from typing import Any

import pytest

from argoctl.artifacts import ArtifactError, RepositoryArtifactIO, default_local_repository
from argoctl.errors import BackendError
from tests.artifacts.conftest import FAST, PodFS, as_input, inputs, make_request, outputs

JSON = dict[str, Any]


def repo_files(repo: JSON) -> list[str]:
    root = Path(repo["local"]["path"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".tmp" not in p.parts)


def test_artifact_passing_file(local_io: RepositoryArtifactIO, local_repo: JSON,
                               producer: PodFS, consumer: PodFS) -> None:
    producer.write("/tmp/hello_world.txt", "hello world\n")
    saved = local_io.save_outputs(make_request(outputs({"name": "hello-art", "path": "/tmp/hello_world.txt"})),
                                  producer)
    # key-only, Argo's default key: <workflow>/<pod>/<name>.tgz
    assert saved == [{"name": "hello-art", "path": "/tmp/hello_world.txt",
                      "local": {"key": "wf-abc/wf-abc-main-123/hello-art.tgz"}}]
    assert repo_files(local_repo) == ["wf-abc/wf-abc-main-123/hello-art.tgz"]
    local_io.load_inputs(make_request(inputs(as_input(saved[0], "/tmp/message")), pod_name="p2"), consumer)
    assert consumer.path("/tmp/message").read_text() == "hello world\n"
    assert sorted(p.name for p in consumer.path("/tmp").iterdir()) == ["message"]


def test_artifact_passing_directory_tgz(local_io: RepositoryArtifactIO, producer: PodFS, consumer: PodFS) -> None:
    producer.write("/mnt/out/a.json", '{"a": 1}')
    producer.write("/mnt/out/sub/b.json", '{"b": 2}')
    saved = local_io.save_outputs(make_request(outputs({"name": "parts", "path": "/mnt/out"})), producer)
    local_io.load_inputs(make_request(inputs(as_input(saved[0], "/mnt/in"))), consumer)
    assert consumer.path("/mnt/in/a.json").read_text() == '{"a": 1}'
    assert consumer.path("/mnt/in/sub/b.json").read_text() == '{"b": 2}'


def test_archive_none_and_zip_and_uncompressed_tar(local_io: RepositoryArtifactIO, local_repo: JSON,
                                                   producer: PodFS, consumer: PodFS) -> None:
    """ex-artifact-disable-archive, in local mode."""
    producer.write("/etc/conf/app.ini", "[x]\n")
    producer.write("/tmp/hello_world.txt", "hello world\n")
    producer.write("/tmp/hello_world_nc.txt", "hello world\n")
    template = outputs(
        {"name": "etc", "path": "/etc/conf", "archive": {"none": {}}},
        {"name": "hello-txt", "path": "/tmp/hello_world.txt", "archive": {"none": {}}},
        {"name": "hello-txt-nc", "path": "/tmp/hello_world_nc.txt", "archive": {"tar": {"compressionLevel": 0}}},
        {"name": "zipped", "path": "/etc/conf", "archive": {"zip": {}}},
    )
    saved = local_io.save_outputs(make_request(template), producer)
    assert [a["local"]["key"].rsplit("/", 1)[1] for a in saved] == [
        "conf", "hello_world.txt", "hello-txt-nc.tgz", "zipped.zip"]
    assert saved[0]["archive"] == {"none": {}}  # the strategy travels with the artifact
    assert "wf-abc/wf-abc-main-123/conf/app.ini" in repo_files(local_repo)
    paths = ["/tmp/etc", "/tmp/hello.txt", "/tmp/hello_nc.txt", "/tmp/zipped"]
    local_io.load_inputs(make_request(inputs(*(as_input(a, p) for a, p in zip(saved, paths, strict=True)))),
                         consumer)
    assert consumer.path("/tmp/etc/app.ini").read_text() == "[x]\n"
    assert consumer.path("/tmp/hello.txt").read_text() == "hello world\n"
    assert consumer.path("/tmp/hello_nc.txt").read_text() == "hello world\n"
    assert consumer.path("/tmp/zipped/app.ini").read_text() == "[x]\n"


def test_key_only_s3_artifact_goes_to_the_local_repository(local_io: RepositoryArtifactIO, local_repo: JSON,
                                                           producer: PodFS, consumer: PodFS) -> None:
    """ex-key-only-artifact in local mode: ``s3: {key: my-file}`` inherits the repository."""
    producer.write("/mnt/file", "hello\n")
    saved = local_io.save_outputs(
        make_request(outputs({"name": "file", "path": "/mnt/file", "s3": {"key": "my-file"}})), producer)
    assert saved == [{"name": "file", "path": "/mnt/file", "s3": {"key": "my-file"}}]
    assert repo_files(local_repo) == ["my-file"]
    local_io.load_inputs(make_request(inputs({"name": "file", "path": "/tmp/file", "s3": {"key": "my-file"}})),
                         consumer)
    assert consumer.path("/tmp/file").read_text() == "hello\n"


def test_map_reduce_directory_keys(local_io: RepositoryArtifactIO, producer: PodFS, consumer: PodFS) -> None:
    """ex-map-reduce: a directory saved with ``archive: none`` under a key prefix, read back per
    file and as a whole directory."""
    for i in range(3):
        producer.write(f"/mnt/out/{i}.json", f'{{"foo": {i}}}')
    local_io.save_outputs(make_request(outputs(
        {"name": "parts", "path": "/mnt/out", "archive": {"none": {}}, "s3": {"key": "wf/parts/"}})), producer)
    local_io.load_inputs(make_request(inputs({"name": "part", "path": "/mnt/in/part.json",
                                              "s3": {"key": "wf/parts/1.json"}})), consumer)
    assert consumer.path("/mnt/in/part.json").read_text() == '{"foo": 1}'
    local_io.load_inputs(make_request(inputs({"name": "all", "path": "/mnt/all", "s3": {"key": "wf/parts"}})),
                         consumer)
    assert sorted(os.listdir(consumer.path("/mnt/all"))) == ["0.json", "1.json", "2.json"]


def test_raw_input_and_mode(local_io: RepositoryArtifactIO, consumer: PodFS) -> None:
    template = inputs({"name": "myfile", "path": "/tmp/file", "mode": 0o755,
                       "raw": {"data": "this is\nthe raw file\ncontents\n"}})
    local_io.load_inputs(make_request(template), consumer)
    target = consumer.path("/tmp/file")
    assert target.read_text() == "this is\nthe raw file\ncontents\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_optional_output_missing_is_left_out(local_io: RepositoryArtifactIO, producer: PodFS) -> None:
    template = outputs({"name": "hello-art", "optional": True, "path": "/tmp/hello_world.txt"})
    assert local_io.save_outputs(make_request(template), producer) == []


def test_required_output_missing_is_an_error(local_io: RepositoryArtifactIO, producer: PodFS) -> None:
    producer.write("/tmp/present.txt", "x")
    template = outputs({"name": "hello-art", "path": "/tmp/hello_world.txt"},
                       {"name": "present", "path": "/tmp/present.txt"})
    with pytest.raises(BackendError) as info:
        local_io.save_outputs(make_request(template), producer)
    assert "hello-art" in info.value.message and "/tmp/hello_world.txt no such file or directory" in info.value.message
    assert isinstance(info.value, ArtifactError) and [a["name"] for a in info.value.saved] == ["present"]


def test_optional_input_without_location_or_object_is_skipped(local_io: RepositoryArtifactIO,
                                                              consumer: PodFS) -> None:
    template = inputs({"name": "message", "path": "/tmp/message", "optional": True},
                      {"name": "gone", "path": "/tmp/gone", "optional": True, "local": {"key": "nope/x.tgz"}})
    local_io.load_inputs(make_request(template), consumer)
    assert not consumer.path("/tmp/message").exists() and not consumer.path("/tmp/gone").exists()


def test_required_input_not_supplied(local_io: RepositoryArtifactIO, consumer: PodFS) -> None:
    template = inputs({"name": "kubectl", "path": "/bin/kubectl", "http": {"url": ""}})
    with pytest.raises(ArtifactError, match="required artifact 'kubectl' not supplied"):
        local_io.load_inputs(make_request(template), consumer)


def test_required_input_missing_object_names_artifact_and_key(local_io: RepositoryArtifactIO,
                                                              consumer: PodFS) -> None:
    template = inputs({"name": "message", "path": "/tmp/message", "local": {"key": "wf/pod/message.tgz"}})
    with pytest.raises(ArtifactError) as info:
        local_io.load_inputs(make_request(template), consumer)
    text = info.value.message
    assert text.startswith("artifact message failed to load (local repository key wf/pod/message.tgz)")
    assert "not found" in text and info.value.not_found
    assert not consumer.path("/tmp").exists() or list(consumer.path("/tmp").iterdir()) == []


def test_traversal_in_paths_is_refused(local_io: RepositoryArtifactIO, producer: PodFS, consumer: PodFS) -> None:
    with pytest.raises(ArtifactError, match="Directory traversal"):
        local_io.load_inputs(make_request(inputs({"name": "a", "path": "/tmp/../../etc/x", "raw": {"data": ""}})),
                             consumer)
    with pytest.raises(ArtifactError, match="Directory traversal"):
        local_io.save_outputs(make_request(outputs({"name": "a", "path": "/tmp/safe/../x"})), producer)


def test_keys_may_not_leave_the_local_repository(local_io: RepositoryArtifactIO, consumer: PodFS) -> None:
    with pytest.raises(ArtifactError, match="outside the local artifact repository"):
        local_io.load_inputs(make_request(inputs({"name": "a", "path": "/a", "s3": {"key": "../../etc/passwd"}})),
                             consumer)


def test_outputs_without_repository_are_an_error(producer: PodFS) -> None:
    io = RepositoryArtifactIO(None, options=FAST)
    producer.write("/tmp/x", "x")
    with pytest.raises(ArtifactError, match="no artifact repository is configured"):
        io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"})), producer)


def test_request_repository_wins(tmp_path: Path, producer: PodFS) -> None:
    io = RepositoryArtifactIO(None, options=FAST)
    repo = default_local_repository(tmp_path / "other-home")
    producer.write("/tmp/x", "x")
    saved = io.save_outputs(make_request(outputs({"name": "x", "path": "/tmp/x"}), repository=repo), producer)
    assert (Path(repo["local"]["path"]) / saved[0]["local"]["key"]).is_file()


def test_template_archive_location_is_recorded_in_full(local_io: RepositoryArtifactIO, tmp_path: Path,
                                                       producer: PodFS, consumer: PodFS) -> None:
    elsewhere = {"local": {"path": str(tmp_path / "elsewhere"), "key": "fixed/prefix"}}
    template = {**outputs({"name": "x", "path": "/tmp/x"}), "archiveLocation": elsewhere}
    producer.write("/tmp/x", "payload")
    saved = local_io.save_outputs(make_request(template), producer)
    assert saved[0]["local"] == {"path": str(tmp_path / "elsewhere"), "key": "fixed/prefix/x.tgz"}
    local_io.load_inputs(make_request(inputs(as_input(saved[0], "/in/x"))), consumer)
    assert consumer.path("/in/x").read_text() == "payload"


def test_overwriting_an_output_replaces_it_whole(local_io: RepositoryArtifactIO, local_repo: JSON,
                                                 producer: PodFS, consumer: PodFS) -> None:
    for content in ("first", "second"):
        producer.write("/out/d/f", content)
        saved = local_io.save_outputs(make_request(outputs(
            {"name": "d", "path": "/out/d", "archive": {"none": {}}})), producer)
    local_io.load_inputs(make_request(inputs(as_input(saved[0], "/in/d"))), consumer)
    assert consumer.path("/in/d/f").read_text() == "second"
    assert not list((Path(local_repo["local"]["path"]) / ".tmp").iterdir())


def test_archive_logs(tmp_path: Path, local_repo: JSON) -> None:
    log_file = tmp_path / "main.log"
    log_file.write_text("line 1\n")
    io = RepositoryArtifactIO({**local_repo, "archiveLogs": True}, options=FAST)
    arts = io.save_logs(make_request(outputs()), {"main": log_file})
    assert arts == [{"name": "main-logs", "local": {"key": "wf-abc/wf-abc-main-123/main.log"}}]
    assert (Path(local_repo["local"]["path"]) / "wf-abc/wf-abc-main-123/main.log").read_text() == "line 1\n"
    off = RepositoryArtifactIO(local_repo, options=FAST)
    assert off.save_logs(make_request(outputs()), {"main": log_file}) == []


def test_download_and_delete_recorded_artifacts(local_io: RepositoryArtifactIO, local_repo: JSON,
                                                producer: PodFS, tmp_path: Path) -> None:
    producer.write("/tmp/out/a", "A")
    saved = local_io.save_outputs(make_request(outputs({"name": "out", "path": "/tmp/out"})), producer)
    local_io.download(saved[0], tmp_path / "cp" / "out")
    assert (tmp_path / "cp" / "out" / "a").read_text() == "A"
    local_io.delete(saved[0])
    assert repo_files(local_repo) == []
    local_io.delete(saved[0])  # deleting twice is fine (GC is retried)


def test_untar_of_a_foreign_tgz_input(local_io: RepositoryArtifactIO, local_repo: JSON, consumer: PodFS,
                                      tmp_path: Path) -> None:
    """An object that is a tarball is unpacked even when nobody said so (auto-detect)."""
    root = Path(local_repo["local"]["path"])
    root.mkdir(parents=True)
    (tmp_path / "x").write_text("inside")
    with tarfile.open(root / "foreign.bin", "w:gz") as tar:
        tar.add(tmp_path / "x", arcname="x")
    local_io.load_inputs(make_request(inputs({"name": "f", "path": "/in/f", "s3": {"key": "foreign.bin"}})),
                         consumer)
    assert consumer.path("/in/f").read_text() == "inside"
    local_io.load_inputs(make_request(inputs({"name": "g", "path": "/in/g", "archive": {"none": {}},
                                              "s3": {"key": "foreign.bin"}})), consumer)
    assert tarfile.is_tarfile(consumer.path("/in/g"))  # none: kept as downloaded


def test_incompressible_output_is_stored_as_is_in_the_local_repository(
        local_io: RepositoryArtifactIO, local_repo: JSON, producer: PodFS, consumer: PodFS,
        tmp_path: Path) -> None:
    """A user's own .tgz (or model weights) passes through unchanged, and is not unpacked."""
    (tmp_path / "inner.txt").write_bytes(os.urandom(64 << 10))
    user_tgz = producer.path("/out/bundle.tgz")
    user_tgz.parent.mkdir(parents=True)
    with tarfile.open(user_tgz, "w:gz") as tar:
        tar.add(tmp_path / "inner.txt", arcname="inner.txt")
    saved = local_io.save_outputs(make_request(outputs({"name": "bundle", "path": "/out/bundle.tgz"})), producer)
    assert saved == [{"name": "bundle", "path": "/out/bundle.tgz", "archive": {"none": {}},
                      "local": {"key": "wf-abc/wf-abc-main-123/bundle"}}]
    assert repo_files(local_repo) == ["wf-abc/wf-abc-main-123/bundle"]
    local_io.load_inputs(make_request(inputs(as_input(saved[0], "/in/bundle.tgz"))), consumer)
    assert consumer.path("/in/bundle.tgz").read_bytes() == user_tgz.read_bytes()


def test_compressible_output_is_a_tgz_in_the_local_repository(local_io: RepositoryArtifactIO, local_repo: JSON,
                                                              producer: PodFS) -> None:
    producer.write("/out/data.csv", "a,b,c\n" * 100_000)
    saved = local_io.save_outputs(make_request(outputs({"name": "data", "path": "/out/data.csv"})), producer)
    assert "archive" not in saved[0] and saved[0]["local"]["key"].endswith("/data.tgz")
    stored = Path(local_repo["local"]["path"]) / saved[0]["local"]["key"]
    assert tarfile.is_tarfile(stored) and stored.stat().st_size < 60_000


def test_satisfies_the_backend_protocol() -> None:
    from argoctl.backends.base import ArtifactIO

    io: ArtifactIO = RepositoryArtifactIO(None)  # mypy checks the structural match
    assert callable(io.load_inputs) and callable(io.save_outputs)
