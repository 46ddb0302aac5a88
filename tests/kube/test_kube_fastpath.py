"""The standard-library read path of ``KubeClient`` (``argoctl.kube.fasthttp``) against the
loopback API server: taken for token and client-certificate kubeconfigs, not for exec plugins or
behind a proxy; TLS with the kubeconfig's CA; and every failure worded exactly as the urllib3
path words it (the same ``ClusterConfig`` loaded into a ``kubernetes`` configuration)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from argoctl.errors import ArgoctlError, ExitCode
from argoctl.kube import paths
from argoctl.kube.client import KubeClient, RetryPolicy
from argoctl.kube.config import ClusterConfig
from argoctl.kube.plainconfig import PlainConfiguration
from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.kubeconfig import kubeconfig_document, write_kubeconfig

pytestmark = pytest.mark.kube
CMS = paths.collection("default", "configmaps")
ROOT = Path(__file__).resolve().parents[2]


def cm(name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": "x"}},
            "data": {"k": "v"}}


def slow_twin(client: KubeClient, **options: object) -> KubeClient:
    """The same settings, loaded into the ``kubernetes`` package's configuration (the urllib3 path)."""
    plain = client.cluster.configuration
    assert isinstance(plain, PlainConfiguration)
    cluster = client.cluster
    twin = ClusterConfig(plain.to_kubernetes(), cluster.namespace, cluster.context, cluster.source, cluster.headers)
    return KubeClient(twin, **options)  # type: ignore[arg-type]


@pytest.fixture
def pair(api_server: ClusterHandle) -> Iterator[Callable[..., tuple[KubeClient, KubeClient]]]:
    made: list[KubeClient] = []

    def build(**options: object) -> tuple[KubeClient, KubeClient]:
        options = {"qps": 0, "retry": RetryPolicy(attempts=2, base_delay=0.01), "sleep": lambda _s: None, **options}
        fast = KubeClient.from_kubeconfig(api_server.kubeconfig_path, **options)  # type: ignore[arg-type]
        made.extend([fast, slow_twin(fast, **options)])
        return fast, made[-1]

    yield build
    for client in made:
        client.close()


def test_a_token_kubeconfig_reads_through_the_standard_library(api_server: ClusterHandle,
                                                                pair: Callable[..., tuple[KubeClient, KubeClient]]
                                                                ) -> None:
    fast, slow = pair()
    assert (fast.transport, slow.transport) == ("stdlib", "urllib3")
    created = fast.create(CMS, cm("one"))  # writes still go through urllib3, built on first use
    before = len(api_server.server.requests.records)
    for _ in range(3):  # kept-alive connections are reused
        assert fast.get(f"{CMS}/one")["metadata"]["uid"] == created["metadata"]["uid"]
    assert [i["metadata"]["name"] for i in fast.list(CMS, label_selector="app=x")["items"]] == ["one"]
    assert fast.list(CMS, label_selector="app=x") == slow.list(CMS, label_selector="app=x")
    assert len(api_server.server.requests.records) == before + 6  # no retries


def test_an_exec_plugin_kubeconfig_keeps_the_kubernetes_client(api_server: ClusterHandle, tmp_path: Path) -> None:
    credential = {"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential",
                  "status": {"token": "exec-token"}}
    doc = kubeconfig_document(api_server.url)
    doc["users"] = [{"name": "fake-user", "user": {"exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1", "command": "sh",
        "args": ["-c", f"echo '{json.dumps(credential)}'"], "interactiveMode": "Never"}}}]
    path = tmp_path / "exec-config"
    path.write_text(json.dumps(doc))
    client = KubeClient.from_kubeconfig(str(path), qps=0)
    try:
        assert client.transport == "urllib3"
        assert client.list(CMS)["kind"] == "ConfigMapList"
    finally:
        client.close()


def test_a_proxy_keeps_the_urllib3_path(api_server: ClusterHandle) -> None:
    plain = PlainConfiguration(host=api_server.url)
    assert plain.direct({})
    assert not plain.direct({"HTTP_PROXY": "http://proxy:3128"})
    assert plain.direct({"http_proxy": "http://proxy:3128", "no_proxy": "example.com,127.0.0.1"})
    assert plain.direct({"https_proxy": "http://proxy:3128"})  # for https only: an http server is direct
    assert not PlainConfiguration(host=api_server.url, proxy="http://proxy:3128").direct({})


