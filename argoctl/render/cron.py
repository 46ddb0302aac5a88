"""``argo cron list`` and ``argo cron get`` output for CronWorkflows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from argoctl.cron.schedule import ScheduleError
from argoctl.cron.spec import next_run, parse_time, schedule_string
from argoctl.render.humanize import go_timestamp, relative_short
from argoctl.render.tabwriter import align

JSON = dict[str, Any]
_FIELD = "{:<30} {}"


def _next(spec: Mapping[str, Any], now: datetime) -> datetime | None:
    try:
        return next_run(spec, now)
    except ScheduleError:
        return None


def _go_bool(value: object) -> str:
    return "true" if value else "false"


def cron_table(crons: Sequence[Mapping[str, Any]], *, now: datetime, all_namespaces: bool = False) -> str:
    """NAME AGE LAST RUN NEXT RUN SCHEDULES TIMEZONE SUSPENDED (NAMESPACE first with -A)."""
    lines = [("NAMESPACE\t" if all_namespaces else "") + "NAME\tAGE\tLAST RUN\tNEXT RUN\tSCHEDULES\tTIMEZONE\tSUSPENDED"]
    for cron in crons:
        meta = cron.get("metadata") or {}
        spec = cron.get("spec") or {}
        last = parse_time((cron.get("status") or {}).get("lastScheduledTime"))
        following = _next(spec, now)
        cells = [
            str(meta.get("name") or ""),
            relative_short(parse_time(meta.get("creationTimestamp")), now, now=now),
            relative_short(last, now, now=now) if last else "N/A",
            relative_short(following, now, now=now) if following else "N/A",
            schedule_string(spec),
            str(spec.get("timezone") or ""),
        ]
        prefix = f"{meta.get('namespace') or ''}\t" if all_namespaces else ""
        lines.append(prefix + "\t".join(cells) + "\t" + _go_bool(spec.get("suspend")))
    return align("\n".join(lines), padding=3)


def cron_summary(cron: Mapping[str, Any], *, now: datetime) -> str:
    """The ``argo cron get`` summary, one ``Label:`` per line padded to 30."""
    meta = cron.get("metadata") or {}
    spec = cron.get("spec") or {}
    status = cron.get("status") or {}
    rows = [("Name:", meta.get("name") or ""), ("Namespace:", meta.get("namespace") or ""),
            ("Created:", go_timestamp(parse_time(meta.get("creationTimestamp")), now=now)),
            ("Schedules:", schedule_string(spec)), ("Suspended:", _go_bool(spec.get("suspend")))]
    if spec.get("timezone"):
        rows.append(("Timezone:", spec["timezone"]))
    if spec.get("startingDeadlineSeconds") is not None:
        rows.append(("StartingDeadlineSeconds:", spec["startingDeadlineSeconds"]))
    if spec.get("concurrencyPolicy"):
        rows.append(("ConcurrencyPolicy:", spec["concurrencyPolicy"]))
    last = parse_time(status.get("lastScheduledTime"))
    if last:
        rows.append(("LastScheduledTime:", go_timestamp(last, now=now)))
    following = _next(spec, now)
    if following:
        rows.append(("NextScheduledTime:", go_timestamp(following, now=now) + " (assumes workflow-controller is in UTC)"))
    active = [str(ref.get("name")) for ref in status.get("active") or []]
    if active:
        rows.append(("Active Workflows:", ", ".join(active)))
    conditions = status.get("conditions") or []
    if conditions:  # Argo's Conditions.DisplayString: an icon for SubmissionError only
        rows.append(("Conditions:", ""))
        for condition in conditions:
            icon = "✖" if condition.get("type") == "SubmissionError" else ""
            rows.append((f"{icon} {condition.get('type')}", condition.get("message") or condition.get("status") or ""))
    parameters = [p for p in ((spec.get("workflowSpec") or {}).get("arguments") or {}).get("parameters") or []
                  if "value" in p]
    if parameters:
        rows.append(("Workflow Parameters:", ""))
        rows += [(f"  {p.get('name')}:", p.get("value")) for p in parameters]
    return "".join(_FIELD.format(label, value) + "\n" for label, value in rows)
