"""Engine throughput: the pure engine driven to completion with the no-op pod runner.

    python benchmarks/bench_engine.py            # 10,000-task fan-out, 1,000-task chain (minutes today)
    python benchmarks/bench_engine.py --quick    # 1,000 and 100 (a few seconds)
    python benchmarks/bench_engine.py --huge     # also a 100,000-task fan-out (goal: <= 30 s)
    python benchmarks/bench_engine.py --rss      # also a 10,000-node workflow through the real driver

Workloads (each a DAG of ``container`` tasks, run by ``argoctl.engine.simulate.simulate`` with the
``succeed`` runner: every pod succeeds at once, so only engine time is measured):
* fan-out: N independent tasks (two engine steps: start all, finish all);
* chain: M tasks, each depending on the previous one (M + 1 engine steps);
* the same two with a substituted ``when`` on every task (issue 3: keeps >= 5,000 tasks/s);
* the same shapes at a tenth of the size, measured in the same run, as the baselines of the
  linearity ratios (10x the tasks should cost at most 11x the time).

Times are the process's CPU time (``time.process_time``): the engine is pure, single-threaded and
does no I/O, so CPU time equals wall time on an idle machine and stays meaningful on a busy one.

Goals (issue 2, item 14; issue 11, item 2): >= 5,000 tasks/s; same-shape time ratios <= 11; with
``--huge`` a 100,000-task fan-out in <= 30 s of CPU; with ``--rss`` a 10,000-node fan-out driven by
``runtime.driver.Driver`` over the local store (its state persisted after every step as it really
is) in a fresh process (``bench_engine_driver.py``) under 150 MB peak RSS. Figures are printed,
never asserted; ``--check`` makes the exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argoctl.engine.simulate import new_workflow, simulate, succeed
from benchmarks.report import goal_line, load_line

JSON = dict[str, Any]
GOAL_TASKS_PER_S = 5000.0
GOAL_LINEAR_RATIO = 11.0
GOAL_HUGE_SECONDS = 30.0
GOAL_DRIVER_RSS_MB = 150.0
HUGE_FAN_OUT = 100_000
DRIVER_NODES = 10_000
WHEN = "{{workflow.parameters.gate}} == open"


def dag_manifest(count: int, *, chain: bool, when: bool = False) -> JSON:
    """A DAG workflow of ``count`` no-op container tasks: independent, or each after the previous."""
    tasks: list[JSON] = []
    for index in range(count):
        task: JSON = {"name": f"t{index}", "template": "noop"}
        if chain and index:
            task["dependencies"] = [f"t{index - 1}"]
        if when:
            task["when"] = WHEN
        tasks.append(task)
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "bench-"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "gate", "value": "open"}]},
            "templates": [
                {"name": "main", "dag": {"tasks": tasks}},
                {"name": "noop", "container": {"image": "alpine:3", "command": ["true"]}},
            ],
        },
    }


@dataclass(frozen=True)
class Run:
    label: str
    tasks: int
    steps: int
    seconds: float

    @property
    def tasks_per_s(self) -> float:
        return self.tasks / self.seconds if self.seconds > 0 else float("inf")


def run_workload(label: str, count: int, *, chain: bool, when: bool, repeat: int) -> Run:
    """Best of ``repeat`` simulations; raises if the workflow does not succeed with every pod run."""
    manifest = dag_manifest(count, chain=chain, when=when)
    best: Run | None = None
    for _ in range(repeat):
        state = new_workflow(manifest)
        gc.collect()
        start = time.process_time()
        sim = simulate(state, succeed, max_steps=count + 10)
        seconds = time.process_time() - start
        if sim.state.phase != "Succeeded" or len(sim.started) != count:
            raise RuntimeError(f"{label}: phase {sim.state.phase!r} with {len(sim.started)}/{count} pods started")
        if best is None or seconds < best.seconds:
            best = Run(label, count, sim.steps, seconds)
    assert best is not None
    return best


def warm_up() -> None:
    """One small run of each shape first, so lazy imports and caches are not charged to a workload."""
    for chain in (False, True):
        for when in (False, True):
            simulate(new_workflow(dag_manifest(20, chain=chain, when=when)), succeed)


def print_runs(runs: Sequence[Run]) -> None:
    print(f"{'workload':<30}{'tasks':>8}{'steps':>8}{'cpu s':>10}{'tasks/s':>10}{'x goal':>9}")
    for run in runs:
        ratio = run.tasks_per_s / GOAL_TASKS_PER_S
        print(f"{run.label:<30}{run.tasks:>8}{run.steps:>8}{run.seconds:>10.3f}{run.tasks_per_s:>10,.0f}"
              f"{ratio:>8.2f}x")


def print_ratios(ratios: Sequence[tuple[str, float, float | None]]) -> None:
    print()
    print(f"{'time ratio':<44}{'value':>8}{'goal':>8}")
    for name, value, goal in ratios:
        goal_text = f"<={goal:g}" if goal is not None else "-"
        print(f"{name:<44}{value:>8.2f}{goal_text:>8}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000-task fan-out and 100-task chain")
    parser.add_argument("--fan-out", type=int, default=None, help="fan-out size (default 10000, quick 1000)")
    parser.add_argument("--chain", type=int, default=None, help="chain length (default 1000, quick 100)")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs per workload")
    parser.add_argument("--no-when", action="store_true", help="skip the when-on-every-task variants")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--huge", action="store_true", help=f"also a {HUGE_FAN_OUT:,}-task fan-out (<= 30 s)")
    parser.add_argument("--rss", action="store_true",
                        help=f"also a {DRIVER_NODES:,}-node fan-out through the driver and local store (< 150 MB)")
    return parser.parse_args(argv)


def run_all(fan: int, chain: int, *, when: bool, repeat: int) -> dict[str, Run]:
    """The headline workloads, their tenth-size baselines and (with ``when``) the when variants."""
    small_fan, small_chain = max(1, fan // 10), max(1, chain // 10)
    plan = [("fan", fan, False, False), ("chain", chain, True, False),
            ("fan_small", small_fan, False, False), ("chain_small", small_chain, True, False)]
    if when:
        plan += [("fan_when", fan, False, True), ("chain_when", chain, True, True)]
    runs: dict[str, Run] = {}
    for key, count, is_chain, with_when in plan:
        label = f"{'chain' if is_chain else 'fan-out'} DAG x{count}" + (" + when" if with_when else "")
        runs[key] = run_workload(label, count, chain=is_chain, when=with_when, repeat=repeat)
    return runs


def time_ratios(runs: dict[str, Run]) -> list[tuple[str, float, float | None]]:
    fan, chain = runs["fan"], runs["chain"]
    ratios: list[tuple[str, float, float | None]] = [
        (f"fan-out x{fan.tasks} / chain x{chain.tasks} (issue 2)", fan.seconds / chain.seconds, GOAL_LINEAR_RATIO),
        (f"fan-out x{fan.tasks} / fan-out x{runs['fan_small'].tasks}", fan.seconds / runs["fan_small"].seconds,
         GOAL_LINEAR_RATIO),
        (f"chain x{chain.tasks} / chain x{runs['chain_small'].tasks}", chain.seconds / runs["chain_small"].seconds,
         GOAL_LINEAR_RATIO),
    ]
    if "fan_when" in runs:
        ratios.append(("fan-out with when / without", runs["fan_when"].seconds / fan.seconds, None))
        ratios.append(("chain with when / without", runs["chain_when"].seconds / chain.seconds, None))
    return ratios


def run_huge() -> str:
    """The 100k fan-out's goal line (its figures printed first)."""
    run = run_workload(f"fan-out DAG x{HUGE_FAN_OUT}", HUGE_FAN_OUT, chain=False, when=False, repeat=1)
    ok = run.seconds <= GOAL_HUGE_SECONDS
    print(f"{run.label}: {run.seconds:.1f} s cpu ({run.tasks_per_s:,.0f} tasks/s)")
    return goal_line(f"{run.label} <= {GOAL_HUGE_SECONDS:g} s CPU", f"{run.seconds:.1f} s", ok)


