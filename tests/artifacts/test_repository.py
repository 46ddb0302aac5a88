"""Repository resolution (artifactRepositoryRef, the artifact-repositories ConfigMap), archive
locations and key formats, archiveLogs priority."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from argoctl.artifacts import (
    DEFAULT_REPOSITORY_ANNOTATION,
    ArtifactError,
    NotSupportedError,
    archive_location,
    default_local_repository,
    is_archive_logs,
    key_substituter,
    resolve_repository,
)

# what upstream's e2e environment has (conformance README, "artifact-repo")
DEFAULT_V1 = """\
archiveLogs: true
s3:
  bucket: my-bucket
  endpoint: minio:9000
  insecure: true
  accessKeySecret:
    name: my-minio-cred
    key: accesskey
  secretKeySecret:
    name: my-minio-cred
    key: secretkey
"""
MY_KEY = """\
s3:
  bucket: my-bucket
  endpoint: minio:9000
  insecure: true
  keyFormat: "my-artifacts/{{workflow.name}}/{{pod.name}}"
"""
CONFIGMAPS: dict[str, dict[str, Any]] = {
    "artifact-repositories": {
        "metadata": {"name": "artifact-repositories",
                     "annotations": {DEFAULT_REPOSITORY_ANNOTATION: "default-v1"}},
        "data": {"default-v1": DEFAULT_V1, "my-key": MY_KEY, "broken": "s3: [unclosed", "odd": "foo: bar"},
    },
    "other-repos": {"metadata": {"name": "other-repos"}, "data": {"k": MY_KEY}},
}
LOCAL_DEFAULT = {"local": {"path": "/home/u/.argoctl/artifacts"}}


def lookup(name: str) -> dict[str, Any] | None:
    return CONFIGMAPS.get(name)


def no_configmaps(name: str) -> None:
    return None


def test_no_ref_uses_the_annotated_default_of_artifact_repositories() -> None:
    resolved = resolve_repository({}, lookup, LOCAL_DEFAULT, namespace="argo")
    assert resolved.config_map == "artifact-repositories" and resolved.key == "default-v1"
    assert resolved.repository is not None
    assert resolved.repository["s3"]["bucket"] == "my-bucket"
    assert resolved.to_status() == {
        "configMap": "artifact-repositories", "key": "default-v1", "namespace": "argo",
        "artifactRepository": resolved.repository,
    }


def test_no_ref_and_no_configmap_uses_the_default() -> None:
    resolved = resolve_repository({}, no_configmaps, LOCAL_DEFAULT)
    assert resolved.repository == LOCAL_DEFAULT and resolved.default
    assert resolved.to_status() == {"default": True, "artifactRepository": LOCAL_DEFAULT}
    assert resolve_repository({}, no_configmaps, None).repository is None


def test_no_ref_and_configmap_without_annotation_uses_the_default() -> None:
    def only_unannotated(name: str) -> dict[str, Any] | None:
        return {"data": {"x": MY_KEY}} if name == "artifact-repositories" else None

    assert resolve_repository({}, only_unannotated, LOCAL_DEFAULT).repository == LOCAL_DEFAULT


def test_ref_with_key() -> None:
    spec = {"artifactRepositoryRef": {"key": "my-key"}}
    resolved = resolve_repository(spec, lookup, LOCAL_DEFAULT)
    assert resolved.key == "my-key"
    assert resolved.repository is not None
    assert resolved.repository["s3"]["keyFormat"] == "my-artifacts/{{workflow.name}}/{{pod.name}}"


def test_ref_with_configmap_and_default_key_from_annotation() -> None:
    resolved = resolve_repository({"artifactRepositoryRef": {"configMap": "artifact-repositories"}},
                                  lookup, None)
    assert resolved.key == "default-v1"


@pytest.mark.parametrize(("ref", "message"), [
    ({"configMap": "nope"}, 'configmap "nope" not found'),
    ({"configMap": "other-repos"}, 'config map missing key ""'),
    ({"key": "missing"}, 'config map missing key "missing"'),
])
def test_ref_that_does_not_resolve_is_an_error(ref: dict[str, str], message: str) -> None:
    with pytest.raises(ArtifactError, match="failed to find any artifact repository") as info:
        resolve_repository({"artifactRepositoryRef": ref}, lookup, LOCAL_DEFAULT)
    assert message in info.value.message


@pytest.mark.parametrize(("key", "message"), [("broken", "failed to unmarshall"), ("odd", "not an artifact repository")])
def test_malformed_repository_is_an_error(key: str, message: str) -> None:
    with pytest.raises(ArtifactError, match=message):
        resolve_repository({"artifactRepositoryRef": {"key": key}}, lookup, None)


SUB = key_substituter(workflow_name="wf-1", namespace="argo", workflow_uid="u", pod_name="wf-1-main-42")


def test_archive_location_default_key_format() -> None:
    repo = {"s3": {"bucket": "b", "endpoint": "e:9000", "insecure": True}}
    assert archive_location({}, repo, substitute=SUB) == {
        "s3": {"bucket": "b", "endpoint": "e:9000", "insecure": True, "key": "wf-1/wf-1-main-42"}}


def test_archive_location_key_prefix_and_key_format() -> None:
    prefixed = {"s3": {"bucket": "b", "keyPrefix": "team-a"}}
    assert archive_location({}, prefixed, substitute=SUB) == {"s3": {"bucket": "b", "key": "team-a/wf-1/wf-1-main-42"}}
    fmt = {"s3": {"bucket": "b", "keyPrefix": "ignored", "keyFormat": "{{ workflow.namespace }}/{{workflow.uid}}/x"}}
    assert archive_location({}, fmt, substitute=SUB) == {"s3": {"bucket": "b", "key": "argo/u/x"}}


def test_archive_location_unresolved_variable_is_an_error() -> None:
    repo = {"s3": {"bucket": "b", "keyFormat": "{{workflow.creationTimestamp.Y}}/{{pod.name}}"}}
    with pytest.raises(ArtifactError, match="failed to resolve"):
        archive_location({}, repo, substitute=SUB)


def test_template_archive_location_wins_when_complete() -> None:
    own = {"archiveLogs": True, "s3": {"endpoint": "x:1", "bucket": "own", "key": "k/{{pod.name}}"}}
    assert archive_location({"archiveLocation": own}, LOCAL_DEFAULT, substitute=SUB) == {
        "s3": {"endpoint": "x:1", "bucket": "own", "key": "k/{{pod.name}}"}}
    # an incomplete one (archiveLogs only) falls back to the repository
    assert archive_location({"archiveLocation": {"archiveLogs": True}}, LOCAL_DEFAULT, substitute=SUB) == {
        "local": {"path": "/home/u/.argoctl/artifacts", "key": "wf-1/wf-1-main-42"}}


def test_archive_location_without_repository_is_none_and_unsupported_kinds_say_so() -> None:
    assert archive_location({}, None, substitute=SUB) is None
    with pytest.raises(NotSupportedError, match="artifactory artifact repositories are not supported"):
        archive_location({}, {"artifactory": {"repoURL": "http://a"}}, substitute=SUB)


def test_default_local_repository(tmp_path: Path) -> None:
    assert default_local_repository(tmp_path) == {"local": {"path": str(tmp_path / "artifacts")}}
    assert default_local_repository(tmp_path, archive_logs=True)["archiveLogs"] is True


@pytest.mark.parametrize(("repo_logs", "wf_logs", "tmpl_logs", "expected"), [
    (None, None, None, False),
    (True, None, False, True),     # the repository switched on wins over everything
    (False, True, None, True),
    (False, True, False, False),   # template beats workflow
    (None, None, True, True),
])
def test_archive_logs_priority(repo_logs: bool | None, wf_logs: bool | None, tmpl_logs: bool | None,
                               expected: bool) -> None:
    repo: dict[str, Any] = {"s3": {"bucket": "b"}}
    if repo_logs is not None:
        repo["archiveLogs"] = repo_logs
    spec = {} if wf_logs is None else {"archiveLogs": wf_logs}
    template = {} if tmpl_logs is None else {"archiveLocation": {"archiveLogs": tmpl_logs}}
    assert is_archive_logs(template, spec, repo) is expected


def test_ref_to_the_default_configmap_when_there_is_none_uses_the_configured_default() -> None:
    """examples/artifact-repository-ref.yaml (``artifactRepositoryRef: {key: my-key}``) assumes the
    e2e cluster's ``artifact-repositories`` ConfigMap; with none at all, the configured default
    stands in for it. A named ConfigMap that is missing is still an error (above)."""
    def nothing(name: str) -> dict[str, Any] | None:
        return None

    for ref in ({"key": "my-key"}, {"configMap": "artifact-repositories"}, {}):
        resolved = resolve_repository({"artifactRepositoryRef": ref}, nothing, LOCAL_DEFAULT)
        assert resolved.repository == LOCAL_DEFAULT
        assert resolved.to_status()["configMap"] == "artifact-repositories"
    assert resolve_repository({"artifactRepositoryRef": {"key": "my-key"}}, nothing, None).repository is None
    with pytest.raises(ArtifactError, match='configmap "nope" not found'):
        resolve_repository({"artifactRepositoryRef": {"configMap": "nope"}}, nothing, LOCAL_DEFAULT)
