"""``argoctl submit --driver pod``: the engine runs in a driver pod, so the workflow outlives the
laptop. End to end against the loopback cluster: the driver image is registered with the fake
kubelet as ``python -m argoctl`` (the repository, installed in this interpreter), and the pod reaches
the API in-cluster, over the HTTPS listener that only pods are given; the fake server records which
listener each request came in on, so the tests tell the laptop's requests from the driver pod's.

Each step appends its id to a ledger on a hostPath volume, so a step that ran twice shows.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from argoctl.kube.client import KubeClient
from argoctl.runtime import driverpod
from tests.fakecluster.fixtures import ClusterHandle
from tests.runtime.ledger import ledger_workflow

pytestmark = pytest.mark.kube

IMAGE = "example.com/argoctl:test"
LEASES = ("coordination.k8s.io", "leases")
PODS = ("", "pods")


class Setup:
    def __init__(self, cluster: ClusterHandle, tmp_path: Path) -> None:
        self.cluster = cluster
        self.ledger = tmp_path / "ledger"
        self.ledger.mkdir()
        self.tmp_path = tmp_path
        self.env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "kubernetes",
                    "KUBECONFIG": cluster.kubeconfig_path, "NO_COLOR": "1", driverpod.IMAGE_ENV: IMAGE,
                    "PATH": f"{Path(__file__).resolve().parents[1] / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        cluster.server.images.register("example.com/argoctl:*", entrypoint=(sys.executable, "-m", "argoctl"))
        client = KubeClient.from_kubeconfig(cluster.kubeconfig_path)
        try:  # deploy/rbac.yaml's service account, which the driver pod runs as
            client.create("/api/v1/namespaces/default/serviceaccounts", {"metadata": {"name": "argoctl"}})
        finally:
            client.close()

    def manifest(self, name: str, *, sleep: float = 0.2, code: int = 0) -> Path:
        path = self.tmp_path / f"{name}.yaml"
        path.write_text(ledger_workflow(name, self.ledger, sleep=sleep, code=code))
        return path

    def cli(self, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "argoctl", *args], env={**self.env, **env}, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def runs(self) -> list[str]:
        path = self.ledger / "runs"
        return path.read_text().split() if path.exists() else []

    def pod_creates(self) -> list[Any]:
        return [r for r in self.cluster.server.requests.records if (r.verb, r.resource) == ("create", "pods")]

    def pod(self, name: str) -> dict[str, Any] | None:
        return self.cluster.server.store.get(PODS, "default", name)

    def holder(self, workflow: str) -> str | None:
        lease = self.cluster.server.store.get(LEASES, "default", f"argoctl-{workflow}")
        return str((lease or {}).get("spec", {}).get("holderIdentity") or "") or None


@pytest.fixture
def setup(fake_cluster: ClusterHandle, tmp_path: Path) -> Setup:
    return Setup(fake_cluster, tmp_path)


def _until(condition: Callable[[], object], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _step_creates(setup: Setup) -> list[Any]:
    """The pod creates of the driver pods (every one of them, not only those that succeeded)."""
    return [r for r in setup.pod_creates() if r.in_cluster]


@pytest.mark.timeout(180)
def test_submit_driver_pod_runs_the_engine_in_the_cluster(setup: Setup) -> None:
    name = "in-pod"
    done = setup.cli("submit", str(setup.manifest(name)), "--driver", "pod", "--wait", "-o", "name")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == name
    assert f"runs in driver pod {name}-driver" in done.stderr
    assert "taking over" not in done.stderr  # no lease while the pod started: the laptop only followed
    assert setup.runs() == ["one", "two", "three"]

    # the laptop created the driver pod and nothing else; the steps' pods came from inside the cluster
    laptop = [r for r in setup.pod_creates() if not r.in_cluster]
    assert [(r.code, r.path.rsplit("/", 1)[-1]) for r in laptop] == [(201, "pods")]
    creates = [r for r in setup.pod_creates() if r.in_cluster]
    assert len(creates) == 3 and {r.code for r in creates} == {201}, creates
    pods, _ = setup.cluster.server.store.list_objects(PODS)
    steps = [p for p in pods if (p["metadata"].get("labels") or {}).get("workflows.argoproj.io/workflow") == name]
    assert len(steps) == 3
    leases = [r for r in setup.cluster.server.requests.records if r.resource == "leases" and r.verb != "get"]
    assert leases and all(r.in_cluster for r in leases)  # only the driver pod ever held the lease

    driver = setup.cluster.server.wait_for_pod("default", f"{name}-driver",
                                               lambda p: p["status"].get("phase") == "Succeeded")
    assert driver["metadata"]["labels"][driverpod.DRIVER_OF_LABEL] == name
    assert "workflows.argoproj.io/workflow" not in driver["metadata"]["labels"]
    assert driver["spec"]["serviceAccountName"] == "argoctl" and driver["spec"]["restartPolicy"] == "OnFailure"
    owner = driver["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"]) == ("ConfigMap", f"argoctl-wf-{name}")
    assert setup.holder(name) is None  # the driver released its lease

    waited = setup.cli("wait", name)  # re-attaching from the laptop later
    assert waited.returncode == 0, waited.stderr
    assert waited.stdout.startswith(f"{name} Succeeded")
    assert len(_step_creates(setup)) == 3

    deleted = setup.cli("delete", name)
    assert deleted.returncode == 0, deleted.stderr
    _until(lambda: setup.pod(f"{name}-driver") is None, "the driver pod to go with its workflow")


@pytest.mark.timeout(180)
def test_a_failed_workflow_ends_its_driver_pod_without_a_restart(setup: Setup) -> None:
    name = "fails-in-pod"
    done = setup.cli("submit", str(setup.manifest(name, code=3)), "--driver", "pod", "--wait")
    assert done.returncode == 1, done.stdout + done.stderr  # the workflow failed: exit 1, as in local mode
    assert "Failed" in done.stdout
    driver = setup.cluster.server.wait_for_pod("default", f"{name}-driver",
                                               lambda p: p["status"].get("phase") == "Succeeded")
    assert driver["status"]["containerStatuses"][0]["restartCount"] == 0  # exit 0: OnFailure does not loop
    assert setup.runs() == ["one"]

    # the workflow remembers its driver: a retry runs in a new driver pod, not on this machine
    retried = setup.cli("retry", name, "--wait")
    assert retried.returncode == 1, retried.stdout + retried.stderr
    assert f"runs in driver pod {name}-driver-r" in retried.stderr, retried.stderr
    assert setup.runs() == ["one", "one"]
    assert len([r for r in setup.pod_creates() if not r.in_cluster]) == 2  # two driver pods, no step pod
    assert len(_step_creates(setup)) == 2


@pytest.mark.timeout(240)
def test_a_deleted_driver_pod_is_replaced_and_no_step_runs_twice(setup: Setup) -> None:
    name = "replaced"
    submitted = setup.cli("submit", str(setup.manifest(name, sleep=1.5)), "--driver", "pod", "-o", "name")
    assert submitted.returncode == 0, submitted.stderr
    assert submitted.stdout.strip() == name

    _until(lambda: "two" in setup.runs(), "step two to start")
    setup.cluster.server.delete_pod("default", f"{name}-driver", grace_seconds=0)
    setup.cluster.server.wait_for_pod_gone("default", f"{name}-driver")
    assert "three" not in setup.runs()  # the driver went mid-workflow

    waited = setup.cli("wait", name)
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert waited.stdout.startswith(f"{name} Succeeded")
    assert f"workflow {name} has no driver pod left" in waited.stderr, waited.stderr
    assert f"runs in driver pod {name}-driver" in waited.stderr  # a new driver pod, not this laptop
    assert "taking over" not in waited.stderr

    assert setup.runs() == ["one", "two", "three"]  # no finished step ran again, none was skipped
    steps = _step_creates(setup)
    assert len(steps) == 3 and {r.code for r in steps} == {201}, steps  # adopted, not even asked for again
    laptop = [r for r in setup.pod_creates() if not r.in_cluster]
    assert len(laptop) == 2  # the driver pod and its replacement


@pytest.mark.timeout(240)
def test_a_crashed_driver_restarts_in_its_pod_and_re_attaches(setup: Setup) -> None:
    name = "crashes"
    submitted = setup.cli("submit", str(setup.manifest(name, sleep=1.5)), "--driver", "pod", "-o", "name")
    assert submitted.returncode == 0, submitted.stderr

    _until(lambda: "two" in setup.runs(), "step two to start")
    holder = setup.holder(name)
    assert holder is not None
    os.kill(int(holder.rsplit(":", 1)[1]), signal.SIGKILL)  # the driver process dies: exit 137
    waited = setup.cli("wait", name)
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert waited.stdout.startswith(f"{name} Succeeded")
    assert "driver pod" not in waited.stderr  # the pod restarted its container: nothing to start from here

    driver = setup.cluster.server.wait_for_pod("default", f"{name}-driver",
                                               lambda p: p["status"].get("phase") == "Succeeded")
    assert driver["status"]["containerStatuses"][0]["restartCount"] == 1
    assert setup.runs() == ["one", "two", "three"]
    steps = _step_creates(setup)
    assert len(steps) == 3 and {r.code for r in steps} == {201}, steps


@pytest.mark.timeout(120)
def test_a_driver_pod_that_cannot_pull_its_image_is_reported(setup: Setup) -> None:
    name = "no-image"
    done = setup.cli("submit", str(setup.manifest(name)), "--driver", "pod", "--wait",
                     **{driverpod.IMAGE_ENV: "example.com/argoctl:doesntexist", "ARGOCTL_IMAGE_PULL_GRACE": "0"})
    assert done.returncode == 3, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    assert f"driver pod {name}-driver of workflow {name} cannot run: ErrImagePull" in errors[0] or \
        f"driver pod {name}-driver of workflow {name} cannot run: ImagePullBackOff" in errors[0], errors
    assert f"kubectl describe pod {name}-driver -n default" in done.stderr
    assert f"kubectl logs {name}-driver -n default" in done.stderr
    assert setup.runs() == []  # nobody drove it from the laptop
    assert [r for r in setup.pod_creates() if r.in_cluster] == []


@pytest.mark.timeout(120)
def test_a_driver_pod_that_keeps_crashing_is_reported(setup: Setup) -> None:
    name = "crash-loop"
    setup.cluster.server.images.register("example.com/broken:*", entrypoint=("false",))
    done = setup.cli("submit", str(setup.manifest(name)), "--driver", "pod", "--wait",
                     **{driverpod.IMAGE_ENV: "example.com/broken:1"})
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"error: the driver pod {name}-driver of workflow {name} cannot run: it keeps crashing (restarted " \
        in done.stderr, done.stderr
    assert f"kubectl logs {name}-driver -n default" in done.stderr
    assert setup.runs() == []


@pytest.mark.timeout(120)
def test_a_missing_service_account_is_named(setup: Setup) -> None:
    name = "no-account"
    setup.cluster.server.faults.fail_next(1, status=403, verb="create", resource="pods", message=(
        f'pods "{name}-driver" is forbidden: error looking up service account default/argoctl: '
        'serviceaccount "argoctl" not found'))
    done = setup.cli("submit", str(setup.manifest(name)), "--driver", "pod", "--wait")
    assert done.returncode == 3, done.stdout + done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("error:")] == [
        f"error: cannot start the driver pod of workflow {name}: no service account 'argoctl' in namespace default"]
    assert "kubectl apply -n default -f deploy/rbac.yaml" in done.stderr
    assert f"argoctl wait {name} -n default" in done.stderr
    # the workflow is stored: once the account exists, wait starts its driver pod and it runs in the cluster
    waited = setup.cli("wait", name)
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert f"runs in driver pod {name}-driver" in waited.stderr
    assert setup.runs() == ["one", "two", "three"] and len(_step_creates(setup)) == 3


ARTIFACTS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: keeps-artifacts}
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.23
        command: [sh, -c, "echo hi > /tmp/a"]
      outputs: {artifacts: [{name: a, path: /tmp/a}]}
"""


