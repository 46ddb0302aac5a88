"""Pytest fixtures for the loopback cluster; import them in a conftest:

    from tests.fakecluster.fixtures import fake_cluster  # noqa: F401
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fakecluster.cluster import FakeCluster


@dataclass(frozen=True)
class ClusterHandle:
    kubeconfig_path: str
    url: str
    server: FakeCluster


@contextlib.contextmanager
def running_cluster(directory: Path, **options: Any) -> Iterator[ClusterHandle]:
    """Start a FakeCluster (options as FakeCluster's), write its kubeconfig in ``directory``."""
    cluster = FakeCluster(**options).start()
    try:
        path = cluster.write_kubeconfig(directory / "kubeconfig")
        yield ClusterHandle(str(path), cluster.url, cluster)
    finally:
        cluster.stop()


@pytest.fixture
def fake_cluster(tmp_path: Path) -> Iterator[ClusterHandle]:
    """A fresh loopback cluster per test, with a running kubelet."""
    with running_cluster(tmp_path) as handle:
        yield handle
