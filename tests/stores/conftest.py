"""Fixtures for the store tests: every protocol test runs against the local, the S3 and the ConfigMap store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from argoctl.kube.client import KubeClient
from argoctl.stores.base import JSON, Store
from argoctl.stores.configmap import ConfigMapStore
from argoctl.stores.local import LocalStore
from argoctl.stores.objectstore import ObjectStore
from tests.fakecluster.fixtures import ClusterHandle, running_cluster
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


@pytest.fixture
def kube_store_cluster(tmp_path: Path) -> Iterator[ClusterHandle]:
    """A loopback API server without a kubelet, with the namespaces the protocol tests use."""
    with running_cluster(tmp_path, kubelet=False) as handle:
        for namespace in ("team-b", "one", "two"):
            handle.server.create_namespace(namespace)
        yield handle


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3),
                        pytest.param("configmap", marks=pytest.mark.kube)])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Builds store instances that share one location (a directory, a bucket and prefix, a cluster)."""
    if request.param == "local":
        home = tmp_path / "home"
        yield lambda namespace="default": LocalStore(home, namespace, clock=lambda: NOW)
        return
    if request.param == "configmap":
        yield from _configmap_factory(request.getfixturevalue("kube_store_cluster"))
        return
    endpoint: S3Endpoint = request.getfixturevalue("s3_bucket")
    yield lambda namespace="default": ObjectStore(
        endpoint.url("team/archive"), namespace=namespace, config=endpoint.config(), clock=lambda: NOW
    )


def _configmap_factory(cluster: ClusterHandle) -> Iterator[StoreFactory]:
    """Each instance has its own client, as separate processes would."""
    clients: list[KubeClient] = []

    def build(namespace: str = "default") -> Store:
        client = KubeClient.from_kubeconfig(cluster.kubeconfig_path, qps=0)
        clients.append(client)
        return ConfigMapStore(client, namespace, clock=lambda: NOW)

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    return store_factory()
