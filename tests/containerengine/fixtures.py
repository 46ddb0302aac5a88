"""pytest fixtures for the test engine: import them in a conftest.

``container_engine`` (one per test process) is a running ``ContainerEngine``; tests are skipped,
with the reason, where Podman/runc/busybox cannot run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.containerengine import ContainerEngine, unavailable


@pytest.fixture(scope="session")
def container_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContainerEngine]:
    why = unavailable()
    if why:
        pytest.skip(f"no container engine for the docker backend tests: {why}")
    engine = ContainerEngine(tmp_path_factory.mktemp("engine")).start()
    try:
        yield engine
    finally:
        engine.stop()
