"""bench_archive: a small run writes and lists through both stores and prints the list goals."""

from __future__ import annotations

import pytest

from benchmarks import bench_archive
from tests.benchmarks.reports import goal_lines


@pytest.mark.s3
def test_small_run_prints_ratios_and_a_list_goal_per_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_archive.main(["--count", "12"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.startswith(("s3 ", "local "))]
    assert {(r[0], r[1]) for r in rows} == {("s3", "write"), ("s3", "list"), ("local", "write"), ("local", "list")}
    assert all(r[4].endswith("x") and float(r[4][:-1]) > 0 for r in rows)
    goals = goal_lines(out)
    assert [g["what"] for g in goals] == ["s3 list of 12 archived workflows < 1 s",
                                          "local list of 12 archived workflows < 1 s"]