@pytest.mark.timeout(120)
def test_output_artifacts_without_a_repository_are_warned_about(setup: Setup) -> None:
    manifest = setup.tmp_path / "artifacts.yaml"
    manifest.write_text(ARTIFACTS)
    done = setup.cli("submit", str(manifest), "--driver", "pod", "--wait")
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("notice: workflow keeps-artifacts keeps output artifacts in the default local repository, which "
            "lives in its driver pod") in done.stderr
    plain = setup.cli("submit", str(setup.manifest("no-artifacts")), "--driver", "pod", "--wait")
    assert plain.returncode == 0 and "notice:" not in plain.stderr, plain.stderr


def test_driver_pod_needs_the_kubernetes_backend(setup: Setup) -> None:
    done = setup.cli("submit", str(setup.manifest("local")), "--driver", "pod", ARGOCTL_BACKEND="local")
    assert done.returncode == 2, done.stdout + done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("error:")] == [
        "error: --driver pod needs the kubernetes backend"]
    bogus = setup.cli("submit", str(setup.manifest("bogus")), "--driver", "cloud")
    assert bogus.returncode == 2 and "error: unknown driver 'cloud'" in bogus.stderr
    assert setup.pod_creates() == []


# -- the manifest and the status reading, without a kubelet ----------------------------------------

