"""``argoctl cron``: argo's verbs and outputs, ``trigger``, the local scheduler and ``backfill``."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli.conftest import Cli, assert_golden, manifest, normalize

CRON_LABEL = "workflows.argoproj.io/cron-workflow"
FROM_NOW = re.compile(r"\((?:now|\d+ \w+ from now|an? \w+ from now)\)")


def _normalize(text: str) -> str:
    return normalize.text(FROM_NOW.sub("(<AGO>)", text))


def _next_minute(seconds: int = 5) -> datetime:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now + timedelta(minutes=1, seconds=seconds)


def test_cron_create_list_get_suspend_resume_delete(cli: Cli) -> None:
    created = cli.ok("cron", "create", manifest("cron.yaml"), "-p", "msg=overridden", "-l", "team=ml")
    assert created.startswith("Name:                          hello\n")
    assert_golden("cron-list.txt", _normalize(cli.ok("cron", "list")))
    assert_golden("cron-get.txt", _normalize(cli.ok("cron", "get", "hello")))
    assert cli.ok("cron", "list", "-o", "name") == "hello\n"
    assert cli.ok("cron", "list", "-l", "team=other") == "NAME   AGE   LAST RUN   NEXT RUN   SCHEDULES   TIMEZONE   SUSPENDED\n"
    obj = json.loads(cli.ok("cron", "get", "hello", "-o", "json"))
    assert obj["metadata"]["labels"] == {"team": "ml"}
    assert obj["spec"]["workflowSpec"]["arguments"]["parameters"] == [{"name": "msg", "value": "overridden"}]
    again = cli("cron", "create", manifest("cron.yaml"))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert cli.ok("cron", "suspend", "hello") == "CronWorkflow 'hello' suspended\n"
    assert "hello   <D>" in normalize.text(cli.ok("cron", "list"))
    assert cli.ok("cron", "list").rstrip().endswith("true")
    assert cli.ok("cron", "resume", "hello") == "CronWorkflow 'hello' resumed\n"
    assert cli.ok("cron", "update", manifest("cron.yaml"), "-o", "name") == "hello\n"
    assert cli.ok("cron", "delete", "hello") == 'CronWorkflow "hello" deleted\n'
    missing = cli("cron", "get", "hello")
    assert missing.returncode != 0 and 'cronworkflows.argoproj.io "hello" not found' in missing.stderr


def test_cron_create_rejects_a_bad_schedule(cli: Cli) -> None:
    result = cli("cron", "create", manifest("cron.yaml"), "--schedule", "61 * * * *")
    assert result.returncode == 2
    assert "61" in result.stderr and "Traceback" not in result.stderr


def test_cron_run_once_at_a_chosen_time_creates_argos_workflow(cli: Cli) -> None:
    cli.ok("cron", "create", manifest("cron.yaml"))
    fire = _next_minute()
    scheduled = fire.replace(second=0)
    out = cli.ok("cron", "run", "--once", "--now", fire.strftime("%Y-%m-%dT%H:%M:%SZ"))
    name = f"hello-{int(scheduled.timestamp())}"
    assert f"created workflow {name}" in out
    cli.ok("wait", name)
    wf = cli.workflow(name)
    assert wf["status"]["phase"] == "Succeeded"
    assert wf["metadata"]["labels"][CRON_LABEL] == "hello"
    assert wf["metadata"]["annotations"]["workflows.argoproj.io/scheduled-time"] == scheduled.strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert cli.ok("logs", name, "--no-prefix") == f"hi at {scheduled.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
    # the same minute again: nothing (lastScheduledTime); the status counts the finished run
    assert "created" not in cli.ok("cron", "run", "--once", "--now", fire.strftime("%Y-%m-%dT%H:%M:%SZ"))
    status = json.loads(cli.ok("cron", "get", "hello", "-o", "json"))["status"]
    assert status["lastScheduledTime"] == scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert status["succeeded"] == 1 and "active" not in status


def test_cron_trigger_wait_and_forbid(cli: Cli) -> None:
    cli.ok("cron", "create", manifest("cron.yaml"))
    name = cli.ok("cron", "trigger", "hello", "--scheduled-time", "2026-01-01T00:00:00Z", "--wait").strip()
    assert name == "hello-1767225600"
    status = json.loads(cli.ok("cron", "get", "hello", "-o", "json"))["status"]
    assert status["succeeded"] == 1 and status["phase"] == "Active"
    repeat = cli("cron", "trigger", "hello", "--scheduled-time", "2026-01-01T00:00:00Z")
    assert repeat.returncode == 0 and repeat.stdout == ""
    assert "no run" in repeat.stderr


def test_one_scheduler_per_store_and_sigterm_stops_it(cli: Cli) -> None:
    cli.ok("cron", "create", manifest("cron.yaml"))
    process = subprocess.Popen([sys.executable, "-m", "argoctl", "cron", "run"], cwd=cli.work, env=cli.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # wait until the scheduler holds its lease: a `--once` run started before would take it
        # first and the scheduler would (rightly) refuse to start
        lease = cli.home / "namespaces" / "default" / "leases" / "argoctl-cron-scheduler.json"
        cli.until(lambda: lease.is_file() and lease.read_text().find(f":{process.pid}\"") > 0,
                  "the scheduler's lease")
        second = cli("cron", "run", "--once")
        assert second.returncode == 3, "a second scheduler was allowed over the same store"
        assert "another cron scheduler runs over this store" in second.stderr
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert cli("cron", "run", "--once").returncode == 0  # the lease was released


@pytest.mark.slow
def test_cron_run_fires_every_minute_cron_within_65_seconds(cli: Cli) -> None:
    cli.ok("cron", "create", manifest("cron.yaml"))
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "argoctl", "cron", "run"], cwd=cli.work, env=cli.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        names: list[str] = []

        def fired() -> bool:
            names[:] = [w["metadata"]["name"] for w in json.loads(cli.ok("list", "-o", "json"))]
            return bool(names)

        cli.until(fired, "a workflow from the scheduler", timeout=65)
        assert time.monotonic() - started <= 65
        assert re.fullmatch(r"hello-\d+", names[0])
        cli.ok("wait", names[0])
        assert cli.workflow(names[0])["status"]["phase"] == "Succeeded"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def test_cron_backfill(cli: Cli) -> None:
    cli.ok("cron", "create", manifest("cron.yaml"))
    out = cli.ok("cron", "backfill", "hello", "--name", "bf", "--start", "Mon, 07 Dec 2026 00:00:00 UTC",
                 "--end", "Mon, 07 Dec 2026 00:02:00 UTC")
    assert "Created bf Backfill task for Cronworkflow hello \n" in out
    assert "Total Backfill Schedule: 3 \n" in out
    names = re.findall(r"^\d\. default \t (hello-backfill-bf-\w+) $", out, re.MULTILINE)
    assert len(names) == 3
    for name in names:
        cli.ok("wait", name)
        wf = cli.workflow(name)
        assert wf["status"]["phase"] == "Succeeded"
        assert wf["metadata"]["labels"][CRON_LABEL] == "hello"
        assert wf["metadata"]["labels"]["workflows.argoproj.io/cron-workflow-backfill"] == "hello"
    values = sorted(p["value"] for n in names for p in cli.workflow(n)["spec"]["arguments"]["parameters"]
                    if p["name"] == "cronScheduleTime")
    assert values == ["2026-12-07 00:00:00 +0000 UTC", "2026-12-07 00:01:00 +0000 UTC",
                      "2026-12-07 00:02:00 +0000 UTC"]


def test_a_restarted_cronjob_trigger_takes_over_its_run(cli: Cli) -> None:
    cli.ok("cron", "create", manifest("cron.yaml"))
    job = "hello-29461760"  # as Kubernetes names a CronJob's Job: minutes since the epoch
    first = cli("cron", "trigger", "hello", "--wait", "--job", job)
    assert first.returncode == 0 and first.stdout == "hello-1767705600\n", first.stderr
    again = cli("cron", "trigger", "hello", "--wait", "--job", job)
    assert again.returncode == 0 and again.stdout == "hello-1767705600\n"
    assert "taking over hello-1767705600" in again.stderr
    assert [w["metadata"]["name"] for w in json.loads(cli.ok("list", "-o", "json"))] == ["hello-1767705600"]


def test_cron_list_all_namespaces(cli: Cli) -> None:
    cli.ok("cron", "create", manifest("cron.yaml"))
    cli.ok("-n", "team", "cron", "create", manifest("cron.yaml"), "--name", "nightly")
    assert cli.ok("cron", "list", "-o", "name") == "hello\n"
    rows = [line.split()[:2] for line in cli.ok("cron", "list", "-A").splitlines()]
    assert rows == [["NAMESPACE", "NAME"], ["default", "hello"], ["team", "nightly"]]
