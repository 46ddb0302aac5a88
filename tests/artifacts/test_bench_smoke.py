"""The artifact benchmark runs end to end (tiny size, no timing assertions)."""

from __future__ import annotations

import pytest

from benchmarks.bench_artifacts import main
from tests.benchmarks.reports import goal_lines


@pytest.mark.s3
def test_benchmark_prints_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--size-mb", "1", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.startswith(("model ", "text "))]
    assert {(r[0], r[1], r[2]) for r in rows} >= {("model", "local", "copy"), ("model", "s3", "s3"),
                                                   ("text", "local", "copy")}
    assert all(r[-1].endswith("x") and float(r[-1][:-1]) > 0 for r in rows)
    goals = goal_lines(out)
    assert [g["what"] for g in goals] == ["model through local <= 2x copy", "model through s3 <= 2x s3 put+get",
                                          "text through local <= 2x copy", "text through s3 <= 2x s3 put+get"]
