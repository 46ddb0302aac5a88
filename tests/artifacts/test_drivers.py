"""Driver-level behaviour that needs no server: the local directory driver, raw, unsupported kinds,
secret redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from argoctl.artifacts import ArtifactError, NotSupportedError, Redactor, RepositoryArtifactIO
from argoctl.artifacts.drivers import DriverFactory
from argoctl.artifacts.drivers.localdir import LocalDirDriver
from tests.artifacts.conftest import FAST, PodFS, inputs, make_request, outputs


def test_redactor_blanks_every_value_it_handed_out() -> None:
    redactor = Redactor(lambda name, key: {"a": "AKIA-123", "s": "very/secret+key"}[key])
    assert redactor.get({"name": "cred", "key": "a"}, what="x") == "AKIA-123"
    assert redactor.get({"name": "cred", "key": "s"}, what="x") == "very/secret+key"
    assert redactor.redact("id AKIA-123 sig very/secret+key") == "id ****** sig ******"


def test_redactor_errors_name_the_secret_only() -> None:
    def lookup(name: str, key: str) -> str:
        raise KeyError(f"secret {name} has no {key}")

    redactor = Redactor(lookup)
    with pytest.raises(ArtifactError, match="s3 access key: cannot read secret cred/accesskey"):
        redactor.get({"name": "cred", "key": "accesskey"}, what="s3 access key")
    with pytest.raises(ArtifactError, match="needs both name and key"):
        redactor.get({"name": "cred"}, what="x")
    with pytest.raises(ArtifactError, match="no secret source is configured"):
        Redactor(None).get({"name": "cred", "key": "k"}, what="x")


@pytest.mark.parametrize("kind", ["gcs", "azure", "oss", "hdfs", "plugin"])
def test_unsupported_kinds_say_so_and_name_the_artifact(kind: str, consumer: PodFS) -> None:
    io = RepositoryArtifactIO(None, options=FAST)
    location = {"gcs": {"bucket": "b", "key": "k"}, "azure": {"endpoint": "e", "container": "c", "blob": "b"},
                "oss": {"endpoint": "e", "bucket": "b", "key": "k"}, "hdfs": {"addresses": ["a:1"], "path": "/p"},
                "plugin": {"name": "p", "configuration": "c", "key": "k"}}[kind]
    with pytest.raises(ArtifactError) as info:
        io.load_inputs(make_request(inputs({"name": "data", "path": "/data", kind: location})), consumer)
    assert info.value.message.startswith("artifact data failed to load")
    assert f"{kind} artifacts are not supported by argoctl" in info.value.message


def test_raw_and_git_are_input_only(producer: PodFS) -> None:
    io = RepositoryArtifactIO(None, options=FAST)
    producer.write("/x", "x")
    with pytest.raises(ArtifactError, match="raw artifacts can only be inputs"):
        io.save_outputs(make_request(outputs({"name": "x", "path": "/x", "raw": {"data": "d"}})), producer)


def test_local_driver_consumes_staged_files_and_swaps_kinds(tmp_path: Path) -> None:
    driver = LocalDirDriver(tmp_path / "repo")
    staged = driver.staging_dir() / "x.tgz.part"
    staged.write_text("archive")
    driver.save(staged, {"key": "a/x.tgz"}, consume=True)
    assert not staged.exists() and (tmp_path / "repo/a/x.tgz").read_text() == "archive"
    src_dir = tmp_path / "d"
    src_dir.mkdir()
    (src_dir / "f").write_text("f")
    driver.save(src_dir, {"key": "a/x.tgz"})  # a directory replaces the file ...
    assert (tmp_path / "repo/a/x.tgz/f").read_text() == "f"
    driver.save(tmp_path / "repo/a/x.tgz/f", {"key": "a/y"})
    driver.save(tmp_path / "repo/a/y", {"key": "a/x.tgz"})  # ... and a file replaces the directory
    assert (tmp_path / "repo/a/x.tgz").read_text() == "f"
    assert src_dir.exists() and list(driver.staging_dir().iterdir()) == []
    assert driver.list_keys({"key": "a"}) == ["x.tgz", "y"]
    with pytest.raises(ArtifactError, match="outside"):
        driver.path_of({"key": ".tmp/x"})


def test_factory_caches_and_local_needs_a_root() -> None:
    factory = DriverFactory(Redactor(None), options=FAST)
    assert factory.for_kind("raw") is factory.for_kind("raw")
    with pytest.raises(NotSupportedError, match="needs a local repository"):
        factory.for_kind("local")


def test_http_driver_needs_an_http_url(consumer: PodFS) -> None:
    io = RepositoryArtifactIO(None, options=FAST)
    with pytest.raises(ArtifactError, match="needs an http"):
        io.load_inputs(make_request(inputs({"name": "f", "path": "/f", "http": {"url": "ftp://x/y"}})), consumer)
