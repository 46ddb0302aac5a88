"""Location helpers: kinds, keys, completeness, relocation, printing, path cleaning."""

from __future__ import annotations

import pytest

from argoctl.artifacts import (
    ArtifactError,
    append_to_key,
    clean_artifact_path,
    describe_location,
    get_key,
    has_location,
    has_location_or_key,
    location_kind,
)
from argoctl.artifacts.locations import relocate, safe_url

FULL_S3 = {"s3": {"endpoint": "minio:9000", "bucket": "b", "key": "k"}}


def test_kind_and_key() -> None:
    assert location_kind(FULL_S3) == "s3"
    assert get_key(FULL_S3) == "k"
    assert get_key({"azure": {"blob": "x/y"}}) == "x/y"
    assert get_key({"http": {"url": "http://h/x"}}) == ""
    assert location_kind({"name": "a", "path": "/p"}) is None


@pytest.mark.parametrize(("artifact", "complete", "usable"), [
    (FULL_S3, True, True),
    ({"s3": {"key": "my-file"}}, False, True),          # key-only: inherits the repository
    ({"s3": {"bucket": "b", "key": "k"}}, False, True),  # no endpoint: still key-only (Argo)
    ({"http": {"url": ""}}, False, False),               # xf-input-artifact-not-optional
    ({"http": {"url": "https://x/y"}}, True, True),
    ({"raw": {"data": ""}}, True, True),
    ({"git": {"repo": "https://g/r.git"}}, True, True),
    ({"local": {"key": "wf/p/a.tgz"}}, False, True),
    ({"local": {"path": "/r", "key": "wf/p/a.tgz"}}, True, True),
    ({"name": "a"}, False, False),
])
def test_has_location(artifact: dict[str, object], complete: bool, usable: bool) -> None:
    assert has_location(artifact) is complete
    assert has_location_or_key(artifact) is usable


def test_relocate_key_only_takes_repository_fields_and_keeps_key() -> None:
    repo_location = {"s3": {"endpoint": "minio:9000", "bucket": "my-bucket", "insecure": True,
                            "accessKeySecret": {"name": "c", "key": "a"}, "key": "ignored"}}
    out = relocate({"name": "file", "path": "/mnt/file", "s3": {"key": "my-file"}}, repo_location)
    assert out == {"name": "file", "path": "/mnt/file",
                   "s3": {"endpoint": "minio:9000", "bucket": "my-bucket", "insecure": True,
                          "accessKeySecret": {"name": "c", "key": "a"}, "key": "my-file"}}


def test_relocate_without_repository_is_a_clear_error() -> None:
    with pytest.raises(ArtifactError, match="no artifact repository is configured"):
        relocate({"name": "file", "s3": {"key": "my-file"}}, None)


def test_append_to_key_joins_like_path_join() -> None:
    assert get_key(append_to_key({"s3": {"key": "wf/parts/"}}, "a/b.json")) == "wf/parts/a/b.json"
    with pytest.raises(ArtifactError):
        append_to_key({"http": {"url": "http://x"}}, "sub")


def test_describe_location_hides_credentials_and_queries() -> None:
    assert describe_location(FULL_S3) == "s3://b/k (endpoint minio:9000)"
    url = {"http": {"url": "https://user:hunter2@example.com/a/b.txt?token=s3cret#x"}}
    text = describe_location(url)
    assert text == "https://example.com/a/b.txt"
    assert "hunter2" not in text and "s3cret" not in text
    assert describe_location({"git": {"repo": "git@github.com:o/r.git", "revision": "v1"}}) == \
        "git git@github.com:o/r.git@v1"
    assert describe_location(None) == "no location"


def test_safe_url_scp_style_with_password_drops_userinfo() -> None:
    assert safe_url("bob:pw@host:repo.git") == "host:repo.git"


@pytest.mark.parametrize(("path", "cleaned"), [
    ("/tmp/x", "/tmp/x"), ("/tmp//x/", "/tmp/x"), ("/tmp/./x", "/tmp/x"),
])
def test_clean_path(path: str, cleaned: str) -> None:
    assert clean_artifact_path("a", path) == cleaned


@pytest.mark.parametrize("path", ["/tmp/../etc/passwd", "/tmp/safe/..", "/a/b/../../c", "../x"])
def test_clean_path_rejects_traversal(path: str) -> None:
    with pytest.raises(ArtifactError, match="Directory traversal is not permitted"):
        clean_artifact_path("a", path)


def test_clean_path_needs_a_path() -> None:
    with pytest.raises(ArtifactError, match="did not specify a path"):
        clean_artifact_path("a", "")
