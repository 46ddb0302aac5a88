"""Resource templates in the kubernetes backend, over HTTP against the loopback cluster: each
action, success/failure conditions, owner references, jsonPath/jqFilter outputs, kill; and the
pure condition/JSONPath helpers."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from argoctl.backends.base import PodUpdate
from argoctl.backends.kube.backend import KubeBackend
from argoctl.backends.kube.resource_conditions import (
    ConditionError,
    JsonPathError,
    json_path,
    parse_conditions,
)
from argoctl.errors import NotFoundError
from argoctl.kube.client import KubeClient
from tests.kube.test_backend_support import NAMESPACE, kube_client, make_request, wait_final  # noqa: F401

pytestmark = pytest.mark.kube

JSON = dict[str, Any]
OWNER = {"apiVersion": "v1", "kind": "ConfigMap", "name": "wf-state", "uid": "owner-uid-1",
         "blockOwnerDeletion": False}
CM_PATH = f"/api/v1/namespaces/{NAMESPACE}/configmaps"
WF_PATH = f"/apis/argoproj.io/v1alpha1/namespaces/{NAMESPACE}/workflows"


@pytest.fixture
def rbackend(kube_client: KubeClient) -> Iterator[KubeBackend]:  # noqa: F811
    instance = KubeBackend(kube_client, NAMESPACE, owner=lambda workflow: OWNER)
    instance.resources.poll_interval = 0.05
    try:
        yield instance
    finally:
        instance.close()


def resource(action: str, manifest: str, **extra: Any) -> JSON:
    outputs = extra.pop("outputs", None)
    template: JSON = {"resource": {"action": action, "manifest": manifest, **extra}}
    if outputs:
        template["outputs"] = {"parameters": outputs}
    return template


def run(backend: KubeBackend, step: str, template: JSON) -> PodUpdate:
    request = make_request(step, template)
    backend.start(request)
    final, _ = wait_final(backend, request.pod_name, timeout=60)
    return final


def configmap(name: str, **data: str) -> str:
    lines = "".join(f"\n  {key}: '{value}'" for key, value in data.items())
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:{lines or ' {}'}\n"


def workflow_object(kube: KubeClient, name: str, phase: str = "Running") -> None:
    kube.create(WF_PATH, {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": name},
                          "spec": {}, "status": {"phase": phase}})


def set_phase_later(kube: KubeClient, name: str, phase: str, delay: float = 0.3) -> threading.Thread:
    def patch() -> None:
        time.sleep(delay)
        kube.patch(f"{WF_PATH}/{name}", {"status": {"phase": phase}})

    thread = threading.Thread(target=patch)
    thread.start()
    return thread


# -- actions -------------------------------------------------------------------------------------
def test_create_with_owner_reference_and_json_path_outputs(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: owned-eg-\ndata:\n  some: value\n"
    outputs = [{"name": "name", "valueFrom": {"jsonPath": "{.metadata.name}"}},
               {"name": "some", "valueFrom": {"jsonPath": "{.data.some}"}},
               {"name": "both", "valueFrom": {"jsonPath": "{.kind}/{.data.some}"}}]
    final = run(rbackend, "create", resource("create", manifest, setOwnerReference=True, outputs=outputs))
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None
    values = {p["name"]: p["value"] for p in final.outputs["parameters"]}
    assert values["name"].startswith("owned-eg-") and values["some"] == "value"
    assert values["both"] == "ConfigMap/value"
    created = kube_client.get(f"{CM_PATH}/{values['name']}")
    assert created["metadata"]["ownerReferences"] == [OWNER]


def test_create_of_an_existing_object_fails_with_the_api_message(rbackend: KubeBackend) -> None:
    assert run(rbackend, "first", resource("create", configmap("dup"))).phase == "Succeeded"
    final = run(rbackend, "second", resource("create", configmap("dup")))
    assert final.phase == "Failed"
    assert "already exists" in final.message


def test_apply_creates_then_merges(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    assert run(rbackend, "apply1", resource("apply", configmap("applied", a="1"))).phase == "Succeeded"
    assert run(rbackend, "apply2", resource("apply", configmap("applied", b="2"))).phase == "Succeeded"
    assert kube_client.get(f"{CM_PATH}/applied")["data"] == {"a": "1", "b": "2"}


def test_replace_and_delete(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    kube_client.create(CM_PATH, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "rep"},
                                 "data": {"a": "1"}})
    assert run(rbackend, "replace", resource("replace", configmap("rep", b="2"))).phase == "Succeeded"
    assert kube_client.get(f"{CM_PATH}/rep")["data"] == {"b": "2"}
    outputs = [{"name": "gone", "valueFrom": {"jsonPath": "{.metadata.name}", "default": "none"}}]
    final = run(rbackend, "delete", resource("delete", configmap("rep"), outputs=outputs))
    assert final.phase == "Succeeded", final.message
    assert final.outputs == {"parameters": [{**outputs[0], "value": "none"}]}
    with pytest.raises(NotFoundError):
        kube_client.get(f"{CM_PATH}/rep")
    assert run(rbackend, "delete-again", resource("delete", configmap("rep"))).phase == "Succeeded"


def test_patch_merge_and_json_patch_through_flags(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    kube_client.create(CM_PATH, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "pat"},
                                 "data": {"a": "1"}})
    merge = resource("patch", configmap("pat", b="2"), mergeStrategy="merge")
    assert run(rbackend, "merge", merge).phase == "Succeeded"
    json_patch = resource("patch", "- op: add\n  path: /metadata/labels\n  value: {foo: bar}\n",
                          mergeStrategy="json", flags=["configmap", "pat"])
    final = run(rbackend, "json", json_patch)
    assert final.phase == "Succeeded", final.message
    patched = kube_client.get(f"{CM_PATH}/pat")
    assert patched["data"] == {"a": "1", "b": "2"} and patched["metadata"]["labels"] == {"foo": "bar"}


def test_get_of_a_missing_object_fails(rbackend: KubeBackend) -> None:
    final = run(rbackend, "missing", resource("get", configmap("nope")))
    assert final.phase == "Failed" and "not found" in final.message


def test_manifest_without_a_name_fails_as_argo_says(rbackend: KubeBackend) -> None:
    final = run(rbackend, "noname", resource("get", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"))
    assert final.phase == "Failed"
    assert final.message == "Kind and name are both required but at least one of them is missing from the manifest"


# -- conditions ----------------------------------------------------------------------------------
WF_MANIFEST = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: {name}\n"


def test_success_condition_is_waited_for(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    workflow_object(kube_client, "child-ok")
    patcher = set_phase_later(kube_client, "child-ok", "Succeeded")
    template = resource("get", WF_MANIFEST.format(name="child-ok"), successCondition="status.phase == Succeeded",
                        failureCondition="status.phase in (Failed, Error)",
                        outputs=[{"name": "phase", "valueFrom": {"jsonPath": "{.status.phase}"}}])
    final = run(rbackend, "wait-ok", template)
    patcher.join()
    assert final.phase == "Succeeded", final.message
    assert final.outputs == {"parameters": [{"name": "phase", "valueFrom": {"jsonPath": "{.status.phase}"},
                                             "value": "Succeeded"}]}


def test_failure_condition_fails_the_node_with_argos_message(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    workflow_object(kube_client, "child-bad")
    patcher = set_phase_later(kube_client, "child-bad", "Error")
    template = resource("get", WF_MANIFEST.format(name="child-bad"), successCondition="status.phase == Succeeded",
                        failureCondition="status.phase in (Failed, Error)")
    final = run(rbackend, "wait-bad", template)
    patcher.join()
    assert final.phase == "Failed"
    assert final.message == "failure condition 'status.phase in (Error,Failed)' evaluated true"


def test_object_deleted_while_waiting(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    workflow_object(kube_client, "child-gone")
    deleter = threading.Thread(target=lambda: (time.sleep(0.3), kube_client.delete(f"{WF_PATH}/child-gone")))
    deleter.start()
    final = run(rbackend, "wait-gone", resource("get", WF_MANIFEST.format(name="child-gone"),
                                                successCondition="status.phase == Succeeded"))
    deleter.join()
    assert final.phase == "Failed"
    assert final.message.startswith("The resource has been deleted while its status was still being checked")


def test_kill_cancels_a_waiting_run(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    workflow_object(kube_client, "child-stuck")
    request = make_request("stuck", resource("get", WF_MANIFEST.format(name="child-stuck"),
                                             successCondition="status.phase == Test"))
    rbackend.start(request)
    assert [u.phase for u in rbackend.wait(60)] == ["Running"]  # returns at the first update
    rbackend.kill(request.pod_name, reason="Stopped with strategy 'Stop'")
    killed = rbackend.wait(60)
    assert [(u.phase, u.message) for u in killed] == [("Failed", "Stopped with strategy 'Stop'")]
    kube_client.patch(f"{WF_PATH}/child-stuck", {"status": {"phase": "Test"}})
    assert rbackend.wait(0.3) == []  # nothing after the kill


def test_bad_condition_is_an_error(rbackend: KubeBackend) -> None:
    final = run(rbackend, "badcond", resource("get", configmap("x"), successCondition="status.count > many"))
    assert final.phase == "Error" and "success condition 'status.count > many' failed to parse" in final.message


# -- jqFilter --------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_jq_filter_outputs(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    kube_client.create(CM_PATH, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "jqcm"},
                                 "data": {"some": '{"one_value": "foo", "one_dict": {"foo": "bar"}}'}})
    outputs = [{"name": "value", "valueFrom": {"jqFilter": ".data.some | fromjson | .one_value"}},
               {"name": "dict", "valueFrom": {"jqFilter": ".data.some | fromjson | .one_dict"}}]
    final = run(rbackend, "jq", resource("get", configmap("jqcm"), outputs=outputs))
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None
    assert [p["value"] for p in final.outputs["parameters"]] == ["foo", '{"foo":"bar"}']


def test_jq_filter_without_jq_is_an_error(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    rbackend.resources.jq = ""
    kube_client.create(CM_PATH, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "nojq"}})
    final = run(rbackend, "nojq", resource("get", configmap("nojq"),
                                           outputs=[{"name": "v", "valueFrom": {"jqFilter": ".kind"}}]))
    assert final.phase == "Error" and "jq program on PATH" in final.message


# -- pure helpers --------------------------------------------------------------------------------
LIVE = {"status": {"succeeded": 10, "failed": 0, "phase": "Running", "ok": True,
                   "items": [{"name": "a"}, {"name": "b"}]}, "metadata": {"name": "x", "labels": {"a.b/c": "d"}}}


@pytest.mark.parametrize(("condition", "expected"), [
    ("status.succeeded > 9", True), ("status.succeeded > 10", False), ("status.failed < 1", True),
    ("status.phase == Running", True), ("status.phase = Running", True), ("status.phase != Running", False),
    ("status.phase in (Failed, Running)", True), ("status.phase notin (Failed,Running)", False),
    ("status.missing != x", True), ("status.missing == x", False), ("status.ok == true", True),
    ("status.phase", True), ("!status.phase", False), ("!status.missing", True),
    ("status.items.1.name == b", True), ("status.succeeded > 9,status.phase == Running", True),
    ("status.succeeded > 9, status.phase == Failed", False), ("status.phase > 1", False),
])
def test_conditions(condition: str, expected: bool) -> None:
    assert all(r.matches(LIVE) for r in parse_conditions(condition)) is expected


@pytest.mark.parametrize("bad", ["status.x > y", "status.x == a b", "status.x in (a b)", "a=b=c"])
def test_conditions_that_do_not_parse(bad: str) -> None:
    with pytest.raises(ConditionError):
        parse_conditions(bad)


@pytest.mark.parametrize(("path", "expected"), [
    ("{.metadata.name}", "x"), ("{$.metadata.name}", "x"), ("{.status.items[1].name}", "b"),
    ("{.status.items[-1].name}", "b"), ("{.status.items[*].name}", "a b"), ("{.status.succeeded}", "10"),
    ("{.status.ok}", "true"), ("{.metadata.labels['a.b/c']}", "d"), ("name={.metadata.name}!", "name=x!"),
    ("{.status.items[0]}", '{"name":"a"}'),
])
def test_json_path_subset(path: str, expected: str) -> None:
    assert json_path(path, LIVE) == expected


@pytest.mark.parametrize("path", ["{.status.nothing}", "{..name}", "{.status.items[?(@.name=='a')]}",
                                  "{.status.items[0:1]}"])
def test_json_path_outside_the_subset_or_missing(path: str) -> None:
    with pytest.raises(JsonPathError):
        json_path(path, LIVE)


def test_adopt_runs_a_create_again_and_takes_the_object_it_made(rbackend: KubeBackend,
                                                                kube_client: KubeClient) -> None:  # noqa: F811
    kube_client.create(CM_PATH, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "made"}})
    request = make_request("made", resource("create", configmap("made"),
                                            outputs=[{"name": "n", "valueFrom": {"jsonPath": "{.metadata.name}"}}]))
    assert rbackend.adopt([request]) == []  # reported through wait, as the run goes again
    final, _ = wait_final(rbackend, request.pod_name, timeout=60)
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["parameters"][0]["value"] == "made"


def test_manifest_from_an_input_artifact(rbackend: KubeBackend, kube_client: KubeClient) -> None:  # noqa: F811
    template = {"inputs": {"artifacts": [{"name": "manifest", "path": "/tmp/manifest.yaml",
                                          "raw": {"data": configmap("from-artifact", a="b")}}]},
                "resource": {"action": "create", "manifestFrom": {"artifact": {"name": "manifest"}}}}
    final = run(rbackend, "fromart", template)
    assert final.phase == "Succeeded", final.message
    assert kube_client.get(f"{CM_PATH}/from-artifact")["data"] == {"a": "b"}
    missing = {"resource": {"action": "create", "manifestFrom": {"artifact": {"name": "nope"}}}}
    failed = run(rbackend, "noart", missing)
    assert (failed.phase, failed.message) == (
        "Error", "manifestFrom artifact 'nope' is not an input artifact of the template")
