"""Fixtures for the store tests: every protocol test runs against the local and the S3 store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from argoctl.stores.base import JSON, Store
from argoctl.stores.local import LocalStore
from argoctl.stores.objectstore import ObjectStore
from tests.s3.fixtures import S3Endpoint, s3_bucket, s3_server  # noqa: F401  (fixtures)

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z
StoreFactory = Callable[..., Store]


def workflow(name: str, *, labels: dict[str, str] | None = None, phase: str = "", nodes: int = 0) -> JSON:
    """An Argo-shaped workflow; ``nodes`` Pod nodes in status when > 0."""
    wf: JSON = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"name": name, "labels": dict(labels or {})},
        "spec": {"entrypoint": "main", "templates": [{"name": "main", "container": {"image": "alpine"}}]},
    }
    if phase or nodes:
        wf["status"] = {"phase": phase, "progress": f"{nodes}/{nodes}", "nodes": {
            f"{name}-{i}": {"id": f"{name}-{i}", "name": f"{name}[{i}]", "displayName": f"s{i}",
                            "type": "Pod", "phase": phase or "Running", "outputs": {"result": "x" * 50}}
            for i in range(nodes)
        }}
    return wf


def wf_object(name: str, kind: str = "WorkflowTemplate", **spec: Any) -> JSON:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": kind, "metadata": {"name": name}, "spec": spec}


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """Builds store instances that share one location (a directory, or a bucket and prefix)."""
    if request.param == "local":
        home = tmp_path / "home"
        return lambda namespace="default": LocalStore(home, namespace, clock=lambda: NOW)
    endpoint: S3Endpoint = request.getfixturevalue("s3_bucket")
    return lambda namespace="default": ObjectStore(
        endpoint.url("team/archive"), namespace=namespace, config=endpoint.config(), clock=lambda: NOW
    )


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    return store_factory()
