"""The fake API server through the real `kubernetes` client: CRUD, conflicts, patches, status,
generic objects, validation, selectors, pagination and garbage collection."""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.helpers import api, api_status, client_for, pod_manifest, raw_call

pytestmark = pytest.mark.kube


def test_configmap_crud_and_resource_versions(core_v1: Any) -> None:
    created = core_v1.create_namespaced_config_map("default", {"metadata": {"name": "state"}, "data": {"a": "1"}})
    assert created.metadata.resource_version and created.metadata.uid
    read = core_v1.read_namespaced_config_map("state", "default")
    assert read.data == {"a": "1"}
    read.data["b"] = "2"
    replaced = core_v1.replace_namespaced_config_map("state", "default", read)
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)
    listing = core_v1.list_namespaced_config_map("default")
    assert int(listing.metadata.resource_version) >= int(replaced.metadata.resource_version)
    assert "state" in [c.metadata.name for c in listing.items]
    core_v1.delete_namespaced_config_map("state", "default")
    with pytest.raises(ApiException) as missing:
        core_v1.read_namespaced_config_map("state", "default")
    assert missing.value.status == 404


def test_not_found_has_a_status_body(core_v1: Any) -> None:
    with pytest.raises(ApiException) as error:
        core_v1.read_namespaced_pod("nope", "default")
    body = api_status(error.value)
    assert body == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": 'pods "nope" not found', "reason": "NotFound",
                    "details": {"name": "nope", "kind": "pods"}, "code": 404}


def test_create_twice_is_already_exists(core_v1: Any) -> None:
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    with pytest.raises(ApiException) as error:
        core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    assert error.value.status == 409
    assert api_status(error.value)["reason"] == "AlreadyExists"


def test_stale_update_is_a_conflict(core_v1: Any) -> None:
    first = core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}, "data": {"n": "0"}})
    core_v1.patch_namespaced_config_map("x", "default", {"data": {"n": "1"}})
    first.data["n"] = "2"
    with pytest.raises(ApiException) as error:
        core_v1.replace_namespaced_config_map("x", "default", first)
    body = api_status(error.value)
    assert error.value.status == 409 and body["reason"] == "Conflict"
    assert "the object has been modified" in body["message"]
    stale_patch = {"metadata": {"resourceVersion": first.metadata.resource_version}, "data": {"n": "3"}}
    with pytest.raises(ApiException) as patch_error:
        core_v1.patch_namespaced_config_map("x", "default", stale_patch)
    assert patch_error.value.status == 409
    assert core_v1.read_namespaced_config_map("x", "default").data == {"n": "1"}


def test_noop_update_keeps_the_resource_version(core_v1: Any) -> None:
    created = core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}, "data": {"n": "0"}})
    again = core_v1.patch_namespaced_config_map("x", "default", {"data": {"n": "0"}})
    assert again.metadata.resource_version == created.metadata.resource_version


def test_patch_flavours(api_client: Any, core_v1: Any) -> None:
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x", "labels": {"a": "1"}},
                                                     "data": {"k": "v", "gone": "soon"}})
    core_v1.patch_namespaced_config_map("x", "default", {"data": {"gone": None, "new": "n"}})  # strategic
    assert core_v1.read_namespaced_config_map("x", "default").data == {"k": "v", "new": "n"}
    ops = [{"op": "test", "path": "/data/k", "value": "v"}, {"op": "replace", "path": "/data/k", "value": "w"},
           {"op": "add", "path": "/metadata/labels/b", "value": "2"}, {"op": "remove", "path": "/data/new"}]
    patched = core_v1.patch_namespaced_config_map("x", "default", ops)
    assert patched.data == {"k": "w"} and patched.metadata.labels == {"a": "1", "b": "2"}
    with pytest.raises(ApiException) as failed_test:
        core_v1.patch_namespaced_config_map("x", "default", [{"op": "test", "path": "/data/k", "value": "v"}])
    assert failed_test.value.status == 422
    code, merged = raw_call(api_client, "PATCH", "/api/v1/namespaces/default/configmaps/x",
                            {"metadata": {"labels": {"a": None}}}, {"Content-Type": "application/merge-patch+json"})
    assert code == 200 and merged["metadata"]["labels"] == {"b": "2"}


