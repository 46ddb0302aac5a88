"""``argoctl.runtime.supervise``: the follow loop on an injected clock, and who says "taking over".

A real local store and backend; the workflow's one step is skipped (``when: false``), so driving
it starts no process. Leases are real: a holder on another host is alive, a pid of this host that
does not exist is dead.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from argoctl.engine.types import Suspend
from argoctl.runtime.settings import GlobalOptions
from argoctl.runtime.submit import SubmitOptions, prepare
from argoctl.runtime.supervise import Supervisor
from argoctl.runtime.wiring import Wiring

NAME = "watched"
MANIFEST = {
    "metadata": {"name": NAME},
    "spec": {"entrypoint": "main", "templates": [
        {"name": "main", "steps": [[{"name": "never", "template": "noop", "when": "false"}]]},
        {"name": "noop", "container": {"image": "alpine", "command": ["true"]}}]},
}
DEAD_PID = 4_000_000  # above Linux's pid_max: no such process on this host


class StepClock:
    """Time that jumps ``ahead`` seconds past the wall clock; each sleep runs ``on_sleep``."""

    def __init__(self, ahead: float, on_sleep: Callable[[], None] | None = None) -> None:
        self.ahead, self.sleeps, self.on_sleep = ahead, 0, on_sleep

    def time(self) -> float:
        return time.time() + self.ahead

    def monotonic(self) -> float:
        return float(self.sleeps)

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        if self.on_sleep is not None:
            self.on_sleep()
        assert self.sleeps < 50, "the follow loop did not end"


@pytest.fixture
def wiring(tmp_path: Path) -> Wiring:
    env = {"ARGOCTL_HOME": str(tmp_path / "home"), "HOME": str(tmp_path)}
    built = Wiring.from_options(GlobalOptions(backend="local"), environ=env, notices=lambda _: None)
    built.store().create_workflow(prepare(MANIFEST, SubmitOptions(), namespace="default", now=datetime.now(UTC)))
    return built


def _finish(wiring: Wiring) -> None:
    workflow = wiring.store().get_workflow(NAME)
    workflow["status"] = {**(workflow.get("status") or {}), "phase": "Succeeded"}
    wiring.store().update_workflow(workflow)


def test_the_process_that_takes_the_lease_over_says_so(wiring: Wiring) -> None:
    wiring.store().acquire_lease(NAME, f"{socket.gethostname()}:{DEAD_PID}", 15.0, time.time())
    said: list[str] = []
    state = Supervisor(wiring, report=said.append, clock=StepClock(0)).drive(NAME)
    assert state.phase == "Succeeded"
    assert said == [f"argoctl: taking over workflow {NAME}: its driver is gone"]


def test_a_follower_that_loses_the_race_says_nothing(wiring: Wiring) -> None:
    # the lease looks expired to this follower's clock, but the store (wall clock) still sees it held
    wiring.store().acquire_lease(NAME, "another-host:1", 15.0, time.time())
    said: list[str] = []
    clock = StepClock(ahead=100, on_sleep=lambda: _finish(wiring))
    state = Supervisor(wiring, report=said.append, clock=clock).drive(NAME)
    assert state.phase == "Succeeded" and said == [] and clock.sleeps == 1


def test_follow_shows_each_new_version_once(wiring: Wiring) -> None:
    wiring.store().acquire_lease(NAME, "another-host:1", 15.0, time.time())
    seen: list[str] = []
    steps: list[Callable[[], None]] = [lambda: None, lambda: None, lambda: _finish(wiring)]
    clock = StepClock(0, on_sleep=lambda: steps.pop(0)())
    Supervisor(wiring, report=seen.append, clock=clock).follow(NAME, lambda s: seen.append(s.phase or "-"))
    assert seen == ["-", "Succeeded"] and clock.sleeps == 3


def test_a_command_is_queued_and_a_live_driver_is_left_alone(wiring: Wiring) -> None:
    from argoctl.runtime import commands

    wiring.store().acquire_lease(NAME, "another-host:1", 15.0, time.time())
    supervisor = Supervisor(wiring, report=lambda _: None, clock=StepClock(0))
    state = supervisor.load(NAME)
    supervisor.deliver(state, Suspend(), "2026-01-01T00:00:00Z")
    assert [type(e).__name__ for e in commands.pending(wiring.store(), NAME)] == ["Suspend"]
