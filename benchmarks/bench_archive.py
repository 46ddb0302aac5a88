"""Archive benchmark: write and list N finished workflows (with a log each) in the S3 and local stores.

    python benchmarks/bench_archive.py [--quick] [--count N]

The S3 store runs against moto's server on loopback (started here, in this process). Every figure
is printed as a ratio against a baseline measured in the same run on the same bytes:
  write  vs plain PutObject / plain file writes of the same workflow and log bytes
  list   vs plain ListObjectsV2 of the workflow keys / reading and parsing every workflow file
Absolute times depend on the machine; the ratios are what to compare between runs.

Goal (issue 5): listing 1,000 archived workflows stays under a second, in each store. A run with
another ``--count`` is held to the same second. ``--check`` makes the exit status 1 when missed.
The machine's load average is printed before and after; the goal lines come last.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from argoctl.stores.local import LocalStore  # noqa: E402
from argoctl.stores.objectstore import ObjectStore  # noqa: E402
from benchmarks.report import goal_line, load_line  # noqa: E402
from tests.s3.fixtures import LoopbackS3  # noqa: E402

JSON = dict[str, Any]
GOAL_LIST_SECONDS = 1.0
LOG = "".join(f"2024-05-01T12:00:{i:02d}Z step {i}: loss=0.{i:02d}\n" for i in range(8))


def finished_workflow(index: int, nodes: int = 10) -> JSON:
    name = f"train-{index:05d}"
    phase = "Succeeded" if index % 5 else "Failed"
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"name": name, "creationTimestamp": "2024-05-01T12:00:00Z", "labels": {
            "workflows.argoproj.io/phase": phase, "workflows.argoproj.io/completed": "true", "team": "ml"}},
        "spec": {"entrypoint": "main", "arguments": {"parameters": [{"name": "lr", "value": "0.01"}]},
                 "templates": [{"name": "main", "container": {"image": "python:3.12", "command": ["python", "-c"],
                                                              "args": ["print('train')"]}}]},
        "status": {
            "phase": phase, "startedAt": "2024-05-01T12:00:00Z", "finishedAt": "2024-05-01T12:03:00Z",
            "progress": f"{nodes}/{nodes}",
            "nodes": {f"{name}-{n}": {
                "id": f"{name}-{n}", "name": f"{name}[0].step-{n}", "displayName": f"step-{n}", "type": "Pod",
                "templateName": "main", "phase": phase, "startedAt": "2024-05-01T12:00:00Z",
                "finishedAt": "2024-05-01T12:00:10Z", "outputs": {"result": "ok", "exitCode": "0"},
            } for n in range(nodes)},
        },
    }


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """Best of ``repeat`` runs (reads are repeatable; writes run once)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


Row = tuple[str, str, float, float, str]  # store, operation, seconds, baseline seconds, baseline is


def bench_s3(workflows: list[JSON], server: LoopbackS3) -> list[Row]:
    endpoint = server.new_bucket("argoctl-bench")
    client = endpoint.client()
    bodies = [json.dumps(wf, separators=(",", ":")).encode() for wf in workflows]

    def plain_puts() -> None:
        for wf, body in zip(workflows, bodies, strict=True):
            name = wf["metadata"]["name"]
            client.put_object(Bucket=endpoint.bucket, Key=f"plain/{name}.json", Body=body)
            client.put_object(Bucket=endpoint.bucket, Key=f"plain/logs/{name}/main.log", Body=LOG.encode())

    store = ObjectStore(endpoint.url("bench"), config=endpoint.config())
    store.get_lease("warm-up")

    def archive() -> None:
        for wf in workflows:
            store.create_workflow(wf)
            store.append_log(wf["metadata"]["name"], wf["metadata"]["name"], "main", LOG)

    baseline_write = timed(plain_puts)
    write = timed(archive)

    def plain_list() -> None:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=endpoint.bucket, Prefix="plain/train")
        _expect(sum(len(page.get("Contents", [])) for page in pages), len(workflows))

    def list_and_get_each() -> None:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=endpoint.bucket, Prefix="plain/train")
        keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
        _expect(len([client.get_object(Bucket=endpoint.bucket, Key=k)["Body"].read() for k in keys]), len(keys))

    reader = ObjectStore(endpoint.url("bench"), config=endpoint.config())
    reader.get_lease("warm-up")
    baseline_list = timed(plain_list, repeat=3)
    listing = timed(lambda: _expect(len(reader.list_workflows()), len(workflows)), repeat=3)
    get_each = timed(list_and_get_each)
    return [
        ("s3", "write", write, baseline_write, "plain PutObject of the same workflow + log bytes"),
        ("s3", "list", listing, baseline_list, "plain ListObjectsV2 of the workflow keys (names only)"),
        ("s3", "list", listing, get_each, "ListObjectsV2 + GetObject of every workflow (no index)"),
    ]


