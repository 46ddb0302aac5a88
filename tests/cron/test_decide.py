"""The CronWorkflow decision core as a table: schedules, descriptors, time zones across DST,
startingDeadlineSeconds, when, concurrencyPolicy, history limits and stopStrategy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from argoctl.cron import decide as core
from argoctl.cron.schedule import ScheduleError, next_time, parse, schedule_error
from argoctl.cron.spec import activations, next_run, workflow_name

JSON = dict[str, Any]
T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday


def cron(**spec: Any) -> JSON:
    status = spec.pop("status", {})
    spec.setdefault("schedules", ["* * * * *"])
    spec.setdefault("workflowSpec", {"entrypoint": "main", "templates": [{"name": "main"}]})
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow",
            "metadata": {"name": "nightly", "namespace": "ns", "creationTimestamp": "2026-01-01T00:00:00Z",
                         "labels": {"team": "ml"}},
            "spec": spec, "status": status}


def wf(name: str, phase: str, finished: str = "", owner: str = "nightly") -> JSON:
    return {"metadata": {"name": name, "labels": {"workflows.argoproj.io/cron-workflow": owner}},
            "status": {"phase": phase, "finishedAt": finished}}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---- schedules: (line, timezone, after, the next three activations in UTC) ------------------------
NEXT_CASES = [
    ("every minute", "* * * * *", "", "2026-12-07T10:00:30Z",
     ["2026-12-07T10:01:00Z", "2026-12-07T10:02:00Z", "2026-12-07T10:03:00Z"]),
    ("step and weekdays", "*/3 * * * 1-5", "", "2026-12-05T23:59:00Z",  # Saturday night -> Monday
     ["2026-12-07T00:00:00Z", "2026-12-07T00:03:00Z", "2026-12-07T00:06:00Z"]),
    ("@hourly", "@hourly", "", "2026-12-07T10:00:00Z",
     ["2026-12-07T11:00:00Z", "2026-12-07T12:00:00Z", "2026-12-07T13:00:00Z"]),
    ("@daily", "@daily", "", "2026-12-07T10:00:00Z",
     ["2026-12-08T00:00:00Z", "2026-12-09T00:00:00Z", "2026-12-10T00:00:00Z"]),
    ("@weekly is Sunday", "@weekly", "", "2026-12-07T10:00:00Z",
     ["2026-12-13T00:00:00Z", "2026-12-20T00:00:00Z", "2026-12-27T00:00:00Z"]),
    ("@monthly", "@monthly", "", "2026-12-07T10:00:00Z",
     ["2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z"]),
    ("@yearly", "@yearly", "", "2026-12-07T10:00:00Z",
     ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"]),
    ("@every 90m", "@every 90m", "", "2026-12-07T10:00:00Z",
     ["2026-12-07T11:30:00Z", "2026-12-07T13:00:00Z", "2026-12-07T14:30:00Z"]),
    ("dom or dow when both restricted", "0 0 1 * mon", "", "2026-12-01T00:00:00Z",
     ["2026-12-07T00:00:00Z", "2026-12-14T00:00:00Z", "2026-12-21T00:00:00Z"]),
    ("names", "0 12 * jan,feb sun", "", "2026-12-07T00:00:00Z",
     ["2027-01-03T12:00:00Z", "2027-01-10T12:00:00Z", "2027-01-17T12:00:00Z"]),
    ("leap day", "0 0 29 2 *", "", "2026-12-07T00:00:00Z",
     ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", None]),
    # New York springs forward on 2026-03-08 (02:00 -> 03:00): 02:30 does not exist, no run that day
    ("timezone, spring forward", "30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z",
     ["2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z", "2026-03-11T06:30:00Z"]),
    # ... and falls back on 2026-11-01 (02:00 -> 01:00): 01:30 happens twice, robfig runs both
    ("timezone, fall back", "30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z",
     ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z"]),
    ("CRON_TZ prefix", "CRON_TZ=Asia/Tokyo 0 9 * * *", "", "2026-12-07T00:00:00Z",
     ["2026-12-08T00:00:00Z", "2026-12-09T00:00:00Z", "2026-12-10T00:00:00Z"]),
]


@pytest.mark.parametrize(("line", "zone", "after", "expected"), [c[1:] for c in NEXT_CASES],
                         ids=[c[0] for c in NEXT_CASES])
def test_next_activations(line: str, zone: str, after: str, expected: list[str | None]) -> None:
    schedule = parse(line, zone)
    moment: datetime | None = at(after)
    got = []
    for _ in expected:
        moment = next_time(schedule, moment) if moment is not None else None
        if moment is not None and moment.year > 2035:
            moment = None
        got.append(moment)
    assert got == [at(e) if e else None for e in expected]


@pytest.mark.parametrize(("line", "message"), [
    ("* * * *", "expected exactly 5 fields, found 4: ['*', '*', '*', '*']"),
    ("60 * * * *", "end of range (60) above maximum (59): 60"),
    ("* * * * 7", "end of range (7) above maximum (6): 7"),
    ("5-2 * * * *", "beginning of range (5) beyond end of range (2): 5-2"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ("CRON_TZ=Mars/Base * * * * *", "provided bad location Mars/Base: unknown time zone Mars/Base"),
])
def test_rejected_lines_with_robfigs_messages(line: str, message: str) -> None:
    assert schedule_error(line) == message
    with pytest.raises(ScheduleError):
        parse(line)


def test_several_schedules_next_run_and_activations() -> None:
    spec = cron(schedules=["0 * * * *", "30 * * * *"])["spec"]
    assert next_run(spec, T0) == T0 + timedelta(minutes=30)
    assert activations(spec, T0, T0 + timedelta(hours=1)) == [T0 + timedelta(minutes=30), T0 + timedelta(hours=1)]
    legacy = {"schedule": "15 * * * *"}
    assert next_run(legacy, T0) == T0 + timedelta(minutes=15)


# ---- due: (case, spec changes, lastScheduledTime, now, expected scheduled time or None) --------------
DUE_CASES = [
    ("on time", {}, None, "2026-12-07T10:00:05Z", "2026-12-07T10:00:00Z"),
    ("59 s late is on time", {}, None, "2026-12-07T10:00:59Z", "2026-12-07T10:00:00Z"),
    ("already run", {}, "2026-12-07T10:00:00Z", "2026-12-07T10:00:30Z", None),
    ("missed, no deadline: skipped", {"schedules": ["0 * * * *"]}, "2026-12-07T09:00:00Z",
     "2026-12-07T10:05:00Z", None),
    ("missed inside startingDeadlineSeconds: runs once", {"schedules": ["0 * * * *"], "startingDeadlineSeconds": 600},
     "2026-12-07T08:00:00Z", "2026-12-07T10:05:00Z", "2026-12-07T10:00:00Z"),
    ("missed outside startingDeadlineSeconds", {"schedules": ["0 * * * *"], "startingDeadlineSeconds": 60},
     "2026-12-07T09:00:00Z", "2026-12-07T10:05:00Z", None),
    ("several schedules: the latest", {"schedules": ["0 * * * *", "2 * * * *"]}, None, "2026-12-07T10:02:10Z",
     "2026-12-07T10:02:00Z"),
    ("timezone", {"schedules": ["0 11 * * *"], "timezone": "Europe/Paris"}, None, "2026-12-07T10:00:20Z",
     "2026-12-07T10:00:00Z"),
]


@pytest.mark.parametrize(("changes", "last", "now", "expected"), [c[1:] for c in DUE_CASES],
                         ids=[c[0] for c in DUE_CASES])
def test_due(changes: JSON, last: str | None, now: str, expected: str | None) -> None:
    obj = cron(**changes, status={"lastScheduledTime": last} if last else {})
    assert core.due(obj, at(now)) == (at(expected) if expected else None)


def test_a_changed_schedule_does_not_make_up_missed_runs() -> None:
    obj = cron(schedules=["0 * * * *"], startingDeadlineSeconds=600, status={"lastScheduledTime": "2026-12-07T08:00:00Z"})
    now = at("2026-12-07T10:05:00Z")
    assert core.due(obj, now) == at("2026-12-07T10:00:00Z")
    ran = core.decide(obj, at("2026-12-07T08:00:00Z")).cron
    assert ran["metadata"]["annotations"]["cronworkflows.argoproj.io/last-used-schedule"] == "0 * * * *"
    ran["spec"]["schedules"] = ["0 */2 * * *"]
    ran["status"]["lastScheduledTime"] = "2026-12-07T07:00:00Z"
    assert core.due(ran, now) is None


def test_nothing_due_before_creation() -> None:
    obj = cron()
    obj["metadata"]["creationTimestamp"] = "2026-12-07T10:00:30Z"
    assert core.due(obj, at("2026-12-07T10:00:40Z")) is None
    assert core.due(obj, at("2026-12-07T10:01:00Z")) == at("2026-12-07T10:01:00Z")


# ---- decide ----------------------------------------------------------------------------------------
def test_run_creates_argos_workflow_and_status() -> None:
    obj = cron(workflowMetadata={"labels": {"extra": "1"}, "annotations": {"note": "n"}})
    obj["metadata"]["uid"] = "u-1"
    obj["metadata"]["labels"]["workflows.argoproj.io/creator"] = "alice"
    decision = core.decide(obj, T0)
    assert decision.run and decision.terminate == ()
    created = decision.workflow
    assert created is not None
    assert created["metadata"]["name"] == workflow_name("nightly", T0) == "nightly-1796637600"
    assert created["metadata"]["labels"] == {"workflows.argoproj.io/cron-workflow": "nightly",
                                             "workflows.argoproj.io/creator": "alice", "extra": "1"}
    assert created["metadata"]["annotations"] == {"workflows.argoproj.io/scheduled-time": "2026-12-07T10:00:00Z",
                                                  "note": "n"}
    assert created["metadata"]["ownerReferences"][0]["kind"] == "CronWorkflow"
    assert created["spec"] == obj["spec"]["workflowSpec"]
    status = decision.cron["status"]
    assert status["phase"] == "Active" and status["lastScheduledTime"] == "2026-12-07T10:00:00Z"
    assert [ref["name"] for ref in status["active"]] == ["nightly-1796637600"]


POLICY_CASES = [
    ("Allow with one running", "Allow", True, ()),
    ("Forbid with one running", "Forbid", False, ()),
    ("Replace with one running", "Replace", True, ("nightly-1",)),
]


@pytest.mark.parametrize(("policy", "runs", "terminate"), [c[1:] for c in POLICY_CASES],
                         ids=[c[0] for c in POLICY_CASES])
def test_concurrency_policy(policy: str, runs: bool, terminate: tuple[str, ...]) -> None:
    reconciled = core.reconcile(cron(concurrencyPolicy=policy), [wf("nightly-1", "Running")]).cron
    decision = core.decide(reconciled, T0)
    assert decision.run is runs and decision.terminate == terminate


def test_unknown_concurrency_policy_is_a_submission_error() -> None:
    decision = core.decide(cron(concurrencyPolicy="Sometimes"), T0)
    assert not decision.run
    assert decision.cron["status"]["conditions"][0]["type"] == "SubmissionError"
    assert decision.cron["status"]["failed"] == 1


WHEN_CASES = [
    ("plain true", "true", {}, True),
    ("plain false", "1 > 2", {}, False),
    ("name tag", "'{{cronworkflow.name}}' == 'nightly'", {}, True),
    ("expression on failed", "{{= cronworkflow.failed < 2 }}", {"failed": 2}, False),
    ("never ran", "{{= cronworkflow.lastScheduledTime == nil }}", {}, True),
]


@pytest.mark.parametrize(("when", "status", "runs"), [c[1:] for c in WHEN_CASES], ids=[c[0] for c in WHEN_CASES])
def test_when(when: str, status: JSON, runs: bool) -> None:
    decision = core.decide(cron(when=when, status=status), T0)
    assert decision.run is runs
    if not runs:
        assert decision.reason == "`when` is false"


def test_suspended_does_not_run() -> None:
    decision = core.decide(cron(suspend=True), T0)
    assert not decision.run and decision.reason == "suspended"


def test_reconcile_counts_finished_and_keeps_running() -> None:
    obj = cron(status={"active": [{"name": "nightly-1"}, {"name": "nightly-2"}, {"name": "gone"}]})
    result = core.reconcile(obj, [wf("nightly-1", "Succeeded"), wf("nightly-2", "Running"),
                                  wf("nightly-3", "Pending"), wf("other-1", "Running", owner="other")])
    status = result.cron["status"]
    assert status["succeeded"] == 1 and "failed" not in status
    assert [ref["name"] for ref in status["active"]] == ["nightly-2", "nightly-3"]


HISTORY_CASES = [
    ("defaults keep 3 succeeded, 1 failed", {}, ["nightly-s1", "nightly-f1", "nightly-f2"]),
    ("limits 1 and 0", {"successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 0},
     ["nightly-s1", "nightly-s2", "nightly-s3", "nightly-f1", "nightly-f2", "nightly-f3"]),
    ("large limits", {"successfulJobsHistoryLimit": 10, "failedJobsHistoryLimit": 10}, []),
]


@pytest.mark.parametrize(("limits", "deleted"), [c[1:] for c in HISTORY_CASES], ids=[c[0] for c in HISTORY_CASES])
def test_history_limits(limits: JSON, deleted: list[str]) -> None:
    workflows = [wf(f"nightly-s{i}", "Succeeded", f"2026-12-07T0{i}:00:00Z") for i in range(1, 5)]
    workflows += [wf(f"nightly-f{i}", "Failed" if i != 2 else "Error", f"2026-12-07T0{i}:00:00Z")
                  for i in range(1, 4)]
    assert sorted(core.reconcile(cron(**limits), workflows).delete) == sorted(deleted)


def test_stop_strategy_stops_the_cron() -> None:
    obj = cron(stopStrategy={"expression": "cronworkflow.failed >= 2"},
               status={"failed": 1, "active": [{"name": "nightly-1"}]})
    reconciled = core.reconcile(obj, [wf("nightly-1", "Failed")]).cron
    assert reconciled["status"]["phase"] == "Stopped"
    assert reconciled["metadata"]["labels"]["workflows.argoproj.io/cron-workflow-completed"] == "true"
    decision = core.decide(reconciled, T0)
    assert not decision.run and decision.reason.startswith("stopped")


def test_stop_strategy_not_met_runs() -> None:
    obj = cron(stopStrategy={"expression": "cronworkflow.succeeded >= 5"}, status={"succeeded": 4})
    assert core.decide(obj, T0).run


def _brute_force_next(line: str, after: datetime) -> datetime:
    """The first minute after ``after`` whose fields match (cron's definition, day-of-month OR
    day-of-week when both are restricted), found by walking minute by minute."""
    minute_f, hour_f, dom_f, month_f, dow_f = line.split()

    def values(field: str, low: int, high: int) -> set[int]:
        found: set[int] = set()
        for part in field.split(","):
            base, _, step = part.partition("/")
            start, end = (low, high) if base == "*" else (int(base.split("-")[0]), int(base.split("-")[-1]))
            if step and "-" not in base and base != "*":
                end = high
            found.update(range(start, end + 1, int(step or 1)))
        return found

    minutes, hours = values(minute_f, 0, 59), values(hour_f, 0, 23)
    doms, months, dows = values(dom_f, 1, 31), values(month_f, 1, 12), values(dow_f, 0, 6)
    star = dom_f.startswith("*") or dow_f.startswith("*")
    moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while True:
        day = moment.day in doms
        weekday = (moment.weekday() + 1) % 7 in dows
        if (moment.minute in minutes and moment.hour in hours and moment.month in months
                and ((day and weekday) if star else (day or weekday))):
            return moment
        moment += timedelta(minutes=1)


@pytest.mark.parametrize("line", ["*/7 * * * *", "5,35 */5 * * *", "0 9-17 * * 1-5", "15 3 1,15 * *",
                                  "0 0 13 * 5", "*/20 2 * 2,3 *", "30 */3 10-20 * 0,6"])
@pytest.mark.parametrize("start", ["2026-01-30T23:59:30Z", "2026-02-28T12:34:00Z", "2026-12-31T22:00:00Z"])
def test_next_agrees_with_a_brute_force_walk(line: str, start: str) -> None:
    schedule = parse(line)
    moment = at(start)
    for _ in range(5):
        expected = _brute_force_next(line, moment)
        assert next_time(schedule, moment) == expected
        moment = expected
