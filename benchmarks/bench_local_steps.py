"""Local step overhead: an N-step chain of ``true`` through the real CLI against a shell loop.

    python benchmarks/bench_local_steps.py            # 50 steps, best of 3
    python benchmarks/bench_local_steps.py --quick    # 10 steps, best of 2

The workflow is a ``steps`` template with N sequential steps, each a container running ``true``;
it is run with ``argoctl submit FILE --wait`` (``ARGOCTL_HOME`` in a fresh temporary directory,
``ARGOCTL_BACKEND=local``). The baseline, measured in the same run, is ``sh -c`` running a loop
that spawns the ``true`` program (not the shell builtin) N times. A 1-step workflow and a 1-spawn
loop are measured too, so the per-step cost without start-up is printed as well, and, where
bubblewrap works, a loop running each ``true`` under ``bwrap`` (the isolation's own floor) is shown
for reference:
``(time(N) - time(1)) / (N - 1)`` for each side. Python bytecode is cached in a temporary
``PYTHONPYCACHEPREFIX`` (warmed by a first run), as an installed package has it, even when
``PYTHONDONTWRITEBYTECODE`` is set.

Goals: the per-step overhead, start-up excluded, <= 10 ms and a 50-step chain <= 0.7 s whole run
on an idle machine (issue 11, item 1; with another ``--steps`` the whole-run goal scales to
0.7 s x steps / 50); the whole-run ratio <= 3x the shell loop (issue 2, item 14). Each is printed
with ``ok`` or ``MISS``; ``--check`` makes the exit status 1 when any is missed. ``--no-fork-server``
measures with ``ARGOCTL_FORK_SERVER=0`` (a fresh interpreter per pod), for comparison.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.report import load_line

GOAL_RATIO = 3.0
GOAL_STEP_MS = 10.0  # per step, start-up excluded
GOAL_CHAIN_S = 0.7  # a 50-step chain, whole run
GOAL_CHAIN_STEPS = 50


def chain_manifest(steps: int) -> dict[str, Any]:
    """A workflow of ``steps`` sequential steps, each a container running ``true``."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "bench-chain-"},
        "spec": {
            "entrypoint": "main",
            "templates": [
                {"name": "main", "steps": [[{"name": f"s{i}", "template": "true"}] for i in range(steps)]},
                {"name": "true", "container": {"image": "alpine:3", "command": ["true"]}},
            ],
        },
    }


def child_env(workdir: Path, **extra: str) -> dict[str, str]:
    """The environment for measured programs: bytecode cached under ``workdir`` (as an installed
    package has it) even when ``PYTHONDONTWRITEBYTECODE`` is set here, and the repo left untouched."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    env.update(extra)
    return env


def argoctl_command() -> list[str]:
    """The installed ``argoctl`` console script next to this interpreter, else ``python -m argoctl``."""
    script = shutil.which("argoctl", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "argoctl"]


def shell_loop(count: int, wrapper: Sequence[str] = ()) -> list[str]:
    """``sh -c`` spawning the ``true`` program ``count`` times (each under ``wrapper`` if given)."""
    true_path = shutil.which("true") or "/bin/true"
    command = " ".join([*wrapper, true_path])
    loop = f'i=0; while [ "$i" -lt {count} ]; do {command}; i=$((i + 1)); done'
    return ["/bin/sh", "-c", loop]


def bwrap_wrapper() -> list[str]:
    """bubblewrap as the local backend uses it (a new mount namespace, host root), if it works here."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return []
    wrapper = [bwrap, "--dev-bind", "/", "/"]
    if os.geteuid() != 0:
        wrapper += ["--unshare-user", "--uid", "0", "--gid", "0"]
    wrapper.append("--")
    done = subprocess.run([*wrapper, "true"], capture_output=True, check=False)
    return wrapper if done.returncode == 0 else []


