"""A pytest plugin for running your pipelines in your own unit tests, on the local backend.

Enable it in a ``conftest.py`` (``pytest_plugins = ["argoctl.testing"]``) and ask for the
``argoctl_client`` fixture: a ``Client`` on the local backend with a fresh ``ARGOCTL_HOME`` under
the test's temporary directory (so ``argoctl.run(...)`` in the code under test uses it too)::

    def test_pipeline(argoctl_client):
        run = argoctl_client.submit("pipeline.py", parameters={"epochs": 1}, wait=True)
        assert run.nodes["train"].outputs.parameters["accuracy"] > "0.9"

Workflows still running when the test ends are stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from argoctl.api import Client

__all__ = ["argoctl_client"]


@pytest.fixture
def argoctl_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    """A local-backend ``argoctl.Client`` with its own ``ARGOCTL_HOME`` (set for the test's process)."""
    from argoctl.api import Client

    home = tmp_path / "argoctl-home"
    monkeypatch.setenv("ARGOCTL_HOME", str(home))
    monkeypatch.setenv("ARGOCTL_BACKEND", "local")
    for name in ("ARGOCTL_STORE", "ARGOCTL_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)
    client = Client(backend="local", home=home)
    yield client
    for run in client.list():
        if not run.done:
            client.stop(run.name)
