"""The artifact benchmark runs end to end (tiny size, no timing assertions)."""

from __future__ import annotations

import pytest

from benchmarks.bench_artifacts import main


@pytest.mark.s3
def test_benchmark_prints_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--size-mb", "1", "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines[2:]]
    assert {(r[0], r[1], r[2]) for r in rows} >= {("model", "local", "copy"), ("model", "s3", "s3"),
                                                   ("text", "local", "copy")}
    assert all(r[-1].endswith("x") and float(r[-1][:-1]) > 0 for r in rows)
