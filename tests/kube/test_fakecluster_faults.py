"""Injected faults, seen through the real client: 5xx, 429, connection resets, dropped watches,
latency, 403s, and pod disasters (eviction, OOM kill, deletion, image pull failure); and the
request counter."""

from __future__ import annotations

import time
from typing import Any

import pytest
import urllib3
from kubernetes.client.exceptions import ApiException

from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.helpers import (
    api,
    api_status,
    is_done,
    main_state,
    new_watch,
    pod_manifest,
    terminated,
)

pytestmark = pytest.mark.kube


def test_next_requests_fail_with_5xx(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    fake_cluster.server.faults.fail_next(2, status=503, verb="list", resource="configmaps")
    for _ in range(2):
        with pytest.raises(ApiException) as error:
            core_v1.list_namespaced_config_map("default")
        assert error.value.status == 503 and api_status(error.value)["reason"] == "ServiceUnavailable"
    core_v1.list_namespaced_config_map("default")
    core_v1.list_namespaced_pod("default")
    assert fake_cluster.server.requests.count("list", "configmaps") == 3


def test_throttling_answers_429_with_retry_after(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    fake_cluster.server.faults.throttle_next(1, retry_after=2, verb="create")
    with pytest.raises(ApiException) as error:
        core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    assert error.value.status == 429 and dict(error.value.headers or {})["Retry-After"] == "2"
    assert api_status(error.value)["details"] == {"retryAfterSeconds": 2}
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}})


