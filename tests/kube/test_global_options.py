"""The global options against the loopback cluster: what a command resolves travels to what it
starts (the detached driver), and kubectl's client flags override the chosen context's fields."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from argoctl.errors import UsageError
from argoctl.kube.client import KubeClient
from argoctl.kube.config import Overrides, load
from argoctl.runtime.settings import GlobalOptions
from argoctl.runtime.wiring import Wiring, child_invocation
from argoctl.stores.configmap import ConfigMapStore
from tests.fakecluster.fixtures import ClusterHandle

pytestmark = pytest.mark.kube

WORKFLOW = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: detached-flags}
spec:
  entrypoint: main
  templates:
    - name: main
      container: {image: alpine:3.23, command: [sh, -c], args: ["echo hi"]}
"""


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """No $KUBECONFIG, no ~/.kube, no backend or store chosen by the environment."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ARGOCTL_") and k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST")}
    env.update({"HOME": str(tmp_path / "nohome"), "ARGOCTL_HOME": str(tmp_path / "home"), "NO_COLOR": "1"})
    return env


@pytest.mark.timeout(120)
def test_a_detached_submit_with_kubeconfig_finishes_with_no_further_command(
        fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    manifest = tmp_path / "wf.yaml"
    manifest.write_text(WORKFLOW)
    env = _clean_env(tmp_path)
    submitted = subprocess.run([sys.executable, "-m", "argoctl", "submit", str(manifest), "-o", "name",
                                "--kubeconfig", fake_cluster.kubeconfig_path], env=env, capture_output=True,
                               text=True, timeout=60, check=False, cwd=tmp_path)
    assert (submitted.returncode, submitted.stdout.strip()) == (0, "detached-flags"), submitted.stderr
    store = ConfigMapStore(KubeClient.from_kubeconfig(fake_cluster.kubeconfig_path), "default")
    deadline = time.monotonic() + 90
    phase = ""
    while time.monotonic() < deadline:
        phase = str((store.get_workflow("detached-flags").get("status") or {}).get("phase") or "")
        if phase in ("Succeeded", "Failed", "Error"):
            break
        time.sleep(0.2)
    log = tmp_path / "home" / "namespaces" / "default" / "drivers" / "detached-flags.log"
    assert phase == "Succeeded", log.read_text() if log.exists() else "no driver log"


def _kubeconfig(tmp_path: Path, server: str) -> Path:
    """Two clusters and two users; the current context points at a server that does not answer."""
    document = {
        "apiVersion": "v1", "kind": "Config", "current-context": "broken",
        "clusters": [{"name": "nowhere", "cluster": {"server": "http://127.0.0.1:9"}},
                     {"name": "loopback", "cluster": {"server": server}}],
        "users": [{"name": "alice", "user": {"token": "alice-token"}},
                  {"name": "bob", "user": {"token": "bob-token"}}],
        "contexts": [{"name": "broken", "context": {"cluster": "nowhere", "user": "alice", "namespace": "ns1"}}],
    }
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(document))
    return path


def test_cluster_and_user_flags_pick_other_entries(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    path = _kubeconfig(tmp_path, fake_cluster.url)
    plain = load(str(path))
    assert (plain.server, plain.namespace) == ("http://127.0.0.1:9", "ns1")
    chosen = load(str(path), overrides=Overrides(cluster="loopback", user="bob"))
    assert chosen.server == fake_cluster.url.rstrip("/")
    assert chosen.configuration.api_key["BearerToken"] == "Bearer bob-token"
    assert chosen.namespace == "ns1"  # the context's namespace stays


def test_server_and_token_flags_override_the_context(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    path = _kubeconfig(tmp_path, fake_cluster.url)
    found = load(str(path), overrides=Overrides(server=fake_cluster.url, token="flag-token"))
    assert found.server == fake_cluster.url.rstrip("/")
    assert found.configuration.api_key["BearerToken"] == "Bearer flag-token"
    client = KubeClient(found)
    assert client.get("/api/v1/namespaces/default")["metadata"]["name"] == "default"


def test_server_flag_needs_no_kubeconfig(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    found = load(None, environ=env, namespace="team", overrides=Overrides(server=fake_cluster.url))
    assert (found.server, found.namespace) == (fake_cluster.url.rstrip("/"), "team")
    with pytest.raises(UsageError, match='cluster "missing" is not in the kubeconfig'):
        load(str(_kubeconfig(tmp_path, fake_cluster.url)), overrides=Overrides(cluster="missing"))


def test_impersonation_headers_go_with_every_request(fake_cluster: ClusterHandle) -> None:
    flags = Overrides(impersonate="alice", impersonate_groups=("devs", "ops"), impersonate_uid="42")
    client = KubeClient(load(fake_cluster.kubeconfig_path, overrides=flags))
    headers = client._headers("", "application/json")
    assert headers["Impersonate-User"] == "alice" and headers["Impersonate-Uid"] == "42"
    assert headers.getlist("Impersonate-Group") == ["devs", "ops"]
    with pytest.raises(UsageError, match="need --as"):
        Overrides(impersonate_groups=("devs",)).headers()


def test_a_child_gets_every_resolved_setting(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    wiring = Wiring.from_options(
        GlobalOptions(kubeconfig=fake_cluster.kubeconfig_path, namespace="team", qps=5, burst=7,
                      request_timeout="30s", token="s3cret", impersonate="alice", impersonate_group=("g",)),
        environ={"HOME": str(tmp_path)})
    child = child_invocation(wiring)
    args = list(child.args)
    assert args[:4] == ["--namespace", "team", "--backend", "kubernetes"]
    for pair in (["--kubeconfig", os.path.abspath(fake_cluster.kubeconfig_path)], ["--qps", "5.0"],
                 ["--burst", "7"], ["--request-timeout", "30s"], ["--as", "alice"], ["--as-group", "g"]):
        assert any(args[i:i + 2] == pair for i in range(len(args))), (pair, args)
    assert "s3cret" not in args and child.env["ARGOCTL_TOKEN"] == "s3cret"
    in_pod = child_invocation(wiring, in_cluster=True)
    assert "--kubeconfig" not in in_pod.args and "ARGOCTL_TOKEN" not in in_pod.env
    assert list(in_pod.args[:4]) == ["--namespace", "team", "--backend", "kubernetes"]


def test_a_driver_pod_gets_the_settings_but_no_local_paths(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    from argoctl.runtime import driverpod

    wiring = Wiring.from_options(
        GlobalOptions(kubeconfig=fake_cluster.kubeconfig_path, namespace="team", qps=9, request_timeout="1m"),
        environ={"HOME": str(tmp_path)})
    settings = driverpod.DriverSettings(image="example.com/argoctl:test")
    body = driverpod.build("wf", "team", name="wf-driver", settings=settings, owner=None,
                           global_args=child_invocation(wiring, in_cluster=True).args)
    args = body["spec"]["containers"][0]["args"]
    assert args[:4] == ["--namespace", "team", "--backend", "kubernetes"]
    assert args[-3:] == ["wait", "wf", "--as-driver"]
    assert "--request-timeout" in args and "9.0" in args and "--kubeconfig" not in args