def run_driver_rss() -> str:
    """The driver's peak RSS on a 10k-node fan-out, measured in a fresh process."""
    import json
    import subprocess

    script = Path(__file__).with_name("bench_engine_driver.py")
    done = subprocess.run([sys.executable, str(script), "--fan-out", str(DRIVER_NODES)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        print(f"driver x{DRIVER_NODES}: failed (exit {done.returncode}): {done.stderr.strip()[-300:]}")
        return goal_line(f"driver peak RSS, fan-out x{DRIVER_NODES} < {GOAL_DRIVER_RSS_MB:g} MB", "failed", False)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    ok = figures["peak_rss_mb"] < GOAL_DRIVER_RSS_MB
    print(f"driver + local store, fan-out x{DRIVER_NODES}: {figures['nodes']} nodes, {figures['steps']} steps, "
          f"{figures['cpu_s']:.1f} s cpu, {figures['wall_s']:.1f} s wall, state {figures['state_bytes'] / 1e6:.1f} MB, "
          f"peak RSS {figures['peak_rss_mb']:.0f} MB")
    return goal_line(f"driver peak RSS, fan-out x{DRIVER_NODES} < {GOAL_DRIVER_RSS_MB:g} MB",
                     f"{figures['peak_rss_mb']:.0f} MB", ok)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    fan = args.fan_out or (1000 if args.quick else 10000)
    chain = args.chain or (100 if args.quick else 1000)
    print(load_line("start"))
    warm_up()
    runs = run_all(fan, chain, when=not args.no_when, repeat=max(1, args.repeat))
    print_runs(list(runs.values()))
    ratios = time_ratios(runs)
    print_ratios(ratios)
    headline = [r for key, r in runs.items() if key in ("fan", "chain", "fan_when", "chain_when")]
    goals = [goal_line(f"{r.label} >= {GOAL_TASKS_PER_S:,.0f} tasks/s", f"{r.tasks_per_s:,.0f} tasks/s",
                       r.tasks_per_s >= GOAL_TASKS_PER_S) for r in headline]
    goals += [goal_line(f"{name} <= {goal:g}", f"{value:.2f}", value <= goal)
              for name, value, goal in ratios if goal is not None]
    print()
    if args.rss:
        goals.append(run_driver_rss())
    if args.huge:
        goals.append(run_huge())
    print(load_line("end"))
    print("\n".join(goals))
    return 1 if args.check and any(line.endswith(" MISS") for line in goals) else 0


if __name__ == "__main__":
    raise SystemExit(main())
