"""Outputs leaving pods: overflow past the termination message, images without a shell,
containerSets, init containers and sidecars."""

from __future__ import annotations

from pathlib import Path

import pytest

from argoctl.backends.images import ImageEntry, ImageTable
from argoctl.backends.kube import helper
from argoctl.backends.kube.backend import KubeBackend
from argoctl.kube.client import KubeClient
from tests.fakecluster.fixtures import ClusterHandle
from tests.kube.test_backend_support import (  # noqa: F401
    NAMESPACE,
    backend,
    container,
    kube_client,
    make_request,
    run_one,
)

pytestmark = pytest.mark.kube


def test_large_outputs_overflow_into_the_outputs_container_log(
        backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    script = "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done; seq 1 3000 > /tmp/big"
    template = {**container(["bash", "-c", script]),
                "outputs": {"parameters": [{"name": "big", "valueFrom": {"path": "/tmp/big"}}]}}
    request = make_request("big", template, capture=True)
    fake_cluster.server.requests.reset()
    final = run_one(backend, request)
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None
    assert final.outputs["result"].splitlines()[-1] == "line-1999"
    assert len(final.outputs["result"].splitlines()) == 2000
    assert final.outputs["parameters"][0]["value"] == "\n".join(str(i) for i in range(1, 3001))
    pod = fake_cluster.server.pod(NAMESPACE, request.pod_name)
    assert pod is not None
    main = next(s for s in pod["status"]["containerStatuses"] if s["name"] == "main")
    assert " overflow " in main["state"]["terminated"]["message"]
    logs = [r for r in fake_cluster.server.requests.records if r.resource == "pods/log"]
    assert len(logs) == 1  # the one read of the argoctl-outputs log


def test_image_without_shell_or_path_still_reports_outputs(
        kube_client: KubeClient, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    fake_cluster.server.images.register("example.com/noshell:*", entrypoint=("/usr/bin/cp",))
    images = ImageTable(user={"example.com/noshell": ImageEntry("example.com/noshell", entrypoint=("/usr/bin/cp",))})
    custom = KubeBackend(kube_client, NAMESPACE, images=images)
    try:
        template = {"container": {"image": "example.com/noshell:1", "args": ["/etc/hostname", "/tmp/copy"],
                                  "env": [{"name": "PATH", "value": "/nonexistent"}]},
                    "outputs": {"parameters": [{"name": "copy", "valueFrom": {"path": "/tmp/copy"}}]}}
        request = make_request("noshell", template)
        final = run_one(custom, request)
    finally:
        custom.close()
    assert final.phase == "Succeeded", final.message
    expected = Path("/etc/hostname").read_text().removesuffix("\n")  # the fake's containers see the host's
    assert final.outputs is not None and final.outputs["parameters"][0]["value"] == expected
    pod = fake_cluster.server.pod(NAMESPACE, request.pod_name)
    assert pod is not None
    main = pod["spec"]["containers"][0]
    assert main["command"][0] == f"{helper.HELPER_BIN}/sh"  # the helper's shell, never the image's
    assert main["command"][4:] == ["/usr/bin/cp", "/etc/hostname", "/tmp/copy"]


def test_container_set_dependencies_and_member_phases(backend: KubeBackend) -> None:  # noqa: F811
    template = {"containerSet": {
        "volumeMounts": [{"name": "work", "mountPath": "/work"}],
        "containers": [
            {"name": "a", "image": "busybox", "command": ["sh", "-c", "sleep 0.3; echo a > /work/a"]},
            {"name": "main", "image": "busybox", "command": ["sh", "-c", "cat /work/a > /tmp/out"],
             "dependencies": ["a"]},
            {"name": "c", "image": "busybox", "command": ["sh", "-c", "exit 2"]},
            {"name": "d", "image": "busybox", "command": ["true"], "dependencies": ["c"]},
        ]},
        "volumes": [{"name": "work", "emptyDir": {}}],
        "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/tmp/out"}}]}}
    final = run_one(backend, make_request("cs", template))
    members = {c.name: (c.phase, c.message) for c in final.containers}
    assert final.phase == "Failed"
    assert final.message == "c: Error (exit code 2)"
    assert members["a"] == ("Succeeded", "")
    assert members["main"] == ("Succeeded", "")
    assert members["c"] == ("Failed", "c: Error (exit code 2): ")
    assert members["d"] == ("Failed", "dependency 'c' did not succeed")
    assert final.outputs is not None and final.outputs["parameters"][0]["value"] == "a"


