"""bench_engine: the workloads are what they claim, and the quick mode prints every figure."""

from __future__ import annotations

import re

import pytest

from argoctl.engine.simulate import new_workflow, simulate, succeed
from benchmarks import bench_engine
from tests.benchmarks.reports import goal_lines

ROW = re.compile(r"^(?P<label>.+?)\s+(?P<tasks>\d+)\s+(?P<steps>\d+)\s+(?P<sec>[\d.]+)\s+(?P<rate>[\d,]+)\s+"
                 r"(?P<goal>[\d.]+)x$")
RATIO = re.compile(r"^(?P<name>.+?)\s+(?P<value>[\d.]+)\s+(?P<goal><=[\d.]+|-)$")


def test_chain_manifest_links_each_task_to_the_previous() -> None:
    tasks = bench_engine.dag_manifest(4, chain=True, when=True)["spec"]["templates"][0]["dag"]["tasks"]
    assert [t.get("dependencies") for t in tasks] == [None, ["t0"], ["t1"], ["t2"]]
    assert all(t["when"] == bench_engine.WHEN for t in tasks)


def test_fan_out_manifest_has_independent_tasks() -> None:
    tasks = bench_engine.dag_manifest(5, chain=False)["spec"]["templates"][0]["dag"]["tasks"]
    assert len(tasks) == 5 and not any("dependencies" in t or "when" in t for t in tasks)


@pytest.mark.parametrize("chain", [False, True])
def test_when_variant_runs_every_task(chain: bool) -> None:
    sim = simulate(new_workflow(bench_engine.dag_manifest(6, chain=chain, when=True)), succeed)
    assert sim.state.phase == "Succeeded"
    assert len(sim.started) == 6
    assert sim.steps == (7 if chain else 2)


def test_quick_mode_prints_rates_and_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_engine.main(["--quick"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [m for m in map(ROW.match, lines) if m]
    assert [(m["label"], int(m["tasks"])) for m in rows] == [
        ("fan-out DAG x1000", 1000), ("chain DAG x100", 100), ("fan-out DAG x100", 100), ("chain DAG x10", 10),
        ("fan-out DAG x1000 + when", 1000), ("chain DAG x100 + when", 100),
    ]
    assert {int(m["steps"]) for m in rows if m["label"].startswith("chain DAG x100")} == {101}
    assert all(float(m["rate"].replace(",", "")) > 0 and float(m["goal"]) > 0 for m in rows)
    ratios = {m["name"].strip(): float(m["value"]) for m in map(RATIO.match, lines) if m}
    assert set(ratios) == {
        "fan-out x1000 / chain x100 (issue 2)", "fan-out x1000 / fan-out x100", "chain x100 / chain x10",
        "fan-out with when / without", "chain with when / without",
    }
    assert all(value > 0 for value in ratios.values())
    goals = goal_lines("\n".join(lines))
    assert [g["what"] for g in goals] == [
        "fan-out DAG x1000 >= 5,000 tasks/s", "chain DAG x100 >= 5,000 tasks/s",
        "fan-out DAG x1000 + when >= 5,000 tasks/s", "chain DAG x100 + when >= 5,000 tasks/s",
        "fan-out x1000 / chain x100 (issue 2) <= 11", "fan-out x1000 / fan-out x100 <= 11",
        "chain x100 / chain x10 <= 11"]
