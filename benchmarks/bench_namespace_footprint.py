"""What a finished workflow leaves in its namespace on the loopback cluster (issue 8, item 6).

    python benchmarks/bench_namespace_footprint.py           # 200 pods, 2 KiB of log each
    python benchmarks/bench_namespace_footprint.py --quick   # 20 pods
    python benchmarks/bench_namespace_footprint.py --pod-gc OnPodCompletion   # pods deleted, logs copied

Runs an N-pod fan-out (each pod prints ``--log-bytes`` of log) through ``argoctl submit --wait``
on a fresh loopback cluster with the ConfigMap store, then counts the objects of every kind in the
namespace and their bytes (the JSON the API server returns for them), grouped by what they are:
the workflow record, log copies, the archive, leases, pods. Then ``argoctl delete`` and counts
again. Logs are copied into the store only for pods argoctl deletes (README "Logs on a cluster"),
so log copies appear with ``--pod-gc``. Nothing is timed; ``--check`` exits 1 when a goal is missed.

Goals (issue 8, item 6): the log copies stay within ``MAX_BUNDLES`` ConfigMaps per workflow, and
``argoctl delete`` leaves nothing of the workflow but its archive record. The machine's load
average is printed before and after; the goal lines come last.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argoctl.kube.client import KubeClient
from argoctl.stores import cmlogs
from benchmarks.bench_engine import dag_manifest
from benchmarks.bench_local_steps import argoctl_command, child_env, timed
from benchmarks.report import goal_line, load_line
from tests.fakecluster.fixtures import running_cluster

JSON = dict[str, Any]
NAMESPACE = "default"
COLLECTIONS = {"configmaps": f"/api/v1/namespaces/{NAMESPACE}/configmaps",
               "pods": f"/api/v1/namespaces/{NAMESPACE}/pods",
               "secrets": f"/api/v1/namespaces/{NAMESPACE}/secrets",
               "leases": f"/apis/coordination.k8s.io/v1/namespaces/{NAMESPACE}/leases"}


def manifest(pods: int, log_bytes: int, pod_gc: str = "") -> JSON:
    wf = dag_manifest(pods, chain=False)
    if pod_gc:
        wf["spec"]["podGC"] = {"strategy": pod_gc}
    wf["spec"]["templates"][1]["container"] = {
        "image": "alpine:3", "command": ["sh", "-c", f"head -c {log_bytes} /dev/zero | tr '\\0' x; echo"]}
    return wf


def _group(resource: str, item: JSON) -> str:
    if resource != "configmaps":
        return resource
    kind = ((item.get("metadata") or {}).get("labels") or {}).get("argoctl.io/kind", "")
    return {"workflow": "workflow record", "workflow-part": "workflow record", "logs": "log copies",
            "log": "log copies (old format)", "archivedworkflow": "archive"}.get(kind, f"configmaps ({kind or 'other'})")


def footprint(kubeconfig: str) -> dict[str, tuple[int, int]]:
    """{group: (objects, bytes)} of what the namespace holds now."""
    client = KubeClient.from_kubeconfig(kubeconfig, qps=0)
    counts: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    try:
        for resource, path in COLLECTIONS.items():
            for item in client.list(path).get("items") or []:
                if (item.get("metadata") or {}).get("name") == "kube-root-ca.crt":
                    continue
                group = _group(resource, item)
                counts[group] += 1
                sizes[group] += len(json.dumps(item, separators=(",", ":")))
    finally:
        client.close()
    return {group: (counts[group], sizes[group]) for group in sorted(counts)}


def run(workdir: Path, pods: int, log_bytes: int,
        pod_gc: str = "") -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    path = workdir / f"footprint-{pods}.yaml"
    path.write_text(yaml.safe_dump(manifest(pods, log_bytes, pod_gc)))
    with running_cluster(workdir) as cluster:
        env = child_env(workdir, ARGOCTL_HOME=str(workdir / "home"), ARGOCTL_BACKEND="kubernetes",
                        KUBECONFIG=cluster.kubeconfig_path, NO_COLOR="1")
        _, done = timed([*argoctl_command(), "--qps", "0", "submit", str(path), "--wait", "-o", "name"], env)
        if done.returncode != 0:
            raise RuntimeError(f"argoctl submit --wait exited {done.returncode}:\n{done.stdout}{done.stderr}")
        finished = footprint(cluster.kubeconfig_path)
        _, deleted = timed([*argoctl_command(), "delete", done.stdout.strip()], env)
        if deleted.returncode != 0:
            raise RuntimeError(f"argoctl delete exited {deleted.returncode}:\n{deleted.stderr}")
        after = footprint(cluster.kubeconfig_path)
    return finished, after


def _print(title: str, found: dict[str, tuple[int, int]]) -> None:
    print(title)
    for group, (count, size) in found.items():
        print(f"  {group:<28} {count:>5} objects {size / 1024:>10.1f} KiB")
    print(f"  {'total':<28} {sum(c for c, _ in found.values()):>5} objects "
          f"{sum(s for _, s in found.values()) / 1024:>10.1f} KiB")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20 pods")
    parser.add_argument("--pods", type=int, default=None, help="fan-out width (default 200, quick 20)")
    parser.add_argument("--log-bytes", type=int, default=2048, help="log bytes each pod prints")
    parser.add_argument("--pod-gc", default="", help="podGC strategy, e.g. OnPodCompletion (default none)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    pods = args.pods or (20 if args.quick else 200)
    print(load_line("start"))
    with tempfile.TemporaryDirectory(prefix="argoctl-footprint-") as tmp:
        finished, after = run(Path(tmp), pods, args.log_bytes, args.pod_gc)
    gc = f"podGC {args.pod_gc}" if args.pod_gc else "no podGC"
    print(f"{pods}-pod fan-out, {args.log_bytes} bytes of log per pod, ConfigMap store, {gc}")
    _print("after submit --wait:", finished)
    _print("after delete:", after)
    print(load_line("end"))
    logs, _ = finished.get("log copies", (0, 0))
    logs_ok = logs <= cmlogs.MAX_BUNDLES
    print(goal_line(f"log copies <= {cmlogs.MAX_BUNDLES} ConfigMaps per workflow", f"{logs}", logs_ok))
    left = sorted(group for group in after if group != "archive")
    print(goal_line("delete leaves only the archive record", ", ".join(left) + " left" if left else "nothing else left",
                    not left))
    return 1 if args.check and not (logs_ok and not left) else 0


if __name__ == "__main__":
    sys.exit(main())
