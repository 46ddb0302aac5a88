"""A 10,000-node workflow driven as it really runs: ``runtime.driver.Driver`` over the local store
(state persisted after every step, read back for ``update_workflow``'s version check, archived at
the end), with an instant backend (every pod succeeds as soon as it is started), in a fresh
process whose peak RSS is reported (``resource.getrusage``). Used by ``bench_engine.py --rss``.

    python benchmarks/bench_engine_driver.py --fan-out 10000     # prints one JSON line
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.timefmt import rfc3339
from argoctl.runtime.driver import Driver
from argoctl.stores.local import LocalStore

JSON = dict[str, Any]


class InstantBackend:
    """Every pod started succeeds at once; ``wait`` hands back all that finished since."""

    def __init__(self) -> None:
        self.done: list[PodUpdate] = []
        self.started = 0

    def start(self, request: PodRequest) -> None:
        self.started += 1
        self.done.append(PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Succeeded",
                                   outputs={"exitCode": "0"}, finished_at=rfc3339(datetime.now(UTC))))

    def kill(self, pod_name: str, *, reason: str) -> None:
        return None

    def remove(self, pod_name: str, *, selector: JSON | None = None) -> None:
        return None

    def wait(self, timeout: float) -> Sequence[PodUpdate]:
        done, self.done = self.done, []
        return done

    def adopt(self, requests: Sequence[PodRequest]) -> Sequence[PodUpdate]:
        return []

    def read_logs(self, pod_name: str, container: str = "main", *, timestamps: bool = False) -> str:
        return ""

    def close(self) -> None:
        return None


def manifest(count: int, *, chain: bool) -> JSON:
    tasks: list[JSON] = []
    for index in range(count):
        task: JSON = {"name": f"t{index}", "template": "noop"}
        if chain and index:
            task["dependencies"] = [f"t{index - 1}"]
        tasks.append(task)
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "bench", "namespace": "default"},
            "spec": {"entrypoint": "main",
                     "templates": [{"name": "main", "dag": {"tasks": tasks}},
                                   {"name": "noop", "container": {"image": "alpine:3", "command": ["true"]}}]}}


def peak_rss_kb() -> int:
    """This process's peak RSS: ``VmHWM`` (reset by exec, unlike ``ru_maxrss``, which a child
    started from a big parent inherits), else ``resource.getrusage``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fan-out", type=int, default=0)
    parser.add_argument("--chain", type=int, default=0)
    args = parser.parse_args(argv)
    count, chain = (args.chain, True) if args.chain else (args.fan_out or 10000, False)
    with tempfile.TemporaryDirectory(prefix="argoctl-bench-") as home:
        store = LocalStore(Path(home))
        store.create_workflow(manifest(count, chain=chain))
        backend = InstantBackend()
        steps = 0

        def counted(_state: object) -> None:
            nonlocal steps
            steps += 1

        start, cpu = time.perf_counter(), time.process_time()
        state = Driver(store, backend, on_change=counted).run("bench")
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = len(json.dumps(store.get_workflow("bench")).encode())
    peak_kb = peak_rss_kb()
    print(json.dumps({"phase": state.phase, "nodes": len(state.nodes), "pods": backend.started, "steps": steps,
                      "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "peak_rss_mb": round(peak_kb / 1024, 1),
                      "state_bytes": size}))
    return 0 if state.phase == "Succeeded" else 1


if __name__ == "__main__":
    raise SystemExit(main())