def test_connection_reset(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    faults = fake_cluster.server.faults
    faults.reset_next(1, verb="create", resource="configmaps")
    with pytest.raises(urllib3.exceptions.HTTPError):  # POST is not retried by urllib3
        core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    faults.reset_next(1, verb="get", resource="configmaps", name="kube-root-ca.crt")
    assert core_v1.read_namespaced_config_map("kube-root-ca.crt", "default").data  # GET retried by urllib3
    codes = [r.code for r in fake_cluster.server.requests.records if r.resource == "configmaps"]
    assert codes == [0, 0, 200]


def test_latency(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    rule = fake_cluster.server.faults.delay(0.3, verb="list", resource="pods")
    started = time.monotonic()
    core_v1.list_namespaced_pod("default")
    assert time.monotonic() - started >= 0.3
    fake_cluster.server.faults.remove(rule)
    assert rule.hits == 1


def test_forbidden_and_access_review(api_client: Any, core_v1: Any, fake_cluster: ClusterHandle) -> None:
    fake_cluster.server.faults.forbid("create", "pods", namespace="default")
    with pytest.raises(ApiException) as error:
        core_v1.create_namespaced_pod("default", pod_manifest("p", ["true"]))
    assert error.value.status == 403
    assert api_status(error.value)["message"] == ('pods is forbidden: User "fake-user" cannot create resource "pods" '
                                                 'in API group "" in the namespace "default"')
    reviews = api("AuthorizationV1Api", api_client)

    def can(verb: str, resource: str) -> bool:
        body = {"spec": {"resourceAttributes": {"verb": verb, "resource": resource, "namespace": "default"}}}
        return bool(reviews.create_self_subject_access_review(body).status.allowed)

    assert not can("create", "pods") and can("list", "pods") and can("create", "configmaps")


def test_dropped_watch_is_resumed_by_the_client(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    faults = fake_cluster.server.faults
    listed = core_v1.list_namespaced_config_map("default")
    for name in ("a", "b", "c"):
        core_v1.create_namespaced_config_map("default", {"metadata": {"name": name}})
    faults.drop_next_watches(1, after_events=1)
    seen: list[str] = []
    stream = new_watch()
    for event in stream.stream(core_v1.list_namespaced_config_map, "default",
                               resource_version=listed.metadata.resource_version):
        seen.append(event["raw_object"]["metadata"]["name"])
        if len(seen) == 3:
            stream.stop()
    assert seen == ["a", "b", "c"]  # the second watch resumed from the last resourceVersion seen
    assert fake_cluster.server.requests.count("watch", "configmaps") == 2


def test_abruptly_dropped_watch_breaks_the_stream(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    fake_cluster.server.faults.drop_next_watches(1, after_events=0, abrupt=True)
    with pytest.raises((urllib3.exceptions.ProtocolError, urllib3.exceptions.HTTPError)):
        list(new_watch().stream(core_v1.list_namespaced_config_map, "default", timeout_seconds=5))


def test_drop_open_watches_now(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    import threading

    ended = threading.Event()

    def consume() -> None:
        list(new_watch().stream(core_v1.list_namespaced_config_map, "default", timeout_seconds=30))
        ended.set()

    reader = threading.Thread(target=consume, daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while fake_cluster.server.faults.open_watches == 0:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert fake_cluster.server.faults.drop_watches(resource="configmaps") == 1
    assert ended.wait(60)


def test_eviction(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sleep", "60"]))
    fake_cluster.server.wait_for_pod("default", "p", lambda p: p["status"]["phase"] == "Running")
    fake_cluster.server.evict_pod("default", "p", message="The node was low on resource: ephemeral-storage.")
    pod = fake_cluster.server.wait_for_pod("default", "p", is_done)
    assert pod["status"]["phase"] == "Failed" and pod["status"]["reason"] == "Evicted"
    assert pod["status"]["message"] == "The node was low on resource: ephemeral-storage."
    assert "terminated" in main_state(pod)
    reasons = [c["reason"] for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert reasons == ["TerminationByKubelet"]


def test_oom_kill(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sleep", "60"]))
    fake_cluster.server.wait_for_pod("default", "p", lambda p: p["status"]["phase"] == "Running")
    fake_cluster.server.oom_kill("default", "p")
    pod = fake_cluster.server.wait_for_pod("default", "p", is_done)
    state = terminated(pod)
    assert pod["status"]["phase"] == "Failed" and state["exitCode"] == 137 and state["reason"] == "OOMKilled"


def test_pod_deleted_by_someone_else(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    listed = core_v1.list_namespaced_pod("default")
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sleep", "60"]))
    fake_cluster.server.wait_for_pod("default", "p", lambda p: p["status"]["phase"] == "Running")
    fake_cluster.server.delete_pod("default", "p")
    fake_cluster.server.wait_for_pod_gone("default", "p", timeout=60)
    kinds = [e["type"] for e in new_watch().stream(core_v1.list_namespaced_pod, "default", timeout_seconds=1,
                                                    resource_version=listed.metadata.resource_version)]
    assert kinds[0] == "ADDED" and kinds[-1] == "DELETED"


def test_injected_image_pull_failure(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    fake_cluster.server.fail_image_pull("busybox:*")
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["echo", "pulled"]))
    fake_cluster.server.wait_for_pod("default", "p", lambda p: main_state(p).get("waiting", {}).get("reason")
                                     in ("ErrImagePull", "ImagePullBackOff"))
    fake_cluster.server.clear_image_pull_failure("busybox:*")
    pod = fake_cluster.server.wait_for_pod("default", "p", is_done)
    assert pod["status"]["phase"] == "Succeeded"
    reasons = {e.reason for e in core_v1.list_namespaced_event(
        "default", field_selector="involvedObject.name=p").items}
    assert "Failed" in reasons and "Started" in reasons


def test_request_counter(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    requests = fake_cluster.server.requests
    requests.reset()
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["true"]))
    core_v1.read_namespaced_pod("p", "default")
    core_v1.patch_namespaced_pod("p", "default", {"metadata": {"labels": {"seen": "yes"}}})
    fake_cluster.server.wait_for_pod("default", "p", is_done)
    core_v1.read_namespaced_pod_log("p", "default")
    assert requests.by_verb_resource() == {("create", "pods"): 1, ("get", "pods"): 1, ("patch", "pods"): 1,
                                           ("get", "pods/log"): 1}
    assert requests.writes() == 2 and requests.count(verb="get") == 2
