"""``Client`` on the kubernetes backend, against the loopback fake cluster (real kubernetes client
over HTTP): submit, list, get, logs and delete, with the state in ConfigMaps as the CLI keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest

import argoctl
from argoctl.api import Client
from tests.api.manifests import echo
from tests.fakecluster.fixtures import ClusterHandle, fake_cluster  # noqa: F401  (fixture)

pytestmark = pytest.mark.kube
WORKFLOW_CONFIGMAPS = ("", "configmaps")


def test_submit_list_get_delete_on_a_cluster(fake_cluster: ClusterHandle, tmp_path: Path,  # noqa: F811
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ARGOCTL_BACKEND", "ARGOCTL_STORE", "ARGOCTL_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)
    notices: list[str] = []
    client = Client(kubeconfig=fake_cluster.kubeconfig_path, backend="kubernetes", home=tmp_path / "home",
                    on_notice=notices.append)
    assert (client.backend, client.namespace) == ("kubernetes", "default")
    run = client.submit(echo("on-cluster"), wait=True, labels={"team": "ml"})
    assert run.phase == "Succeeded" and run.outputs.parameters == {"said": "on-cluster"}
    assert run.logs() == f"{run.name}: said on-cluster\n"
    assert [r.name for r in client.list("team=ml")] == [run.name] and client.list("team=other") == []
    assert client.get(run.name).nodes[run.name].phase == "Succeeded"
    stored, _ = fake_cluster.server.store.list_objects(WORKFLOW_CONFIGMAPS)
    assert any(run.name in str(cm.get("metadata", {}).get("name")) for cm in stored)  # the state is on the cluster
    client.delete(run.name)
    assert client.list() == []
    with pytest.raises(argoctl.NotFoundError):
        client.get(run.name)


def test_an_unreachable_cluster_is_cluster_unavailable(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: gone\n"
        "clusters: [{name: gone, cluster: {server: 'http://127.0.0.1:9'}}]\n"
        "users: [{name: u, user: {token: t}}]\n"
        "contexts: [{name: gone, context: {cluster: gone, user: u, namespace: ns}}]\n")
    client = Client(kubeconfig=str(kubeconfig), backend="kubernetes", home=tmp_path / "home")
    with pytest.raises(argoctl.ClusterUnavailable):
        client.list()
