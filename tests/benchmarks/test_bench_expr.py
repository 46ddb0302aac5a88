"""bench_expr: the quick mode prints every rate and the goal with its verdict (no speed asserted)."""

from __future__ import annotations

import re

import pytest

from benchmarks import bench_expr
from tests.benchmarks.reports import goal_lines

ROW = re.compile(r"^(?P<label>\S.*?)\s+(?P<rate>[\d,]+)\s+(?P<ratio>[\d.]+)$")


def test_quick_mode_prints_rates_and_the_goal(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_expr.main(["--quick"]) == 0
    out = capsys.readouterr().out
    rows = {m["label"]: int(m["rate"].replace(",", "")) for m in map(ROW.match, out.splitlines()) if m}
    assert set(rows) == {"no-op baseline (call with the same arguments)",
                         "when: 2 tags + numeric comparison (cached)", "when: 2 tags + numeric comparison (new text)",
                         "{{= }} tag with jsonpath (cached)", "{{= }} tag with jsonpath (new text)"}
    assert all(rate > 0 for rate in rows.values())
    [goal] = goal_lines(out)
    assert goal["what"] == "when, new text >= 10,000 evals/s"
    assert goal["measured"] == f"{rows['when: 2 tags + numeric comparison (new text)']:,} evals/s"
