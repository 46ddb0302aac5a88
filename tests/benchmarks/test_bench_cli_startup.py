"""bench_cli_startup: a fair baseline, and the quick mode prints every figure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from argoctl.cli.main import app
from benchmarks import bench_cli_startup
from tests.benchmarks.reports import goal_lines

ROW = re.compile(r"^(?P<label>.+?)\s+(?P<ms>[\d.]+)\s+(?P<ratio>[\d.]+)x$")


def test_baseline_has_argoctls_top_level_commands(tmp_path: Path) -> None:
    names = set(typer.main.get_command(app).commands)  # type: ignore[arg-type, attr-defined]
    assert set(bench_cli_startup.top_level_commands()) == names
    script = tmp_path / "bare.py"
    script.write_text(bench_cli_startup.bare_script(sorted(names)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert all(name in done.stdout for name in names)


def test_a_failing_command_is_an_error_not_a_figure() -> None:
    with pytest.raises(RuntimeError, match="exited 3"):
        bench_cli_startup.best_of(["/bin/sh", "-c", "exit 3"], 1)


def test_quick_mode_prints_times_and_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_cli_startup.main(["--quick"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {m["label"]: (float(m["ms"]), float(m["ratio"])) for m in map(ROW.match, lines) if m}
    assert set(rows) == {"python -c pass", "bare argparse --help (baseline)", "argoctl --help", "argoctl version",
                         "argoctl list (empty local store)"}
    assert rows["bare argparse --help (baseline)"][1] == 1.0
    assert all(ms > 0 for ms, _ in rows.values())
    assert re.match(r"goal: argoctl --help <= 2.5x the argparse script: [\d.]+x (ok|MISS)$", lines[-1])
    assert len(goal_lines("\n".join(lines))) == 1