def timed(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(list(argv), env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def best_argoctl(workdir: Path, steps: int, repeat: int, **extra: str) -> tuple[float, str]:
    """Best wall time of ``argoctl submit FILE --wait`` over ``repeat`` runs, each in a fresh home."""
    manifest = workdir / f"chain-{steps}.yaml"
    manifest.write_text(yaml.safe_dump(chain_manifest(steps)))
    best, notices = float("inf"), ""
    for _ in range(repeat):
        home = Path(tempfile.mkdtemp(prefix=f"home-{steps}-", dir=workdir))
        env = child_env(workdir, ARGOCTL_HOME=str(home), ARGOCTL_BACKEND="local", NO_COLOR="1", **extra)
        seconds, done = timed([*argoctl_command(), "submit", str(manifest), "--wait"], env)
        if done.returncode != 0 or "Succeeded" not in done.stdout:
            raise RuntimeError(f"argoctl submit --wait ({steps} steps) exited {done.returncode}:\n"
                               f"{done.stdout}{done.stderr}")
        notices = notices or done.stderr.strip()
        best = min(best, seconds)
    return best, notices


def best_shell(count: int, repeat: int, wrapper: Sequence[str] = ()) -> float:
    best = float("inf")
    for _ in range(repeat):
        seconds, done = timed(shell_loop(count, wrapper))
        if done.returncode != 0:
            raise RuntimeError(f"shell loop exited {done.returncode}: {done.stderr}")
        best = min(best, seconds)
    return best


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 steps, best of 2")
    parser.add_argument("--steps", type=int, default=None, help="chain length (default 50, quick 10)")
    parser.add_argument("--repeat", type=int, default=None, help="best of this many runs (default 3, quick 2)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--no-fork-server", action="store_true",
                        help="a fresh interpreter per pod (ARGOCTL_FORK_SERVER=0), for comparison")
    return parser.parse_args(argv)


def print_rows(steps: int, cli: tuple[float, float], shell: tuple[float, float], floor: float | None) -> None:
    (cli_n, cli_1), (sh_n, sh_1) = cli, shell
    per_cli = max(cli_n - cli_1, 0.0) / (steps - 1)
    per_sh = max(sh_n - sh_1, 1e-9) / (steps - 1)
    print(f"{'measure':<40}{'argoctl':>12}{'shell':>12}{'ratio':>10}")
    print(f"{f'{steps}-step chain of true, whole run (s)':<40}{cli_n:>12.3f}{sh_n:>12.3f}{cli_n / sh_n:>9.1f}x")
    print(f"{'1-step run (s)':<40}{cli_1:>12.3f}{sh_1:>12.3f}{cli_1 / sh_1:>9.1f}x")
    print(f"{'per step, start-up excluded (ms)':<40}{per_cli * 1000:>12.1f}{per_sh * 1000:>12.2f}"
          f"{per_cli / per_sh:>9.1f}x")
    if floor is not None:
        label = f"vs {steps} x true each in bwrap (s)"
        print(f"{label:<40}{cli_n:>12.3f}{floor:>12.3f}{cli_n / floor:>9.1f}x")


def goal_lines(steps: int, cli_n: float, cli_1: float, sh_n: float) -> list[tuple[str, bool]]:
    """Each goal as a printed line and whether it holds."""
    per_step_ms = max(cli_n - cli_1, 0.0) / (steps - 1) * 1000
    chain_goal = GOAL_CHAIN_S * steps / GOAL_CHAIN_STEPS
    ratio = cli_n / sh_n
    goals = [
        (f"per step, start-up excluded <= {GOAL_STEP_MS:g} ms: {per_step_ms:.1f} ms", per_step_ms <= GOAL_STEP_MS),
        (f"{steps}-step chain, whole run <= {chain_goal:.2f} s: {cli_n:.3f} s", cli_n <= chain_goal),
        (f"whole run <= {GOAL_RATIO:g}x the shell loop: {ratio:.1f}x", ratio <= GOAL_RATIO),
    ]
    return [(f"goal: {text} {'ok' if ok else 'MISS'}", ok) for text, ok in goals]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    steps = max(2, args.steps or (10 if args.quick else 50))
    repeat = max(1, args.repeat or (2 if args.quick else 3))
    extra = {"ARGOCTL_FORK_SERVER": "0"} if args.no_fork_server else {}
    print(load_line("start"))
    with tempfile.TemporaryDirectory(prefix="argoctl-bench-", ignore_cleanup_errors=True) as tmp:
        workdir = Path(tmp)
        best_argoctl(workdir, 1, 1, **extra)  # warm the page cache and the bytecode cache
        cli_n, notices = best_argoctl(workdir, steps, repeat, **extra)
        cli_1, _ = best_argoctl(workdir, 1, repeat, **extra)
    sh_n, sh_1 = best_shell(steps, repeat), best_shell(1, repeat)
    wrapper = bwrap_wrapper()
    floor = best_shell(steps, repeat, wrapper) if wrapper else None
    print_rows(steps, (cli_n, cli_1), (sh_n, sh_1), floor)
    if notices:
        print(f"argoctl notices: {notices}")
    goals = goal_lines(steps, cli_n, cli_1, sh_n)
    print(load_line("end"))
    for line, _ in goals:
        print(line)
    return 1 if args.check and not all(ok for _, ok in goals) else 0


if __name__ == "__main__":
    raise SystemExit(main())
