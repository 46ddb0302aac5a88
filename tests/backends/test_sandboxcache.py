"""``argoctl.backends.local.sandboxcache``: a sandbox that worked is not probed again under the
same conditions; failures are never remembered; the cache is used only in a private directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytest_mock import MockerFixture

from argoctl.backends.local import sandbox, sandboxcache


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv(sandboxcache.CACHE_ENV, raising=False)
    monkeypatch.delenv(sandbox.SANDBOX_ENV, raising=False)
    monkeypatch.setattr(sandbox, "_which", lambda program: f"/usr/bin/{program}")
    return tmp_path / "argoctl"


def test_a_working_sandbox_is_probed_once(runtime: Path, mocker: MockerFixture) -> None:
    probe = mocker.patch.object(sandbox, "_probe", return_value="")
    first, second = sandbox.choose_sandbox("unshare"), sandbox.choose_sandbox("unshare")
    assert first.mode == second.mode == "namespace" and first.launcher == second.launcher
    assert probe.call_count == 1
    assert (runtime.stat().st_mode & 0o777) == 0o700
    entry = json.loads((runtime / "sandbox-unshare.json").read_text())
    assert entry["launcher"] == list(first.launcher) and entry["uid"] == os.geteuid()


def test_a_failure_is_never_remembered(runtime: Path, mocker: MockerFixture) -> None:
    probe = mocker.patch.object(sandbox, "_probe", return_value="unshare failed: Operation not permitted")
    for _ in range(2):
        assert sandbox.choose_sandbox("unshare").mode == "none"
    assert probe.call_count == 2
    assert not (runtime / "sandbox-unshare.json").exists()


def test_an_entry_from_other_conditions_is_probed_again(runtime: Path, mocker: MockerFixture) -> None:
    probe = mocker.patch.object(sandbox, "_probe", return_value="")
    sandbox.choose_sandbox("unshare")
    path = runtime / "sandbox-unshare.json"
    entry = json.loads(path.read_text())
    entry["sysctls"][0] = "another-boot"
    path.write_text(json.dumps(entry))
    probe.return_value = "unshare failed: Operation not permitted"
    assert sandbox.choose_sandbox("unshare").mode == "none"  # probed: the old boot's answer is not used
    assert probe.call_count == 2


@pytest.mark.parametrize("setting", ["0", "off"])
def test_the_cache_can_be_turned_off(runtime: Path, mocker: MockerFixture, monkeypatch: pytest.MonkeyPatch,
                                     setting: str) -> None:
    monkeypatch.setenv(sandboxcache.CACHE_ENV, setting)
    probe = mocker.patch.object(sandbox, "_probe", return_value="")
    sandbox.choose_sandbox("unshare")
    sandbox.choose_sandbox("unshare")
    assert probe.call_count == 2 and not runtime.exists()


def test_a_directory_others_can_write_is_not_used(runtime: Path, mocker: MockerFixture) -> None:
    runtime.mkdir(mode=0o700)
    runtime.chmod(0o777)
    probe = mocker.patch.object(sandbox, "_probe", return_value="")
    sandbox.choose_sandbox("unshare")
    sandbox.choose_sandbox("unshare")
    assert probe.call_count == 2 and not list(runtime.iterdir())


def test_a_linked_entry_is_not_read(runtime: Path, mocker: MockerFixture, tmp_path: Path) -> None:
    probe = mocker.patch.object(sandbox, "_probe", return_value="")
    sandbox.choose_sandbox("unshare")
    path = runtime / "sandbox-unshare.json"
    elsewhere = tmp_path / "planted.json"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    sandbox.choose_sandbox("unshare")
    assert probe.call_count == 2
