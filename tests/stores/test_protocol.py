"""The Store protocol, run against the local store and the S3 store (loopback server)."""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any, cast

import pytest

from argoctl.errors import ConflictError, NotFoundError, UsageError
from argoctl.stores.base import Lease, Store
from tests.stores.conftest import NOW, StoreFactory, wf_object, workflow

# -- workflows ---------------------------------------------------------------------------------


def test_create_stamps_identity_and_version(store: Store) -> None:
    created = store.create_workflow(workflow("hello"))
    meta = created["metadata"]
    assert meta["resourceVersion"] == "1"
    assert meta["namespace"] == "default"
    assert meta["creationTimestamp"] == "2023-11-14T22:13:20Z"
    assert str(uuid.UUID(meta["uid"])) == meta["uid"]
    assert store.get_workflow("hello") == created


def test_create_keeps_a_given_creation_timestamp_and_never_mutates_the_input(store: Store) -> None:
    given = workflow("stamped")
    given["metadata"]["creationTimestamp"] = "2020-01-02T03:04:05Z"
    created = store.create_workflow(given)
    assert created["metadata"]["creationTimestamp"] == "2020-01-02T03:04:05Z"
    assert "uid" not in given["metadata"] and "resourceVersion" not in given["metadata"]


def test_create_twice_is_a_conflict(store: Store) -> None:
    store.create_workflow(workflow("twice"))
    with pytest.raises(ConflictError, match=re.escape('workflows.argoproj.io "twice" already exists')):
        store.create_workflow(workflow("twice"))


def test_generate_name_gets_five_random_characters(store: Store) -> None:
    wf = workflow("x")
    wf["metadata"] = {"generateName": "gen-"}
    first = store.create_workflow(wf)["metadata"]["name"]
    second = store.create_workflow(wf)["metadata"]["name"]
    assert first.startswith("gen-") and len(first) == len("gen-") + 5
    assert first != second


def test_a_long_generate_name_is_cut_as_the_api_server_cuts_it(store: Store) -> None:
    prefix = "global-parameter-from-configmap-referenced-as-local-variable-"  # 61 characters
    wf = workflow("x")
    wf["metadata"] = {"generateName": prefix}
    name = store.create_workflow(wf)["metadata"]["name"]
    assert len(name) == 63 and name.startswith(prefix[:58])  # fits the label value pods carry


def test_namespace_mismatch_is_refused(store: Store) -> None:
    wf = workflow("elsewhere")
    wf["metadata"]["namespace"] = "argo"
    with pytest.raises(UsageError, match="does not match"):
        store.create_workflow(wf)


def test_get_missing_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match=re.escape('workflows.argoproj.io "nope" not found')):
        store.get_workflow("nope")


def test_update_bumps_version_and_keeps_identity(store: Store) -> None:
    created = store.create_workflow(workflow("upd"))
    created["status"] = {"phase": "Running"}
    created["metadata"]["uid"] = "forged"
    updated = store.update_workflow(created)
    assert updated["metadata"]["resourceVersion"] == "2"
    assert updated["metadata"]["uid"] != "forged"
    assert store.get_workflow("upd")["status"] == {"phase": "Running"}


def test_stale_update_is_a_conflict_and_changes_nothing(store: Store) -> None:
    created = store.create_workflow(workflow("stale"))
    fresh = store.update_workflow({**created, "status": {"phase": "Running"}})
    with pytest.raises(ConflictError, match="the object has been modified"):
        store.update_workflow({**created, "status": {"phase": "Failed"}})
    assert store.get_workflow("stale") == fresh


def test_a_second_instance_sees_conflicts_of_the_first(store_factory: StoreFactory) -> None:
    one, two = store_factory(), store_factory()
    created = one.create_workflow(workflow("shared"))
    two.update_workflow({**created, "status": {"phase": "Running"}})
    with pytest.raises(ConflictError):
        one.update_workflow({**created, "status": {"phase": "Failed"}})
    assert one.get_workflow("shared")["status"]["phase"] == "Running"


