"""bench_docker_steps: the workloads are what they claim; a tiny run prints every figure."""

from __future__ import annotations

import re

import pytest

from benchmarks import bench_docker_steps
from tests.benchmarks.reports import goal_lines
from tests.containerengine import ContainerEngine
from tests.containerengine.fixtures import container_engine  # noqa: F401  (pytest fixture)

ROW = re.compile(r"^(?P<label>.+?)\s+(?P<cli>[\d.]+)\s+(?P<base>[\d.]+)\s+(?P<ratio>[\d.]+)x$")


def test_workloads_are_a_chain_and_a_fan_out_of_true() -> None:
    chain = bench_docker_steps.chain_manifest(3)["spec"]["templates"]
    assert [[s["name"] for s in group] for group in chain[0]["steps"]] == [["s0"], ["s1"], ["s2"]]
    fan = bench_docker_steps.fanout_manifest(3)["spec"]["templates"]
    assert [[s["name"] for s in group] for group in fan[0]["steps"]] == [["p0", "p1", "p2"]]
    assert chain[1]["container"]["command"] == fan[1]["container"]["command"] == ["true"]
    assert bench_docker_steps.run_command("unix:///x.sock")[-4:] == ["run", "--rm", "busybox", "true"]


def test_a_tiny_run_prints_times_and_ratios(container_engine: ContainerEngine,  # noqa: F811
                                            capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--steps", "2", "--pods", "2", "--repeat", "1", "--host", container_engine.url]
    assert bench_docker_steps.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {m["label"] for m in map(ROW.match, lines) if m}
    assert rows == {"2-step chain, whole run (s)", "1-step run (s)", "2-pod fan-out vs 2 parallel runs (s)",
                    "per step, start-up excluded (s)"}
    assert re.match(r"goal: per step <= 1.5x a docker run --rm: [\d.]+x (ok|MISS)$", lines[-1])
    assert len(goal_lines("\n".join(lines))) == 1
