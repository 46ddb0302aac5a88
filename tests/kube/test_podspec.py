"""build_pod: Argo-shaped manifests (goldens) that the real Kubernetes schema accepts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from argoctl.backends.images import ImageTable
from argoctl.backends.kube import helper
from argoctl.backends.kube.podspec import PodInfo, PodSpecError, StagedInputs, build_pod, nonce_for
from argoctl.backends.kube.specpatch import strategic_merge
from argoctl.model.pods import PodRequest
from tests.fakecluster.resources import ResourceRegistry
from tests.fakecluster.validation import validate_object

JSON = dict[str, Any]
NOW = datetime(2030, 1, 1, tzinfo=UTC)
POD_TYPE = ResourceRegistry().lookup("", "v1", "pods")
WRAPPER = "<wrapper>"


def request(template: JSON, **fields: Any) -> PodRequest:
    base: JSON = {"workflow_name": "wf", "workflow_uid": "uid-1", "namespace": "argo", "node_id": "wf-1",
                  "node_name": "wf[0].step", "pod_name": "wf-step-1", "template": {"name": "step", **template},
                  "env": (("ARGO_NODE_ID", "wf-1"),)}
    base.update(fields)
    return PodRequest(**base)


def valid(pod: JSON) -> JSON:
    assert POD_TYPE is not None
    validate_object(POD_TYPE, copy.deepcopy(pod), True)
    return pod


def masked(pod: JSON) -> JSON:
    """The manifest with the long wrapper/init scripts replaced, for readable goldens."""
    pod = copy.deepcopy(pod)
    for group in ("initContainers", "containers"):
        for container in pod["spec"].get(group) or []:
            command = container.get("command") or []
            if len(command) > 2 and command[1] == "-c" and len(command[2]) > 200:
                command[2] = WRAPPER
    pod["metadata"]["annotations"].pop("argoctl.io/pod-info", None)
    return pod


def test_plain_container_golden() -> None:
    pod = valid(build_pod(request({"container": {"image": "alpine:3.23", "command": ["echo", "hi"]}}), now=NOW))
    assert masked(pod) == {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": "wf-step-1", "namespace": "argo",
            "labels": {"workflows.argoproj.io/workflow": "wf"},
            "annotations": {"workflows.argoproj.io/node-name": "wf[0].step", "workflows.argoproj.io/node-id": "wf-1",
                            "kubectl.kubernetes.io/default-container": "main"},
        },
        "spec": {"restartPolicy": "Never", "containers": [{
            "image": "alpine:3.23", "command": ["echo", "hi"], "name": "main",
            "env": [{"name": "ARGO_NODE_ID", "value": "wf-1"}, {"name": "ARGO_CONTAINER_NAME", "value": "main"}],
        }]},
    }


def test_script_with_outputs_golden() -> None:
    template = {"script": {"image": "python:alpine3.23", "command": ["python"], "source": "print($(X))"},
                "outputs": {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/p"}}]}}
    req = request(template, capture_result=True)
    pod = valid(build_pod(req, helper_image="busybox:1.36", now=NOW))
    nonce = nonce_for(req)
    spec = masked(pod)["spec"]
    assert spec["volumes"] == [{"name": "argoctl", "emptyDir": {}}, {"name": "argoctl-staging", "emptyDir": {}}]
    init, outputs = spec["initContainers"]
    assert init["name"] == "argoctl-init" and init["image"] == "busybox:1.36"
    assert {"name": "ARGOCTL_FILE_0", "value": "print($$(X))"} in init["env"]  # kept from $(VAR) expansion
    assert {"name": "ARGOCTL_FILE_0_PATH", "value": helper.SCRIPT_PATH} in init["env"]
    assert outputs["name"] == "argoctl-outputs" and outputs["restartPolicy"] == "Always"
    assert spec["containers"] == [{
        "image": "python:alpine3.23", "name": "main",
        "command": [f"{helper.HELPER_BIN}/sh", "-c", WRAPPER, "argoctl", "python", helper.SCRIPT_PATH],
        "volumeMounts": [{"name": "argoctl-staging", "mountPath": "/argo/staging"},
                         {"name": "argoctl", "mountPath": "/.argoctl"}],
        "env": [{"name": "ARGO_NODE_ID", "value": "wf-1"}, {"name": "ARGO_CONTAINER_NAME", "value": "main"},
                {"name": "ARGOCTL_NAME", "value": "main"}, {"name": "ARGOCTL_CAPTURE", "value": "1"},
                {"name": "ARGOCTL_REPORT", "value": nonce}, {"name": "ARGOCTL_OUTPUTS", "value": "p /tmp/p"}],
    }]
    info = PodInfo.from_pod(pod)
    assert (info.nonce, info.capture, info.wrapped, info.node_id) == (nonce, True, ("main",), "wf-1")


def test_workflow_and_template_pod_settings() -> None:
    workflow_spec = {
        "podMetadata": {"labels": {"team": "a", "tier": "wf"}, "annotations": {"note": "wf"}},
        "volumes": [{"name": "shared", "emptyDir": {}}, {"name": "dup", "emptyDir": {}}],
        "volumeClaimTemplates": [{"metadata": {"name": "work"},
                                  "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}],
        "serviceAccountName": "wf-sa", "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [{"key": "k", "operator": "Exists"}], "imagePullSecrets": [{"name": "regcred"}],
        "podPriorityClassName": "low", "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["a"]}],
        "dnsPolicy": "None", "dnsConfig": {"nameservers": ["1.1.1.1"]},
        "securityContext": {"runAsUser": 1000}, "schedulerName": "sched",
        "podSpecPatch": '{"containers": [{"name": "main", "resources": {"limits": {"cpu": "1"}}}]}',
    }
    template = {
        "container": {"image": "busybox", "command": ["true"]},
        "metadata": {"labels": {"tier": "tmpl"}, "annotations": {"note": "tmpl"}},
        "volumes": [{"name": "dup", "configMap": {"name": "cm"}}],
        "serviceAccountName": "tmpl-sa", "priorityClassName": "high",
        "hostAliases": [{"ip": "10.0.0.2", "hostnames": ["b"]}],
        "podSpecPatch": "containers:\n- name: main\n  resources:\n    limits:\n      memory: 64Mi\n",
        "affinity": {"nodeAffinity": {}},
    }
    owner = {"apiVersion": "v1", "kind": "ConfigMap", "name": "argoctl-wf-wf", "uid": "cm-uid"}
    pod = valid(build_pod(request(template, workflow_spec=workflow_spec, is_exit_handler=True,
                                  deadline="2030-01-01T00:00:09.5Z"), owner=owner, now=NOW))
    meta, spec = pod["metadata"], pod["spec"]
    assert meta["labels"] == {"team": "a", "tier": "tmpl", "workflows.argoproj.io/workflow": "wf",
                              "workflows.argoproj.io/on-exit": "true"}  # no completed label: the state says
    assert meta["annotations"]["note"] == "tmpl"
    assert meta["ownerReferences"] == [owner]
    assert spec["activeDeadlineSeconds"] == 10
    assert spec["serviceAccountName"] == "tmpl-sa" and spec["priorityClassName"] == "high"
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux"} and spec["schedulerName"] == "sched"
    assert spec["tolerations"] == [{"key": "k", "operator": "Exists"}]
    assert spec["imagePullSecrets"] == [{"name": "regcred"}] and spec["dnsPolicy"] == "None"
    assert [a["ip"] for a in spec["hostAliases"]] == ["10.0.0.1", "10.0.0.2"]
    assert spec["securityContext"] == {"runAsUser": 1000} and spec["affinity"] == {"nodeAffinity": {}}
    assert spec["volumes"] == [{"name": "shared", "emptyDir": {}}, {"name": "dup", "configMap": {"name": "cm"}},
                               {"name": "work", "persistentVolumeClaim": {"claimName": "wf-work"}}]
    assert spec["containers"][0]["resources"] == {"limits": {"cpu": "1", "memory": "64Mi"}}


def test_container_set_golden_shape() -> None:
    template = {"containerSet": {
        "volumeMounts": [{"name": "w", "mountPath": "/w"}],
        "retryStrategy": {"retries": "2", "duration": "1s"},
        "containers": [{"name": "a", "image": "busybox", "command": ["true"]},
                       {"name": "main", "image": "busybox", "command": ["true"], "dependencies": ["a"]}]},
        "volumes": [{"name": "w", "emptyDir": {}}]}
    pod = valid(build_pod(request(template), now=NOW))
    a, main = pod["spec"]["containers"]
    assert [c["name"] for c in pod["spec"]["initContainers"]] == ["argoctl-init"]
    env_a = {e["name"]: e["value"] for e in a["env"]}
    env_main = {e["name"]: e["value"] for e in main["env"]}
    assert env_a["ARGOCTL_RETRIES"] == "2" and env_a["ARGOCTL_RETRY_DELAY"] == "1" and "ARGOCTL_DEPS" not in env_a
    assert env_main["ARGOCTL_DEPS"] == "a" and "dependencies" not in main
    assert {"name": "w", "mountPath": "/w"} in a["volumeMounts"]
    assert PodInfo.from_pod(pod).container_set == ("a", "main")


def test_image_default_entrypoint_from_the_table() -> None:
    template = {"container": {"image": "argoproj/argosay:v2", "args": ["echo", "hi", "/tmp/x"]},
                "outputs": {"parameters": [{"name": "x", "valueFrom": {"path": "/tmp/x"}}]}}
    pod = valid(build_pod(request(template), images=ImageTable(), now=NOW))
    assert pod["spec"]["containers"][0]["command"][4:] == ["/argosay", "echo", "hi", "/tmp/x"]
    unknown = {"container": {"image": "example.com/mystery:1"},
               "outputs": {"parameters": [{"name": "x", "valueFrom": {"path": "/tmp/x"}}]}}
    with pytest.raises(PodSpecError, match="no command and no entry in the image table"):
        build_pod(request(unknown), images=ImageTable(), now=NOW)
    plain = valid(build_pod(request({"container": {"image": "example.com/mystery:1"}}), now=NOW))
    assert "command" not in plain["spec"]["containers"][0]  # no outputs: the image's own entrypoint runs


@pytest.mark.parametrize("template, message", [
    ({"resource": {"action": "create", "manifest": "{}"}}, "resource templates are not supported"),
    ({"container": {"image": "a"}, "inputs": {"artifacts": [{"name": "in", "path": "/in"}]}},
     "input artifact 'in' was not staged for the pod"),
    ({"containerSet": {"containers": [{"name": "a", "image": "a"}]},
      "outputs": {"artifacts": [{"name": "out", "path": "/out"}]}},
     "output artifacts of a containerSet are read from its container named 'main'"),
    ({"container": {"image": "a"}, "podSpecPatch": "[1, 2]"}, "podSpecPatch must be a JSON/YAML object"),
])
def test_templates_that_cannot_become_pods(template: JSON, message: str) -> None:
    with pytest.raises(PodSpecError, match=message):
        build_pod(request(template), now=NOW)


def test_strategic_merge_by_merge_keys_and_directives() -> None:
    original = {"containers": [{"name": "main", "image": "a", "env": [{"name": "X", "value": "1"}]},
                               {"name": "side", "image": "b"}],
                "tolerations": [{"key": "a"}], "nodeSelector": {"x": "1", "y": "2"}}
    patch = {"containers": [{"name": "main", "env": [{"name": "Y", "value": "2"}]},
                            {"name": "side", "$patch": "delete"}, {"name": "new", "image": "c"}],
             "tolerations": [{"key": "b"}], "nodeSelector": {"x": None, "z": "3"}}
    merged = strategic_merge(original, patch)
    assert merged == {"containers": [{"name": "main", "image": "a", "env": [{"name": "X", "value": "1"},
                                                                            {"name": "Y", "value": "2"}]},
                                     {"name": "new", "image": "c"}],
                      "tolerations": [{"key": "b"}], "nodeSelector": {"y": "2", "z": "3"}}
    assert original["nodeSelector"] == {"x": "1", "y": "2"}  # not modified


def test_staged_input_artifacts_are_unpacked_and_mounted() -> None:
    template = {"container": {"image": "alpine", "command": ["cat", "/tmp/file"]},
                "inputs": {"artifacts": [{"name": "f", "path": "/tmp/file", "raw": {"data": "a $b\n"}},
                                         {"name": "opt", "path": "/opt/x", "optional": True, "s3": {"key": "k"}}]}}
    staged = StagedInputs(archive="H4sIAAAA", names=("f",))  # 'opt' was not found: not mounted
    pod = valid(build_pod(request(template), now=NOW, staged=staged))
    init = pod["spec"]["initContainers"][0]
    env = {e["name"]: e["value"] for e in init["env"]}
    assert env["ARGOCTL_INPUTS"] == "H4sIAAAA" and "ARGOCTL_TOOLS" not in env  # nothing to wrap
    assert {"name": "argoctl-staging", "mountPath": "/argo/staging"} in init["volumeMounts"]
    main = pod["spec"]["containers"][0]
    assert main["command"] == ["cat", "/tmp/file"]
    assert main["volumeMounts"] == [{"name": "argoctl-staging", "mountPath": "/tmp/file", "subPath": "inputs/f"}]
    assert PodInfo.from_pod(pod).input_parts == ()


def test_large_staged_inputs_come_from_configmaps() -> None:
    template = {"container": {"image": "alpine", "command": ["ls", "/data"]},
                "inputs": {"artifacts": [{"name": "data", "path": "/data", "s3": {"key": "k"}}]}}
    staged = StagedInputs(names=("data",), parts=("wf-step-1-inputs-0", "wf-step-1-inputs-1"))
    pod = valid(build_pod(request(template), now=NOW, staged=staged))
    init = pod["spec"]["initContainers"][0]
    env = {e["name"]: e["value"] for e in init["env"]}
    assert env["ARGOCTL_INPUT_PARTS"] == "2" and "ARGOCTL_INPUTS" not in env
    assert {"name": "argoctl-inputs", "mountPath": "/.argoctl/inputs", "readOnly": True} in init["volumeMounts"]
    volume = next(v for v in pod["spec"]["volumes"] if v["name"] == "argoctl-inputs")
    assert volume["projected"]["sources"][1] == {
        "configMap": {"name": "wf-step-1-inputs-1", "items": [{"key": "part", "path": "part-0001"}]}}
    assert PodInfo.from_pod(pod).input_parts == staged.parts  # a later driver deletes them


def test_output_artifacts_are_packed_by_the_wrapper() -> None:
    template = {"container": {"image": "alpine", "command": ["touch", "/tmp/out"]},
                "outputs": {"artifacts": [{"name": "out", "path": "/tmp/out/"},
                                          {"name": "maybe", "path": "/tmp/m", "optional": True}]}}
    pod = valid(build_pod(request(template), now=NOW))
    main = pod["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in main["env"]}
    assert env["ARGOCTL_ARTIFACTS"] == "out /tmp/out\nmaybe /tmp/m"
    assert env["ARGOCTL_REPORT"] == nonce_for(request(template))
    assert [c["name"] for c in pod["spec"]["initContainers"]] == ["argoctl-init", "argoctl-outputs"]