def test_tls_with_the_kubeconfigs_ca_and_a_client_certificate(api_server: ClusterHandle, tmp_path: Path) -> None:
    certificate = api_server.server.certificate
    if certificate is None:
        pytest.xfail("openssl is not installed: the fake cluster has no HTTPS listener")
    doc = kubeconfig_document(api_server.server.in_cluster_url)
    doc["clusters"][0]["cluster"]["certificate-authority"] = certificate.cert_path  # type: ignore[index]
    # the server does not ask for one, but the client must load it: any cert/key pair will do
    doc["users"] = [{"name": "fake-user", "user": {"client-certificate": certificate.cert_path,
                                                   "client-key": certificate.key_path}}]
    path = tmp_path / "tls-config"
    path.write_text(json.dumps(doc))
    client = KubeClient.from_kubeconfig(str(path), qps=0)
    try:
        assert client.transport == "stdlib"
        client.create(CMS, cm("secure"))
        assert client.get(f"{CMS}/secure")["data"] == {"k": "v"}
        assert any(r.in_cluster and r.verb == "get" for r in api_server.server.requests.records)
    finally:
        client.close()
    doc["clusters"][0]["cluster"].pop("certificate-authority")  # type: ignore[index]
    path.write_text(json.dumps(doc))  # the system's CAs do not know the fake cluster
    client = KubeClient.from_kubeconfig(str(path), qps=0, retry=RetryPolicy(attempts=1))
    try:
        with pytest.raises(ArgoctlError, match="CERTIFICATE_VERIFY_FAILED"):
            client.get(f"{CMS}/secure")
    finally:
        client.close()


def _failure(action: Callable[[], object]) -> tuple[str, str, str, ExitCode]:
    with pytest.raises(ArgoctlError) as caught:
        action()
    return type(caught.value).__name__, caught.value.message, caught.value.hint, caught.value.exit_code


@pytest.mark.parametrize("fault", ["401", "403", "404", "500"])
def test_answers_map_to_the_same_errors_on_both_paths(api_server: ClusterHandle, fault: str,
                                                      pair: Callable[..., tuple[KubeClient, KubeClient]]) -> None:
    fast, slow = pair()
    found = []
    for client in (fast, slow):
        if fault == "403":
            rule = api_server.server.faults.forbid("get", "configmaps")
        elif fault != "404":
            rule = api_server.server.faults.fail_next(None, status=int(fault), message="no", verb="get")
        found.append(_failure(lambda: client.get(f"{CMS}/missing")))  # noqa: B023
        if fault != "404":
            api_server.server.faults.remove(rule)
    assert found[0] == found[1]
    assert found[0][0] == ("NotFoundError" if fault == "404" else "ClusterError")


def test_a_read_timeout_reads_the_same_on_both_paths(api_server: ClusterHandle,
                                                     pair: Callable[..., tuple[KubeClient, KubeClient]]) -> None:
    fast, slow = pair(timeout=(2.0, 0.2))
    api_server.server.faults.delay(1.0, verb="get")
    fast_error, slow_error = _failure(lambda: fast.get(f"{CMS}/x")), _failure(lambda: slow.get(f"{CMS}/x"))
    assert fast_error == slow_error and fast_error[1].endswith(": timed out")


def test_a_refused_connection_reads_the_same_on_both_paths(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_kubeconfig(tmp_path / "kubeconfig", f"http://127.0.0.1:{port}")
    fast = KubeClient.from_kubeconfig(str(config), retry=RetryPolicy(attempts=1), qps=0)
    slow = slow_twin(fast, retry=RetryPolicy(attempts=1), qps=0)
    assert fast.transport == "stdlib"
    assert _failure(lambda: fast.list(CMS)) == _failure(lambda: slow.list(CMS))


# what ``list`` and ``get`` do not import: the kubernetes client, urllib3, http.client (email),
# yaml for a JSON kubeconfig, typer; nor dataclasses (and inspect), nor shutil (the model's state
# classes, the write paths): each of them is start-up time of every list and get
NOT_IMPORTED = {"kubernetes", "urllib3", "yaml", "email", "typer", "dataclasses", "inspect", "shutil"}


@pytest.mark.parametrize("verb", ["list", "get", "get-tree"])
def test_argoctl_list_and_get_import_only_what_they_run(api_server: ClusterHandle, tmp_path: Path,
                                                       verb: str) -> None:
    from argoctl.stores.configmap import ConfigMapStore

    client = KubeClient.from_kubeconfig(api_server.kubeconfig_path, qps=0)
    store = ConfigMapStore(client, "default")
    store.create_workflow({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "wf-1"},
                           "spec": {"entrypoint": "main"}, "status": {"nodes": {"n": {"id": "n", "name": "wf-1"}}}})
    client.close()
    args = {"list": ["list"], "get": ["get", "wf-1", "-o", "json"], "get-tree": ["get", "wf-1"]}[verb]
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules}"
             f" & set({sorted(NOT_IMPORTED)!r})), file=sys.stderr))\n"
             f"from argoctl.cli.main import run\nrun({args!r})\n")
    env = {**os.environ, "KUBECONFIG": api_server.kubeconfig_path, "ARGOCTL_BACKEND": "kubernetes",
           "ARGOCTL_HOME": str(tmp_path / "home"), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    if verb == "list":
        assert done.stdout.startswith("NAME") and "wf-1" in done.stdout
    elif verb == "get-tree":
        assert done.stdout.startswith("Name:") and "wf-1" in done.stdout
    else:
        shown = json.loads(done.stdout)
        assert shown["metadata"]["name"] == "wf-1" and shown["status"]["nodes"]["n"]["phase"] == "Pending"
    assert done.stderr.strip().splitlines()[-1] == "[]"  # the fake cluster's kubeconfig is JSON: no yaml either
