"""KubeBackend lifecycle over HTTP: adoption, kill, pod disasters, dropped watches, 410 Gone,
and the API requests one pod step costs."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest

from argoctl.backends.base import PodUpdate
from argoctl.backends.kube.backend import KubeBackend
from argoctl.kube.client import KubeClient
from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.kubelet.kubelet import EVICTION_MESSAGE
from tests.kube.test_backend_support import (  # noqa: F401
    NAMESPACE,
    backend,
    container,
    kube_client,
    make_request,
    run_one,
    wait_final,
)

pytestmark = pytest.mark.kube


def wait_phase(backend: KubeBackend, pod: str, phase: str, timeout: float = 30.0) -> PodUpdate:  # noqa: F811
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for update in backend.wait(0.5):
            if update.pod_name == pod and update.phase == phase:
                return update
    raise AssertionError(f"{pod} never reached {phase}")


def test_adopt_reads_a_pod_started_by_an_earlier_driver(
        kube_client: KubeClient, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    template = {**container(["sh", "-c", "sleep 0.5; echo -n v > /tmp/p"]),
                "outputs": {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/p"}}]}}
    request = make_request("adopted", template)
    first = KubeBackend(kube_client, NAMESPACE)
    first.start(request)
    first.close()  # the driver dies
    second = KubeBackend(kube_client, NAMESPACE)
    try:
        bare = dataclasses.replace(request, template={})  # what a re-attaching driver knows
        current = second.adopt([bare])
        assert len(current) == 1 and current[0].pod_name == request.pod_name
        final = current[0] if current[0].phase == "Succeeded" else wait_final(second, request.pod_name)[0]
    finally:
        second.close()
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["parameters"][0]["value"] == "v"
    assert fake_cluster.server.requests.count("create", "pods") == 1


def test_start_of_an_existing_pod_adopts_it(kube_client: KubeClient, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    request = make_request("twice", container(["sh", "-c", "echo once >> /dev/stderr; exit 0"]))
    first = KubeBackend(kube_client, NAMESPACE)
    run_one(first, request)
    first.close()
    second = KubeBackend(kube_client, NAMESPACE)
    try:
        final = run_one(second, request)  # e.g. an outbox replayed after a crash
        second.start(request)  # and again: nothing happens
        assert second.wait(0.2) == []
    finally:
        second.close()
    assert final.phase == "Succeeded"
    assert len([p for p in fake_cluster.server.requests.records if p.verb == "create" and p.code == 201]) == 1
    assert fake_cluster.server.requests.count("create", "pods") == 2  # the second answered 409


def test_kill_deletes_the_pod_and_fails_the_node(backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    request = make_request("killme", container(["sleep", "60"]))
    backend.start(request)
    wait_phase(backend, request.pod_name, "Running")
    backend.kill(request.pod_name, reason="Stopped with strategy 'Terminate'")
    final, _ = wait_final(backend, request.pod_name, timeout=60)
    assert (final.phase, final.message) == ("Failed", "Stopped with strategy 'Terminate'")
    fake_cluster.server.wait_for_pod_gone(NAMESPACE, request.pod_name)


def test_evicted_pod_fails_with_the_eviction_message(backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    request = make_request("evicted", container(["sleep", "60"]))
    backend.start(request)
    wait_phase(backend, request.pod_name, "Running")
    fake_cluster.server.evict_pod(NAMESPACE, request.pod_name)
    final, _ = wait_final(backend, request.pod_name)
    assert (final.phase, final.message) == ("Failed", EVICTION_MESSAGE)  # Argo: the pod's message, Failed


def test_oom_killed_main_fails_the_node(backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    template = {**container(["sleep", "60"]), "outputs": {"parameters": [
        {"name": "p", "valueFrom": {"path": "/tmp/p", "default": "none"}}]}}
    request = make_request("oom", template)
    backend.start(request)
    wait_phase(backend, request.pod_name, "Running")
    fake_cluster.server.oom_kill(NAMESPACE, request.pod_name, "main")
    final, _ = wait_final(backend, request.pod_name)
    assert (final.phase, final.message) == ("Failed", "main: OOMKilled (exit code 137)")
    assert final.outputs is not None and final.outputs["exitCode"] == "137"


def test_deleted_pod_of_a_started_node_is_an_error(backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    request = make_request("deleted", container(["sleep", "60"]))
    backend.start(request)
    wait_phase(backend, request.pod_name, "Running")
    fake_cluster.server.delete_pod(NAMESPACE, request.pod_name, grace_seconds=0)
    final, _ = wait_final(backend, request.pod_name)
    assert (final.phase, final.message) == ("Error", "pod deleted")


def test_image_pull_failure_errors_after_the_grace_period(
        kube_client: KubeClient, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    patient = KubeBackend(kube_client, NAMESPACE, image_pull_grace=1.5)
    try:
        request = make_request("nopull", container(["true"], image="alpine:doesntexist"))
        patient.start(request)
        pending = wait_phase(patient, request.pod_name, "Pending")
        final, _ = wait_final(patient, request.pod_name, timeout=60)
    finally:
        patient.close()
    assert pending.phase == "Pending"
    assert final.phase == "Error"
    assert final.message.startswith("ErrImagePull: "), final.message
    assert "alpine:doesntexist" in final.message
    fake_cluster.server.wait_for_pod_gone(NAMESPACE, request.pod_name)


def test_dropped_watches_and_gone_are_survived(backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    faults = fake_cluster.server.faults
    faults.drop_next_watches(2, after_events=1, abrupt=True, resource="pods")
    request = make_request("flaky", container(["sh", "-c", "sleep 1; exit 0"]))
    backend.start(request)
    wait_phase(backend, request.pod_name, "Running")
    fake_cluster.server.compact()  # the next watch from our resourceVersion gets 410 Gone
    faults.drop_watches("pods")
    final, _ = wait_final(backend, request.pod_name)
    assert final.phase == "Succeeded"
    stats = next(iter(backend.watches.values())).stats
    assert stats.gone >= 1 and stats.lists >= 2 and stats.reconnects >= 1


def test_one_pod_step_costs_one_write_one_watch_and_no_polling(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    requests = fake_cluster.server.requests
    template = {**container(["sh", "-c", "echo -n 1 > /tmp/p; echo r"]),
                "outputs": {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/p"}}]}}
    steps = [make_request(f"s{i}", template, capture=True) for i in range(3)]
    requests.reset()
    for request in steps:
        final = run_one(backend, request)
        assert final.phase == "Succeeded" and final.outputs is not None
        assert final.outputs["result"] == "r"
    counts = requests.by_verb_resource()
    assert counts[("create", "pods")] == 3
    assert counts[("patch", "pods")] == 0  # no completed=true label: the workflow's state records it
    assert requests.writes() == 3  # one write per pod step: its create
    assert counts[("watch", "pods")] == 1 and counts[("list", "pods")] == 1  # one watch for the workflow
    assert counts[("get", "pods")] == 0 and counts[("get", "pods/log")] == 0  # no polling reads


def test_lasting_pending_states_are_shown_and_brief_ones_are_not(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    quick = make_request("quick", container(["true"]))
    _, seen = wait_final_after_start(backend, quick)
    assert [u.phase for u in seen] in (["Running", "Succeeded"], ["Succeeded"])  # no brief ContainerCreating
    stuck = make_request("stuck", {**container(["true"]), "nodeSelector": {"disk": "ssd"}})
    backend.start(stuck)
    pending = wait_phase(backend, stuck.pod_name, "Pending", timeout=60)
    assert pending.message.startswith("Unschedulable: 0/1 nodes are available")
    backend.kill(stuck.pod_name, reason="done waiting")


def wait_final_after_start(backend: KubeBackend, request: Any) -> tuple[PodUpdate, list[PodUpdate]]:  # noqa: F811
    backend.start(request)
    return wait_final(backend, request.pod_name)


def test_a_deleted_workflows_pods_are_deleted_when_nothing_owns_them(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    """Without an owner (a store other than the ConfigMap store) no garbage collector would take them."""
    request = make_request("unowned", container(["true"]))
    run_one(backend, request)
    assert fake_cluster.server.pod(NAMESPACE, request.pod_name) is not None
    backend.workflow_deleted(request.workflow_name, [request.pod_name, "never-started"])
    fake_cluster.server.wait_for_pod_gone(NAMESPACE, request.pod_name)


def test_owned_pods_are_left_to_the_garbage_collector(kube_client: KubeClient, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    owned = KubeBackend(kube_client, NAMESPACE, owner=lambda name: None)
    try:
        owned.workflow_deleted("wf", ["wf-a-1", "wf-b-2"])
    finally:
        owned.close()
    assert fake_cluster.server.requests.count("delete", "pods") == 0
