"""argoctl.kube.client over HTTP against the loopback API server: CRUD, watch and 410 Gone,
retries under injected 5xx/429/resets, error mapping, rate limiting."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest

from argoctl.errors import ClusterError, ConflictError, ExitCode, NotFoundError
from argoctl.kube import paths
from argoctl.kube.client import KubeClient, RetryPolicy
from argoctl.kube.errors import Gone, Invalid
from argoctl.kube.ratelimit import TokenBucket
from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.kubeconfig import write_kubeconfig
from tests.kube.clientfixtures import ClientFactory

pytestmark = pytest.mark.kube
CMS = paths.collection("default", "configmaps")


def cm(name: str, **labels: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels},
            "data": {"k": "v"}}


# -- CRUD ----------------------------------------------------------------------------------------


def test_create_get_replace_patch_delete(kube: KubeClient) -> None:
    created = kube.create(CMS, cm("one", app="x"))
    assert created["metadata"]["uid"] and kube.get(f"{CMS}/one")["data"] == {"k": "v"}
    created["data"] = {"k": "w"}
    replaced = kube.replace(f"{CMS}/one", created)
    assert replaced["metadata"]["resourceVersion"] != created["metadata"]["resourceVersion"]
    assert kube.patch(f"{CMS}/one", {"data": {"m": "1"}})["data"] == {"k": "w", "m": "1"}
    ops = [{"op": "replace", "path": "/data/m", "value": "2"}]
    assert kube.patch(f"{CMS}/one", ops, patch_type="json")["data"]["m"] == "2"
    assert kube.delete(f"{CMS}/one") is not None
    with pytest.raises(NotFoundError, match='configmaps "one" not found'):
        kube.get(f"{CMS}/one")
    assert kube.delete(f"{CMS}/one", missing_ok=True) is None


def test_stale_replace_and_duplicate_create_are_conflicts(kube: KubeClient) -> None:
    first = kube.create(CMS, cm("two"))
    kube.replace(f"{CMS}/two", {**first, "data": {"k": "newer"}})
    with pytest.raises(ConflictError, match="the object has been modified"):
        kube.replace(f"{CMS}/two", {**first, "data": {"k": "stale"}})
    with pytest.raises(ConflictError, match='"two" already exists'):
        kube.create(CMS, cm("two"))
    with pytest.raises(ConflictError):  # a delete precondition on an old resourceVersion
        kube.delete(f"{CMS}/two", resource_version=first["metadata"]["resourceVersion"])


def test_list_selects_by_label_in_one_request(kube: KubeClient, api_server: ClusterHandle) -> None:
    for name, team in (("a", "ml"), ("b", "web"), ("c", "ml")):
        kube.create(CMS, cm(name, team=team))
    api_server.server.requests.reset()
    found = kube.list(CMS, label_selector="team=ml")
    assert sorted(i["metadata"]["name"] for i in found["items"]) == ["a", "c"]
    assert api_server.server.requests.count("list", "configmaps") == 1
    paged = kube.list(CMS, label_selector="team", limit=1)  # pages merged
    assert sorted(i["metadata"]["name"] for i in paged["items"]) == ["a", "b", "c"]


def test_invalid_object_is_a_usage_error(kube: KubeClient) -> None:
    with pytest.raises(Invalid) as caught:
        kube.create(CMS, {"metadata": {"name": "Bad_Name"}})
    assert caught.value.exit_code == ExitCode.USAGE and caught.value.status == 422


# -- watch ---------------------------------------------------------------------------------------


def test_watch_streams_changes_from_a_resource_version(kube: KubeClient) -> None:
    start = kube.list(CMS)["metadata"]["resourceVersion"]

    def change() -> None:
        kube.create(CMS, cm("w1", app="w"))
        kube.patch(f"{CMS}/w1", {"data": {"k": "2"}})
        kube.delete(f"{CMS}/w1")

    threading.Thread(target=change).start()
    seen = []
    for kind, obj in kube.watch(CMS, resource_version=start, label_selector="app=w", timeout_seconds=20):
        if kind == "BOOKMARK":
            continue
        seen.append((kind, obj["metadata"]["name"]))
        if kind == "DELETED":
            break
    assert seen == [("ADDED", "w1"), ("MODIFIED", "w1"), ("DELETED", "w1")]


def test_watch_ends_when_the_server_times_it_out(kube: KubeClient) -> None:
    events = list(kube.watch(CMS, timeout_seconds=1, bookmarks=False))
    assert [kind for kind, _ in events] == ["ADDED"]  # kube-root-ca.crt, then the clean end


def test_watch_from_a_compacted_version_raises_gone_and_a_relist_recovers(
        kube: KubeClient, api_server: ClusterHandle) -> None:
    old = kube.list(CMS)["metadata"]["resourceVersion"]
    kube.create(CMS, cm("after"))
    api_server.server.compact()
    with pytest.raises(Gone) as caught:
        list(kube.watch(CMS, resource_version=old, timeout_seconds=5))
    assert caught.value.status == 410
    relisted = kube.list(CMS)
    assert "after" in [i["metadata"]["name"] for i in relisted["items"]]
    fresh = kube.watch(CMS, resource_version=relisted["metadata"]["resourceVersion"], timeout_seconds=1)
    assert [kind for kind, _ in fresh if kind != "BOOKMARK"] == []


def test_a_dropped_watch_is_a_transient_error(kube: KubeClient, api_server: ClusterHandle) -> None:
    api_server.server.faults.drop_next_watches(1, after_events=1, abrupt=True)
    with pytest.raises(ClusterError) as caught:
        list(kube.watch(CMS, timeout_seconds=20))
    assert caught.value.transient


# -- retries -------------------------------------------------------------------------------------


def test_reads_are_retried_through_5xx_429_and_resets(
        kube: KubeClient, api_server: ClusterHandle, sleeps: list[float]) -> None:
    faults, requests = api_server.server.faults, api_server.server.requests
    faults.fail_next(1, status=503, verb="list")
    faults.throttle_next(1, retry_after=7, verb="list")
    faults.reset_next(1, verb="list")
    requests.reset()
    assert kube.list(CMS)["kind"] == "ConfigMapList"
    assert requests.count("list", "configmaps") == 4
    assert len(sleeps) == 3 and 7.0 in sleeps  # Retry-After honoured (and never really slept)


def test_retries_give_up_with_a_transient_error(kube: KubeClient, api_server: ClusterHandle) -> None:
    api_server.server.faults.fail_next(None, status=500, verb="get")
    with pytest.raises(ClusterError) as caught:
        kube.get(f"{CMS}/kube-root-ca.crt")
    assert caught.value.transient and caught.value.status == 500 and caught.value.exit_code == ExitCode.UNAVAILABLE
    assert api_server.server.requests.count("get", "configmaps") == 4  # RetryPolicy(attempts=4)


def test_creates_are_retried_only_when_surely_unprocessed(
        kube: KubeClient, api_server: ClusterHandle) -> None:
    faults, requests = api_server.server.faults, api_server.server.requests
    faults.throttle_next(1, retry_after=1, verb="create")
    assert kube.create(CMS, cm("throttled"))["metadata"]["name"] == "throttled"
    faults.fail_next(1, status=503, verb="create")
    with pytest.raises(ClusterError) as caught:
        kube.create(CMS, cm("ambiguous"))
    assert caught.value.transient
    faults.reset_next(1, verb="create")
    with pytest.raises(ClusterError):
        kube.create(CMS, cm("reset"))
    assert requests.count("create", "configmaps") == 4


# -- errors --------------------------------------------------------------------------------------


def test_forbidden_names_the_verb_and_resource_to_add(kube: KubeClient, api_server: ClusterHandle) -> None:
    api_server.server.faults.forbid("create", "pods")
    with pytest.raises(ClusterError) as caught:
        kube.create(paths.collection("default", "pods"), {"metadata": {"name": "p"}})
    assert caught.value.message == ('forbidden: cannot create pods in namespace "default"; '
                                    'add verb "create" on "pods" to your Role')
    assert caught.value.status == 403 and caught.value.exit_code == ExitCode.UNAVAILABLE
    assert 'User "fake-user" cannot create resource "pods"' in caught.value.hint
    api_server.server.faults.forbid("watch", "leases")
    leases = paths.collection("default", "leases", group="coordination.k8s.io")
    with pytest.raises(ClusterError, match=re.escape('cannot watch leases.coordination.k8s.io in namespace "default"; '
                                                     'add verb "watch" on "leases" (apiGroup "coordination.k8s.io")')):
        list(kube.watch(leases, timeout_seconds=1))


def test_unreachable_server_exits_3(tmp_path: Path, sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_kubeconfig(tmp_path / "kubeconfig", f"http://127.0.0.1:{port}")
    client = KubeClient.from_kubeconfig(str(config), retry=RetryPolicy(attempts=3), sleep=sleeps.append)
    with pytest.raises(ClusterError) as caught:
        client.list(CMS)
    assert caught.value.exit_code == ExitCode.UNAVAILABLE
    assert f"cannot reach the Kubernetes API server at http://127.0.0.1:{port}" in caught.value.message
    assert len(sleeps) == 2  # refused connections are retried, even for creates
    with pytest.raises(ClusterError):
        client.create(CMS, cm("x"))
    assert len(sleeps) == 4


# -- rate limit ----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_token_bucket_allows_a_burst_then_qps() -> None:
    clock = FakeClock()
    bucket = TokenBucket(qps=10, burst=3, clock=lambda: clock.now, sleep=clock.sleep)
    waits = [bucket.acquire() for _ in range(6)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3:] == pytest.approx([0.1, 0.1, 0.1])
    clock.now += 10  # idle: the bucket refills to the burst, no more
    assert [bucket.acquire() for _ in range(4)][-1] == pytest.approx(0.1)
    assert bucket.waits == 4


def test_client_requests_wait_for_tokens(make_client: ClientFactory, api_server: ClusterHandle,
                                         sleeps: list[float]) -> None:
    client = make_client(qps=5, burst=2)
    api_server.server.requests.reset()
    for _ in range(5):
        client.list(CMS)
    assert api_server.server.requests.count("list", "configmaps") == 5
    assert client.limiter.waits == 3 and len(sleeps) == 3  # burst 2, then each waits ~1/qps
    # the sleeps are recorded, not slept, so the reserved waits queue up: at most 1/qps each
    assert 0 < sleeps[0] <= sleeps[1] <= sleeps[2] <= 3 / 5 + 1e-9
