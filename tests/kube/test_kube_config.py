"""Where the client finds the cluster: --kubeconfig, KUBECONFIG (merged), ~/.kube/config, in-cluster;
contexts and namespaces; the lazy import; pod logs through the client (with the fake kubelet)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from argoctl.errors import ClusterError, ExitCode, UsageError
from argoctl.kube import config
from argoctl.kube.client import KubeClient, RetryPolicy
from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.helpers import is_done, pod_manifest
from tests.fakecluster.kubeconfig import kubeconfig_document

pytestmark = pytest.mark.kube
REPO = Path(__file__).resolve().parents[2]


def two_contexts(url: str) -> dict[str, object]:
    doc = kubeconfig_document(url, namespace="team-a", context="first")
    second = kubeconfig_document("http://127.0.0.1:1", namespace="team-b", context="second")
    doc["clusters"] = [*doc["clusters"], *second["clusters"]]  # type: ignore[misc]
    doc["contexts"] = [*doc["contexts"], *second["contexts"]]  # type: ignore[misc]
    return doc


def test_explicit_kubeconfig_context_and_namespace(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(json.dumps(two_contexts("http://127.0.0.1:9")))
    current = config.load(str(path), environ={})
    assert (current.context, current.namespace, current.server) == ("first", "team-a", "http://127.0.0.1:9")
    other = config.load(str(path), context="second", environ={})
    assert (other.context, other.namespace, other.server) == ("second", "team-b", "http://127.0.0.1:1")
    assert config.load(str(path), namespace="mine", environ={}).namespace == "mine"
    with pytest.raises(UsageError, match='context "missing" is not in the kubeconfig'):
        config.load(str(path), context="missing", environ={})
    with pytest.raises(UsageError, match="does not exist"):
        config.load(str(tmp_path / "nope"), environ={})


def test_kubeconfig_env_lists_files_merged_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_text(json.dumps(kubeconfig_document("http://127.0.0.1:7", "ns-a", "ctx-a")))
    second.write_text(json.dumps(kubeconfig_document("http://127.0.0.1:8", "ns-b", "ctx-b")))
    env = {"KUBECONFIG": f"{tmp_path / 'missing'}:{first}:{second}", "HOME": str(tmp_path)}
    assert config.kubeconfig_paths(None, env) == [first, second]
    assert config.load(environ=env).context == "ctx-a"  # the first current-context set wins, as in kubectl
    assert config.load(context="ctx-b", environ=env).server == "http://127.0.0.1:8"


def test_home_kubeconfig_then_in_cluster_then_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert not config.available(None, {"HOME": str(home)})
    with pytest.raises(ClusterError) as caught:
        config.load(environ={"HOME": str(home)}, account_dir=tmp_path / "no-account")
    assert caught.value.exit_code == ExitCode.UNAVAILABLE and "--kubeconfig" in caught.value.hint

    account = tmp_path / "account"
    account.mkdir()
    (account / "token").write_text("sa-token")
    (account / "ca.crt").write_text("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n")
    (account / "namespace").write_text("pipelines\n")
    env = {"HOME": str(home), "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    assert config.in_cluster_available(env, account)
    inside = config.load(environ=env, account_dir=account)
    assert (inside.context, inside.namespace, inside.server) == ("in-cluster", "pipelines", "https://10.0.0.1:443")
    assert inside.configuration.api_key["BearerToken"] == "bearer sa-token"

    (home / ".kube").mkdir(parents=True)
    (home / ".kube" / "config").write_text(json.dumps(kubeconfig_document("http://127.0.0.1:5", "home-ns")))
    assert config.load(environ=env, account_dir=account).namespace == "home-ns"  # a kubeconfig comes first


def test_importing_the_client_does_not_import_kubernetes() -> None:
    code = ("import sys, argoctl.kube.client, argoctl.stores.configmap, argoctl.kube.rbac\n"
            "print('kubernetes' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_the_client_loads_only_what_it_needs_of_kubernetes(fake_cluster: ClusterHandle) -> None:
    code = ("import sys\nfrom argoctl.kube.client import KubeClient\n"
            f"c = KubeClient.from_kubeconfig({fake_cluster.kubeconfig_path!r})\n"
            "c.get('/api/v1/namespaces/default')\n"
            "print(sorted(m for m in ('kubernetes.dynamic', 'kubernetes.watch', 'kubernetes.stream') "
            "if m in sys.modules))\n"
            "import kubernetes\nprint(kubernetes.watch.Watch.__name__, kubernetes.__version__ != '')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "Watch True"]  # and the lazy package still works


def test_pod_logs_whole_tail_and_follow(fake_cluster: ClusterHandle) -> None:
    client = KubeClient.from_kubeconfig(fake_cluster.kubeconfig_path, qps=0)
    pods = "/api/v1/namespaces/default/pods"
    client.create(pods, pod_manifest("talker", ["sh", "-c", "for i in 1 2 3; do echo line $i; done"]))
    fake_cluster.server.wait_for_pod("default", "talker", is_done)
    assert client.logs("default", "talker") == "line 1\nline 2\nline 3\n"
    assert client.logs("default", "talker", tail_lines=1) == "line 3\n"
    assert list(client.logs("default", "talker", follow=True)) == ["line 1\n", "line 2\n", "line 3\n"]
    stamped = client.logs("default", "talker", timestamps=True).splitlines()
    assert stamped[0].endswith(" line 1") and stamped[0][:4].isdigit()
    client.close()


def test_tls_with_the_kubeconfig_ca_data_against_the_https_listener(api_server: ClusterHandle,
                                                                    tmp_path: Path) -> None:
    certificate = api_server.server.certificate
    if certificate is None:
        pytest.skip("openssl is not available: the fake cluster serves no HTTPS")
    doc = kubeconfig_document(api_server.server.in_cluster_url, "tls-ns")
    doc["clusters"][0]["cluster"]["certificate-authority-data"] = (  # type: ignore[index]
        base64.b64encode(certificate.pem.encode()).decode())
    path = tmp_path / "tls-config"
    path.write_text(json.dumps(doc))
    client = KubeClient.from_kubeconfig(str(path), qps=0)
    assert client.server.startswith("https://") and client.namespace == "tls-ns"
    assert client.get("/api/v1/namespaces/default")["metadata"]["name"] == "default"
    client.close()
    without_ca = kubeconfig_document(api_server.server.in_cluster_url)
    path.write_text(json.dumps(without_ca))
    untrusting = KubeClient.from_kubeconfig(str(path), retry=RetryPolicy(attempts=1))
    with pytest.raises(ClusterError, match="cannot reach the Kubernetes API server"):
        untrusting.get("/api/v1/namespaces/default")  # a self-signed certificate is refused


def test_token_file_basic_auth_and_client_certificate_data(tmp_path: Path) -> None:
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "token").write_text("from-a-file\n")
    doc = kubeconfig_document("https://127.0.0.1:6443")
    doc["users"] = [
        {"name": "fake-user", "user": {"tokenFile": "creds/token",
                                       "client-certificate-data": base64.b64encode(b"CERT").decode(),
                                       "client-key-data": base64.b64encode(b"KEY").decode()}}]
    path = tmp_path / "config"
    path.write_text(json.dumps(doc))
    loaded = config.load(str(path), environ={}).configuration
    assert loaded.api_key["BearerToken"] == "Bearer from-a-file"  # relative to the kubeconfig's directory
    assert Path(loaded.cert_file).read_bytes() == b"CERT" and Path(loaded.key_file).read_bytes() == b"KEY"
    assert Path(loaded.key_file).stat().st_mode & 0o077 == 0
    doc["users"] = [{"name": "fake-user", "user": {"username": "ann", "password": "pw"}}]
    path.write_text(json.dumps(doc))
    basic = config.load(str(path), environ={}).configuration
    assert basic.auth_settings()["BearerToken"]["value"] == "Basic " + base64.b64encode(b"ann:pw").decode()


def test_an_exec_plugin_goes_through_the_kubernetes_loader(api_server: ClusterHandle, tmp_path: Path) -> None:
    credential = {"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential",
                  "status": {"token": "exec-token"}}
    doc = kubeconfig_document(api_server.url)
    doc["users"] = [{"name": "fake-user", "user": {"exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1", "command": "sh",
        "args": ["-c", f"echo '{json.dumps(credential)}'"], "interactiveMode": "Never"}}}]
    path = tmp_path / "exec-config"
    path.write_text(json.dumps(doc))
    client = KubeClient.from_kubeconfig(str(path), qps=0)
    assert client.cluster.configuration.auth_settings()["BearerToken"]["value"] == "Bearer exec-token"
    assert client.list("/api/v1/namespaces/default/configmaps")["kind"] == "ConfigMapList"
    client.close()
