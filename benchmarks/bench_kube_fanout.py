"""Pod mode under the client-side rate limit: an N-pod fan-out against the QPS-bound ideal.

    python benchmarks/bench_kube_fanout.py            # 200 pods, --qps 20 --burst 30 (under a minute)
    python benchmarks/bench_kube_fanout.py --quick    # 20 pods, --burst 5 (about 10 s)

The workload is ``bench_engine``'s fan-out: a DAG of N independent tasks, each a container running
``true``. It runs through the real CLI, ``argoctl --qps Q --burst B submit FILE --wait`` with
``ARGOCTL_BACKEND=kubernetes``, against the loopback cluster (``tests/fakecluster``: an API server
on 127.0.0.1 and a kubelet running each container as a local process), one fresh cluster per run.
The fake API server counts every request, so the API cost per pod is exact.

Baselines, in the same run:
* the QPS-bound ideal, computed: ``max(0, N - B) / Q`` (every pod created once, nothing else
  asked of the API, the burst spent on pods): the issue's reference;
* the request-bound floor, computed from the requests actually made: ``max(0, R - B) / Q``;
* the same fan-out with the rate limit off (``--qps 0``): what the cluster and kubelet allow;
* the same fan-out with the no-op pod runner (``argoctl.engine.simulate``, no API at all): the
  engine's share.

Printed: wall time of each run, the span from the first to the last pod create (server clock),
requests per pod by verb and resource, and the ratios to the baselines. The goal (issue 11, item 4):
the wall time at most ``GOAL_RATIO`` (1.5) times the QPS-bound ideal at 200 pods, ``--qps 20 --burst 30``;
the last line says whether it holds. Nothing is asserted about speed; ``--check`` makes the exit
status 1 when it does not hold.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argoctl.engine.simulate import new_workflow, simulate, succeed
from benchmarks.bench_engine import dag_manifest
from benchmarks.bench_local_steps import argoctl_command, child_env, timed
from benchmarks.report import load_line
from tests.fakecluster.faults import WRITE_VERBS
from tests.fakecluster.fixtures import running_cluster

GOAL_RATIO = 1.5
DEFAULT_QPS, DEFAULT_BURST = 20.0, 30


@dataclass(frozen=True)
class ClusterRun:
    """One ``argoctl submit --wait`` of the fan-out against a fresh loopback cluster."""

    pods: int
    qps: float
    burst: int
    seconds: float  # wall time of the CLI process
    create_span: float  # first to last pod create, server clock
    counts: Counter[tuple[str, str]]  # (verb, resource) -> requests

    @property
    def requests(self) -> int:
        return sum(self.counts.values())

    @property
    def writes(self) -> int:
        return sum(n for (verb, _), n in self.counts.items() if verb in WRITE_VERBS)

    def writes_to(self, resource: str) -> int:
        return sum(n for (verb, kind), n in self.counts.items() if verb in WRITE_VERBS and kind == resource)

    def per_pod(self, verb: str, resource: str) -> float:
        return self.counts[(verb, resource)] / self.pods


def qps_ideal(pods: int, qps: float, burst: int) -> float:
    """Seconds to create ``pods`` pods at ``qps`` once the ``burst`` is spent (0 without a limit)."""
    return max(0, pods - burst) / qps if qps > 0 else 0.0


def run_on_cluster(workdir: Path, pods: int, qps: float, burst: int) -> ClusterRun:
    """The fan-out through ``argoctl submit --wait`` on a fresh cluster; RuntimeError if it fails."""
    manifest = workdir / f"fanout-{pods}.yaml"
    manifest.write_text(yaml.safe_dump(dag_manifest(pods, chain=False)))
    run_dir = Path(tempfile.mkdtemp(prefix=f"run-{pods}-", dir=workdir))
    with running_cluster(run_dir) as cluster:
        env = child_env(workdir, ARGOCTL_HOME=str(run_dir / "home"), ARGOCTL_BACKEND="kubernetes",
                        KUBECONFIG=cluster.kubeconfig_path, NO_COLOR="1")
        cluster.server.requests.reset()
        seconds, done = timed([*argoctl_command(), "--qps", f"{qps:g}", "--burst", str(burst),
                               "submit", str(manifest), "--wait", "-o", "name"], env)
        if done.returncode != 0:
            raise RuntimeError(f"argoctl submit --wait ({pods} pods) exited {done.returncode}:\n"
                               f"{done.stdout}{done.stderr}")
        records = cluster.server.requests.records
    created = [r.at for r in records if (r.verb, r.resource) == ("create", "pods")]
    span = max(created) - min(created) if created else 0.0
    return ClusterRun(pods, qps, burst, seconds, span, Counter((r.verb, r.resource) for r in records))


def engine_only(pods: int) -> float:
    """Wall time of the same fan-out driven by the pure engine with the no-op pod runner."""
    state = new_workflow(dag_manifest(pods, chain=False))
    start = time.perf_counter()
    sim = simulate(state, succeed, max_steps=pods + 10)
    seconds = time.perf_counter() - start
    if sim.state.phase != "Succeeded" or len(sim.started) != pods:
        raise RuntimeError(f"engine-only fan-out: {sim.state.phase!r}, {len(sim.started)}/{pods} pods")
    return seconds


def print_report(limited: ClusterRun, unlimited: ClusterRun, engine: float) -> float:
    """Print every figure; returns the headline ratio (wall time / QPS-bound ideal)."""
    pods, qps, burst = limited.pods, limited.qps, limited.burst
    ideal = qps_ideal(pods, qps, burst)
    floor = qps_ideal(limited.requests, qps, burst)
    print(f"{pods}-pod fan-out, --qps {qps:g} --burst {burst}")
    print(f"{'run':<44}{'seconds':>10}")
    print(f"{'argoctl, rate-limited (wall)':<44}{limited.seconds:>10.3f}")
    print(f"{'argoctl, rate-limited (first to last create)':<44}{limited.create_span:>10.3f}")
    print(f"{'argoctl, --qps 0 (wall)':<44}{unlimited.seconds:>10.3f}")
    print(f"{'engine only, no-op pod runner':<44}{engine:>10.3f}")
    print(f"{'QPS-bound ideal (N - burst) / qps':<44}{ideal:>10.3f}")
    print(f"{'request-bound floor (requests - burst) / qps':<44}{floor:>10.3f}")
    print()
    print(f"{'ratio':<52}{'value':>8}")
    ratios = [
        ("wall / QPS-bound ideal (the issue's figure)", limited.seconds / ideal if ideal else float("nan")),
        ("create span / QPS-bound ideal", limited.create_span / ideal if ideal else float("nan")),
        ("wall / request-bound floor", limited.seconds / floor if floor else float("nan")),
        ("wall / wall with --qps 0", limited.seconds / unlimited.seconds),
        ("wall / engine only", limited.seconds / engine),
    ]
    for name, value in ratios:
        print(f"{name:<52}{value:>7.2f}x")
    print()
    print(f"{'API requests (rate-limited run)':<36}{'total':>8}{'per pod':>10}")
    for (verb, resource), count in sorted(limited.counts.items()):
        print(f"{f'{verb} {resource}':<36}{count:>8}{count / pods:>10.2f}")
    print(f"{'all writes':<36}{limited.writes:>8}{limited.writes / pods:>10.2f}")
    print(f"{'all requests':<36}{limited.requests:>8}{limited.requests / pods:>10.2f}")
    return ratios[0][1]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20 pods, burst 5 (so that the limit binds)")
    parser.add_argument("--pods", type=int, default=None, help="fan-out width (default 200, quick 20)")
    parser.add_argument("--qps", type=float, default=DEFAULT_QPS, help="client QPS (default 20, as Argo)")
    parser.add_argument("--burst", type=int, default=None, help="client burst (default 30 as Argo, quick 5)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 when wall > {GOAL_RATIO:g}x the ideal")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pods = max(1, args.pods or (20 if args.quick else 200))
    burst = args.burst if args.burst is not None else (5 if args.quick else DEFAULT_BURST)
    print(load_line("start"))
    with tempfile.TemporaryDirectory(prefix="argoctl-bench-", ignore_cleanup_errors=True) as tmp:
        workdir = Path(tmp)
        run_on_cluster(workdir, 1, 0, burst)  # warm the bytecode cache and the page cache
        limited = run_on_cluster(workdir, pods, args.qps, burst)
        unlimited = run_on_cluster(workdir, pods, 0, burst)
    engine = engine_only(pods)
    ratio = print_report(limited, unlimited, engine)
    ok = ratio <= GOAL_RATIO
    print(load_line("end"))
    print(f"goal: wall <= {GOAL_RATIO:g}x the QPS-bound ideal: {ratio:.2f}x {'ok' if ok else 'MISS'}")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
