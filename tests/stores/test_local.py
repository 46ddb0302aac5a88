"""The local store's own guarantees: layout, atomic writes, locking across processes, errors."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytest_mock import MockerFixture

from argoctl.errors import ConflictError, ExitCode, StoreError, UsageError
from argoctl.stores.local import LocalStore
from tests.stores.conftest import NOW, wf_object, workflow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "home", "team", clock=lambda: NOW)


def _stray_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def test_layout(store: LocalStore) -> None:
    store.create_workflow(workflow("wf"))
    store.put_object("WorkflowTemplate", wf_object("tmpl"))
    store.put_object("ClusterWorkflowTemplate", wf_object("ctmpl", "ClusterWorkflowTemplate"))
    store.append_log("wf", "wf-main-123", "main", "hi\n")
    store.acquire_lease("wf", "me", 10, NOW)
    home = store.home
    ns = home / "namespaces" / "team"
    assert json.loads((ns / "workflows" / "wf.json").read_text())["metadata"]["name"] == "wf"
    assert (ns / "objects" / "WorkflowTemplate" / "tmpl.json").is_file()
    assert (home / "cluster" / "objects" / "ClusterWorkflowTemplate" / "ctmpl.json").is_file()
    assert (ns / "logs" / "wf" / "wf-main-123" / "main.log").read_text() == "hi\n"
    assert json.loads((ns / "leases" / "wf.json").read_text())["holder"] == "me"


def test_documents_are_private_to_the_user(store: LocalStore) -> None:
    store.put_object("Secret", {"metadata": {"name": "creds"}, "data": {"key": "c2VjcmV0"}})
    path = store.home / "namespaces" / "team" / "objects" / "Secret" / "creds.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_failed_replace_leaves_the_old_version_and_no_temp_file(store: LocalStore, mocker: MockerFixture) -> None:
    created = store.create_workflow(workflow("wf"))
    failure = OSError(errno.ENOSPC, "No space left on device")
    mocker.patch("argoctl.stores.local.os.replace", side_effect=failure)
    mocker.patch("argoctl.stores.local.swap_into_place", side_effect=failure)  # the running checkpoint's way
    with pytest.raises(StoreError, match="No space left on device") as caught:
        store.update_workflow({**created, "status": {"phase": "Running"}})
    assert caught.value.exit_code == ExitCode.UNAVAILABLE
    mocker.stopall()
    assert store.get_workflow("wf") == created
    assert _stray_files(store.home / "namespaces" / "team" / "workflows") == []
    assert store.update_workflow({**created, "status": {"phase": "Running"}})["metadata"]["resourceVersion"] == "2"


class _Killed(BaseException):
    """Stands for the process dying: nothing in the store's code catches it."""


def test_crash_between_temp_write_and_replace_keeps_the_old_version(
    store: LocalStore, mocker: MockerFixture
) -> None:
    created = store.create_workflow(workflow("wf", labels={"a": "b"}))
    mocker.patch("argoctl.stores.local.os.replace", side_effect=_Killed)
    with pytest.raises(_Killed):
        store.update_workflow({**created, "status": {"phase": "Failed"}})
    mocker.stopall()
    directory = store.home / "namespaces" / "team" / "workflows"
    [leftover] = _stray_files(directory)  # what a real crash leaves behind
    assert leftover.startswith(".wf.json.") and leftover.endswith(".tmp")
    assert "Failed" in (directory / leftover).read_text()
    assert store.get_workflow("wf") == created
    assert [w["metadata"]["name"] for w in store.list_workflows()] == ["wf"]
    assert store.update_workflow({**created, "status": {"phase": "Running"}})["status"] == {"phase": "Running"}


