"""Artifact passing: save an output artifact and load it into the next step, against a plain copy.

    python benchmarks/bench_artifacts.py [--quick] [--size-mb N] [--repeat N] [--no-s3]

For each payload (``model``: random bytes, which do not compress; ``text``: CSV-like lines), one
artifact of the given size (100 MB, or 10 MB with ``--quick``) goes through
``RepositoryArtifactIO.save_outputs`` then ``load_inputs`` with the default archive (tgz), first
with the local-directory repository, then with a loopback S3 server (moto). Each is timed against,
in the same run:

* ``copy``: the same bytes copied twice with ``shutil.copyfile`` (into a repository, out again);
* ``s3 put+get`` (S3 only): the same bytes uploaded and downloaded with plain boto3 calls.

Times are the best of ``--repeat`` runs; the figures that matter are the ratios.

Goal (issue 5): passing the artifact costs at most 2x a plain copy of the same bytes: against
``copy`` for the local repository, against ``s3 put+get`` for S3; one goal line per payload and
repository. ``--check`` makes the exit status 1 when one is missed. The machine's load average is
printed before and after; the goal lines come last.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argoctl.artifacts import DriverOptions, RepositoryArtifactIO
from argoctl.model.pods import PodRequest
from benchmarks.report import goal_line, load_line

MB = 1 << 20
GOAL_RATIO = 2.0
PLAIN = {"local": "copy", "s3": "s3 put+get"}  # each repository's plain copy of the same bytes


def payload(kind: str, size: int) -> bytes:
    if kind == "model":
        return os.urandom(size)
    line = b"2024-05-01T12:00:00Z,sensor-0042,temperature,21.375,celsius,ok\n"
    rows = bytearray()
    i = 0
    while len(rows) < size:
        rows += line.replace(b"0042", b"%04d" % (i % 10000))
        i += 1
    return bytes(rows[:size])


def best_of(repeat: int, run: Callable[[], None], reset: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        reset()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def request(template: dict[str, Any], pod: str) -> PodRequest:
    return PodRequest(workflow_name="bench", workflow_uid="u", namespace="argo", node_id=pod, node_name=pod,
                      pod_name=pod, template=template)


class Trial:
    """One artifact passed producer -> repository -> consumer under ``work``."""

    def __init__(self, work: Path, data: bytes) -> None:
        self.work = work
        self.producer = work / "producer"
        self.consumer = work / "consumer"
        (self.producer / "out").mkdir(parents=True, exist_ok=True)
        (self.producer / "out" / "weights.bin").write_bytes(data)
        self.saved: list[dict[str, Any]] = []

    def reset(self) -> None:
        shutil.rmtree(self.consumer, ignore_errors=True)
        self.consumer.mkdir(parents=True)
        shutil.rmtree(self.work / "copy-repo", ignore_errors=True)

    def copy_twice(self) -> None:
        repo = self.work / "copy-repo"
        repo.mkdir(exist_ok=True)
        shutil.copyfile(self.producer / "out" / "weights.bin", repo / "weights.bin")
        shutil.copyfile(repo / "weights.bin", self.consumer / "weights.bin")

    def through(self, io: RepositoryArtifactIO) -> None:
        out = {"name": "m", "container": {}, "outputs": {"artifacts": [{"name": "model", "path": "/out/weights.bin"}]}}
        saved = io.save_outputs(request(out, "bench-producer"), lambda p: str(self.producer / p.lstrip("/")))
        inp = {"name": "c", "container": {}, "inputs": {"artifacts": [{**saved[0], "path": "/in/weights.bin"}]}}
        io.load_inputs(request(inp, "bench-consumer"), lambda p: str(self.consumer / p.lstrip("/")))
        self.saved = saved

    def check(self, data: bytes) -> None:
        if (self.consumer / "in" / "weights.bin").read_bytes() != data:
            raise SystemExit("benchmark artifact came back different")


def run_local(trial: Trial, data: bytes, repeat: int) -> dict[str, float]:
    io = RepositoryArtifactIO({"local": {"path": str(trial.work / "home" / "artifacts")}})
    copy = best_of(repeat, trial.copy_twice, trial.reset)
    argoctl = best_of(repeat, lambda: trial.through(io), trial.reset)
    trial.check(data)
    return {"copy": copy, "argoctl": argoctl}


def run_s3(trial: Trial, data: bytes, repeat: int) -> dict[str, float]:
    from tests.s3.fixtures import LoopbackS3

    server = LoopbackS3().start()
    try:
        bucket = server.new_bucket("bench")
        client = bucket.client()
        secrets = {"access": bucket.access_key, "secret": bucket.secret_key}
        repo = {"s3": {"endpoint": bucket.endpoint_url.removeprefix("http://"), "insecure": True,
                       "bucket": bucket.bucket, "region": bucket.region,
                       "accessKeySecret": {"name": "c", "key": "access"},
                       "secretKeySecret": {"name": "c", "key": "secret"}}}
        io = RepositoryArtifactIO(repo, get_secret=lambda name, key: secrets[key], options=DriverOptions())
        src = trial.producer / "out" / "weights.bin"

        def plain() -> None:
            client.upload_file(str(src), bucket.bucket, "plain/weights.bin")
            client.download_file(bucket.bucket, "plain/weights.bin", str(trial.consumer / "weights.bin"))

        copy = best_of(repeat, trial.copy_twice, trial.reset)
        s3_plain = best_of(repeat, plain, trial.reset)
        argoctl = best_of(repeat, lambda: trial.through(io), trial.reset)
        trial.check(data)
        return {"copy": copy, "s3 put+get": s3_plain, "argoctl": argoctl}
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 MB instead of 100 MB")
    parser.add_argument("--size-mb", type=int, default=0, help="artifact size (overrides --quick)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-s3", action="store_true", help="skip the loopback S3 part")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    size = (args.size_mb or (10 if args.quick else 100)) * MB
    print(load_line("start"))
    print(f"artifact passing, {size // MB} MB, best of {args.repeat}; ratio = argoctl / baseline")
    print(f"{'payload':<7} {'repository':<10} {'baseline':<11} {'baseline s':>10} {'argoctl s':>10} {'ratio':>6}")
    goals: list[tuple[str, float]] = []
    for kind in ("model", "text"):
        data = payload(kind, size)
        with tempfile.TemporaryDirectory(prefix="argoctl-bench-") as work:
            results = {"local": run_local(Trial(Path(work) / "local", data), data, args.repeat)}
            if not args.no_s3:
                results["s3"] = run_s3(Trial(Path(work) / "s3", data, ), data, args.repeat)
        for repository, figures in results.items():
            for baseline, seconds in figures.items():
                if baseline == "argoctl":
                    continue
                ratio = figures["argoctl"] / seconds
                print(f"{kind:<7} {repository:<10} {baseline:<11} {seconds:>10.3f} {figures['argoctl']:>10.3f} "
                      f"{ratio:>5.2f}x")
            goals.append((f"{kind} through {repository} <= {GOAL_RATIO:g}x {PLAIN[repository]}",
                          figures["argoctl"] / figures[PLAIN[repository]]))
    print(load_line("end"))
    for what, ratio in goals:
        print(goal_line(what, f"{ratio:.2f}x", ratio <= GOAL_RATIO))
    return 1 if args.check and any(ratio > GOAL_RATIO for _, ratio in goals) else 0


if __name__ == "__main__":
    raise SystemExit(main())
