"""A plain step on a real engine: outputs, exit codes, logs, images and pod settings."""

from __future__ import annotations

import json

from tests.docker.conftest import Harness, container


def test_container_step_outputs_result_parameter_and_logs(harness: Harness) -> None:
    template = container("busybox", "sh", "-c", "echo out; echo err >&2; printf 'v\\n' > /tmp/p")
    template["outputs"] = {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/p"}},
                                          {"name": "q", "valueFrom": {"path": "/none", "default": "d"}}]}
    request = harness.request(template, capture_result=True)
    update = harness.run(request)
    assert update.phase == "Succeeded", update.message
    assert update.outputs == {"parameters": [
        {"name": "p", "valueFrom": {"path": "/tmp/p"}, "value": "v"},
        {"name": "q", "valueFrom": {"path": "/none", "default": "d"}, "value": "d"}],
        "result": "out", "exitCode": "0"}
    assert update.started_at and update.finished_at
    assert harness.backend.read_logs(request.pod_name) == "out\nerr\n"
    stamped = harness.backend.read_logs(request.pod_name, timestamps=True).splitlines()
    assert len(stamped) == 2 and stamped[0].endswith(" out") and stamped[0][:4].isdigit()


def test_failing_step_reports_exit_code_and_argo_message(harness: Harness) -> None:
    update = harness.run(harness.request(container("alpine:3.23", "sh", "-c", "exit 3")))
    assert (update.phase, update.message) == ("Failed", "main: Error (exit code 3)")
    assert update.outputs == {"exitCode": "3"}


def test_missing_output_parameter_is_an_error(harness: Harness) -> None:
    template = container("busybox", "true")
    template["outputs"] = {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/none"}}]}
    update = harness.run(harness.request(template))
    assert update.phase == "Error"
    assert update.message == "failed to get output parameter 'p': open /tmp/none: no such file or directory"


def test_script_runs_the_real_image_interpreter(harness: Harness) -> None:
    template = {"name": "s", "script": {"image": "python:alpine3.23", "command": ["python"],
                                        "source": "import json, sys\nprint(json.dumps({'v': sys.version_info[0]}))\n"}}
    update = harness.run(harness.request(template, capture_result=True))
    assert update.phase == "Succeeded", update.message
    assert json.loads(update.outputs["result"]) == {"v": 3}


def test_image_entrypoint_and_kubernetes_command_rules(harness: Harness) -> None:
    # args only: the image's ENTRYPOINT (/argosay) runs them
    update = harness.run(harness.request(container("argoproj/argosay:v2", args=["echo", "hello"]), capture_result=True))
    assert update.outputs["result"] == "hello"
    # command only: the image's CMD is dropped, as Kubernetes does
    update = harness.run(harness.request(container("python:alpine3.23", "echo"), capture_result=True))
    assert (update.phase, update.outputs["result"]) == ("Succeeded", "")


def test_env_expansion_working_dir_and_user(harness: Harness) -> None:
    template = container("busybox", "sh", "-c", "echo $(GREETING) $A $(pwd) $(id -u):$(id -g)",
                         env=[{"name": "A", "value": "a"}, {"name": "GREETING", "value": "hi-$(A)"}],
                         workingDir="/tmp", securityContext={"runAsUser": 1000, "runAsGroup": 2000})
    update = harness.run(harness.request(template, capture_result=True, env=(("ARGO_X", "1"),)))
    assert update.outputs["result"] == "hi-a a /tmp 1000:2000"


def test_argo_env_reaches_the_container(harness: Harness) -> None:
    template = container("busybox", "sh", "-c", "echo $ARGO_NODE_ID $HOSTNAME")
    request = harness.request(template, capture_result=True, env=(("ARGO_NODE_ID", "n-1"),))
    update = harness.run(request)
    assert update.outputs["result"] == f"n-1 {request.pod_name}"
    long_name = harness.request(template, capture_result=True, pod_name="p" * 70 + "-1234")
    assert harness.run(long_name).outputs["result"] == "p" * 63  # the kubelet's 63-character cut


def test_memory_limit_is_enforced(harness: Harness) -> None:
    limits = {"resources": {"limits": {"memory": "16Mi", "cpu": "500m"}}}
    template = container("python:alpine3.23", "python", "-c", "b = bytearray(200 * 1024 * 1024); print(len(b))",
                         **limits)
    update = harness.run(harness.request(template))
    assert update.phase == "Failed"
    assert update.outputs and update.outputs["exitCode"] == "137"


def test_missing_image_with_pull_policy_never_is_an_error(harness: Harness) -> None:
    update = harness.run(harness.request(container("nothere/image:1", "true", imagePullPolicy="Never")))
    assert update.phase == "Error"
    assert update.message.startswith('ErrImageNeverPull: container image "nothere/image:1" is not present')


def test_unpullable_image_is_an_error(harness: Harness) -> None:
    update = harness.run(harness.request(container("alpine:doesntexist", "true")))
    assert update.phase == "Error"
    assert update.message.startswith('ErrImagePull: failed to pull image "alpine:doesntexist"')


def test_unsupported_settings_end_in_a_clear_error(harness: Harness) -> None:
    template = container("busybox", "true", volumeMounts=[{"name": "v", "mountPath": "/v", "subPath": "a"}],
                         )
    template["volumes"] = [{"name": "v", "emptyDir": {}}]
    update = harness.run(harness.request(template))
    assert update.phase == "Error"
    assert "not supported by the docker backend" in update.message


def test_resource_templates_need_the_kubernetes_backend(harness: Harness) -> None:
    update = harness.run(harness.request({"name": "r", "resource": {"action": "create", "manifest": "{}"}}))
    assert (update.phase, "--backend kubernetes" in update.message) == ("Error", True)


def test_container_set_runs_members_by_dependencies_with_a_retry(harness: Harness) -> None:
    shared = [{"name": "work", "mountPath": "/work"}]
    template = {"name": "cs", "volumes": [{"name": "work", "emptyDir": {}}], "containerSet": {
        "volumeMounts": shared,
        "retryStrategy": {"retries": 1, "duration": "0s"},
        "containers": [
            {"name": "a", "image": "busybox", "command": ["sh", "-c", "echo a > /work/a"]},
            {"name": "flaky", "image": "busybox", "dependencies": ["a"],
             "command": ["sh", "-c", "test -f /seen && exit 0; touch /seen; exit 1"]},
            {"name": "main", "image": "busybox", "dependencies": ["flaky"], "command": ["cat", "/work/a"]},
            {"name": "never", "image": "busybox", "dependencies": ["bad"], "command": ["true"]},
            {"name": "bad", "image": "busybox", "command": ["sh", "-c", "exit 2"]}]}}
    update = harness.run(harness.request(template, capture_result=True))
    phases = {c.name: (c.phase, c.exit_code) for c in update.containers}
    assert phases == {"a": ("Succeeded", 0), "flaky": ("Succeeded", 0), "main": ("Succeeded", 0),
                      "never": ("Failed", None), "bad": ("Failed", 2)}
    assert (update.phase, update.message) == ("Failed", "bad: Error (exit code 2)")
    assert update.outputs is not None and update.outputs["result"] == "a"


def test_env_from_config_maps_and_secrets(harness: Harness) -> None:
    objects = {("ConfigMap", "settings"): {"data": {"MODE": "fast", "LEVEL": "3"}},
               ("Secret", "creds"): {"data": {"token": "czNjcjN0"}}}  # base64 of s3cr3t
    harness.backend = harness.new_backend(lookup=lambda kind, name: objects.get((kind, name)))
    template = container("busybox", "sh", "-c", "echo $CFG_MODE $CFG_LEVEL $TOKEN ${GONE:-none}",
                         envFrom=[{"configMapRef": {"name": "settings"}, "prefix": "CFG_"}],
                         env=[{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "token"}}},
                              {"name": "GONE", "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k",
                                                                                 "optional": True}}}])
    update = harness.run(harness.request(template, capture_result=True))
    assert update.outputs["result"] == "fast 3 s3cr3t none"
    missing = container("busybox", "true", env=[{"name": "X", "valueFrom": {
        "configMapKeyRef": {"name": "settings", "key": "absent"}}}])
    update = harness.run(harness.request(missing))
    assert (update.phase, update.message) == (
        "Error", f"CreateContainerConfigError: couldn't find key absent in ConfigMap {harness.namespace}/settings")


