"""CronWorkflows on the loopback cluster: one CronJob per schedule, fired by the fake cluster's
CronJob controller (``fire_cronjob``: no waiting for the minute); each Job's pod runs the argoctl
driver image (``python -m argoctl`` here) with ``cron trigger NAME --wait --job JOB``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from argoctl.kube.client import KubeClient
from argoctl.runtime import cronjobs, driverpod
from argoctl.runtime.driverpod import DriverSettings
from tests.fakecluster.fixtures import ClusterHandle

pytestmark = pytest.mark.kube

IMAGE = "example.com/argoctl:test"
CRONJOBS, JOBS, PODS = ("batch", "cronjobs"), ("batch", "jobs"), ("", "pods")
CRON = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: hello
spec:
  schedules: ["* * * * *"]
  timezone: Europe/Paris
  startingDeadlineSeconds: 30
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container: {image: busybox, command: [echo], args: ["at {{workflow.scheduledTime}}"]}
"""


class Setup:
    def __init__(self, cluster: ClusterHandle, tmp_path: Path) -> None:
        self.cluster = cluster
        self.tmp_path = tmp_path
        self.env = {**os.environ, "ARGOCTL_HOME": str(tmp_path / "home"), "ARGOCTL_BACKEND": "kubernetes",
                    "KUBECONFIG": cluster.kubeconfig_path, "NO_COLOR": "1", driverpod.IMAGE_ENV: IMAGE}
        cluster.server.images.register("example.com/argoctl:*", entrypoint=(sys.executable, "-m", "argoctl"))
        client = KubeClient.from_kubeconfig(cluster.kubeconfig_path)
        try:
            client.create("/api/v1/namespaces/default/serviceaccounts", {"metadata": {"name": "argoctl"}})
        finally:
            client.close()

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "argoctl", *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def ok(self, *args: str) -> str:
        done = self.cli(*args)
        assert done.returncode == 0, f"argoctl {' '.join(args)} -> {done.returncode}\n{done.stderr}"
        return done.stdout

    def objects(self, gr: tuple[str, str]) -> list[dict[str, Any]]:
        return self.cluster.server.store.list_objects(gr)[0]


def until(predicate: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


@pytest.fixture
def setup(fake_cluster: ClusterHandle, tmp_path: Path) -> Setup:
    return Setup(fake_cluster, tmp_path)


def test_cronjob_manifest_is_valid_kubernetes() -> None:
    cron = {"metadata": {"name": "hello"}, "spec": {"schedules": ["0 * * * *", "30 2 * * *"], "timezone": "Europe/Paris",
                                                     "startingDeadlineSeconds": 60, "suspend": True}}
    built = cronjobs.build(cron, "ns", settings=DriverSettings(image=IMAGE), owner=None, argv=["-n", "ns"])
    assert [b["metadata"]["name"] for b in built] == ["hello-0", "hello-1"]
    for body in built:
        kubernetes_validate.validate(body, "1.32", strict=True)
        assert body["spec"]["timeZone"] == "Europe/Paris" and body["spec"]["suspend"] is True
        assert body["spec"]["concurrencyPolicy"] == "Allow" and body["spec"]["startingDeadlineSeconds"] == 60
    args = built[0]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args == ["-n", "ns", "cron", "trigger", "hello", "--wait", "--job", "$(ARGOCTL_CRON_JOB)"]
    stopped = {"metadata": {"name": "hello"}, "spec": {"schedules": ["0 * * * *"]}, "status": {"phase": "Stopped"}}
    [body] = cronjobs.build(stopped, "ns", settings=DriverSettings(image=IMAGE), owner=None, argv=[])
    assert body["spec"]["suspend"] is True  # a cron its stopStrategy stopped starts no more pods
    assert cronjobs.scheduled_time_of_job("hello-29944720") is not None
    assert cronjobs.scheduled_time_of_job("hello-0-abcde") is None


def test_a_cron_fires_twice_on_the_cluster_and_delete_cascades(setup: Setup) -> None:
    manifest = setup.tmp_path / "cron.yaml"
    manifest.write_text(CRON)
    setup.ok("cron", "create", str(manifest))
    [cronjob] = setup.objects(CRONJOBS)
    assert cronjob["metadata"]["name"] == "hello"
    assert cronjob["spec"]["schedule"] == "* * * * *" and cronjob["spec"]["timeZone"] == "Europe/Paris"
    assert cronjob["metadata"]["ownerReferences"][0]["kind"] == "ConfigMap"
    assert cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["serviceAccountName"] == "argoctl"
    server = setup.cluster.server
    server.cronjobs.interval = 3600.0  # no firing by the clock during this test: only ours
    jobs = [server.fire_cronjob("default", "hello")["metadata"]["name"]]

    def finished() -> list[dict[str, Any]]:
        return [w for w in json.loads(setup.ok("list", "-o", "json"))
                if (w.get("status") or {}).get("phase") == "Succeeded"]

    until(lambda: len(finished()) == 1, "the first run to succeed")
    jobs.append(server.fire_cronjob("default", "hello")["metadata"]["name"])
    until(lambda: len(finished()) == 2, "the second run to succeed")
    expected = sorted(f"hello-{int(cronjobs.scheduled_time_of_job(j).timestamp())}" for j in jobs)  # type: ignore[union-attr]
    runs = finished()
    assert sorted(w["metadata"]["name"] for w in runs) == expected
    for workflow in runs:
        assert workflow["metadata"]["labels"]["workflows.argoproj.io/cron-workflow"] == "hello"
        assert "workflows.argoproj.io/scheduled-time" in workflow["metadata"]["annotations"]
    status = json.loads(setup.ok("cron", "get", "hello", "-o", "json"))["status"]
    assert status["succeeded"] == 2 and "active" not in status
    assert status["lastScheduledTime"] == max(
        cronjobs.scheduled_time_of_job(j) for j in jobs).strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[type-var]
    assert setup.ok("cron", "delete", "hello") == 'CronWorkflow "hello" deleted\n'
    until(lambda: not setup.objects(CRONJOBS) and not setup.objects(JOBS) and not [
        p for p in setup.objects(PODS) if "job-name" in (p["metadata"].get("labels") or {})],
        "the CronJob, its Jobs and their Pods to be gone", timeout=60)


def test_apply_update_suspend_and_resume_keep_the_cronjobs_in_step(setup: Setup) -> None:
    manifest = setup.tmp_path / "cron.yaml"
    manifest.write_text(CRON)
    assert setup.ok("apply", "-f", str(manifest)) == "cronworkflow.argoproj.io/hello created\n"
    assert [c["metadata"]["name"] for c in setup.objects(CRONJOBS)] == ["hello"]
    setup.ok("cron", "suspend", "hello")
    assert setup.objects(CRONJOBS)[0]["spec"]["suspend"] is True
    setup.ok("cron", "resume", "hello")
    assert setup.objects(CRONJOBS)[0]["spec"]["suspend"] is False
    manifest.write_text(CRON.replace('schedules: ["* * * * *"]', 'schedules: ["0 * * * *", "30 * * * *"]'))
    setup.ok("cron", "update", str(manifest))
    schedules = {c["metadata"]["name"]: c["spec"]["schedule"] for c in setup.objects(CRONJOBS)}
    assert schedules == {"hello-0": "0 * * * *", "hello-1": "30 * * * *"}
