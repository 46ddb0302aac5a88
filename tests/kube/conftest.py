"""Fixtures for Kubernetes tests: the loopback cluster and real `kubernetes` clients bound to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakecluster.fixtures import ClusterHandle, fake_cluster  # noqa: F401  (re-exported fixture)
from tests.fakecluster.helpers import api, client_for
from tests.kube.clientfixtures import api_server, cm_store, kube, make_client, sleeps  # noqa: F401  (argoctl.kube)


@pytest.fixture
def api_client(fake_cluster: ClusterHandle) -> Iterator[Any]:  # noqa: F811

    client = client_for(fake_cluster.kubeconfig_path)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def core_v1(api_client: Any) -> Any:

    return api("CoreV1Api", api_client)