def bench_local(workflows: list[JSON]) -> list[Row]:
    root = Path(tempfile.mkdtemp(prefix="argoctl-bench-"))
    bodies = [json.dumps(wf, separators=(",", ":")).encode() for wf in workflows]
    def plain_writes(sync: bool) -> Callable[[], None]:
        def write() -> None:
            plain = root / ("plain-fsync" if sync else "plain")
            plain.mkdir()
            for wf, body in zip(workflows, bodies, strict=True):
                name = wf["metadata"]["name"]
                for path, data in ((plain / f"{name}.json", body), (plain / f"{name}.log", LOG.encode())):
                    with open(path, "wb") as handle:
                        handle.write(data)
                        if sync:
                            handle.flush()
                            os.fsync(handle.fileno())
        return write

    store = LocalStore(root / "home")

    def archive() -> None:
        for wf in workflows:
            store.create_workflow(wf)
            store.append_log(wf["metadata"]["name"], wf["metadata"]["name"], "main", LOG)

    baseline_write = timed(plain_writes(sync=False))
    baseline_sync = timed(plain_writes(sync=True))
    write = timed(archive)

    def plain_read() -> None:
        docs = [json.loads(path.read_bytes()) for path in sorted((root / "plain").glob("*.json"))]
        _expect(len(docs), len(workflows))

    baseline_list = timed(plain_read, repeat=3)
    listing = timed(lambda: _expect(len(LocalStore(root / "home").list_workflows()), len(workflows)), repeat=3)
    return [
        ("local", "write", write, baseline_write, "plain file writes of the same bytes (no fsync)"),
        ("local", "write", write, baseline_sync, "plain file writes of the same bytes, each fsynced"),
        ("local", "list", listing, baseline_list, "reading and json-parsing every workflow file"),
    ]


def _expect(got: int, wanted: int) -> None:
    if got != wanted:
        raise SystemExit(f"bench_archive: expected {wanted} workflows, got {got}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 workflows instead of 1,000")
    parser.add_argument("--count", type=int, default=0, help="number of workflows (overrides --quick)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    count = args.count or (200 if args.quick else 1000)
    workflows = [finished_workflow(i) for i in range(count)]
    size = len(json.dumps(workflows[0]))
    print(load_line("start"))
    server = LoopbackS3().start()
    try:
        rows = bench_s3(workflows, server) + bench_local(workflows)
    finally:
        server.stop()
    print(f"archive benchmark: {count} finished workflows ({size / 1024:.1f} KiB each) + one log each")
    print(f"{'store':<6} {'op':<6} {'seconds':>8} {'baseline':>9} {'ratio':>7}  baseline is")
    for store, operation, seconds, baseline, what in rows:
        print(f"{store:<6} {operation:<6} {seconds:8.3f} {baseline:9.3f} {seconds / baseline:6.2f}x  {what}")
    print(load_line("end"))
    missed = False
    for store in ("s3", "local"):
        seconds = min(row[2] for row in rows if row[:2] == (store, "list"))
        ok = seconds < GOAL_LIST_SECONDS
        missed |= not ok
        print(goal_line(f"{store} list of {count:,} archived workflows < {GOAL_LIST_SECONDS:g} s", f"{seconds:.3f} s",
                        ok))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
