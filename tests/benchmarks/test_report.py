"""benchmarks/report.py: the shapes every benchmark prints, and the check the smoke tests share."""

from __future__ import annotations

import pytest

from benchmarks.report import GOAL, LOAD, goal_line, load_line
from tests.benchmarks.reports import goal_lines


def test_load_line_shows_the_three_load_averages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.getloadavg", lambda: (1.5, 0.25, 12.0))
    line = load_line("start")
    assert line.startswith("load average at start: 1.50 0.25 12.00 (1, 5, 15 min; ")
    assert LOAD.match(line)


@pytest.mark.parametrize(("ok", "verdict"), [(True, "ok"), (False, "MISS")])
def test_goal_line_says_what_was_measured_and_whether_it_holds(ok: bool, verdict: str) -> None:
    line = goal_line("per step <= 1.5x a docker run --rm", "1.62x", ok)
    assert line == f"goal: per step <= 1.5x a docker run --rm: 1.62x {verdict}"
    match = GOAL.match(line)
    assert match and (match["what"], match["measured"], match["verdict"]) == (
        "per step <= 1.5x a docker run --rm", "1.62x", verdict)


def test_the_shared_check_refuses_output_without_loads_or_a_final_goal() -> None:
    start, end = load_line("start"), load_line("end")
    good = "\n".join([start, "figure 1.0", end, goal_line("x <= 2x y", "1.0x", True)])
    assert [m["verdict"] for m in goal_lines(good)] == ["ok"]
    for bad in ([start, "figure", end],  # no goal
                ["figure", end, goal_line("x", "1", True)],  # no load at start
                [start, end, goal_line("x", "1", True), "figure"]):  # goal not last
        with pytest.raises(AssertionError):
            goal_lines("\n".join(bad))
