"""The loopback cluster's CronJob controller: a Job and a Pod at the scheduled minute, as
kube-controller-manager makes them; suspend holds it; the Job's status follows its pod."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fakecluster.fixtures import ClusterHandle

pytestmark = pytest.mark.kube

CRONJOB = {
    "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "yearly"},
    "spec": {"schedule": "0 0 1 1 *", "timeZone": "Asia/Tokyo",
             "jobTemplate": {"spec": {"template": {"spec": {
                 "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox", "command": ["true"]}]}}}}},
}


def test_a_job_and_a_pod_at_the_scheduled_minute(fake_cluster: ClusterHandle) -> None:
    server = fake_cluster.server
    server.service.create(server.resource("batch", "v1", "cronjobs"), "default", CRONJOB)
    created = datetime.now(UTC)
    server.cronjobs.sync(datetime(created.year + 1, 1, 2, tzinfo=UTC))  # past Jan 1st 00:00 in Tokyo
    [job] = server.store.list_objects(("batch", "jobs"))[0]
    scheduled = datetime(created.year, 12, 31, 15, 0, tzinfo=UTC)  # Jan 1st 00:00 +09:00
    assert job["metadata"]["name"] == f"yearly-{int(scheduled.timestamp()) // 60}"
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == \
        scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")
    [pod] = [p for p in server.store.list_objects(("", "pods"))[0]
             if (p["metadata"].get("labels") or {}).get("job-name") == job["metadata"]["name"]]
    assert pod["metadata"]["ownerReferences"][0]["uid"] == job["metadata"]["uid"]
    server.wait_for_pod("default", pod["metadata"]["name"], lambda p: p.get("status", {}).get("phase") == "Succeeded")
    server.cronjobs.sync(datetime(created.year + 1, 1, 2, tzinfo=UTC))  # nothing new is due; the Job completes
    [job] = server.store.list_objects(("batch", "jobs"))[0]
    assert job["status"]["succeeded"] == 1 and job["status"]["conditions"][0]["type"] == "Complete"
    cronjob = server.store.get(("batch", "cronjobs"), "default", "yearly")
    assert cronjob is not None and cronjob["status"]["lastScheduleTime"] == scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_suspend_holds_and_fire_runs_now(fake_cluster: ClusterHandle) -> None:
    server = fake_cluster.server
    body = {**CRONJOB, "spec": {**CRONJOB["spec"], "suspend": True}}  # type: ignore[dict-item]
    server.service.create(server.resource("batch", "v1", "cronjobs"), "default", body)
    server.cronjobs.sync(datetime(datetime.now(UTC).year + 1, 1, 2, tzinfo=UTC))
    assert server.store.list_objects(("batch", "jobs"))[0] == []
    first = server.fire_cronjob("default", "yearly")["metadata"]["name"]
    second = server.fire_cronjob("default", "yearly")["metadata"]["name"]
    assert first != second  # the next unused minute
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1
