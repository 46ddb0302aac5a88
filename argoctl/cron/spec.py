"""Reading a CronWorkflow: its schedules (``schedules`` and the legacy ``schedule``), times, names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from argoctl.cron.schedule import Schedule, next_time, parse, previous_time

JSON = dict[str, Any]
LABEL_CRON = "workflows.argoproj.io/cron-workflow"
LABEL_COMPLETED = "workflows.argoproj.io/cron-workflow-completed"
LABEL_BACKFILL = "workflows.argoproj.io/cron-workflow-backfill"
ANNOTATION_SCHEDULED = "workflows.argoproj.io/scheduled-time"
ANNOTATION_LAST_SCHEDULE = "cronworkflows.argoproj.io/last-used-schedule"
FULFILLED = frozenset({"Succeeded", "Failed", "Error"})


def schedule_lines(spec: Mapping[str, Any]) -> list[str]:
    """The schedules as written: ``schedules``, else the legacy single ``schedule``."""
    lines = [str(line) for line in spec.get("schedules") or []]
    if not lines and spec.get("schedule"):
        lines = [str(spec["schedule"])]
    return lines


def schedule_string(spec: Mapping[str, Any], *, with_timezone: bool = False) -> str:
    """Argo's ``GetScheduleString``: the schedules joined by commas (``CRON_TZ=`` prefixed on request)."""
    zone = str(spec.get("timezone") or "")
    return ",".join(f"CRON_TZ={zone} {line}" if with_timezone and zone else line for line in schedule_lines(spec))


def schedules(spec: Mapping[str, Any]) -> list[Schedule]:
    """Parsed schedules in the CronWorkflow's ``timezone`` (UTC, the controller's usual zone, when unset)."""
    zone = str(spec.get("timezone") or "")
    return [parse(line, zone) for line in schedule_lines(spec)]


def parse_time(value: object) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_run(spec: Mapping[str, Any], now: datetime) -> datetime | None:
    """The earliest next activation over all schedules (argo's ``GetNextRuntime``)."""
    times = [t for s in schedules(spec) if (t := next_time(s, now)) is not None]
    return min(times) if times else None


def latest_activation(cron: Mapping[str, Any], now: datetime) -> datetime | None:
    """The latest activation at or before ``now`` over all schedules; for ``@every`` the one after
    the last run (or creation)."""
    spec = cron.get("spec") or {}
    status = cron.get("status") or {}
    anchor = parse_time(status.get("lastScheduledTime")) or parse_time(
        (cron.get("metadata") or {}).get("creationTimestamp"))
    found: list[datetime] = []
    for schedule in schedules(spec):
        if schedule.every:
            if anchor is not None:
                moment = anchor + timedelta(seconds=schedule.every)
                if moment <= now:
                    found.append(moment)
            continue
        walked, previous = _latest_after(schedule, anchor, now) if anchor is not None else (False, None)
        if not walked:
            previous = previous_time(schedule, now)
        if previous is not None:
            found.append(previous)
    return max(found) if found else None


def _latest_after(schedule: Schedule, anchor: datetime, now: datetime,
                  steps: int = 32) -> tuple[bool, datetime | None]:
    """``(True, the latest activation in (anchor, now] or None)`` found by walking forward from
    ``anchor`` (cheap when the cron ran recently); ``(False, None)`` when the walk is too long."""
    latest = None
    moment = next_time(schedule, anchor)
    for _ in range(steps):
        if moment is None or moment > now:
            return True, latest
        latest = moment
        moment = next_time(schedule, moment)
    return False, None


def activations(spec: Mapping[str, Any], start: datetime, end: datetime, limit: int = 100_000) -> list[datetime]:
    """Every activation in ``(start, end]`` over all schedules, sorted, at most ``limit``."""
    found: set[datetime] = set()
    for schedule in schedules(spec):
        moment = next_time(schedule, start)
        while moment is not None and moment <= end and len(found) < limit:
            found.add(moment)
            moment = next_time(schedule, moment)
    return sorted(found)[:limit]


def workflow_name(cron_name: str, scheduled: datetime) -> str:
    """Argo's child name: ``<cron>-<unix seconds of the scheduled time>``."""
    return f"{cron_name}-{int(scheduled.timestamp())}"