SETTINGS = driverpod.DriverSettings(image=IMAGE, env=(("ARGOCTL_HELPER_IMAGE", "busybox:1.37-musl"),))


@pytest.mark.parametrize("workflow", ["hello-x7k2p", "a" * 200, "Upper.Case.dots-" + "b" * 60, "x"])
def test_driver_pod_names_and_labels_are_valid_and_the_pod_passes_validation(kube: KubeClient, workflow: str) -> None:
    name = driverpod.pod_name(workflow)
    replacement = driverpod.pod_name(workflow, "rb2c4")
    for pod_name in (name, replacement):
        assert len(pod_name) <= 63 and re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", pod_name), pod_name
    assert name != replacement
    label = driverpod.label_value(workflow)
    assert len(label) <= 63 and re.fullmatch(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?", label)
    owner = {"apiVersion": "v1", "kind": "ConfigMap", "name": "argoctl-wf-x", "uid": "1234", "blockOwnerDeletion": False}
    body = driverpod.build(workflow, "default", name=name, settings=SETTINGS, owner=owner)
    created = kube.create("/api/v1/namespaces/default/pods", body)  # the fake server's schema and semantic checks
    assert created["metadata"]["annotations"][driverpod.DRIVER_OF_ANNOTATION] == workflow
    assert [p["metadata"]["name"] for p in driverpod.list_pods(kube, "default", workflow)] == [name]
    container = created["spec"]["containers"][0]
    assert container["args"] == ["--namespace", "default", "wait", workflow, "--as-driver"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["ARGOCTL_BACKEND"] == "kubernetes" and env["ARGOCTL_HELPER_IMAGE"] == "busybox:1.37-musl"


def test_distinct_long_workflows_get_distinct_driver_pods() -> None:
    first, second = "a" * 80 + "-one", "a" * 80 + "-two"
    assert driverpod.pod_name(first) != driverpod.pod_name(second)
    assert driverpod.label_value(first) != driverpod.label_value(second)


def _pod(phase: str, *, waiting: str = "", restarts: int = 0, **status: Any) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "driver", "restartCount": restarts,
                                 "state": {"waiting": {"reason": waiting, "message": "m"}} if waiting else {}}
    return {"metadata": {"name": "wf-driver"}, "status": {"phase": phase, "containerStatuses": [container], **status}}


@pytest.mark.parametrize(("pod", "state"), [
    (_pod("Pending"), driverpod.STARTING),
    (_pod("Pending", waiting="ContainerCreating"), driverpod.STARTING),
    (_pod("Running"), driverpod.RUNNING),
    (_pod("Pending", waiting="ImagePullBackOff"), driverpod.PULLING_FAILS),
    (_pod("Pending", waiting="InvalidImageName"), driverpod.BROKEN),
    (_pod("Running", waiting="CrashLoopBackOff", restarts=1), driverpod.RUNNING),
    (_pod("Running", waiting="CrashLoopBackOff", restarts=3), driverpod.BROKEN),
    (_pod("Succeeded"), driverpod.EXITED),
    (_pod("Failed", reason="DeadlineExceeded", message="too long"), driverpod.FAILED),
    (_pod("Failed", reason="Evicted", message="low on memory"), driverpod.GONE),
    ({"metadata": {"name": "wf-driver", "deletionTimestamp": "2026-01-01T00:00:00Z"}, "status": {"phase": "Running"}},
     driverpod.GONE),
])
def test_reading_a_driver_pod(pod: dict[str, Any], state: str) -> None:
    assert driverpod.read(pod).state == state
