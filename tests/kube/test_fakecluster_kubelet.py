"""The fake kubelet: real processes, exit codes, logs, init containers, shared volumes, env,
termination messages, deadlines, images, restarts and deletion."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from kubernetes.client.exceptions import ApiException

from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.helpers import api_status, is_done, main_state, pod_manifest, terminated
from tests.fakecluster.kubelet.sandbox import sandbox_mode

pytestmark = pytest.mark.kube
JSON = dict[str, Any]


def run_pod(core_v1: Any, cluster: ClusterHandle, body: JSON, timeout: float = 30) -> JSON:
    core_v1.create_namespaced_pod("default", body)
    return cluster.server.wait_for_pod("default", body["metadata"]["name"], is_done, timeout)


def test_exit_code_and_log(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    pod = run_pod(core_v1, fake_cluster, pod_manifest("p", ["sh", "-c", "echo hi; exit 3"]))
    assert pod["status"]["phase"] == "Failed"
    state = terminated(pod)
    assert state["exitCode"] == 3 and state["reason"] == "Error" and state["startedAt"] and state["finishedAt"]
    assert core_v1.read_namespaced_pod_log("p", "default") == "hi\n"
    status = core_v1.read_namespaced_pod("p", "default").status
    assert status.pod_ip == "127.0.0.1" and status.host_ip == "127.0.0.1"
    assert core_v1.read_namespaced_pod("p", "default").spec.node_name == "fake-node"


def test_success_phase_and_conditions(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    pod = run_pod(core_v1, fake_cluster, pod_manifest("p", ["sh", "-c", "echo out; echo err >&2"]))
    assert pod["status"]["phase"] == "Succeeded" and terminated(pod)["reason"] == "Completed"
    conditions = {c["type"]: c for c in pod["status"]["conditions"]}
    assert conditions["Ready"]["status"] == "False" and conditions["Ready"]["reason"] == "PodCompleted"
    assert conditions["PodScheduled"]["status"] == "True" and conditions["Initialized"]["status"] == "True"
    assert sorted(core_v1.read_namespaced_pod_log("p", "default").splitlines()) == ["err", "out"]


def test_running_pod_is_ready(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sleep", "30"]))
    pod = fake_cluster.server.wait_for_pod("default", "p", lambda p: p["status"]["phase"] == "Running")
    conditions = {c["type"]: c["status"] for c in pod["status"]["conditions"]}
    assert conditions["Ready"] == "True" and "running" in main_state(pod)
    assert pod["status"]["containerStatuses"][0]["started"] is True


def test_init_containers_run_in_order_before_main(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    volume_mount = [{"name": "work", "mountPath": "/work-dir"}]
    body = pod_manifest("p", ["sh", "-c", "cat /work-dir/order"], volumes=[{"name": "work", "emptyDir": {}}])
    body["spec"]["containers"][0]["volumeMounts"] = volume_mount
    body["spec"]["initContainers"] = [
        {"name": f"init-{i}", "image": "busybox", "command": ["sh", "-c", f"sleep 0.{3 - i}; echo {i} >> /work-dir/order"],
         "volumeMounts": volume_mount} for i in (1, 2)]
    pod = run_pod(core_v1, fake_cluster, body)
    assert pod["status"]["phase"] == "Succeeded"
    assert [s["state"]["terminated"]["reason"] for s in pod["status"]["initContainerStatuses"]] == ["Completed"] * 2
    assert core_v1.read_namespaced_pod_log("p", "default", container="main") == "1\n2\n"
    assert core_v1.read_namespaced_pod_log("p", "default", container="init-2") == ""


def test_failed_init_container_fails_the_pod(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    body = pod_manifest("p", ["echo", "never"])
    body["spec"]["initContainers"] = [{"name": "init", "image": "busybox", "command": ["sh", "-c", "exit 7"]}]
    pod = run_pod(core_v1, fake_cluster, body)
    assert pod["status"]["phase"] == "Failed"
    assert pod["status"]["initContainerStatuses"][0]["state"]["terminated"]["exitCode"] == 7
    assert main_state(pod)["waiting"]["reason"] == "PodInitializing"
    with pytest.raises(ApiException) as error:
        core_v1.read_namespaced_pod_log("p", "default", container="main")
    assert error.value.status == 400 and "is waiting to start: PodInitializing" in api_status(error.value)["message"]


def test_main_and_sidecar_share_an_empty_dir(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    body = pod_manifest("p", ["sh", "-c", "echo payload > /shared/data; while [ ! -f /shared/ack ]; do sleep 0.05; done"],
                        volumes=[{"name": "shared", "emptyDir": {}}])
    body["spec"]["containers"][0]["volumeMounts"] = [{"name": "shared", "mountPath": "/shared"}]
    body["spec"]["containers"].append({
        "name": "sidecar", "image": "alpine:3.23",
        "command": ["sh", "-c", "while [ ! -f /data/data ]; do sleep 0.05; done; cat /data/data; touch /data/ack"],
        "volumeMounts": [{"name": "shared", "mountPath": "/data"}]})
    pod = run_pod(core_v1, fake_cluster, body)
    assert pod["status"]["phase"] == "Succeeded"
    assert core_v1.read_namespaced_pod_log("p", "default", container="sidecar") == "payload\n"
    with pytest.raises(ApiException) as error:
        core_v1.read_namespaced_pod_log("p", "default")
    assert "a container name must be specified" in api_status(error.value)["message"]


def test_termination_message_from_file(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    script = "printf '%s' '{\"result\":\"42\"}' > /dev/termination-log; head -c 5000 /dev/zero | tr '\\0' x > /tmp/big"
    pod = run_pod(core_v1, fake_cluster, pod_manifest("p", ["sh", "-c", script]))
    assert terminated(pod)["message"] == '{"result":"42"}'
    custom = pod_manifest("q", ["sh", "-c", "head -c 5000 /dev/zero | tr '\\0' y > /tmp/msg"])
    custom["spec"]["containers"][0]["terminationMessagePath"] = "/tmp/msg"
    message = terminated(run_pod(core_v1, fake_cluster, custom))["message"]
    assert message == "y" * 4096


def test_termination_message_falls_back_to_logs_on_error(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    body = pod_manifest("p", ["sh", "-c", "for i in $(seq 1 100); do echo line $i; done; exit 1"])
    body["spec"]["containers"][0]["terminationMessagePolicy"] = "FallbackToLogsOnError"
    message = terminated(run_pod(core_v1, fake_cluster, body))["message"]
    assert message.splitlines()[-1] == "line 100" and len(message.splitlines()) == 80
    ok = pod_manifest("q", ["sh", "-c", "echo fine"])
    ok["spec"]["containers"][0]["terminationMessagePolicy"] = "FallbackToLogsOnError"
    assert "message" not in terminated(run_pod(core_v1, fake_cluster, ok))


def test_active_deadline_kills_the_pod(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    started = time.monotonic()
    pod = run_pod(core_v1, fake_cluster, pod_manifest("p", ["sleep", "60"], activeDeadlineSeconds=1))
    assert time.monotonic() - started < 20
    assert pod["status"]["phase"] == "Failed" and pod["status"]["reason"] == "DeadlineExceeded"
    assert pod["status"]["message"] == "Pod was active on the node longer than the specified deadline"
    assert terminated(pod)["exitCode"] in (137, 143)


def test_lowering_the_deadline_of_a_running_pod(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sleep", "60"], activeDeadlineSeconds=600))
    fake_cluster.server.wait_for_pod("default", "p", lambda p: p["status"]["phase"] == "Running")
    core_v1.patch_namespaced_pod("p", "default", {"spec": {"activeDeadlineSeconds": 1}})
    pod = fake_cluster.server.wait_for_pod("default", "p", is_done, 20)
    assert pod["status"]["reason"] == "DeadlineExceeded"


def test_env_from_fields_secrets_and_configmaps(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_secret("default", {"metadata": {"name": "creds"}, "stringData": {"user": "alice"}})
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "cfg"}, "data": {"mode": "fast", "X": "1"}})
    body = pod_manifest("p", ["sh", "-c", "echo $POD $NS $APP $USER_NAME $MODE $GREETING $cfg_X; echo $(POD)"],
                        labels={"app": "demo"})
    body["spec"]["containers"][0]["env"] = [
        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
        {"name": "USER_NAME", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "user"}}},
        {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode"}}},
        {"name": "GREETING", "value": "hello-$(POD)"},
    ]
    body["spec"]["containers"][0]["envFrom"] = [{"prefix": "cfg_", "configMapRef": {"name": "cfg"}}]
    run_pod(core_v1, fake_cluster, body)
    assert core_v1.read_namespaced_pod_log("p", "default") == "p default demo alice fast hello-p 1\np\n"


def test_missing_secret_waits_with_config_error(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    body = pod_manifest("p", ["sh", "-c", "echo $TOKEN"])
    body["spec"]["containers"][0]["env"] = [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "later", "key": "t"}}}]
    core_v1.create_namespaced_pod("default", body)
    waiting = fake_cluster.server.wait_for_pod("default", "p", lambda p: "waiting" in main_state(p)
                                               and main_state(p)["waiting"]["reason"] == "CreateContainerConfigError")
    assert main_state(waiting)["waiting"]["message"] == 'secret "later" not found'
    core_v1.create_namespaced_secret("default", {"metadata": {"name": "later"}, "stringData": {"t": "now"}})
    fake_cluster.server.wait_for_pod("default", "p", is_done)
    assert core_v1.read_namespaced_pod_log("p", "default") == "now\n"


def test_configmap_and_secret_volumes_and_working_dir(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "cfg"}, "data": {"a.txt": "A", "b": "B"}})
    core_v1.create_namespaced_secret("default", {"metadata": {"name": "sec"}, "stringData": {"key": "K"}})
    body = pod_manifest("p", ["sh", "-c", "cat /etc/cfg/a.txt /etc/cfg/renamed /etc/sec/key; echo; pwd; ls /etc/cfg"],
                        volumes=[{"name": "cfg", "configMap": {"name": "cfg", "items": [
                            {"key": "a.txt", "path": "a.txt"}, {"key": "b", "path": "renamed"}]}},
                                 {"name": "sec", "secret": {"secretName": "sec"}},
                                 {"name": "wd", "emptyDir": {}}])
    body["spec"]["containers"][0].update(workingDir="/workspace", volumeMounts=[
        {"name": "cfg", "mountPath": "/etc/cfg", "readOnly": True}, {"name": "sec", "mountPath": "/etc/sec"},
        {"name": "wd", "mountPath": "/workspace"}])
    run_pod(core_v1, fake_cluster, body)
    lines = core_v1.read_namespaced_pod_log("p", "default").splitlines()
    assert lines[0] == "ABK" and sorted(lines[2:]) == ["a.txt", "renamed"]
    if sandbox_mode() == "rootfs":
        assert lines[1] == "/workspace"


def test_service_account_files_are_mounted(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    run_pod(core_v1, fake_cluster, pod_manifest("p", ["cat", "/var/run/secrets/kubernetes.io/serviceaccount/namespace"]))
    assert core_v1.read_namespaced_pod_log("p", "default") == "default"


@pytest.mark.skipif(sandbox_mode() != "rootfs", reason="needs mount namespaces and overlayfs")
def test_containers_have_their_own_root_filesystem(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    writer = pod_manifest("w", ["sh", "-c", "echo mine > /tmp/check; mkdir -p /fakecluster-check/d; "
                                "echo x > /etc/fakecluster-check; sleep 0.3; cat /tmp/check"])
    reader = pod_manifest("r", ["sh", "-c", "sleep 0.1; cat /tmp/check /etc/fakecluster-check || echo absent"])
    core_v1.create_namespaced_pod("default", writer)
    run_pod(core_v1, fake_cluster, reader)
    fake_cluster.server.wait_for_pod("default", "w", is_done)
    # stdout and stderr interleave in the log: look for the lines, not their order
    assert "absent" in core_v1.read_namespaced_pod_log("r", "default").splitlines()
    assert core_v1.read_namespaced_pod_log("w", "default") == "mine\n"
    assert not os.path.exists("/fakecluster-check") and not os.path.exists("/etc/fakecluster-check")


def test_native_sidecar_runs_beside_main_and_is_stopped(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    body = pod_manifest("p", ["sh", "-c", "while [ ! -f /s/up ]; do sleep 0.05; done; echo main saw sidecar"],
                        volumes=[{"name": "s", "emptyDir": {}}])
    body["spec"]["containers"][0]["volumeMounts"] = [{"name": "s", "mountPath": "/s"}]
    body["spec"]["initContainers"] = [{"name": "helper", "image": "busybox", "restartPolicy": "Always",
                                       "command": ["sh", "-c", "touch /s/up; exec sleep 60"],
                                       "volumeMounts": [{"name": "s", "mountPath": "/s"}]}]
    pod = run_pod(core_v1, fake_cluster, body)
    assert pod["status"]["phase"] == "Succeeded"
    assert core_v1.read_namespaced_pod_log("p", "default", container="main") == "main saw sidecar\n"
    assert "terminated" in pod["status"]["initContainerStatuses"][0]["state"]


def test_image_default_entrypoints_and_args(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    # python has CMD ["python3"] and no ENTRYPOINT: args replace the command, so name the program
    python = pod_manifest("py", ["python", "-c", "import sys; print(sys.version_info[0])"], image="python:alpine3.23")
    run_pod(core_v1, fake_cluster, python)
    assert core_v1.read_namespaced_pod_log("py", "default") == "3\n"
    argosay = pod_manifest("say", None, image="argoproj/argosay:v1")
    argosay["spec"]["containers"][0]["args"] = ["echo", "v1 runs its args"]
    run_pod(core_v1, fake_cluster, argosay)
    assert core_v1.read_namespaced_pod_log("say", "default") == "v1 runs its args\n"
    busybox = pod_manifest("bb", None, image="busybox")
    busybox["spec"]["containers"][0]["args"] = ["echo", "from", "args"]
    run_pod(core_v1, fake_cluster, busybox)
    assert core_v1.read_namespaced_pod_log("bb", "default") == "from args\n"
    default = run_pod(core_v1, fake_cluster, pod_manifest("sh", None, image="alpine:3.23"))
    assert default["status"]["phase"] == "Succeeded"


def test_registered_image_with_entrypoint(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    fake_cluster.server.images.register("example/echoer:*", entrypoint=("echo", "entry:"))
    body = pod_manifest("p", None, image="example/echoer:1")
    body["spec"]["containers"][0]["args"] = ["a", "b"]
    run_pod(core_v1, fake_cluster, body)
    assert core_v1.read_namespaced_pod_log("p", "default") == "entry: a b\n"


def test_missing_program_is_a_start_error(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    pod = run_pod(core_v1, fake_cluster, pod_manifest("p", ["exit", "1"], image="argoproj/argosay:v2"))
    state = terminated(pod)
    assert pod["status"]["phase"] == "Failed" and state["reason"] == "StartError" and state["exitCode"] == 128
    assert 'exec: "exit": executable file not found in $PATH' in state["message"]


def test_doesntexist_image_never_starts(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["true"], image="alpine:doesntexist"))
    pulling = fake_cluster.server.wait_for_pod("default", "p", lambda p: main_state(p).get("waiting", {}).get("reason")
                                               == "ErrImagePull")
    assert pulling["status"]["phase"] == "Pending"
    backoff = fake_cluster.server.wait_for_pod("default", "p", lambda p: main_state(p).get("waiting", {}).get("reason")
                                               == "ImagePullBackOff")
    assert backoff["status"]["phase"] == "Pending"
    assert 'Back-off pulling image "alpine:doesntexist"' in main_state(backoff)["waiting"]["message"]


def test_restart_policy_on_failure_restarts(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    script = "echo run; if [ -f /state/once ]; then exit 0; fi; touch /state/once; exit 1"
    body = pod_manifest("p", ["sh", "-c", script], restart_policy="OnFailure", volumes=[{"name": "s", "emptyDir": {}}])
    body["spec"]["containers"][0]["volumeMounts"] = [{"name": "s", "mountPath": "/state"}]
    pod = run_pod(core_v1, fake_cluster, body)
    status = pod["status"]["containerStatuses"][0]
    assert pod["status"]["phase"] == "Succeeded" and status["restartCount"] == 1
    assert status["lastState"]["terminated"]["exitCode"] == 1
    assert core_v1.read_namespaced_pod_log("p", "default", previous=True) == "run\n"


def test_eviction_api_deletes_the_pod(api_client: Any, core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sleep", "60"]))
    fake_cluster.server.wait_for_pod("default", "p", lambda p: p["status"]["phase"] == "Running")
    core_v1.create_namespaced_pod_eviction("p", "default", {"metadata": {"name": "p", "namespace": "default"}})
    fake_cluster.server.wait_for_pod_gone("default", "p", timeout=60)


def test_deleting_a_pod_kills_its_processes(core_v1: Any, fake_cluster: ClusterHandle, tmp_path: Any) -> None:
    marker = tmp_path / "pid"
    body = pod_manifest("p", ["sh", "-c", "echo $$$$ > /out/pid; exec sleep 60"],  # $$ is an escaped $
                        volumes=[{"name": "out", "hostPath": {"path": str(tmp_path)}}])
    body["spec"]["containers"][0]["volumeMounts"] = [{"name": "out", "mountPath": "/out"}]
    core_v1.create_namespaced_pod("default", body)
    fake_cluster.server.wait_for_pod("default", "p", lambda p: p["status"]["phase"] == "Running")
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    pid = int(marker.read_text())
    deleted = core_v1.delete_namespaced_pod("p", "default")
    assert deleted.metadata.deletion_timestamp is not None
    fake_cluster.server.wait_for_pod_gone("default", "p", timeout=60)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_logs_tail_timestamps_since_and_follow(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    run_pod(core_v1, fake_cluster, pod_manifest("p", ["sh", "-c", "for i in 1 2 3 4; do echo $i; done"]))
    assert core_v1.read_namespaced_pod_log("p", "default", tail_lines=2) == "3\n4\n"
    stamped = core_v1.read_namespaced_pod_log("p", "default", timestamps=True).splitlines()
    assert len(stamped) == 4 and stamped[0].split(" ")[1] == "1" and stamped[0].split(" ")[0].endswith("Z")
    assert core_v1.read_namespaced_pod_log("p", "default", since_seconds=3600).count("\n") == 4
    assert core_v1.read_namespaced_pod_log("p", "default", limit_bytes=3) == "1\n2"
    core_v1.create_namespaced_pod("default", pod_manifest("f", ["sh", "-c", "echo a; sleep 0.3; echo b"]))
    fake_cluster.server.wait_for_pod("default", "f", lambda p: p["status"]["phase"] != "Pending")
    response = core_v1.read_namespaced_pod_log("f", "default", follow=True, _preload_content=False)
    assert response.data.decode() == "a\nb\n"


IN_CLUSTER_CLIENT = """
import json, os, ssl, urllib.request
base = "/var/run/secrets/kubernetes.io/serviceaccount/"
context = ssl.create_default_context(cafile=base + "ca.crt")
host, port = os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"]
request = urllib.request.Request(f"https://{host}:{port}/api/v1/namespaces/default/configmaps/hello",
                                 headers={"Authorization": "Bearer " + open(base + "token").read()})
print(json.load(urllib.request.urlopen(request, context=context))["data"]["greeting"])
"""


def test_pods_reach_the_api_in_cluster_over_https(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    import sys

    if fake_cluster.server.certificate is None:
        pytest.skip("openssl is not available to make the in-cluster certificate")
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "hello"}, "data": {"greeting": "hi"}})
    pod = run_pod(core_v1, fake_cluster, pod_manifest("p", [sys.executable, "-c", IN_CLUSTER_CLIENT]))
    assert core_v1.read_namespaced_pod_log("p", "default") == "hi\n", pod["status"]
