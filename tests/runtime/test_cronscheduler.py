"""``argoctl.runtime.cronscheduler``: the local scheduler's tick, loop and lease over a real local
store, with a pretended time (no waiting on the wall clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from argoctl.errors import StoreError
from argoctl.runtime import crons
from argoctl.runtime.cronscheduler import SCHEDULER_LEASE, Scheduler, seconds_to_next_minute
from argoctl.runtime.settings import GlobalOptions
from argoctl.runtime.wiring import Wiring

FIRE = datetime(2030, 1, 1, 12, 0, 5, tzinfo=UTC)
CRON: dict[str, Any] = {
    "apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow",
    "metadata": {"name": "every-minute", "creationTimestamp": "2029-12-31T00:00:00Z"},
    "spec": {"schedules": ["* * * * *"], "workflowSpec": {"entrypoint": "main", "templates": [
        {"name": "main", "container": {"image": "alpine", "command": ["true"]}}]}},
}


@pytest.fixture
def wiring(tmp_path: Path) -> Wiring:
    env = {"ARGOCTL_HOME": str(tmp_path / "home"), "HOME": str(tmp_path)}
    built = Wiring.from_options(GlobalOptions(backend="local"), environ=env, notices=lambda _: None)
    crons.apply(built, CRON)
    return built


def _scheduler(wiring: Wiring, out: list[str], created: list[str]) -> Scheduler:
    return Scheduler(wiring, out=out.append, err=out.append, now=lambda: FIRE, on_created=created.append)


def test_a_tick_creates_the_due_run_once(wiring: Wiring) -> None:
    out: list[str] = []
    created: list[str] = []
    scheduler = _scheduler(wiring, out, created)
    scheduler.tick()
    name = f"every-minute-{int(FIRE.replace(second=0).timestamp())}"
    assert created == [name] and out == [f"2030-01-01T12:00:00+00:00 every-minute: created workflow {name}"]
    assert scheduler.tick() == [] and created == [name]  # the same minute again: nothing due
    stored = crons.get_cron(wiring, "every-minute")["status"]
    assert stored["lastScheduledTime"] == "2030-01-01T12:00:00Z" and stored["active"]


def test_run_holds_the_lease_until_stopped_and_a_second_scheduler_is_refused(wiring: Wiring) -> None:
    out: list[str] = []
    scheduler = _scheduler(wiring, out, [])
    other = _scheduler(wiring, out, [])
    other.holder = "another-host:1"  # a scheduler in another process

    def created(name: str) -> None:
        with pytest.raises(StoreError, match="another cron scheduler"):
            other.run(once=True)
        scheduler.stop()  # the loop's wait ends at once

    scheduler.on_created = created
    scheduler.run()
    assert wiring.store().get_lease(SCHEDULER_LEASE) is None  # released on the way out
    other.run(once=True)


@pytest.mark.parametrize("second, want", [(5, 15.0), (50, 11.0), (59, 2.0)])
def test_the_scheduler_wakes_a_second_past_the_minute_and_at_least_every_15_s(second: int, want: float) -> None:
    assert seconds_to_next_minute(FIRE.replace(second=second)) == want