def test_container_set_outputs_are_read_once_every_member_is_done(backend: KubeBackend) -> None:  # noqa: F811
    """examples/container-set-template/workspace-workflow.yaml: a member that is not 'main' writes
    the output while 'main' is already done; Argo's wait container reads outputs after all."""
    template = {"containerSet": {
        "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}],
        "containers": [
            {"name": "a", "image": "busybox", "command": ["sh", "-c", "sleep 0.5; echo hi > /workspace/out"]},
            {"name": "main", "image": "busybox", "command": ["true"]},
        ]},
        "volumes": [{"name": "workspace", "emptyDir": {}}],
        "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/workspace/out"}}]}}
    final = run_one(backend, make_request("workspace", template))
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["parameters"][0]["value"] == "hi"


def test_container_set_retry_strategy_reruns_a_failing_member(backend: KubeBackend) -> None:  # noqa: F811
    template = {"containerSet": {
        "retryStrategy": {"retries": 2},
        "volumeMounts": [{"name": "work", "mountPath": "/work"}],
        "containers": [{"name": "main", "image": "busybox", "command": [
            "sh", "-c", "echo x >> /work/n; [ $(wc -l < /work/n) -ge 3 ]"]}]},
        "volumes": [{"name": "work", "emptyDir": {}}]}
    final = run_one(backend, make_request("csretry", template))
    assert final.phase == "Succeeded", final.message


def test_init_containers_and_sidecars(backend: KubeBackend, fake_cluster: ClusterHandle) -> None:  # noqa: F811
    template = {
        **container(["sh", "-c", "cat /shared/init.txt; sleep 0.2"],
                    volumeMounts=[{"name": "shared", "mountPath": "/shared"}]),
        "volumes": [{"name": "shared", "emptyDir": {}}],
        "initContainers": [{"name": "prep", "image": "busybox", "mirrorVolumeMounts": True,
                            "command": ["sh", "-c", "echo from-init > /shared/init.txt"]}],
        "sidecars": [{"name": "side", "image": "busybox", "command": ["sh", "-c", "sleep 3600"]}],
    }
    request = make_request("side", template, capture=True)
    final = run_one(backend, request)
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["result"] == "from-init"
    pod = fake_cluster.server.pod(NAMESPACE, request.pod_name)
    assert pod is not None
    inits = {c["name"]: c for c in pod["spec"]["initContainers"]}
    assert inits["side"]["restartPolicy"] == "Always"  # a native sidecar: stopped when main is done
    assert {"name": "shared", "mountPath": "/shared"} in inits["prep"]["volumeMounts"]


def test_failing_init_container_fails_the_pod(backend: KubeBackend) -> None:  # noqa: F811
    template = {**container(["true"]),
                "initContainers": [{"name": "prep", "image": "busybox", "command": ["sh", "-c", "exit 4"]}]}
    final = run_one(backend, make_request("badinit", template))
    assert (final.phase, final.message) == ("Failed", "prep: Error (exit code 4)")


def test_raw_input_artifact_reaches_the_main_container(backend: KubeBackend) -> None:  # noqa: F811
    template = {**container(["sh", "-c", "cat /tmp/in/file.txt"]),
                "inputs": {"artifacts": [{"name": "f", "path": "/tmp/in/file.txt",
                                          "raw": {"data": "this is\nthe raw $(HOME) file\n"}}]}}
    final = run_one(backend, make_request("raw", template, capture=True))
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["result"] == "this is\nthe raw $(HOME) file"
