"""The CronJob controller of the loopback cluster: at each scheduled minute of a CronJob (its
``schedule`` read as Kubernetes reads it, robfig/cron, in ``timeZone``), a Job
``<cronjob>-<minutes since the epoch>`` owned by the CronJob, and a Pod from its template owned by
the Job, as kube-controller-manager's cronjob and job controllers make them. ``suspend`` holds it;
``fire(namespace, name)`` makes a run now (tests need not wait for the minute). A Job's status
follows its pod (Complete/Failed). Deleting the CronJob removes its Jobs and Pods through the
server's ownerReference garbage collection."""

from __future__ import annotations

import contextlib
import secrets
import string
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from argoctl.cron.schedule import ScheduleError, next_time, parse

if TYPE_CHECKING:
    from tests.fakecluster.service import ObjectService

JSON = dict[str, Any]
CRONJOBS = ("batch", "cronjobs")
JOBS = ("batch", "jobs")
PODS = ("", "pods")
SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(text: object) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _owner(obj: JSON, kind: str, api_version: str) -> JSON:
    meta = obj["metadata"]
    return {"apiVersion": api_version, "kind": kind, "name": meta["name"], "uid": meta["uid"],
            "controller": True, "blockOwnerDeletion": True}


class CronJobController:
    def __init__(self, service: ObjectService, *, interval: float = 1.0) -> None:
        self.service = service
        self.interval = interval
        self.fired: list[str] = []  # names of the Jobs made, in order
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="fakecluster-cronjobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            with contextlib.suppress(Exception):  # a controller survives what one object does
                self.sync(datetime.now(UTC))

    def sync(self, now: datetime) -> None:
        """Run each CronJob whose next scheduled time (after its last run, else its creation) has come."""
        cronjobs, _ = self.service.store.list_objects(CRONJOBS)
        for cronjob in cronjobs:
            spec = cronjob.get("spec") or {}
            if spec.get("suspend"):
                continue
            meta = cronjob["metadata"]
            since = _parse((cronjob.get("status") or {}).get("lastScheduleTime")) or _parse(meta.get("creationTimestamp"))
            try:
                schedule = parse(str(spec.get("schedule") or ""), str(spec.get("timeZone") or ""))
            except ScheduleError:
                continue
            due = next_time(schedule, since) if since else None
            if due is not None and due <= now:
                self.fire(str(meta["namespace"]), str(meta["name"]), due)
        self._follow_jobs()

    def fire(self, namespace: str, name: str, scheduled: datetime | None = None) -> JSON:
        """Start a Job (and its Pod) of the CronJob now; returns the Job."""
        with self._lock:
            cronjob = self.service.get(self.service._rt(*CRONJOBS), namespace, name)
            if scheduled is None:  # now's minute, or the minute after the last run if that one is taken
                scheduled = datetime.now(UTC).replace(second=0, microsecond=0)
                last = _parse((cronjob.get("status") or {}).get("lastScheduleTime"))
                if last is not None and last >= scheduled:
                    scheduled = last + timedelta(minutes=1)
            template = (cronjob.get("spec") or {}).get("jobTemplate") or {}
            job_name = f"{name}-{int(scheduled.timestamp()) // 60}"
            labels = dict((template.get("metadata") or {}).get("labels") or {})
            job = self.service.create(self.service._rt(*JOBS), namespace, {
                "apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": job_name, "labels": labels,
                             "annotations": {SCHEDULED_ANNOTATION: _rfc3339(scheduled)},
                             "ownerReferences": [_owner(cronjob, "CronJob", "batch/v1")]},
                "spec": template.get("spec") or {}})
            self._pod(job)
            status = dict(cronjob.get("status") or {})
            status["lastScheduleTime"] = _rfc3339(scheduled)
            status["active"] = [*(status.get("active") or []),
                                {"kind": "Job", "namespace": namespace, "name": job_name, "apiVersion": "batch/v1"}]
            self.service.update(self.service._rt(*CRONJOBS), namespace, name, {**cronjob, "status": status},
                                subresource="status")
            self.fired.append(job_name)
            return job

    def _pod(self, job: JSON) -> JSON:
        meta = job["metadata"]
        template = (job.get("spec") or {}).get("template") or {}
        suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
        labels = {**((template.get("metadata") or {}).get("labels") or {}), "job-name": meta["name"],
                  "batch.kubernetes.io/job-name": meta["name"], "controller-uid": meta["uid"]}
        return self.service.create(self.service._rt(*PODS), meta["namespace"], {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"{meta['name']}-{suffix}", "labels": labels,
                         "ownerReferences": [_owner(job, "Job", "batch/v1")]},
            "spec": template.get("spec") or {}})

    def _follow_jobs(self) -> None:
        """A Job is Complete (or Failed) when its pod succeeded (or failed)."""
        jobs, _ = self.service.store.list_objects(JOBS)
        for job in jobs:
            if (job.get("status") or {}).get("conditions"):
                continue
            uid = job["metadata"]["uid"]
            pods, _ = self.service.store.list_objects(
                PODS, lambda p, uid=uid: ((p.get("metadata") or {}).get("labels") or {}).get("controller-uid") == uid)
            phases = {str((p.get("status") or {}).get("phase")) for p in pods}
            condition = "Complete" if "Succeeded" in phases else "Failed" if "Failed" in phases else ""
            if not condition:
                continue
            key = "succeeded" if condition == "Complete" else "failed"
            status = {key: 1, "conditions": [{"type": condition, "status": "True",
                                              "lastTransitionTime": _rfc3339(datetime.now(UTC))}],
                      "completionTime": _rfc3339(datetime.now(UTC))}
            with contextlib.suppress(Exception):
                self.service.update(self.service._rt(*JOBS), job["metadata"]["namespace"], job["metadata"]["name"],
                                    {**job, "status": status}, subresource="status")


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)