def test_concurrent_updates_of_one_version_have_one_winner(store_factory: StoreFactory) -> None:
    created = store_factory().create_workflow(workflow("racy"))
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def update(phase: str) -> None:
        instance = store_factory()
        barrier.wait()
        try:
            instance.update_workflow({**created, "status": {"phase": phase}})
            outcomes.append(phase)
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=update, args=(f"P{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "conflict"]
    assert len(winners) == 1 and outcomes.count("conflict") == 3
    final = store_factory().get_workflow("racy")
    assert final["status"]["phase"] == winners[0] and final["metadata"]["resourceVersion"] == "2"


def test_update_of_a_missing_workflow_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.update_workflow(workflow("ghost"))


def test_unsafe_names_are_refused(store: Store) -> None:
    for bad in ("../escape", "a/b", ".hidden", ""):
        with pytest.raises(UsageError):
            store.get_workflow(bad)


# -- listing and selectors ---------------------------------------------------------------------


def test_list_filters_by_mapping_and_selector_text(store: Store) -> None:
    store.create_workflow(workflow("a-b"))  # sorts after "a" by name (not by "a-b.json" < "a.json")
    store.create_workflow(workflow("a", labels={"team": "ml", "tier": "gold"}))
    store.create_workflow(workflow("b", labels={"team": "ml"}))
    store.create_workflow(workflow("c", labels={"team": "web"}))

    def names(selector: object) -> list[str]:
        # selector text is accepted by both stores; base.Store's signature says Mapping only
        return [w["metadata"]["name"] for w in cast(Any, store).list_workflows(selector)]

    assert names(None) == ["a", "a-b", "b", "c"]
    assert names({"team": "ml"}) == ["a", "b"]
    assert names("team=ml,!tier") == ["b"]
    assert names("team in (web, ops)") == ["c"]
    assert names("tier") == ["a"]
    assert names("team!=ml") == ["a-b", "c"]
    assert names({"team": "none"}) == []


def test_list_returns_summaries_without_heavy_parts(store: Store) -> None:
    given = workflow("sum", phase="Succeeded", nodes=3)
    given["status"]["x-argoctl"] = {"outbox": [{"pod": "p"}]}
    given["status"]["storedTemplates"] = {"namespaced/t/main": {"name": "main"}}
    created = store.create_workflow(given)
    [summary] = store.list_workflows()
    assert summary["metadata"] == created["metadata"]
    assert "templates" not in summary["spec"] and summary["spec"]["entrypoint"] == "main"
    assert summary["status"]["phase"] == "Succeeded" and summary["status"]["progress"] == "3/3"
    assert "x-argoctl" not in summary["status"] and "storedTemplates" not in summary["status"]
    node = summary["status"]["nodes"]["sum-0"]
    assert node == {"id": "sum-0", "name": "sum[0]", "displayName": "s0", "type": "Pod", "phase": "Succeeded"}
    assert "outputs" in store.get_workflow("sum")["status"]["nodes"]["sum-0"]


def test_list_reflects_updates_and_deletes(store_factory: StoreFactory) -> None:
    writer, reader = store_factory(), store_factory()
    created = writer.create_workflow(workflow("life"))
    writer.update_workflow({**created, "status": {"phase": "Succeeded"}})
    assert [w["status"]["phase"] for w in reader.list_workflows()] == ["Succeeded"]
    writer.delete_workflow("life")
    assert reader.list_workflows() == []


def test_namespaces_are_separate(store_factory: StoreFactory) -> None:
    store_factory("default").create_workflow(workflow("same"))
    other = store_factory("team-b")
    assert other.list_workflows() == []
    created = other.create_workflow(workflow("same"))
    assert created["metadata"]["namespace"] == "team-b"


# -- delete ------------------------------------------------------------------------------------


def test_delete_removes_workflow_logs_and_lease(store: Store) -> None:
    store.create_workflow(workflow("gone"))
    store.append_log("gone", "gone-pod", "main", "hello\n")
    store.acquire_lease("gone", "driver-1", 30, NOW)
    store.delete_workflow("gone")
    with pytest.raises(NotFoundError):
        store.get_workflow("gone")
    assert store.read_log("gone", "gone-pod", "main") == ""
    assert store.get_lease("gone") is None
    with pytest.raises(NotFoundError):
        store.delete_workflow("gone")
    store.create_workflow(workflow("gone"))  # the name is free again


# -- objects -----------------------------------------------------------------------------------


def test_put_object_creates_then_replaces_keeping_identity(store: Store) -> None:
    store.put_object("WorkflowTemplate", wf_object("tmpl", entrypoint="a"))
    first = store.get_object("WorkflowTemplate", "tmpl")
    store.put_object("WorkflowTemplate", wf_object("tmpl", entrypoint="b"))
    second = store.get_object("WorkflowTemplate", "tmpl")
    assert second["spec"] == {"entrypoint": "b"}
    assert second["metadata"]["uid"] == first["metadata"]["uid"]
    assert (first["metadata"]["resourceVersion"], second["metadata"]["resourceVersion"]) == ("1", "2")
    assert second["metadata"]["namespace"] == "default"


def test_objects_list_by_kind_and_delete(store: Store) -> None:
    store.put_object("ConfigMap", {"metadata": {"name": "cm-b"}, "data": {"k": "v"}})
    store.put_object("ConfigMap", {"metadata": {"name": "cm-a"}, "data": {}})
    store.put_object("ConfigMap", {"metadata": {"name": "cm"}, "data": {}})
    store.put_object("CronWorkflow", wf_object("cron", "CronWorkflow"))
    assert [o["metadata"]["name"] for o in store.list_objects("ConfigMap")] == ["cm", "cm-a", "cm-b"]
    assert store.get_object("ConfigMap", "cm-b")["kind"] == "ConfigMap"
    store.delete_object("ConfigMap", "cm-a")
    assert [o["metadata"]["name"] for o in store.list_objects("ConfigMap")] == ["cm", "cm-b"]
    with pytest.raises(NotFoundError, match='configmaps "cm-a" not found'):
        store.get_object("ConfigMap", "cm-a")
    with pytest.raises(NotFoundError):
        store.delete_object("ConfigMap", "cm-a")


def test_cluster_templates_are_shared_by_namespaces(store_factory: StoreFactory) -> None:
    store_factory("one").put_object("ClusterWorkflowTemplate", wf_object("ctmpl", "ClusterWorkflowTemplate"))
    found = store_factory("two").get_object("ClusterWorkflowTemplate", "ctmpl")
    assert "namespace" not in found["metadata"]
    store_factory("one").put_object("WorkflowTemplate", wf_object("ns-only"))
    assert store_factory("two").list_objects("WorkflowTemplate") == []


def test_unknown_kind_is_refused(store: Store) -> None:
    with pytest.raises(UsageError, match="does not keep objects of kind 'Pod'"):
        store.put_object("Pod", {"metadata": {"name": "p"}})


# -- logs --------------------------------------------------------------------------------------


def test_logs_append_in_order_per_container(store: Store) -> None:
    for line in ("one\n", "two\n", "drei – ünïcode\n"):
        store.append_log("wf", "wf-pod-1", "main", line)
    store.append_log("wf", "wf-pod-1", "init", "setup\n")
    assert store.read_log("wf", "wf-pod-1", "main") == "one\ntwo\ndrei – ünïcode\n"
    assert store.read_log("wf", "wf-pod-1", "init") == "setup\n"
    assert store.read_log("wf", "wf-pod-2", "main") == ""


# -- leases ------------------------------------------------------------------------------------


def test_lease_take_renew_conflict_and_release(store: Store) -> None:
    assert store.get_lease("wf") is None
    assert store.acquire_lease("wf", "driver-a", 30, NOW) == Lease("driver-a", NOW, 30)
    assert store.acquire_lease("wf", "driver-a", 30, NOW + 10) == Lease("driver-a", NOW + 10, 30)
    with pytest.raises(ConflictError) as caught:
        store.acquire_lease("wf", "driver-b", 30, NOW + 20)
    assert "driver-a" in caught.value.message
    assert "2023-11-14T22:14:00Z" in caught.value.message  # renewed at +10, ttl 30
    assert "in 20s" in caught.value.message
    store.release_lease("wf", "driver-b")  # not the holder: nothing happens
    assert store.get_lease("wf") == Lease("driver-a", NOW + 10, 30)
    store.release_lease("wf", "driver-a")
    assert store.get_lease("wf") is None
    assert store.acquire_lease("wf", "driver-b", 30, NOW + 21).holder == "driver-b"


def test_expired_lease_is_taken_over(store: Store) -> None:
    store.acquire_lease("wf", "dead-driver", 15, NOW)
    with pytest.raises(ConflictError):
        store.acquire_lease("wf", "new-driver", 15, NOW + 15)  # exactly at expiry: still held
    taken = store.acquire_lease("wf", "new-driver", 15, NOW + 15.5)
    assert taken == Lease("new-driver", NOW + 15.5, 15)
    with pytest.raises(ConflictError, match="new-driver"):
        store.acquire_lease("wf", "dead-driver", 15, NOW + 16)
