"""CLI start-up: ``argoctl --help`` against a bare argparse script, best of N runs each.

    python benchmarks/bench_cli_startup.py            # best of 15
    python benchmarks/bench_cli_startup.py --quick    # best of 3

The baseline, measured in the same run with the same interpreter, is a plain argparse program with
the same shape as argoctl's top level (its global options and its top-level commands, read from
the typer app) printing its help.
Also shown, against the same baseline: ``argoctl version`` and ``argoctl list`` on an empty local
store (``ARGOCTL_HOME`` in a temporary directory, ``ARGOCTL_BACKEND=local``), the commands scripts
call most, and bare ``python -c pass`` (the interpreter's own floor). Python bytecode is cached in a
temporary ``PYTHONPYCACHEPREFIX`` (warmed first), as an installed package has it, even when
``PYTHONDONTWRITEBYTECODE`` is set.

Goal (issue 2, item 14): ``argoctl --help`` <= 2.5x the argparse script. ``--check`` makes the
exit status 1 when missed. The machine's load average is printed before and after the figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_local_steps import argoctl_command, child_env
from benchmarks.report import goal_line, load_line

GOAL_RATIO = 2.5
FALLBACK_COMMANDS = (
    "submit", "list", "get", "logs", "wait", "watch", "stop", "terminate", "suspend", "resume", "delete",
    "lint", "retry", "resubmit", "apply", "version", "completion", "node", "template", "cluster-template",
    "cron",
)
BARE_SCRIPT = """
import argparse
parser = argparse.ArgumentParser(prog="bare", description="A bare argparse CLI.")
for flag in ("--namespace", "--kubeconfig", "--context", "--backend", "--store"):
    parser.add_argument(flag, help="a string option")
parser.add_argument("-v", "--verbose", action="store_true", help="a switch")
parser.add_argument("--no-color", action="store_true", help="a switch")
parser.add_argument("--qps", type=float, default=20.0, help="a number")
parser.add_argument("--burst", type=int, default=30, help="a number")
commands = parser.add_subparsers(dest="command")
for name in COMMANDS:
    commands.add_parser(name, help="the " + name + " command")
parser.parse_args(["--help"])
"""


def top_level_commands() -> tuple[str, ...]:
    """argoctl's top-level command names (read in this process, which is not measured)."""
    try:
        import typer

        from argoctl.cli.main import app

        return tuple(sorted(typer.main.get_command(app).commands))  # type: ignore[arg-type, attr-defined]
    except Exception:  # a broken CLI import still gets a baseline; the measured run then fails loudly
        return FALLBACK_COMMANDS


def bare_script(commands: Sequence[str]) -> str:
    """The baseline program: argparse with argoctl's global options and top-level commands."""
    return f"COMMANDS = {tuple(commands)!r}\n" + BARE_SCRIPT


def best_of(argv: Sequence[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Best wall time of ``argv`` over ``runs`` runs; raises if it ever exits non-zero."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(list(argv), env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr}")
        best = min(best, elapsed)
    return best


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="best of 3")
    parser.add_argument("--runs", type=int, default=None, help="runs per command (default 15, quick 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    runs = max(1, args.runs or (3 if args.quick else 15))
    cli = argoctl_command()
    print(load_line("start"))
    with tempfile.TemporaryDirectory(prefix="argoctl-bench-", ignore_cleanup_errors=True) as tmp:
        script = Path(tmp) / "bare_argparse.py"
        script.write_text(bare_script(top_level_commands()))
        home = Path(tmp) / "home"
        home.mkdir()
        env = child_env(Path(tmp), ARGOCTL_HOME=str(home), ARGOCTL_BACKEND="local", NO_COLOR="1")
        for warm in (["--help"], ["version"], ["list"]):  # warm the page cache and the bytecode cache
            best_of([*cli, *warm], 1, env)
        baseline = best_of([sys.executable, str(script)], runs, env)
        rows = [
            ("python -c pass", best_of([sys.executable, "-c", "pass"], runs, env)),
            ("bare argparse --help (baseline)", baseline),
            ("argoctl --help", best_of([*cli, "--help"], runs, env)),
            ("argoctl version", best_of([*cli, "version"], runs, env)),
            ("argoctl list (empty local store)", best_of([*cli, "list"], runs, env)),
        ]
    print(f"{'command':<36}{'best ms':>10}{'x baseline':>12}")
    for label, seconds in rows:
        print(f"{label:<36}{seconds * 1000:>10.1f}{seconds / baseline:>11.2f}x")
    print(load_line("end"))
    ratio = dict(rows)["argoctl --help"] / baseline
    ok = ratio <= GOAL_RATIO
    print(goal_line(f"argoctl --help <= {GOAL_RATIO:g}x the argparse script", f"{ratio:.2f}x", ok))
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
