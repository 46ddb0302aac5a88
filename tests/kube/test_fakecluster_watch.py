"""Watches through the real client: replay from a resourceVersion, selector transitions,
timeouts, bookmarks and 410 Gone followed by a re-list."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from kubernetes.client.exceptions import ApiException

from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.helpers import api, client_for, new_watch, raw_call

pytestmark = pytest.mark.kube


def _events(core_v1: Any, **kwargs: Any) -> list[tuple[str, str, str]]:
    """(type, name, value of data.n) of every event until the watch times out."""
    stream = new_watch().stream(core_v1.list_namespaced_config_map, "default", **kwargs)
    return [(e["type"], e["raw_object"]["metadata"]["name"], (e["raw_object"].get("data") or {}).get("n", ""))
            for e in stream]


def test_watch_replays_changes_after_a_list(core_v1: Any) -> None:
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "a"}, "data": {"n": "0"}})
    listed = core_v1.list_namespaced_config_map("default")
    core_v1.patch_namespaced_config_map("a", "default", {"data": {"n": "1"}})
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "b"}, "data": {"n": "0"}})
    core_v1.delete_namespaced_config_map("a", "default")
    events = _events(core_v1, resource_version=listed.metadata.resource_version, timeout_seconds=1)
    assert events == [("MODIFIED", "a", "1"), ("ADDED", "b", "0"), ("DELETED", "a", "1")]


def test_watch_without_resource_version_starts_with_current_objects(core_v1: Any) -> None:
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "a", "labels": {"w": "1"}}})
    events = _events(core_v1, label_selector="w=1", timeout_seconds=1)
    assert events == [("ADDED", "a", "")]


def test_watch_sees_objects_enter_and_leave_its_selection(core_v1: Any) -> None:
    listed = core_v1.list_namespaced_config_map("default")
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "a"}, "data": {"n": "0"}})
    core_v1.patch_namespaced_config_map("a", "default", {"metadata": {"labels": {"phase": "Running"}}, "data": {"n": "1"}})
    core_v1.patch_namespaced_config_map("a", "default", {"data": {"n": "2"}})
    core_v1.patch_namespaced_config_map("a", "default", {"metadata": {"labels": {"phase": "Done"}}, "data": {"n": "3"}})
    events = _events(core_v1, resource_version=listed.metadata.resource_version, timeout_seconds=1,
                     label_selector="phase=Running")
    assert events == [("ADDED", "a", "1"), ("MODIFIED", "a", "2"), ("DELETED", "a", "3")]


def test_live_events_arrive_while_watching(core_v1: Any) -> None:
    listed = core_v1.list_namespaced_config_map("default")
    seen: list[str] = []
    stream = new_watch()

    def consume() -> None:
        for event in stream.stream(core_v1.list_namespaced_config_map, "default",
                                   resource_version=listed.metadata.resource_version, timeout_seconds=10):
            seen.append(event["raw_object"]["metadata"]["name"])
            if len(seen) == 2:
                stream.stop()

    reader = threading.Thread(target=consume)
    reader.start()
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "one"}})
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "two"}})
    reader.join(timeout=60)
    assert not reader.is_alive() and seen == ["one", "two"]


def test_bookmarks_carry_the_latest_resource_version(api_client: Any, core_v1: Any, fake_cluster: ClusterHandle) -> None:
    listed = core_v1.list_namespaced_config_map("default")
    core_v1.create_namespace({"metadata": {"name": "elsewhere"}})  # moves the resourceVersion on
    fake_cluster.server.bookmark_interval = 0.2
    code, text = raw_call(api_client, "GET", f"/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true"
                          f"&timeoutSeconds=1&resourceVersion={listed.metadata.resource_version}")
    lines = [json.loads(line) for line in text.splitlines()] if isinstance(text, str) else [text]
    bookmarks = [e for e in lines if e["type"] == "BOOKMARK"]
    assert code == 200 and bookmarks
    assert int(bookmarks[-1]["object"]["metadata"]["resourceVersion"]) > int(listed.metadata.resource_version)
    assert bookmarks[-1]["object"]["kind"] == "ConfigMap"


def test_too_old_resource_version_is_gone_and_a_relist_recovers(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    listed = core_v1.list_namespaced_config_map("default")
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "a"}})
    fake_cluster.server.compact()
    with pytest.raises(ApiException) as error:
        # timeout_seconds disables the client's own silent retry, so the 410 reaches us
        list(new_watch().stream(core_v1.list_namespaced_config_map, "default",
                                  resource_version=listed.metadata.resource_version, timeout_seconds=1))
    assert error.value.status == 410 and "too old resource version" in str(error.value.reason)
    relisted = core_v1.list_namespaced_config_map("default")
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "b"}})
    events = _events(core_v1, resource_version=relisted.metadata.resource_version, timeout_seconds=1)
    assert [name for _, name, _ in events] == ["b"]


def test_history_limit_expires_old_versions(tmp_path: Any) -> None:
    from tests.fakecluster.fixtures import running_cluster

    with running_cluster(tmp_path, history_limit=3, kubelet=False) as handle:
        v1 = api("CoreV1Api", client_for(handle.kubeconfig_path))
        start = v1.list_namespaced_config_map("default").metadata.resource_version
        for index in range(5):
            v1.create_namespaced_config_map("default", {"metadata": {"name": f"c{index}"}})
        with pytest.raises(ApiException) as error:
            list(new_watch().stream(v1.list_namespaced_config_map, "default", resource_version=start,
                                    timeout_seconds=1))
        assert error.value.status == 410


def test_pod_watch_follows_a_pod_to_completion(core_v1: Any) -> None:
    listed = core_v1.list_namespaced_pod("default")
    core_v1.create_namespaced_pod("default", {"metadata": {"name": "p", "labels": {"wf": "w1"}}, "spec": {
        "restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox", "command": ["true"]}]}})
    phases: list[str] = []
    stream = new_watch()
    for event in stream.stream(core_v1.list_namespaced_pod, "default", label_selector="wf=w1",
                               resource_version=listed.metadata.resource_version, timeout_seconds=20):
        phases.append(event["raw_object"]["status"]["phase"])
        if phases[-1] == "Succeeded":
            stream.stop()
    assert phases[0] == "Pending" and phases[-1] == "Succeeded" and "Running" in phases
