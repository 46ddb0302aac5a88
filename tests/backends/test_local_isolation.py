"""Local backend in namespace mode: private /tmp, volumes at their mountPath, /argosay, PVCs."""

from __future__ import annotations

from pathlib import Path

from argoctl.backends.local.backend import LocalBackend

from .conftest import make_request, needs_namespace, run_pod, wait_final

pytestmark = needs_namespace


def test_parallel_pods_writing_tmp_out_txt_do_not_collide(namespace_backend: LocalBackend) -> None:
    local = namespace_backend
    host_file = Path("/tmp/out.txt")
    before = host_file.read_bytes() if host_file.exists() else None
    for name in ("left", "right"):
        local.start(make_request({
            "container": {"image": "alpine", "command": ["sh", "-c", f"echo {name} > /tmp/out.txt; sleep 0.3"]},
            "outputs": {"parameters": [{"name": "o", "valueFrom": {"path": "/tmp/out.txt"}}]},
        }, name=name))
    final = wait_final(local, {"wf-left", "wf-right"})
    for name in ("left", "right"):
        outputs = final[f"wf-{name}"].outputs
        assert outputs is not None and outputs["parameters"][0]["value"] == name
    after = host_file.read_bytes() if host_file.exists() else None
    assert after == before


def test_volumes_appear_at_their_mount_path(namespace_backend: LocalBackend) -> None:
    local = namespace_backend
    update = run_pod(local, {
        "volumes": [{"name": "workdir", "emptyDir": {}}],
        "container": {"image": "alpine:3.23", "command": ["/bin/sh", "-c"],
                      "args": ["grep -q ' /mnt/vol ' /proc/mounts && echo mounted > /mnt/vol/f && cat /mnt/vol/f"],
                      "volumeMounts": [{"name": "workdir", "mountPath": "/mnt/vol"}]},
    }, capture_result=True)
    assert update.phase == "Succeeded", local.read_logs("wf-step")
    assert update.outputs is not None and update.outputs["result"] == "mounted"
    assert not Path("/mnt/vol").exists()  # the mount point was made in the pod's overlay, not on the host


def test_claims_are_shared_between_pods_of_a_run(namespace_backend: LocalBackend) -> None:
    local = namespace_backend
    spec = {"volumeClaimTemplates": [{"metadata": {"name": "workdir"}}]}
    mount = [{"name": "workdir", "mountPath": "/mnt/vol"}]
    write = run_pod(local, {"container": {"image": "busybox", "command": ["sh", "-c", "echo hello world | tee /mnt/vol/hello"],
                                          "volumeMounts": mount}}, name="generate", workflow_spec=spec)
    assert write.phase == "Succeeded"
    read = run_pod(local, {"container": {"image": "alpine:3.23", "command": ["cat", "/mnt/vol/hello"],
                                         "volumeMounts": mount}}, name="print", workflow_spec=spec,
                   capture_result=True)
    assert read.outputs is not None and read.outputs["result"] == "hello world"


def test_argosay_is_reachable_at_the_root(namespace_backend: LocalBackend) -> None:
    local = namespace_backend
    update = run_pod(local, {"container": {"image": "argoproj/argosay:v2", "command": ["/bin/sh", "-c"],
                                           "args": ["/argosay echo from-root"]}}, capture_result=True)
    assert update.phase == "Succeeded", local.read_logs("wf-step")
    assert update.outputs is not None and update.outputs["result"] == "from-root"
    assert not Path("/argosay").exists()


def test_writes_to_the_root_stay_in_the_pod(namespace_backend: LocalBackend) -> None:
    local = namespace_backend
    update = run_pod(local, {"container": {"image": "argoproj/argosay:v2", "command": ["sh", "-c"],
                                           "args": ["touch test.yml && test -f /test.yml"]}})
    assert update.phase == "Succeeded"
    assert not Path("/test.yml").exists()