def test_secret_string_data_becomes_data(core_v1: Any) -> None:
    created = core_v1.create_namespaced_secret("default", {"metadata": {"name": "s"}, "stringData": {"token": "abc"}})
    assert created.data == {"token": "YWJj"} and created.type == "Opaque"


def test_pod_status_subresource(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    cluster = fake_cluster.server
    pod = pod_manifest("p", ["true"], nodeName="elsewhere")  # another node: the kubelet leaves it alone
    core_v1.create_namespaced_pod("default", pod)
    core_v1.patch_namespaced_pod("p", "default", {"status": {"phase": "Running"}})
    assert core_v1.read_namespaced_pod("p", "default").status.phase == "Pending"  # main resource ignores status
    core_v1.patch_namespaced_pod_status("p", "default", {"status": {"phase": "Running"},
                                                           "metadata": {"labels": {"ignored": "yes"}}})
    stored = cluster.pod("default", "p")
    assert stored is not None and stored["status"]["phase"] == "Running"
    assert "ignored" not in (stored["metadata"].get("labels") or {})


def test_pod_spec_is_immutable_except_deadline_and_images(core_v1: Any) -> None:
    core_v1.create_namespaced_pod("default", pod_manifest("p", ["sleep", "30"], nodeName="elsewhere",
                                                         activeDeadlineSeconds=100))
    core_v1.patch_namespaced_pod("p", "default", {"spec": {"activeDeadlineSeconds": 5}})
    with pytest.raises(ApiException) as error:
        core_v1.patch_namespaced_pod("p", "default", {"spec": {"restartPolicy": "Always"}})
    assert error.value.status == 422 and "pod updates may not change fields" in api_status(error.value)["message"]


def test_pod_defaults_are_applied(core_v1: Any) -> None:
    created = core_v1.create_namespaced_pod("default", pod_manifest("p", ["true"], nodeName="elsewhere"))
    container = created.spec.containers[0]
    assert container.termination_message_path == "/dev/termination-log"
    assert container.termination_message_policy == "File"
    assert container.image_pull_policy == "Always"
    assert created.spec.service_account_name == "default" and created.spec.termination_grace_period_seconds == 30
    assert any(m.mount_path == "/var/run/secrets/kubernetes.io/serviceaccount" for m in container.volume_mounts)
    assert created.status.phase == "Pending" and created.status.qos_class == "BestEffort"


@pytest.mark.parametrize(("change", "field", "reason"), [
    (lambda p: p["spec"]["containers"][0].pop("image"), "spec.containers[0].image", "Required value"),
    (lambda p: p["spec"]["containers"][0].update(bogus=1), "spec.containers[0]", "'bogus' was unexpected"),
    (lambda p: p["spec"].update(restartPolicy="Sometimes"), "spec.restartPolicy", "Unsupported value"),
    (lambda p: p["spec"]["containers"][0].update(name="Main_1"), "spec.containers[0].name", "RFC 1123"),
    (lambda p: p["spec"]["containers"][0].update(command="echo hi"), "spec.containers[0].command", "is not of type"),
    (lambda p: p["spec"]["containers"][0].update(volumeMounts=[{"name": "v", "mountPath": "/v"}]),
     "spec.containers[0].volumeMounts[0].name", "Not found"),
    (lambda p: p["spec"].update(activeDeadlineSeconds=0), "spec.activeDeadlineSeconds", "must be between"),
    (lambda p: p["metadata"].update(labels={"a": "x" * 64}), "metadata.labels", "at most 63"),
])
def test_invalid_pods_are_rejected(api_client: Any, change: Any, field: str, reason: str) -> None:
    pod = pod_manifest("bad", ["true"])
    change(pod)
    # raw JSON: the typed client (pydantic models) would refuse some of these before sending
    code, body = raw_call(api_client, "POST", "/api/v1/namespaces/default/pods", pod)
    assert code == 422 and body["reason"] == "Invalid"
    assert body["message"].startswith('Pod "bad" is invalid: ')
    assert any(c["field"] == field and reason in c["message"] for c in body["details"]["causes"]), body


def test_lenient_fields_accepts_unknown_fields(tmp_path: Any) -> None:

    from tests.fakecluster.fixtures import running_cluster

    with running_cluster(tmp_path, strict_fields=False, kubelet=False) as handle:
        api = client_for(handle.kubeconfig_path)
        pod = pod_manifest("p", ["true"])
        pod["spec"]["containers"][0]["bogus"] = 1
        code, created = raw_call(api, "POST", "/api/v1/namespaces/default/pods", pod)
        assert code == 201 and created["metadata"]["name"] == "p"


def test_typed_client_sees_invalid_as_api_exception(core_v1: Any) -> None:
    pod = pod_manifest("bad", ["true"])
    pod["spec"]["containers"][0]["image"] = ""
    with pytest.raises(ApiException) as error:
        core_v1.create_namespaced_pod("default", pod)
    assert error.value.status == 422
    assert "spec.containers[0].image: Required value" in api_status(error.value)["message"]


def test_configmap_size_limit(core_v1: Any) -> None:
    big = {"metadata": {"name": "big"}, "data": {"a": "x" * (1024 * 1024 + 1)}}
    with pytest.raises(ApiException) as error:
        core_v1.create_namespaced_config_map("default", big)
    body = api_status(error.value)
    assert error.value.status == 422 and "Too long: must have at most 1048576 bytes" in body["message"]
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "fits"}, "data": {"a": "x" * 1000000}})


