"""Measure argoctl's raw-JSON client against the generated ``kubernetes`` client on the loopback
server: import + configuration time of a fresh process, and warm request latency (GET one
ConfigMap, LIST 50). Run: ``python -m tests.kube.bench_kube_client`` (figures only, no asserts)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.fakecluster.fixtures import running_cluster

RAW = """
import time
t0 = time.perf_counter()
import argoctl.kube.client as m
t1 = time.perf_counter()
c = m.KubeClient.from_kubeconfig({kubeconfig!r})
t2 = time.perf_counter()
c.get('/api/v1/namespaces/default/configmaps/kube-root-ca.crt')
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""
GENERATED = """
import time
t0 = time.perf_counter()
from kubernetes import client, config
t1 = time.perf_counter()
api = client.CoreV1Api(config.new_client_from_config(config_file={kubeconfig!r}))
t2 = time.perf_counter()
api.read_namespaced_config_map('kube-root-ca.crt', 'default')
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def fresh_process(code: str, runs: int) -> list[float]:
    rows = [[float(x) for x in subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                              check=True).stdout.split()] for _ in range(runs)]
    return [statistics.median(row[i] for row in rows) * 1000 for i in range(3)]


def warm(call: Callable[[], object], runs: int) -> float:
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    from kubernetes import client, config

    from argoctl.kube.client import KubeClient

    with running_cluster(Path(tempfile.mkdtemp()), kubelet=False) as cluster:
        path = cluster.kubeconfig_path
        raw_start = fresh_process(RAW.format(kubeconfig=path), 9)
        gen_start = fresh_process(GENERATED.format(kubeconfig=path), 9)
        print("fresh process, median of 9 (ms): import / configure / first GET")
        print(f"  argoctl.kube.client  {raw_start[0]:7.1f} {raw_start[1]:7.1f} {raw_start[2]:7.1f}")
        print(f"  kubernetes CoreV1Api {gen_start[0]:7.1f} {gen_start[1]:7.1f} {gen_start[2]:7.1f}")
        raw = KubeClient.from_kubeconfig(path, qps=0)
        api = client.CoreV1Api(config.new_client_from_config(config_file=path))  # type: ignore[no-untyped-call]
        cms = "/api/v1/namespaces/default/configmaps"
        for i in range(50):
            raw.create(cms, {"metadata": {"name": f"cm{i}"}, "data": {f"k{j}": "v" * 100 for j in range(10)}})
        get_raw, get_gen = warm(lambda: raw.get(f"{cms}/cm1"), 200), warm(
            lambda: api.read_namespaced_config_map("cm1", "default"), 200)
        list_raw, list_gen = warm(lambda: raw.list(cms), 50), warm(lambda: api.list_namespaced_config_map("default"), 50)
        print("warm requests, median (ms):")
        print(f"  GET one ConfigMap  raw {get_raw:.3f}  generated {get_gen:.3f}  ratio {get_raw / get_gen:.2f}")
        print(f"  LIST 50 ConfigMaps raw {list_raw:.3f}  generated {list_gen:.3f}  ratio {list_raw / list_gen:.2f}")


if __name__ == "__main__":
    main()
