"""``--chunk-size``: the ConfigMap store LISTs workflows in pages with the API's limit/continue."""

from __future__ import annotations

import pytest

from argoctl.kube.client import KubeClient
from argoctl.stores.configmap import ConfigMapStore
from tests.fakecluster.fixtures import ClusterHandle
from tests.stores.conftest import NOW, workflow


def _lists(cluster: ClusterHandle) -> int:
    return sum(1 for r in cluster.server.requests.records if (r.verb, r.resource) == ("list", "configmaps"))


@pytest.mark.kube
def test_chunk_size_pages_the_list(kube_store_cluster: ClusterHandle) -> None:
    client = KubeClient.from_kubeconfig(kube_store_cluster.kubeconfig_path, qps=0)
    try:
        store = ConfigMapStore(client, "default", clock=lambda: NOW)
        for index in range(5):
            store.create_workflow(workflow(f"w{index}"))
        kube_store_cluster.server.requests.reset()
        whole = [w["metadata"]["name"] for w in store.list_workflows()]
        assert _lists(kube_store_cluster) == 1
        store.chunk_size = 2
        kube_store_cluster.server.requests.reset()
        paged = [w["metadata"]["name"] for w in store.list_workflows()]
        assert _lists(kube_store_cluster) == 3  # 2 + 2 + 1
        assert paged == whole == [f"w{i}" for i in range(5)]
    finally:
        client.close()
