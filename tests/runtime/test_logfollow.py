"""``argoctl.runtime.logfollow``: the ``logs -f`` loop on an injected clock, with logs in a real
local store; each line is emitted once, in pod start order, until the workflow completes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from argoctl.model.workflow import WorkflowState
from argoctl.runtime.logfollow import LogFilter, LogFollower
from argoctl.runtime.settings import GlobalOptions
from argoctl.runtime.wiring import Wiring

NAME = "wf"


class StepClock:
    """No waiting: each sleep runs the next of ``steps`` (the world moving on)."""

    def __init__(self, steps: list[Callable[[], None]]) -> None:
        self.steps, self.sleeps = steps, 0

    def time(self) -> float:
        return 0.0

    def monotonic(self) -> float:
        return float(self.sleeps)

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.steps.pop(0)()


def _state(phase: str) -> WorkflowState:
    nodes: dict[str, Any] = {
        f"{NAME}-{i}": {"id": f"{NAME}-{i}", "name": f"{NAME}.{pod}", "displayName": pod, "type": "Pod",
                        "phase": "Running", "startedAt": f"2026-01-01T00:00:0{i}Z"}
        for i, pod in ((2, "late"), (1, "early"))}
    state = WorkflowState.from_wire({"metadata": {"name": NAME}, "spec": {"entrypoint": "main"},
                                     "status": {"phase": phase, "nodes": nodes}})
    for node in state.nodes.values():
        node.extra["pod"] = f"pod-{node.display_name}"
    return state


@pytest.fixture
def wiring(tmp_path: Path) -> Wiring:
    env = {"ARGOCTL_HOME": str(tmp_path / "home"), "HOME": str(tmp_path)}
    return Wiring.from_options(GlobalOptions(backend="local"), environ=env, notices=lambda _: None)


def _log(wiring: Wiring, pod: str, *lines: str) -> None:
    wiring.store().append_log(NAME, pod, "main", "".join(f"2026-01-01T00:00:00Z {line}\n" for line in lines))


def test_follow_emits_each_new_line_once_until_the_workflow_completes(wiring: Wiring) -> None:
    phase = ["Running"]
    _log(wiring, "pod-early", "e1")
    _log(wiring, "pod-late", "l1")

    def finish() -> None:
        _log(wiring, "pod-early", "e2")
        phase[0] = "Succeeded"

    steps: list[Callable[[], None]] = [lambda: _log(wiring, "pod-late", "l2"), finish]
    clock = StepClock(steps)
    seen: list[str] = []
    final = LogFollower(wiring, clock=clock).stream(
        lambda: _state(phase[0]), LogFilter(), lines=lambda text: text.splitlines(),
        emit=lambda pod, line: seen.append(f"{pod}: {line.split(' ', 1)[1]}"), follow=True)
    assert final.phase == "Succeeded" and clock.sleeps == 2
    assert seen == ["pod-early: e1", "pod-late: l1", "pod-late: l2", "pod-early: e2"]


def test_without_follow_it_looks_once_and_the_filter_picks_the_pod(wiring: Wiring) -> None:
    _log(wiring, "pod-early", "e1")
    _log(wiring, "pod-late", "l1")
    seen: list[tuple[str, str]] = []
    clock = StepClock([])
    LogFollower(wiring, clock=clock).stream(lambda: _state("Running"), LogFilter(pod="late"),
                                            lines=lambda text: text.splitlines(),
                                            emit=lambda pod, line: seen.append((pod, line)), follow=False)
    assert seen == [("pod-late", "2026-01-01T00:00:00Z l1")] and clock.sleeps == 0
