"""bench_local_steps: the workload and baseline are what they claim; the quick mode prints figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench_local_steps

ROW = re.compile(r"^(?P<label>.+?)\s+(?P<cli>[\d.]+)\s+(?P<sh>[\d.]+)\s+(?P<ratio>[\d.]+)x$")


def test_chain_manifest_is_sequential_steps_of_true() -> None:
    spec = bench_local_steps.chain_manifest(3)["spec"]
    groups = spec["templates"][0]["steps"]
    assert [[s["name"] for s in group] for group in groups] == [["s0"], ["s1"], ["s2"]]
    assert spec["templates"][1]["container"]["command"] == ["true"]


def test_wrapped_loop_puts_the_wrapper_before_the_program() -> None:
    assert re.search(r"do /usr/bin/env /\S*true;", bench_local_steps.shell_loop(2, ["/usr/bin/env"])[-1])


def test_shell_loop_spawns_the_program_not_the_builtin() -> None:
    argv = bench_local_steps.shell_loop(3)
    assert re.search(r"do /\S*true;", argv[-1])
    done = subprocess.run([*argv[:-1], argv[-1].replace("do ", "do echo x; ")], capture_output=True, text=True,
                          check=True)
    assert done.stdout.count("x") == 3


def test_a_failing_cli_run_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(bench_local_steps, "argoctl_command", lambda: [sys.executable, "-c", "raise SystemExit(2)"])
    with pytest.raises(RuntimeError, match="exited 2"):
        bench_local_steps.best_argoctl(tmp_path, 2, 1)


def test_quick_mode_prints_times_and_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_local_steps.main(["--quick", "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {m["label"]: (float(m["cli"]), float(m["sh"]), float(m["ratio"])) for m in map(ROW.match, lines) if m}
    required = {"10-step chain of true, whole run (s)", "1-step run (s)", "per step, start-up excluded (ms)"}
    optional = {"vs 10 x true each in bwrap (s)"} if bench_local_steps.bwrap_wrapper() else set()
    assert set(rows) == required | optional
    per_step = rows.pop("per step, start-up excluded (ms)")
    assert all(cli > 0 and sh > 0 and ratio > 0 for cli, sh, ratio in rows.values())
    # a difference of two timings (10 steps minus 1): on a busy machine the noise can exceed it,
    # and the benchmark clamps it at 0 rather than print a negative time
    assert all(value >= 0 for value in per_step)
    assert re.match(r"goal: per step, start-up excluded <= 10 ms: [\d.]+ ms (ok|MISS)$", lines[-3])
    assert re.match(r"goal: 10-step chain, whole run <= 0.14 s: [\d.]+ s (ok|MISS)$", lines[-2])
    assert re.match(r"goal: whole run <= 3x the shell loop: [\d.]+x (ok|MISS)$", lines[-1])


def test_each_goal_holds_or_misses_on_its_own_figure() -> None:
    lines = bench_local_steps.goal_lines(50, cli_n=0.69, cli_1=0.30, sh_n=0.05)
    assert [ok for _, ok in lines] == [True, True, False]  # 8.0 ms, 0.69 s, 13.8x
    assert lines[0][0] == "goal: per step, start-up excluded <= 10 ms: 8.0 ms ok"
    lines = bench_local_steps.goal_lines(50, cli_n=0.71, cli_1=0.10, sh_n=0.5)
    assert [ok for _, ok in lines] == [False, False, True]  # 12.4 ms, 0.71 s, 1.4x
