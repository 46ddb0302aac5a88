"""The workflow archive in every store: kept after the live record is deleted, removed for good
by ``delete_archived``; labels, label keys and values; ``namespaces``/``in_namespace`` for ``-A``."""

from __future__ import annotations

import pytest

from argoctl.errors import NotFoundError
from argoctl.stores import archive
from argoctl.stores.base import Store
from tests.stores.conftest import StoreFactory, workflow


def _finished(store: Store, name: str, labels: dict[str, str]) -> dict[str, object]:
    created = store.create_workflow(workflow(name, labels=labels, phase="Succeeded", nodes=3))
    return dict(created)


def test_archive_outlives_the_live_record_until_deleted(store: Store) -> None:
    live = _finished(store, "done", {"team": "a"})
    uid = str(live["metadata"]["uid"])  # type: ignore[index]
    archive.archive(store, live)
    store.delete_workflow("done")
    [summary] = archive.list_archived(store)
    assert (summary["metadata"]["name"], summary["metadata"]["uid"]) == ("done", uid)
    assert "nodes" not in summary["status"] and "templates" not in summary["spec"]
    whole = archive.get_archived(store, uid)
    assert len(whole["status"]["nodes"]) == 3 and whole["spec"]["templates"][0]["name"] == "main"
    assert archive.uid_of(store, "done") == uid
    archive.delete_archived(store, uid)
    assert archive.list_archived(store) == []
    with pytest.raises(NotFoundError, match=f'archived workflow "{uid}" not found'):
        archive.get_archived(store, uid)


def test_archive_selects_by_label_and_lists_keys_and_values(store: Store) -> None:
    for name, team in (("a1", "a"), ("b1", "b"), ("b2", "b")):
        archive.archive(store, _finished(store, name, {"team": team, "tier": "x"}))
    assert sorted(s["metadata"]["name"] for s in archive.list_archived(store, "team=b")) == ["b1", "b2"]
    assert archive.label_keys(store) == ["team", "tier"]
    assert archive.label_values(store, "team") == ["a", "b"]
    assert archive.label_values(store, "nope") == []


def test_archiving_again_replaces_the_record(store: Store) -> None:
    live = _finished(store, "again", {})
    archive.archive(store, live)
    live["status"] = {**live["status"], "phase": "Failed"}  # type: ignore[dict-item]
    archive.archive(store, live)
    [summary] = archive.list_archived(store)
    assert summary["status"]["phase"] == "Failed"


def test_namespaces_and_in_namespace(store_factory: StoreFactory) -> None:
    here = store_factory("default")
    there = store_factory("team-b")
    here.create_workflow(workflow("w-here"))
    there.create_workflow(workflow("w-there"))
    assert {"default", "team-b"} <= set(here.namespaces())  # type: ignore[attr-defined]
    other = here.in_namespace("team-b")  # type: ignore[attr-defined]
    assert [w["metadata"]["name"] for w in other.list_workflows()] == ["w-there"]


def test_a_workflow_too_large_to_keep_whole_keeps_its_summary(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "RECORD_LIMIT", 10)
    live = _finished(store, "huge", {})
    archive.archive(store, live)
    kept = archive.get_archived(store, str(live["metadata"]["uid"]))  # type: ignore[index]
    assert kept["metadata"]["name"] == "huge" and kept["status"]["phase"] == "Succeeded"
    assert "nodes" not in kept["status"]
