"""The engine client's answers to Podman's transient failures (a narrow seam: the SDK's API object)."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.backends.docker import engine as engine_module
from argoctl.backends.docker.engine import Engine, EngineError

docker = pytest.importorskip("docker")


class FlakyApi:
    """``put_archive`` fails ``failures`` times with ``status``, then succeeds."""

    def __init__(self, failures: int, status: int) -> None:
        self.failures, self.status, self.calls = failures, status, 0

    def put_archive(self, name: str, path: str, data: bytes) -> bool:
        self.calls += 1
        if self.calls <= self.failures:
            response: Any = type("Response", (), {"status_code": self.status, "reason": "x", "url": "u"})()
            raise docker.errors.APIError("500 Server Error", response=response,
                                         explanation="passing bulk input to subprocess: write |1: broken pipe")
        return True


def _engine(api: FlakyApi) -> Engine:
    engine = Engine.__new__(Engine)
    engine.url, engine.api, engine.errors = "unix:///nowhere", api, docker.errors
    return engine


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module.time, "sleep", lambda seconds: None)


def test_a_server_error_on_put_archive_is_tried_again() -> None:
    api = FlakyApi(failures=2, status=500)
    _engine(api).put_archive("c", "/argo", b"tar")
    assert api.calls == 3


def test_put_archive_gives_up_after_its_tries_with_the_engines_message() -> None:
    api = FlakyApi(failures=99, status=500)
    with pytest.raises(EngineError, match=r"cannot copy files into container c: .*broken pipe"):
        _engine(api).put_archive("c", "/argo", b"tar")
    assert api.calls == engine_module.PUT_ARCHIVE_TRIES


def test_a_client_error_on_put_archive_is_not_tried_again() -> None:
    api = FlakyApi(failures=1, status=404)
    with pytest.raises(EngineError):
        _engine(api).put_archive("c", "/argo", b"tar")
    assert api.calls == 1