def test_namespaces_must_exist_and_can_be_deleted(core_v1: Any) -> None:
    with pytest.raises(ApiException) as error:
        core_v1.create_namespaced_config_map("team", {"metadata": {"name": "x"}})
    assert error.value.status == 404 and api_status(error.value)["message"] == 'namespaces "team" not found'
    core_v1.create_namespace({"metadata": {"name": "team"}})
    core_v1.create_namespaced_config_map("team", {"metadata": {"name": "x"}})
    core_v1.delete_namespace("team")
    with pytest.raises(ApiException):
        core_v1.read_namespaced_config_map("x", "team")


def test_generate_name_and_dry_run(core_v1: Any) -> None:
    created = core_v1.create_namespaced_config_map("default", {"metadata": {"generateName": "wf-"}})
    assert created.metadata.name.startswith("wf-") and len(created.metadata.name) == 8
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "dry"}}, dry_run="All")
    with pytest.raises(ApiException):
        core_v1.read_namespaced_config_map("dry", "default")


def _labelled(core_v1: Any) -> None:
    for name, labels in (("a", {"app": "x", "tier": "web"}), ("b", {"app": "y", "tier": "db"}),
                         ("c", {"app": "x"}), ("d", {})):
        core_v1.create_namespaced_config_map("default", {"metadata": {"name": name, "labels": labels}})


@pytest.mark.parametrize(("selector", "expected"), [
    ("app=x", ["a", "c"]), ("app==x", ["a", "c"]), ("app!=x", ["b", "d", "kube-root-ca.crt"]),
    ("app in (x,y)", ["a", "b", "c"]), ("app notin (x)", ["b", "d", "kube-root-ca.crt"]), ("tier", ["a", "b"]),
    ("!tier", ["c", "d", "kube-root-ca.crt"]), ("app=x,tier=web", ["a"]), ("app=x,!tier", ["c"]),
])
def test_label_selectors(core_v1: Any, selector: str, expected: list[str]) -> None:
    _labelled(core_v1)
    found = core_v1.list_namespaced_config_map("default", label_selector=selector).items
    assert sorted(c.metadata.name for c in found) == expected


