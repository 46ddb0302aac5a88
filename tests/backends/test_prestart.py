"""``spawn.prestart``: a CLI about to drive starts the fork server before it reads the workflow;
the first spawner of the process takes that server instead of starting another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from argoctl.backends.local import spawn


@pytest.fixture(autouse=True)
def nothing_prestarted(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(spawn.FORK_SERVER_ENV, raising=False)
    monkeypatch.delenv("ARGOCTL_SANDBOX", raising=False)
    monkeypatch.setattr(spawn, "_PRESTARTED", [])
    yield
    for server in spawn._PRESTARTED:
        server.close()


def test_the_first_spawner_takes_the_prestarted_server(tmp_path: Path) -> None:
    spawn.prestart(tmp_path / "pods")
    spawn.prestart(tmp_path / "pods")  # one is enough
    assert len(spawn._PRESTARTED) == 1
    server = spawn._PRESTARTED[0]
    (tmp_path / "other").mkdir()
    first, second = spawn.ShimSpawner(tmp_path / "pods"), spawn.ShimSpawner(tmp_path / "other")
    try:
        first.warm(None)
        assert first._server is server and not spawn._PRESTARTED
        assert server.process.poll() is None  # alive, serving this spawner
        second.warm(None)
        assert second._server is not None and second._server is not server
    finally:
        first.close()
        second.close()
    assert server.process.wait(timeout=30) == 0  # closing the spawner ends it


@pytest.mark.parametrize(("variable", "value"), [(spawn.FORK_SERVER_ENV, "0"), ("ARGOCTL_SANDBOX", "bwrap")])
def test_nothing_is_prestarted_where_no_fork_server_would_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    spawn.prestart(tmp_path / "pods")
    assert spawn._PRESTARTED == []
