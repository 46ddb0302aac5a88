"""Fixtures for artifact tests: a pod filesystem root, requests, secrets and repositories.

The loopback S3 server is ``tests/s3/fixtures.py`` (moto's ThreadedMotoServer).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from argoctl.artifacts import DriverOptions, RepositoryArtifactIO
from argoctl.model.pods import PodRequest
from tests.s3.fixtures import S3Endpoint, s3_bucket, s3_server  # noqa: F401  (pytest fixtures)

JSON = dict[str, Any]
FAST = DriverOptions(connect_timeout=2.0, read_timeout=5.0, max_attempts=1)


class PodFS:
    """A directory standing for a container's filesystem: ``/tmp/x`` is ``root/tmp/x``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def __call__(self, container_path: str) -> str:
        return str(self.root / container_path.lstrip("/"))

    def path(self, container_path: str) -> Path:
        return Path(self(container_path))

    def write(self, container_path: str, data: bytes | str) -> Path:
        target = self.path(container_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data)
        else:
            target.write_bytes(data)
        return target


@pytest.fixture
def producer(tmp_path: Path) -> PodFS:
    return PodFS(tmp_path / "producer")


@pytest.fixture
def consumer(tmp_path: Path) -> PodFS:
    return PodFS(tmp_path / "consumer")


def make_request(template: JSON, *, pod_name: str = "wf-abc-main-123", workflow_name: str = "wf-abc",
                 workflow_spec: JSON | None = None, repository: JSON | None = None) -> PodRequest:
    return PodRequest(
        workflow_name=workflow_name, workflow_uid="uid-1", namespace="argo", node_id=pod_name,
        node_name=f"{workflow_name}.step", pod_name=pod_name, template=template,
        workflow_spec=workflow_spec or {}, artifact_repository=repository,
    )


def outputs(*artifacts: JSON) -> JSON:
    return {"name": "main", "container": {"image": "x"}, "outputs": {"artifacts": list(artifacts)}}


def inputs(*artifacts: JSON) -> JSON:
    return {"name": "main", "container": {"image": "x"}, "inputs": {"artifacts": list(artifacts)}}


def as_input(output: JSON, path: str) -> JSON:
    """What the engine makes of ``from: {{steps.x.outputs.artifacts.y}}``: the output, new path."""
    return {**output, "path": path}


@pytest.fixture
def local_repo(tmp_path: Path) -> JSON:
    return {"local": {"path": str(tmp_path / "home" / "artifacts")}}


@pytest.fixture
def local_io(local_repo: JSON) -> RepositoryArtifactIO:
    return RepositoryArtifactIO(local_repo, options=FAST)


def s3_repository(target: S3Endpoint, **extra: Any) -> JSON:
    """An ``artifactRepository`` for the loopback bucket, credentials through Secrets."""
    body = {
        "endpoint": target.endpoint_url.removeprefix("http://"), "bucket": target.bucket, "insecure": True,
        "region": target.region,
        "accessKeySecret": {"name": "my-minio-cred", "key": "accesskey"},
        "secretKeySecret": {"name": "my-minio-cred", "key": "secretkey"},
        **extra,
    }
    return {"s3": body}


def secrets_for(bucket: S3Endpoint) -> Callable[[str, str], str]:
    values = {("my-minio-cred", "accesskey"): bucket.access_key, ("my-minio-cred", "secretkey"): bucket.secret_key}

    def get_secret(name: str, key: str) -> str:
        if (name, key) not in values:
            raise KeyError(f"secret {name!r} has no key {key!r}")
        return values[(name, key)]

    return get_secret


@pytest.fixture
def s3_io(s3_bucket: S3Endpoint) -> RepositoryArtifactIO:  # noqa: F811
    return RepositoryArtifactIO(s3_repository(s3_bucket), get_secret=secrets_for(s3_bucket), options=FAST)


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
