"""Fixtures for the argoctl.kube client and the ConfigMap store: a loopback API server (no kubelet
unless a test asks for ``fake_cluster``) and ``KubeClient``s over HTTP whose back-off sleeps are
recorded instead of slept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from argoctl.kube.client import KubeClient, RetryPolicy
from argoctl.stores.configmap import ConfigMapStore
from tests.fakecluster.fixtures import ClusterHandle, running_cluster

ClientFactory = Callable[..., KubeClient]


@pytest.fixture
def api_server(tmp_path: Path) -> Iterator[ClusterHandle]:
    """The loopback API server without a kubelet (objects only)."""
    with running_cluster(tmp_path, kubelet=False) as handle:
        yield handle


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(api_server: ClusterHandle, sleeps: list[float]) -> Iterator[ClientFactory]:
    """``make_client(**KubeClient options)``: a client of ``api_server`` that records its sleeps."""
    made: list[KubeClient] = []

    def build(**options: object) -> KubeClient:
        options.setdefault("qps", 0)
        options.setdefault("retry", RetryPolicy(attempts=4, base_delay=0.01))
        client = KubeClient.from_kubeconfig(api_server.kubeconfig_path, sleep=sleeps.append, **options)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def kube(make_client: ClientFactory) -> KubeClient:
    return make_client()


@pytest.fixture
def cm_store(kube: KubeClient) -> ConfigMapStore:
    return ConfigMapStore(kube, "default")
