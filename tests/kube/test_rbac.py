"""The minimal Role: the shipped manifest matches the data, the preflight names what is missing,
and ``argoctl auth can-i`` prints every permission and exits 3 when one is missing."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from argoctl.cli.app import App, GlobalOptions
from argoctl.cli.commands.auth import CanIOptions, run_can_i
from argoctl.errors import ExitCode
from argoctl.kube import rbac
from argoctl.kube.client import KubeClient
from tests.fakecluster.fixtures import ClusterHandle

pytestmark = pytest.mark.kube
REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_manifest_is_generated_from_the_rules() -> None:
    shipped = (REPO / "deploy" / "rbac.yaml").read_text()
    assert shipped == rbac.manifest(), "regenerate: python -m argoctl.kube.rbac > deploy/rbac.yaml"
    role, account, binding = list(yaml.safe_load_all(shipped))
    assert role["kind"] == "Role" and account["kind"] == "ServiceAccount" and binding["kind"] == "RoleBinding"
    rules = {(r["apiGroups"][0], r["resources"][0]): r["verbs"] for r in role["rules"]}
    assert rules == {
        ("", "pods"): ["create", "get", "list", "watch", "delete"],
        ("", "pods/log"): ["get"],
        ("", "configmaps"): ["create", "get", "list", "watch", "update", "patch", "delete"],
        ("coordination.k8s.io", "leases"): ["create", "get", "update", "delete"],
        ("", "events"): ["create"],
        ("batch", "cronjobs"): ["create", "get", "list", "update", "delete"],
        ("batch", "jobs"): ["get", "list", "delete"],
    }


def test_the_manifest_applies_to_the_cluster(api_server: ClusterHandle, kube: KubeClient) -> None:
    for document in rbac.manifest_documents():
        plural = {"Role": "roles", "RoleBinding": "rolebindings", "ServiceAccount": "serviceaccounts"}[document["kind"]]
        group = "rbac.authorization.k8s.io" if document["kind"] != "ServiceAccount" else ""
        kube.create(f"/apis/{group}/v1/namespaces/default/{plural}" if group
                    else f"/api/v1/namespaces/default/{plural}", document)
    assert kube.get("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/argoctl")["rules"]


def test_preflight_names_each_missing_permission(api_server: ClusterHandle, kube: KubeClient) -> None:
    assert rbac.preflight(kube, "default") == []
    assert api_server.server.requests.count("create", "selfsubjectaccessreviews") == 26
    api_server.server.faults.forbid("watch", "pods")
    api_server.server.faults.forbid("update", "leases")
    assert rbac.preflight(kube, "default") == [
        'forbidden: cannot watch pods in namespace "default"; add verb "watch" on "pods" to your Role',
        'forbidden: cannot update leases.coordination.k8s.io in namespace "default"; '
        'add verb "update" on "leases" (apiGroup "coordination.k8s.io") to your Role',
    ]


def test_auth_can_i_prints_every_permission_and_exits_3_when_one_is_missing(api_server: ClusterHandle) -> None:
    out, err = io.StringIO(), io.StringIO()
    app = App(GlobalOptions(kubeconfig=api_server.kubeconfig_path), stdout=out, stderr=err)
    assert run_can_i(app, CanIOptions()) == ExitCode.OK
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["PERMISSION", "ALLOWED"] and len(lines) == 27
    assert lines[1].split() == ["create", "pods", "yes"]
    api_server.server.faults.forbid("get", "pods/log")
    out.truncate(0)
    assert run_can_i(app, CanIOptions()) == ExitCode.UNAVAILABLE
    assert "get pods/log  " in out.getvalue() and out.getvalue().count(" no\n") == 1
    assert 'error: forbidden: cannot get pods/log in namespace "default"; add verb "get" on "pods/log"' in err.getvalue()


def test_auth_can_i_through_the_real_cli(api_server: ClusterHandle) -> None:
    api_server.server.faults.forbid("create", "configmaps")
    done = subprocess.run([sys.executable, "-m", "argoctl", "--kubeconfig", api_server.kubeconfig_path,
                           "auth", "can-i", "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 3 and done.stdout == ""
    assert 'cannot create configmaps in namespace "default"' in done.stderr
