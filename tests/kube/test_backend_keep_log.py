"""KubeBackend reads a pod's log only when something needs it: a finished pod costs no log read
and no label patch; ``remove``/``kill`` with ``keep_log`` hand the log over before the pod goes
(the driver copies it into the store then, README "Logs on a cluster")."""

from __future__ import annotations

import time

import pytest

from argoctl.backends.kube.backend import KubeBackend
from tests.fakecluster.fixtures import ClusterHandle
from tests.kube.test_backend_lifecycle import wait_phase
from tests.kube.test_backend_support import (  # noqa: F401
    NAMESPACE,
    backend,
    container,
    kube_client,
    make_request,
    run_one,
)

pytestmark = pytest.mark.kube


def _pods(fake_cluster: ClusterHandle, name: str) -> list[dict[str, object]]:
    pods, _ = fake_cluster.server.store.list_objects(("", "pods"), lambda p: p["metadata"]["name"] == name)
    return pods


def _pod_exists(fake_cluster: ClusterHandle, name: str) -> bool:
    return bool(_pods(fake_cluster, name))


def test_a_finished_pod_costs_its_create_and_nothing_else(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    requests = fake_cluster.server.requests
    request = make_request("quiet", container(["sh", "-c", "echo hello"]))
    requests.reset()
    assert run_one(backend, request).phase == "Succeeded"
    counts = requests.by_verb_resource()
    assert counts[("create", "pods")] == 1
    assert counts[("patch", "pods")] == 0  # no completed=true label: the workflow's state says it
    assert counts[("get", "pods/log")] == 0  # nothing needed the log
    assert requests.writes() == 1
    [pod] = _pods(fake_cluster, request.pod_name)
    assert "workflows.argoproj.io/completed" not in pod["metadata"]["labels"]  # type: ignore[index]


def test_remove_hands_the_log_over_then_deletes_the_pod(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    request = make_request("gc", container(["sh", "-c", "echo kept-line"]))
    run_one(backend, request)
    kept: list[str] = []

    def keep(text: str) -> None:
        assert _pod_exists(fake_cluster, request.pod_name)  # read while the pod is still there
        kept.append(text)

    fake_cluster.server.requests.reset()
    backend.remove(request.pod_name, keep_log=keep)
    assert len(kept) == 1 and "kept-line" in kept[0]
    assert kept[0].split(" ", 1)[0].endswith("Z")  # timestamped, as `argoctl logs` shows it
    assert fake_cluster.server.requests.count("get", "pods/log") == 1
    fake_cluster.server.wait_for_pod_gone(NAMESPACE, request.pod_name)


def test_remove_of_a_pod_the_selector_keeps_reads_nothing(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    request = make_request("kept", {**container(["sh", "-c", "echo x"]), "metadata": {"labels": {"keep": "yes"}}})
    run_one(backend, request)
    kept: list[str] = []
    fake_cluster.server.requests.reset()
    backend.remove(request.pod_name, selector={"matchLabels": {"keep": "no"}}, keep_log=kept.append)
    assert kept == [] and fake_cluster.server.requests.count("get", "pods/log") == 0
    assert _pod_exists(fake_cluster, request.pod_name)


def test_remove_of_a_pod_already_gone_keeps_nothing(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    kept: list[str] = []
    backend.remove("wf-never-was", keep_log=kept.append)  # e.g. a second driver repeating podGC
    assert kept == []


def test_kill_hands_over_what_the_pod_printed_so_far(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    request = make_request("slow", container(["sh", "-c", "echo started; sleep 60"]))
    backend.start(request)
    wait_phase(backend, request.pod_name, "Running")
    deadline = time.monotonic() + 30
    while "started" not in backend.read_logs(request.pod_name) and time.monotonic() < deadline:
        backend.wait(0.2)
    kept: list[str] = []
    backend.kill(request.pod_name, reason="Stopped with strategy 'Terminate'", keep_log=kept.append)
    assert len(kept) == 1 and "started" in kept[0]
    fake_cluster.server.wait_for_pod_gone(NAMESPACE, request.pod_name)
