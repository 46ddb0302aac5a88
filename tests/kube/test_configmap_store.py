"""The ConfigMap store against the loopback API server, beyond the shared protocol tests
(tests/stores runs those over it too): request counts, layout, splitting a large status,
leases between holders, commands, secrets, chunked logs, garbage collection, kubectl."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from argoctl.cli.app import App, GlobalOptions
from argoctl.engine.types import Resume, Suspend
from argoctl.errors import ConflictError, NotFoundError
from argoctl.kube import paths
from argoctl.kube.client import KubeClient
from argoctl.runtime import commands
from argoctl.stores import cmlogs
from argoctl.stores.base import Lease
from argoctl.stores.configmap import ConfigMapStore
from argoctl.stores.factory import open_store
from tests.fakecluster.fixtures import ClusterHandle
from tests.kube.clientfixtures import ClientFactory
from tests.stores.conftest import workflow
from tests.stores.test_lease_race import _assert_one_winner_each, _clean_env, _race

pytestmark = pytest.mark.kube
CMS = paths.collection("default", "configmaps")
NOW = 1_700_000_000.0


def names_of(kube: KubeClient, selector: str) -> list[str]:
    return sorted(i["metadata"]["name"] for i in kube.list(CMS, label_selector=selector)["items"])


def big_workflow(name: str, nodes: int) -> dict[str, Any]:
    """A workflow whose status does not compress below one ConfigMap (random outputs)."""
    wf = workflow(name, phase="Running", nodes=nodes)
    for node in wf["status"]["nodes"].values():
        node["outputs"] = {"result": secrets.token_urlsafe(600)}
    return wf


def test_list_is_one_label_selected_list_request(cm_store: ConfigMapStore, api_server: ClusterHandle,
                                                 mocker: Any) -> None:
    for i in range(6):
        cm_store.create_workflow(workflow(f"wf-{i}", labels={"team": "ml" if i % 2 else "web"}, nodes=2))
    requests = api_server.server.requests
    requests.reset()
    spy = mocker.spy(cm_store.client, "list")
    found = cm_store.list_workflows({"team": "ml"})
    assert [w["metadata"]["name"] for w in found] == ["wf-1", "wf-3", "wf-5"]
    assert [(r.verb, r.resource) for r in requests.records] == [("list", "configmaps")]
    assert spy.call_args.kwargs["label_selector"] == "argoctl.io/kind=workflow,team=ml"  # selected by the server
    assert len(spy.spy_return["items"]) == 3


def test_a_driver_holding_the_latest_version_writes_with_one_put(
        cm_store: ConfigMapStore, api_server: ClusterHandle) -> None:
    current = cm_store.create_workflow(workflow("hot"))
    requests = api_server.server.requests
    requests.reset()
    for phase in ("Pending", "Running", "Succeeded"):
        current = cm_store.update_workflow({**current, "status": {"phase": phase}})
    assert [(r.verb, r.resource) for r in requests.records] == [("update", "configmaps")] * 3
    assert current["metadata"]["resourceVersion"] == "4"


def test_layout_labels_and_uid(cm_store: ConfigMapStore, kube: KubeClient) -> None:
    labels = {"workflows.argoproj.io/phase": "Running", "workflows.argoproj.io/completed": "false",
              "bad label": "dropped", "long": "x" * 70}
    created = cm_store.create_workflow(workflow("shape", labels=labels))
    cm = kube.get(f"{CMS}/argoctl-wf-shape")
    assert cm["metadata"]["labels"] == {
        "app.kubernetes.io/managed-by": "argoctl", "argoctl.io/kind": "workflow",
        "workflows.argoproj.io/workflow": "shape", "workflows.argoproj.io/phase": "Running",
        "workflows.argoproj.io/completed": "false"}
    assert created["metadata"]["uid"] == cm["metadata"]["uid"]
    assert json.loads(cm["data"]["workflow.json"])["spec"]["entrypoint"] == "main"
    assert created["metadata"]["labels"] == labels  # the workflow keeps all of its own labels
    assert cm_store.owner_reference("shape")["uid"] == cm["metadata"]["uid"]


def test_a_status_beyond_one_configmap_is_split_losing_no_node(
        cm_store: ConfigMapStore, kube: KubeClient, make_client: ClientFactory) -> None:
    small = cm_store.create_workflow(workflow("huge"))
    medium = big_workflow("huge", 300)  # ~0.25 MB: gzip in binaryData
    medium["metadata"] = small["metadata"]
    stored = cm_store.update_workflow(medium)
    assert "workflow.json.gz" in kube.get(f"{CMS}/argoctl-wf-huge")["binaryData"]

    large = big_workflow("huge", 2500)  # ~2 MB of random text: parts
    large["metadata"] = stored["metadata"]
    stored = cm_store.update_workflow(large)
    parts = names_of(kube, "argoctl.io/kind=workflow-part")
    assert len(parts) >= 2
    fresh = ConfigMapStore(make_client(), "default")  # another process: nothing remembered
    assert fresh.get_workflow("huge")["status"]["nodes"] == large["status"]["nodes"]
    [summary] = fresh.list_workflows()
    assert len(summary["status"]["nodes"]) == 2500 and "outputs" not in summary["status"]["nodes"]["huge-0"]

    again = big_workflow("huge", 2600)
    again["metadata"] = stored["metadata"]
    stored = fresh.update_workflow(again)  # new parts, the old ones deleted
    now = names_of(kube, "argoctl.io/kind=workflow-part")
    assert now and not set(now) & set(parts)
    assert cm_store.get_workflow("huge")["status"]["nodes"] == again["status"]["nodes"]

    cm_store.update_workflow({**stored, "status": {"phase": "Succeeded"}})  # small again: no parts
    assert names_of(kube, "argoctl.io/kind=workflow-part") == []
    assert cm_store.get_workflow("huge")["status"] == {"phase": "Succeeded"}


def test_parts_and_owned_pods_go_with_the_workflow(cm_store: ConfigMapStore, kube: KubeClient) -> None:
    created = cm_store.create_workflow(big_workflow("owner", 2500))
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": "owner-step", "ownerReferences": [cm_store.owner_reference("owner")]},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}
    kube.create(paths.collection("default", "pods"), pod)
    assert created["metadata"]["uid"] == cm_store.owner_reference("owner")["uid"]
    cm_store.append_log("owner", "owner-step", "main", "bye\n")
    cm_store.delete_workflow("owner")
    assert names_of(kube, "argoctl.io/kind") == []  # parts, logs: nothing of argoctl's is left
    with pytest.raises(NotFoundError):
        kube.get(paths.item("default", "pods", "owner-step"))


def test_conflict_then_reread_and_retry(cm_store: ConfigMapStore, make_client: ClientFactory) -> None:
    other = ConfigMapStore(make_client(), "default")
    mine = cm_store.create_workflow(workflow("race"))
    other.update_workflow({**other.get_workflow("race"), "status": {"phase": "Running"}})
    with pytest.raises(ConflictError, match=re.escape('workflows.argoproj.io "race": the object has been modified')):
        cm_store.update_workflow({**mine, "status": {"phase": "Failed"}})
    latest = cm_store.get_workflow("race")
    assert cm_store.update_workflow({**latest, "status": {"phase": "Failed"}})["metadata"]["resourceVersion"] == "3"
    unconditional = {**latest, "metadata": {k: v for k, v in latest["metadata"].items() if k != "resourceVersion"}}
    assert other.update_workflow({**unconditional, "status": {"phase": "Error"}})["metadata"]["resourceVersion"] == "4"


def test_leases_between_two_holders(make_client: ClientFactory, api_server: ClusterHandle) -> None:
    one, two = ConfigMapStore(make_client(), "default"), ConfigMapStore(make_client(), "default")
    assert one.acquire_lease("wf", "laptop:1", 15, NOW) == Lease("laptop:1", NOW, 15)
    with pytest.raises(ConflictError) as caught:
        two.acquire_lease("wf", "laptop:2", 15, NOW + 5)
    assert 'workflow "wf" is driven by laptop:1; its lease expires at 2023-11-14T22:13:35Z (in 10s)' in \
        caught.value.message
    requests = api_server.server.requests
    requests.reset()
    one.acquire_lease("wf", "laptop:1", 15, NOW + 6)  # renewal: one PUT
    assert [(r.verb, r.resource) for r in requests.records] == [("update", "leases")]
    lease = one.client.get(paths.item("default", "leases", "argoctl-wf", group="coordination.k8s.io"))
    assert lease["spec"]["holderIdentity"] == "laptop:1" and lease["spec"]["leaseDurationSeconds"] == 15
    assert lease["spec"]["renewTime"] == "2023-11-14T22:13:26.000000Z"
    assert two.acquire_lease("wf", "laptop:2", 15, NOW + 21.5) == Lease("laptop:2", NOW + 21.5, 15)  # expired
    with pytest.raises(ConflictError, match="laptop:2"):
        one.acquire_lease("wf", "laptop:1", 15, NOW + 22)  # its remembered version is stale: read, refused
    one.release_lease("wf", "laptop:1")  # not the holder: nothing happens
    assert two.get_lease("wf") == Lease("laptop:2", NOW + 21.5, 15)
    two.release_lease("wf", "laptop:2")
    assert one.get_lease("wf") is None


def test_processes_racing_for_leases(api_server: ClusterHandle) -> None:
    outcomes = _race("configmap", _clean_env({"KUBECONFIG": api_server.kubeconfig_path}))
    _assert_one_winner_each(outcomes)


def test_commands_are_small_labelled_configmaps(cm_store: ConfigMapStore, kube: KubeClient) -> None:
    commands.push(cm_store, "wf", Suspend())
    commands.push(cm_store, "wf", Resume("", "go on"))
    commands.push(cm_store, "other", Suspend())
    assert len(names_of(kube, "argoctl.io/kind=workflowcommand,workflows.argoproj.io/workflow=wf")) == 2
    assert commands.peek(cm_store, "wf")
    assert list(commands.take(cm_store, "wf")) == [Suspend(), Resume("", "go on")]
    assert not commands.peek(cm_store, "wf") and commands.peek(cm_store, "other")


def test_polling_the_command_queue_costs_one_list_and_one_watch(
        cm_store: ConfigMapStore, make_client: ClientFactory, api_server: ClusterHandle) -> None:
    requests = api_server.server.requests
    requests.reset()
    assert not any(commands.peek(cm_store, "wf") for _ in range(50))
    other = ConfigMapStore(make_client(), "default")  # the CLI of `argoctl suspend wf`
    commands.push(other, "wf", Suspend())
    deadline = time.monotonic() + 60
    while not commands.peek(cm_store, "wf"):  # the watch brings it in
        assert time.monotonic() < deadline, "the pushed command never arrived"
        time.sleep(0.01)
    assert list(commands.take(cm_store, "wf")) == [Suspend()]
    assert not commands.peek(cm_store, "wf")
    reads = [(r.verb, r.resource) for r in requests.records if r.verb in ("list", "watch", "get")]
    assert reads == [("list", "configmaps"), ("watch", "configmaps")]


def test_applied_secrets_and_configmaps_are_the_real_objects(cm_store: ConfigMapStore, kube: KubeClient) -> None:
    cm_store.put_object("Secret", {"metadata": {"name": "creds"}, "stringData": {"password": "hunter2"}})
    cm_store.put_object("ConfigMap", {"metadata": {"name": "settings"}, "data": {"k": "v"}})
    cm_store.put_object("ConfigMap", {"metadata": {"name": "settings"}, "data": {"k": "w"}})
    cm_store.put_object("WorkflowTemplate", {"metadata": {"name": "tmpl"}, "spec": {"entrypoint": "a"}})
    assert kube.get(paths.item("default", "secrets", "creds"))["data"] == {"password": "aHVudGVyMg=="}
    assert cm_store.get_object("ConfigMap", "settings")["data"] == {"k": "w"}
    assert [o["metadata"]["name"] for o in cm_store.list_objects("ConfigMap")] == ["settings"]
    everything = json.dumps(kube.list(CMS))
    assert "hunter2" not in everything and "aHVudGVyMg" not in everything
    assert names_of(kube, "argoctl.io/kind=workflowtemplate") == ["argoctl-wftmpl-tmpl"]


def test_a_long_log_keeps_its_tail_in_one_bounded_configmap(cm_store: ConfigMapStore, kube: KubeClient) -> None:
    text = "".join(f"line {i} – ünïcode {secrets.token_hex(8)}\n" for i in range(30000))  # ~1.2 MB
    cm_store.append_log("wf", "wf-pod", "main", text)
    cm_store.append_log("wf", "wf-pod", "main", "tail\n")
    assert len(names_of(kube, "argoctl.io/kind=logs")) == 1  # argoctl.stores.cmlogs: bounded copies
    kept = cm_store.read_log("wf", "wf-pod", "main")
    note, _, rest = kept.partition("\n")
    assert note.startswith("argoctl: ") and note.endswith("earlier bytes of this log were dropped")
    assert (text + "tail\n").endswith(rest) and rest.endswith("tail\n")
    assert cmlogs.STREAM_LIMIT - 100 <= len(rest.encode()) <= cmlogs.STREAM_LIMIT
    assert cm_store.read_log("wf", "wf-pod", "init") == ""


def test_factory_and_app_build_the_configmap_store(api_server: ClusterHandle, kube: KubeClient) -> None:
    assert isinstance(open_store("configmap", namespace="default", client=kube), ConfigMapStore)
    built = open_store("configmap", namespace="default", environ={"KUBECONFIG": api_server.kubeconfig_path})
    assert isinstance(built, ConfigMapStore)
    app = App(GlobalOptions(kubeconfig=api_server.kubeconfig_path, backend="kubernetes"))
    store = app.store()
    assert isinstance(store, ConfigMapStore) and app.namespace == "default"
    assert app.kube_client() is app.kube_client() and store.client is app.kube_client()


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_shows_the_workflows(cm_store: ConfigMapStore, api_server: ClusterHandle, tmp_path: Path) -> None:
    cm_store.create_workflow(workflow("seen-by-kubectl"))
    cm_store.put_object("WorkflowTemplate", {"metadata": {"name": "not-a-workflow"}, "spec": {}})
    out = subprocess.run(["kubectl", "--kubeconfig", api_server.kubeconfig_path, "get", "configmaps",
                          "-l", "argoctl.io/kind=workflow", "-o", "name"],
                         capture_output=True, text=True, timeout=60, check=True, cwd=tmp_path)
    assert out.stdout.split() == ["configmap/argoctl-wf-seen-by-kubectl"]
    table = subprocess.run(["kubectl", "--kubeconfig", api_server.kubeconfig_path, "get", "configmaps",
                            "-l", "argoctl.io/kind=workflow"], capture_output=True, text=True, timeout=60,
                           check=True, cwd=tmp_path)
    assert "argoctl-wf-seen-by-kubectl" in table.stdout and "NAME" in table.stdout