def test_lease_writes_are_atomic_too(store: LocalStore, mocker: MockerFixture) -> None:
    store.acquire_lease("wf", "first", 10, NOW)
    failing = OSError(errno.EIO, "I/O error")
    mocker.patch("argoctl.stores.local.os.replace", side_effect=failing)
    mocker.patch("argoctl.stores.local.swap_into_place", side_effect=failing)  # leases are not fsynced
    with pytest.raises(StoreError):
        store.acquire_lease("wf", "second", 10, NOW + 60)
    mocker.stopall()
    lease = store.get_lease("wf")
    assert lease is not None and lease.holder == "first"


_INCREMENTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from argoctl.errors import ConflictError
    from argoctl.stores.local import LocalStore

    store = LocalStore(Path(sys.argv[1]), "team")
    done = 0
    while done < int(sys.argv[2]):
        current = store.get_workflow("counter")
        current["status"]["count"] += 1
        try:
            store.update_workflow(current)
            done += 1
        except ConflictError:
            pass
    """
)


def test_two_processes_never_lose_an_update(store: LocalStore) -> None:
    created = store.create_workflow(workflow("counter"))
    store.update_workflow({**created, "status": {"count": 0}})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen([sys.executable, "-c", _INCREMENTER, str(store.home), "40"], env=env) for _ in range(2)
    ]
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0]
    final = store.get_workflow("counter")
    assert final["status"]["count"] == 80
    assert final["metadata"]["resourceVersion"] == "82"


def test_a_corrupt_document_is_a_store_error_naming_the_file(store: LocalStore) -> None:
    store.create_workflow(workflow("ok"))
    bad = store.home / "namespaces" / "team" / "workflows" / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(StoreError, match=r"bad\.json is not valid JSON"):
        store.get_workflow("bad")
    with pytest.raises(StoreError, match=r"bad\.json"):
        store.list_workflows()


def test_an_unusable_home_is_a_store_error(tmp_path: Path) -> None:
    home = tmp_path / "not-a-dir"
    home.write_text("")
    store = LocalStore(home)
    with pytest.raises(StoreError, match="cannot") as caught:
        store.create_workflow(workflow("wf"))
    assert caught.value.exit_code == ExitCode.UNAVAILABLE
    assert "ARGOCTL_HOME" in caught.value.hint


def test_reading_an_empty_home_creates_nothing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "home")
    assert store.list_workflows() == []
    assert store.list_objects("WorkflowTemplate") == []
    assert store.get_lease("wf") is None
    assert not (tmp_path / "home").exists()


def test_a_save_over_another_writers_version_is_still_a_conflict(tmp_path: Path) -> None:
    """The store skips re-reading a file it wrote itself; a file another writer replaced is read."""
    ours, theirs = LocalStore(tmp_path, "argo"), LocalStore(tmp_path, "argo")
    created = ours.create_workflow(workflow("w"))
    saved = ours.update_workflow(created)  # remembered by ``ours``
    theirs.update_workflow(theirs.get_workflow("w"))  # replaces the file behind ``ours``' back
    with pytest.raises(ConflictError):
        ours.update_workflow(saved)
    again = ours.update_workflow(ours.get_workflow("w"))
    assert again["metadata"]["resourceVersion"] == str(int(saved["metadata"]["resourceVersion"]) + 2)


def test_a_workflow_that_is_not_plain_json_is_refused_on_save(store: LocalStore) -> None:
    created = store.create_workflow(workflow("w"))
    with pytest.raises(UsageError, match="not plain JSON"):
        store.update_workflow({**created, "status": {"when": object()}})


def test_a_lease_torn_by_a_crash_reads_as_no_lease(store: LocalStore) -> None:
    """Leases are not fsynced: after a crash of the machine the file may be empty or cut short.
    Its holder died with the machine, so the next driver may take it."""
    store.acquire_lease("wf", "before-the-crash", 10, NOW)
    path = store.home / "namespaces" / "team" / "leases" / "wf.json"
    path.write_bytes(b"")
    assert store.get_lease("wf") is None
    path.write_bytes(b'{"holder": "before-the-cr')
    assert store.get_lease("wf") is None
    assert store.acquire_lease("wf", "next", 10, NOW + 1).holder == "next"
