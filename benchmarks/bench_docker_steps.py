"""Docker backend overhead: steps through the real CLI against ``docker run --rm`` on the same engine.

    python benchmarks/bench_docker_steps.py            # 10-step chain, 20-pod fan-out, best of 2
    python benchmarks/bench_docker_steps.py --quick    # 3-step chain, 5-pod fan-out, best of 1
    python benchmarks/bench_docker_steps.py --host unix:///run/podman/podman.sock   # an engine you run

The engine is the test engine (``tests.containerengine``: Podman's Docker API service with images
built offline) unless ``--host`` names one. Measured with ``argoctl submit FILE --wait``
(``ARGOCTL_BACKEND=docker``, a fresh ``ARGOCTL_HOME`` each run):

* a chain of N sequential steps, each ``busybox`` running ``true``, against a loop of N
  ``docker run --rm busybox true`` (the ``docker`` CLI, else ``podman --remote``, on the same
  socket); a 1-step run and 1 ``docker run`` too, for the per-step cost without start-up;
* a fan-out of M parallel pods against the same M ``docker run --rm`` started at once.

Goal (issue 10): the chain's per-step cost <= 1.5x a ``docker run --rm``. ``--check`` makes the
exit status 1 when missed. The machine's load average is printed before and after the figures.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_local_steps import argoctl_command, child_env  # noqa: E402
from benchmarks.report import goal_line, load_line  # noqa: E402

GOAL_RATIO = 1.5
IMAGE = "busybox"


def chain_manifest(steps: int) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"generateName": "chain-"},
            "spec": {"entrypoint": "main", "templates": [
                {"name": "main", "steps": [[{"name": f"s{i}", "template": "true"}] for i in range(steps)]},
                {"name": "true", "container": {"image": IMAGE, "command": ["true"]}}]}}


def fanout_manifest(pods: int) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"generateName": "fan-"},
            "spec": {"entrypoint": "main", "templates": [
                {"name": "main", "steps": [[{"name": f"p{i}", "template": "true"} for i in range(pods)]]},
                {"name": "true", "container": {"image": IMAGE, "command": ["true"]}}]}}


def run_command(host: str) -> list[str]:
    """``docker run --rm IMAGE true`` against ``host`` (the docker CLI, else podman-remote)."""
    docker = shutil.which("docker")
    if docker:
        return [docker, "-H", host, "run", "--rm", IMAGE, "true"]
    return ["podman", "--remote", "--url", host, "run", "--rm", IMAGE, "true"]


def timed(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(list(argv), env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def best_argoctl(workdir: Path, host: str, manifest: dict[str, Any], repeat: int) -> float:
    path = workdir / f"wf-{len(list(workdir.glob('wf-*')))}.yaml"
    path.write_text(yaml.safe_dump(manifest))
    best = float("inf")
    for _ in range(repeat):
        home = Path(tempfile.mkdtemp(prefix="home-", dir=workdir))
        env = child_env(workdir, ARGOCTL_HOME=str(home), ARGOCTL_BACKEND="docker", DOCKER_HOST=host,
                        ARGOCTL_NAMESPACE=f"bench{os.getpid()}", NO_COLOR="1")
        seconds, done = timed([*argoctl_command(), "submit", str(path), "--wait"], env)
        if done.returncode != 0 or "Succeeded" not in done.stdout:
            raise RuntimeError(f"argoctl submit --wait exited {done.returncode}:\n{done.stdout}{done.stderr}")
        best = min(best, seconds)
    return best


def best_loop(host: str, count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(count):
            done = subprocess.run(run_command(host), capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"docker run exited {done.returncode}: {done.stderr}")
        best = min(best, time.perf_counter() - start)
    return best


def best_parallel(host: str, count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        procs = [subprocess.Popen(run_command(host), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for _ in range(count)]
        if any(p.wait() != 0 for p in procs):
            raise RuntimeError("a parallel docker run failed")
        best = min(best, time.perf_counter() - start)
    return best


def remove_bench_containers(host: str) -> None:
    """The measured workflows' containers (they carry this run's namespace label)."""
    from argoctl.backends.docker import naming
    from argoctl.backends.docker.engine import Engine

    engine = Engine(host)
    try:
        rows = engine.containers(naming.pod_filter(f"bench{os.getpid()}"))
        # a pod's infra container last: the others share its namespaces and must go first
        rows.sort(key=lambda row: (row.get("Labels") or {}).get(naming.LABEL_ROLE) == "infra")
        for row in rows:
            engine.remove(str(row["Id"]))
    finally:
        engine.close()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3-step chain, 5-pod fan-out, best of 1")
    parser.add_argument("--steps", type=int, default=None, help="chain length (default 10, quick 3)")
    parser.add_argument("--pods", type=int, default=None, help="fan-out width (default 20, quick 5)")
    parser.add_argument("--repeat", type=int, default=None, help="best of this many runs (default 2, quick 1)")
    parser.add_argument("--host", default=None, help="an engine's URL (default: start the test engine)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    return parser.parse_args(argv)


def measure(host: str, steps: int, pods: int, repeat: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory(prefix="argoctl-bench-docker-", ignore_cleanup_errors=True) as tmp:
        workdir = Path(tmp)
        best_argoctl(workdir, host, chain_manifest(1), 1)  # warm caches
        best_loop(host, 1, 1)
        rows = {
            f"{steps}-step chain, whole run (s)": (best_argoctl(workdir, host, chain_manifest(steps), repeat),
                                                   best_loop(host, steps, repeat)),
            "1-step run (s)": (best_argoctl(workdir, host, chain_manifest(1), repeat), best_loop(host, 1, repeat)),
            f"{pods}-pod fan-out vs {pods} parallel runs (s)": (
                best_argoctl(workdir, host, fanout_manifest(pods), repeat), best_parallel(host, pods, repeat)),
        }
    (cli_n, sh_n), (cli_1, sh_1) = rows[f"{steps}-step chain, whole run (s)"], rows["1-step run (s)"]
    rows["per step, start-up excluded (s)"] = (max(cli_n - cli_1, 0.0) / (steps - 1),
                                               max(sh_n - sh_1, 1e-9) / (steps - 1))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    steps = max(2, args.steps or (3 if args.quick else 10))
    pods = max(1, args.pods or (5 if args.quick else 20))
    repeat = max(1, args.repeat or (1 if args.quick else 2))
    engine = None
    host = args.host
    if host is None:
        from tests.containerengine import ContainerEngine, unavailable

        why = unavailable()
        if why:
            print(f"error: no engine to measure on: {why}", file=sys.stderr)
            return 2
        engine = ContainerEngine(Path(tempfile.mkdtemp(prefix="argoctl-bench-engine-"))).start()
        host = engine.url
    print(load_line("start"))
    try:
        rows = measure(host, steps, pods, repeat)
    finally:
        remove_bench_containers(host)
        if engine is not None:
            engine.stop()
    print(f"{'measure':<44}{'argoctl':>10}{'docker run':>12}{'ratio':>9}")
    for label, (cli, base) in rows.items():
        print(f"{label:<44}{cli:>10.3f}{base:>12.3f}{cli / base:>8.2f}x")
    print(load_line("end"))
    cli, base = rows["per step, start-up excluded (s)"]
    ok = cli / base <= GOAL_RATIO
    print(goal_line(f"per step <= {GOAL_RATIO:g}x a docker run --rm", f"{cli / base:.2f}x", ok))
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
