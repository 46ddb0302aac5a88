"""The ConfigMap store's bounded log copies (``argoctl.stores.cmlogs``) on the loopback API server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from argoctl.kube.client import KubeClient
from argoctl.stores import cmlogs
from argoctl.stores.configmap import ConfigMapStore
from tests.fakecluster.fixtures import ClusterHandle
from tests.stores.conftest import NOW, workflow

BUNDLES = "/api/v1/namespaces/default/configmaps"


@pytest.fixture
def store(kube_store_cluster: ClusterHandle) -> Iterator[ConfigMapStore]:
    client = KubeClient.from_kubeconfig(kube_store_cluster.kubeconfig_path, qps=0)
    yield ConfigMapStore(client, "default", clock=lambda: NOW)
    client.close()


def _bundles(store: ConfigMapStore) -> list[dict[str, Any]]:
    items = store.client.list(BUNDLES, label_selector="argoctl.io/kind=logs").get("items") or []
    return list(items)


def test_tail_keeps_the_end_from_a_line_start() -> None:
    text = "".join(f"line {i}\n" for i in range(1000))
    kept = cmlogs.tail(text, 100)
    first, _, rest = kept.partition("\n")
    assert first.startswith("argoctl: ") and first.endswith("earlier bytes of this log were dropped")
    assert text.endswith(rest) and rest.startswith("line ") and len(rest.encode()) <= 100
    assert cmlogs.tail("short\n", 100) == "short\n"


@pytest.mark.kube
def test_logs_share_bounded_bundles_owned_by_the_workflow(store: ConfigMapStore,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cmlogs, "CONFIGMAP_BUDGET", 4096)
    monkeypatch.setattr(cmlogs, "STREAM_LIMIT", 1024)
    store.create_workflow(workflow("wf"))
    for pod in range(30):  # 30 logs of ~1 KiB: 4 bundles of 4 KiB hold about 14, the rest is dropped
        store.append_log("wf", f"wf-p{pod}", "main", "x" * 2000 + "\n")
    bundles = _bundles(store)
    assert len(bundles) == cmlogs.MAX_BUNDLES
    owner = store.owner_reference("wf")
    for bundle in bundles:
        assert bundle["metadata"]["ownerReferences"] == [owner]
        assert sum(len(k) + len(v.encode()) for k, v in bundle["data"].items()) <= 4096
    first = store.read_log("wf", "wf-p0", "main")
    assert first.startswith("argoctl: ") and first.endswith("x\n")
    assert store.read_log("wf", "wf-p29", "main").startswith("argoctl: this log was not kept")
    store.delete_workflow("wf")
    assert _bundles(store) == []


@pytest.mark.kube
def test_appends_to_one_log_concatenate_within_the_limit(store: ConfigMapStore) -> None:
    store.create_workflow(workflow("wf"))
    store.append_log("wf", "wf-p", "main", "one\n")
    store.append_log("wf", "wf-p", "main", "two\n")
    assert store.read_log("wf", "wf-p", "main") == "one\ntwo\n"
    assert len(_bundles(store)) == 1


@pytest.mark.kube
def test_a_whole_log_kept_twice_is_kept_once(kube_store_cluster: ClusterHandle, store: ConfigMapStore) -> None:
    store.create_workflow(workflow("wf"))
    store.keep_log("wf", "wf-p", "main", "one\ntwo\n")  # copied before podGC deletes the pod...
    client = KubeClient.from_kubeconfig(kube_store_cluster.kubeconfig_path, qps=0)
    try:
        # ...the driver dies before deleting it; the next one (no cached bundles) copies it again
        ConfigMapStore(client, "default", clock=lambda: NOW).keep_log("wf", "wf-p", "main", "one\ntwo\n")
    finally:
        client.close()
    assert store.read_log("wf", "wf-p", "main") == "one\ntwo\n"
    assert len(_bundles(store)) == 1


@pytest.mark.kube
def test_the_writer_appends_without_a_list_per_log_and_recovers_from_another_writer(
        store: ConfigMapStore, kube_store_cluster: ClusterHandle) -> None:
    store.create_workflow(workflow("wf"))
    store.append_log("wf", "wf-a", "main", "a\n")
    kube_store_cluster.server.requests.reset()
    for pod in range(5):
        store.append_log("wf", f"wf-p{pod}", "main", f"{pod}\n")
    records = kube_store_cluster.server.requests.records
    assert [r.verb for r in records if r.resource == "configmaps"] == ["update"] * 5
    other = ConfigMapStore(store.client, "default", clock=lambda: NOW)  # another process's store
    other.append_log("wf", "wf-other", "main", "other\n")
    store.append_log("wf", "wf-last", "main", "last\n")  # its copy is stale: 409, then read again
    assert [store.read_log("wf", p, "main") for p in ("wf-a", "wf-p4", "wf-other", "wf-last")] == [
        "a\n", "4\n", "other\n", "last\n"]
