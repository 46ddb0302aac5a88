"""What every benchmark's output must hold, whatever its figures: the load average before and
after, then at least one goal line with its verdict, last (``benchmarks/report.py``)."""

from __future__ import annotations

import re

from benchmarks.report import GOAL, LOAD


def goal_lines(out: str) -> list[re.Match[str]]:
    """The goal lines of ``out``, after checking the load lines around the figures."""
    lines = out.splitlines()
    loads = [(i, m["when"]) for i, m in enumerate(map(LOAD.match, lines)) if m]
    assert [when for _, when in loads] == ["start", "end"], out
    goals = [(i, m) for i, m in enumerate(map(GOAL.match, lines)) if m]
    assert goals, f"no goal line in:\n{out}"
    assert [i for i, _ in goals] == list(range(len(lines) - len(goals), len(lines))), "goal lines come last"
    assert loads[0][0] < loads[1][0] < goals[0][0]
    return [m for _, m in goals]
