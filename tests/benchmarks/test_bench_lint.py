"""bench_lint: its manifests lint clean at any size and it prints its figures (no timing asserted)."""

from __future__ import annotations

import pytest

from argoctl.parse import parse_documents
from argoctl.validate import validate_document
from benchmarks import bench_lint
from tests.benchmarks.reports import goal_lines


@pytest.mark.parametrize("size", [3, 30, 301])
def test_generated_manifest_has_the_size_asked_and_lints_clean(size: int) -> None:
    [document] = parse_documents(bench_lint.manifest(size), "big.yaml")
    templates = document.obj["spec"]["templates"]
    assert size <= len(templates) <= size + 2 + size // (3 * bench_lint.FAN_OUT) + 1
    assert validate_document(document, require_arguments=False) == []


def test_prints_both_times_the_ratio_and_the_goal(capsys: pytest.CaptureFixture[str]) -> None:
    code = bench_lint.main(["--sizes", "30", "60"])
    out = capsys.readouterr().out
    figures = [line for line in out.splitlines() if not line.startswith(("load average", "goal:"))]
    assert [line.split()[0] for line in figures] == ["lint", "lint", "ratio"]
    assert "(bound 12x)" in figures[2]
    [goal] = goal_lines(out)
    assert goal["what"] == "lint time of 2x the templates <= 12x"
    assert goal["measured"] == f"{float(figures[2].split()[3][:-1]):.2f}x"
    assert code == (0 if goal["verdict"] == "ok" else 1)
