"""Shared fixtures and builders for the KubeBackend tests (no tests here)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from argoctl.backends.base import PodRequest, PodUpdate
from argoctl.backends.kube.backend import KubeBackend
from argoctl.kube.client import KubeClient, RetryPolicy
from argoctl.model.ids import node_id, pod_name
from tests.fakecluster.fixtures import ClusterHandle

JSON = dict[str, Any]
NAMESPACE = "default"
FINAL = ("Succeeded", "Failed", "Error")


def make_request(step: str, template: JSON, *, workflow: str = "wf", capture: bool = False,
                 workflow_spec: JSON | None = None, deadline: str | None = None, uid: str = "uid-1",
                 exit_handler: bool = False) -> PodRequest:
    template = {"name": step, **template}
    node_name = f"{workflow}[0].{step}"
    nid = node_id(workflow, node_name)
    name = pod_name(workflow, node_name, step)
    env = (("ARGO_NODE_ID", nid), ("ARGO_WORKFLOW_NAME", workflow))
    return PodRequest(workflow_name=workflow, workflow_uid=uid, namespace=NAMESPACE, node_id=nid,
                      node_name=node_name, pod_name=name, template=template,
                      workflow_spec=workflow_spec or {}, capture_result=capture, deadline=deadline,
                      is_exit_handler=exit_handler, env=env)


def container(command: list[str], image: str = "busybox:1.36", **extra: Any) -> JSON:
    return {"container": {"image": image, "command": command, **extra}}


@pytest.fixture
def kube_client(fake_cluster: ClusterHandle) -> Iterator[KubeClient]:
    client = KubeClient.from_kubeconfig(fake_cluster.kubeconfig_path, retry=RetryPolicy(base_delay=0.01))
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def backend(kube_client: KubeClient) -> Iterator[KubeBackend]:
    instance = KubeBackend(kube_client, NAMESPACE)
    try:
        yield instance
    finally:
        instance.close()


def wait_final(backend: KubeBackend, pod: str, timeout: float = 60.0) -> tuple[PodUpdate, list[PodUpdate]]:
    """Collect updates until ``pod`` reports a final phase; returns it and every update seen."""
    seen: list[PodUpdate] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for update in backend.wait(min(1.0, end - time.monotonic())):
            seen.append(update)
            if update.pod_name == pod and update.phase in FINAL:
                return update, seen
    raise AssertionError(f"no final update for {pod}; saw {[(u.pod_name, u.phase, u.message) for u in seen]}")


def run_one(backend: KubeBackend, request: PodRequest, timeout: float = 60.0) -> PodUpdate:
    backend.start(request)
    final, _ = wait_final(backend, request.pod_name, timeout)
    return final