def test_bad_selectors_are_bad_requests(core_v1: Any) -> None:
    with pytest.raises(ApiException) as label_error:
        core_v1.list_namespaced_config_map("default", label_selector="app in x")
    assert label_error.value.status == 400
    with pytest.raises(ApiException) as field_error:
        core_v1.list_namespaced_config_map("default", field_selector="data.a=1")
    assert field_error.value.status == 400 and "field label not supported" in api_status(field_error.value)["message"]


def test_field_selectors(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    core_v1.create_namespace({"metadata": {"name": "other"}})
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "a"}})
    core_v1.create_namespaced_config_map("other", {"metadata": {"name": "a"}})
    by_name = core_v1.list_config_map_for_all_namespaces(field_selector="metadata.name=a").items
    assert sorted(c.metadata.namespace for c in by_name) == ["default", "other"]
    by_namespace = core_v1.list_config_map_for_all_namespaces(field_selector="metadata.namespace=other,metadata.name!=a")
    assert [c.metadata.name for c in by_namespace.items] == ["kube-root-ca.crt"]
    core_v1.create_namespaced_pod("default", pod_manifest("done", ["true"]))
    fake_cluster.server.wait_for_pod("default", "done", lambda p: p["status"]["phase"] == "Succeeded")
    core_v1.create_namespaced_pod("default", pod_manifest("parked", ["true"], nodeName="elsewhere"))
    succeeded = core_v1.list_namespaced_pod("default", field_selector="status.phase=Succeeded").items
    assert [p.metadata.name for p in succeeded] == ["done"]
    pending = core_v1.list_namespaced_pod("default", field_selector="status.phase!=Succeeded").items
    assert [p.metadata.name for p in pending] == ["parked"]


def test_list_pagination(core_v1: Any) -> None:
    for index in range(5):
        core_v1.create_namespaced_config_map("default", {"metadata": {"name": f"cm-{index}", "labels": {"p": "1"}}})
    first = core_v1.list_namespaced_config_map("default", label_selector="p=1", limit=2)
    assert [c.metadata.name for c in first.items] == ["cm-0", "cm-1"] and first.metadata.remaining_item_count == 3
    second = core_v1.list_namespaced_config_map("default", label_selector="p=1", limit=2,
                                                _continue=first.metadata._continue)
    assert [c.metadata.name for c in second.items] == ["cm-2", "cm-3"]


def _owner_ref(owner: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "name": owner.metadata.name, "uid": owner.metadata.uid}


def test_garbage_collection_follows_owner_references(core_v1: Any, fake_cluster: ClusterHandle) -> None:
    owner = core_v1.create_namespaced_config_map("default", {"metadata": {"name": "wf"}})
    child = core_v1.create_namespaced_config_map("default", {"metadata": {"name": "part",
                                                                          "ownerReferences": [_owner_ref(owner)]}})
    grandchild = {"metadata": {"name": "part-2", "ownerReferences": [_owner_ref(child)]}}
    core_v1.create_namespaced_config_map("default", grandchild)
    pod = pod_manifest("step", ["sleep", "30"])
    pod["metadata"]["ownerReferences"] = [_owner_ref(owner)]
    core_v1.create_namespaced_pod("default", pod)
    fake_cluster.server.wait_for_pod("default", "step", lambda p: p["status"]["phase"] == "Running")
    core_v1.delete_namespaced_config_map("wf", "default")
    remaining = {c.metadata.name for c in core_v1.list_namespaced_config_map("default").items}
    assert remaining == {"kube-root-ca.crt"}
    fake_cluster.server.wait_for_pod_gone("default", "step", timeout=60)


def test_orphan_propagation_keeps_dependents(core_v1: Any) -> None:
    owner = core_v1.create_namespaced_config_map("default", {"metadata": {"name": "wf"}})
    core_v1.create_namespaced_config_map("default", {"metadata": {"name": "part",
                                                                  "ownerReferences": [_owner_ref(owner)]}})
    core_v1.delete_namespaced_config_map("wf", "default", propagation_policy="Orphan")
    assert core_v1.read_namespaced_config_map("part", "default").metadata.owner_references is None