def test_config_map_and_secret_volumes_are_projected_as_files(harness: Harness) -> None:
    objects = {("ConfigMap", "conf"): {"data": {"a.ini": "x=1", "b": "2"}},
               ("Secret", "keys"): {"stringData": {"id": "k1"}}}
    harness.backend = harness.new_backend(lookup=lambda kind, name: objects.get((kind, name)))
    template = container("busybox", "sh", "-c", "cat /etc/conf/a.ini /etc/conf/renamed /keys/id; ls /etc/conf",
                         volumeMounts=[{"name": "c", "mountPath": "/etc/conf"}, {"name": "k", "mountPath": "/keys"}])
    template["volumes"] = [
        {"name": "c", "configMap": {"name": "conf", "items": [{"key": "a.ini", "path": "a.ini"},
                                                               {"key": "b", "path": "renamed"}]}},
        {"name": "k", "secret": {"secretName": "keys"}}]
    update = harness.run(harness.request(template, capture_result=True))
    assert update.outputs["result"] == "x=12k1a.ini\nrenamed"
    template["volumes"][0] = {"name": "c", "configMap": {"name": "absent"}}
    update = harness.run(harness.request(template))
    assert (update.phase, update.message) == (
        "Error", 'MountVolume.SetUp failed for volume "c": configmap "absent" not found')


def test_container_set_members_share_the_pods_network(harness: Harness) -> None:
    shared = [{"name": "work", "mountPath": "/work"}]
    serve = ("mkdir /w && echo shared > /w/index.html && httpd -p 8080 -h /w && "
             "while [ ! -f /work/done ]; do sleep 0.1; done")
    fetch = ("for i in $(seq 50); do wget -q -O - http://127.0.0.1:8080/ && touch /work/done && exit 0; "
             "sleep 0.2; done; touch /work/done; exit 1")
    template = {"name": "cs", "volumes": [{"name": "work", "emptyDir": {}}], "containerSet": {
        "volumeMounts": shared,
        "containers": [{"name": "server", "image": "busybox", "command": ["sh", "-c", serve]},
                       {"name": "main", "image": "busybox", "command": ["sh", "-c", fetch]}]}}
    update = harness.run(harness.request(template, capture_result=True))
    assert (update.phase, update.outputs and update.outputs["result"]) == ("Succeeded", "shared"), update.message
