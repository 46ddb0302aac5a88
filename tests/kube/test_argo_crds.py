"""WorkflowTemplates and ClusterWorkflowTemplates live in Argo's CRDs when the cluster serves them
(shared with an Argo installation), else in labelled ConfigMaps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from argoctl.kube import paths
from argoctl.kube.client import KubeClient
from argoctl.stores.configmap import ConfigMapStore
from tests.conformance.corpus import REPO
from tests.fakecluster.fixtures import ClusterHandle

pytestmark = pytest.mark.kube
API = "/apis/argoproj.io/v1alpha1"
TEMPLATE = {"apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate", "metadata": {"name": "greet"},
            "spec": {"entrypoint": "hi", "templates": [
                {"name": "hi", "container": {"image": "busybox", "command": ["echo", "hello from the CRD"]}}]}}


def serve_argo_crds(cluster: ClusterHandle) -> None:
    cluster.server.register_resource("argoproj.io", "v1alpha1", "workflowtemplates", "WorkflowTemplate")
    cluster.server.register_resource("argoproj.io", "v1alpha1", "clusterworkflowtemplates", "ClusterWorkflowTemplate",
                                     namespaced=False)


def test_templates_are_argo_objects_when_the_crds_are_served(api_server: ClusterHandle, kube: KubeClient) -> None:
    serve_argo_crds(api_server)
    store = ConfigMapStore(kube, "default")
    store.put_object("WorkflowTemplate", dict(TEMPLATE))
    store.put_object("ClusterWorkflowTemplate", {**TEMPLATE, "kind": "ClusterWorkflowTemplate",
                                                 "metadata": {"name": "shared", "namespace": "ignored"}})
    stored = kube.get(f"{API}/namespaces/default/workflowtemplates/greet")
    assert stored["spec"] == TEMPLATE["spec"] and stored["kind"] == "WorkflowTemplate"
    assert kube.get(f"{API}/clusterworkflowtemplates/shared")["metadata"]["name"] == "shared"
    assert not [c for c in kube.list(paths.collection("default", "configmaps"))["items"]
                if "greet" in c["metadata"]["name"]]  # no ConfigMap copy
    # one made by Argo's own CLI is seen as well
    kube.create(f"{API}/namespaces/default/workflowtemplates", {**TEMPLATE, "metadata": {"name": "from-argo"}})
    assert [t["metadata"]["name"] for t in store.list_objects("WorkflowTemplate")] == ["from-argo", "greet"]
    store.put_object("WorkflowTemplate", {**TEMPLATE, "spec": {**TEMPLATE["spec"], "entrypoint": "other"}})
    assert store.get_object("WorkflowTemplate", "greet")["spec"]["entrypoint"] == "other"  # apply replaces
    store.delete_object("WorkflowTemplate", "greet")
    assert [t["metadata"]["name"] for t in store.list_objects("WorkflowTemplate")] == ["from-argo"]


def test_without_the_crds_templates_are_labelled_configmaps(api_server: ClusterHandle, kube: KubeClient) -> None:
    store = ConfigMapStore(kube, "default")
    store.put_object("WorkflowTemplate", dict(TEMPLATE))
    names = [c["metadata"]["name"] for c in kube.list(paths.collection("default", "configmaps"))["items"]]
    assert any("greet" in name for name in names)
    assert store.get_object("WorkflowTemplate", "greet")["spec"] == TEMPLATE["spec"]


def test_a_workflow_runs_from_a_template_argo_created(fake_cluster: ClusterHandle, tmp_path: Path) -> None:
    serve_argo_crds(fake_cluster)
    kube = KubeClient.from_kubeconfig(fake_cluster.kubeconfig_path, qps=0)
    try:
        kube.create(f"{API}/namespaces/default/workflowtemplates", TEMPLATE)
    finally:
        kube.close()
    env = dict(os.environ, ARGOCTL_BACKEND="kubernetes", KUBECONFIG=fake_cluster.kubeconfig_path,
               ARGOCTL_HOME=str(tmp_path / "home"), ARGOCTL_NAMESPACE="default",
               PATH=f"{REPO / 'tests' / 'bin'}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([sys.executable, "-m", "argoctl", "submit", "--from", "workflowtemplate/greet", "--wait",
                           "-o", "name"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    logs = subprocess.run([sys.executable, "-m", "argoctl", "logs", done.stdout.strip()], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert "hello from the CRD" in logs.stdout