def test_delete_preconditions(core_v1: Any) -> None:
    created = core_v1.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    with pytest.raises(ApiException) as error:
        core_v1.delete_namespaced_config_map("x", "default", body=client.V1DeleteOptions(
            preconditions=client.V1Preconditions(uid="not-the-uid")))
    assert error.value.status == 409
    core_v1.delete_namespaced_config_map("x", "default", body=client.V1DeleteOptions(
        preconditions=client.V1Preconditions(uid=created.metadata.uid)))


def test_leases(api_client: Any) -> None:
    leases = api("CoordinationV1Api", api_client)
    body = {"metadata": {"name": "wf-lock"}, "spec": {"holderIdentity": "driver-1", "leaseDurationSeconds": 15}}
    created = leases.create_namespaced_lease("default", body)
    created.spec.holder_identity = "driver-2"
    leases.replace_namespaced_lease("wf-lock", "default", created)
    with pytest.raises(ApiException) as error:
        leases.replace_namespaced_lease("wf-lock", "default", created)  # stale resourceVersion
    assert error.value.status == 409
    assert leases.read_namespaced_lease("wf-lock", "default").spec.holder_identity == "driver-2"


def test_generic_objects_for_resource_templates(api_client: Any) -> None:
    custom = api("CustomObjectsApi", api_client)
    args = ("example.com", "v1", "default", "widgets")
    body = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 1}}
    created = custom.create_namespaced_custom_object(*args, body)
    assert created["metadata"]["generation"] == 1
    patched = custom.patch_namespaced_custom_object(*args, "w", {"spec": {"size": 2}, "status": {"ok": True}})
    assert patched["spec"] == {"size": 2} and patched["metadata"]["generation"] == 2
    patched["spec"]["size"] = 3
    replaced = custom.replace_namespaced_custom_object(*args, "w", patched)
    assert replaced["spec"]["size"] == 3
    assert [o["metadata"]["name"] for o in custom.list_namespaced_custom_object(*args)["items"]] == ["w"]
    custom.delete_namespaced_custom_object(*args, "w")
    with pytest.raises(ApiException) as error:
        custom.get_namespaced_custom_object(*args, "w")
    assert error.value.status == 404 and api_status(error.value)["details"]["group"] == "example.com"


def test_dynamic_client_discovers_registered_resources(api_client: Any, fake_cluster: ClusterHandle) -> None:
    from kubernetes import dynamic

    fake_cluster.server.register_resource("argoproj.io", "v1alpha1", "workflows", "Workflow")
    dyn = dynamic.DynamicClient(api_client)  # type: ignore[no-untyped-call]
    workflows = dyn.resources.get(api_version="argoproj.io/v1alpha1", kind="Workflow")
    workflows.create(body={"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                           "metadata": {"name": "wf"}, "spec": {}}, namespace="default")
    assert [w.metadata.name for w in workflows.get(namespace="default").items] == ["wf"]
    jobs = dyn.resources.get(api_version="batch/v1", kind="Job")
    assert jobs.namespaced


def test_crd_registers_its_resource(api_client: Any) -> None:
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "workflowtemplates.argoproj.io"},
           "spec": {"group": "argoproj.io", "scope": "Namespaced",
                    "names": {"plural": "workflowtemplates", "kind": "WorkflowTemplate", "shortNames": ["wftmpl"]},
                    "versions": [{"name": "v1alpha1", "served": True, "storage": True}]}}
    api("ApiextensionsV1Api", api_client).create_custom_resource_definition(crd)
    resources = api("CustomObjectsApi", api_client).get_api_resources("argoproj.io", "v1alpha1")
    assert [(r.name, r.kind) for r in resources.resources] == [("workflowtemplates", "WorkflowTemplate")]


def test_unknown_core_resource_is_not_found(api_client: Any) -> None:
    code, body = raw_call(api_client, "GET", "/api/v1/namespaces/default/widgets")
    assert code == 404 and body["reason"] == "NotFound"
