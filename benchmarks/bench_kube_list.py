"""``argoctl list`` and ``argoctl get`` over N workflows in the ConfigMap store against
``kubectl get configmaps`` and ``kubectl get configmap NAME -o json``.

    python benchmarks/bench_kube_list.py            # 200 workflows, best of 9
    python benchmarks/bench_kube_list.py --quick    # 20 workflows, best of 2

A loopback API server (``tests/fakecluster``, no kubelet) is filled with N workflows through the
ConfigMap store (three in four finished by the engine, with their nodes; one in four pending),
then, each a fresh process timed from spawn to exit (best of R rounds, each round running every
command once, so that the machine's load changes hit all of them alike), against the same server:

* ``argoctl list`` (``ARGOCTL_BACKEND=kubernetes``), and the same with the kubeconfig written as
  YAML (the fake cluster writes JSON, which argoctl reads without importing yaml);
* ``kubectl get configmaps -l argoctl.io/kind=workflow`` (the issue's baseline), when kubectl is
  installed; its discovery cache is warmed first, as on a workstation;
* ``argoctl get NAME -o json`` (and the default ``get`` view) against
  ``kubectl get configmap CM -o json`` of that workflow's ConfigMap;
* a bare Python LIST of the same ConfigMaps with ``http.client`` (same interpreter, JSON parsed,
  names printed): a baseline that needs no kubectl, and Python's own floor for this request;
* argoctl's own list code (``summary_of``, sort, ``render_list``) on that bare LIST, with no CLI
  framework and no kubernetes/urllib3/yaml import: what the list path costs by itself;
* ``python -c pass``.

Then where ``argoctl list``'s time goes: its steps (``argoctl.cli.quick``, no typer) timed inside
one fresh process (``STAGES``; medians of R runs). Python bytecode is cached in a temporary ``PYTHONPYCACHEPREFIX``
(warmed first), as an installed package has it.

Goals (issue 11, item 3): ``argoctl list`` <= 1.3x ``kubectl get configmaps -l ...`` and
``argoctl get NAME -o json`` <= 1.3x ``kubectl get configmap CM -o json`` (without kubectl: the
bare Python LIST for both), on wall time; the CPU time (user + system) of each command is printed
too, as a loaded machine distorts it less. ``--check`` makes the exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_local_steps import argoctl_command, child_env, timed
from benchmarks.report import load_line
from tests.fakecluster.fixtures import running_cluster

GOAL_RATIO = 1.3
SELECTOR = "argoctl.io/kind=workflow"
MANIFEST = {
    "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
    "metadata": {"generateName": "list-", "labels": {"team": "bench"}},
    "spec": {"entrypoint": "main", "templates": [
        {"name": "main", "steps": [[{"name": "a", "template": "t"}],
                                   [{"name": "b", "template": "t"}, {"name": "c", "template": "t"}],
                                   [{"name": "d", "template": "t"}]]},
        {"name": "t", "container": {"image": "busybox", "command": ["sh", "-c", "echo hi"]}},
    ]},
}
RAW_LIST = """
import http.client, json, sys, urllib.parse
server, token = sys.argv[1], sys.argv[2]
url = urllib.parse.urlsplit(server)
connection = http.client.HTTPConnection(url.hostname, url.port)
connection.request("GET", "/api/v1/namespaces/default/configmaps?labelSelector="
                   + urllib.parse.quote(sys.argv[3]), headers={"Authorization": "Bearer " + token})
items = json.loads(connection.getresponse().read())["items"]
print("\\n".join(item["metadata"]["name"] for item in items))
"""
# argoctl's own list code (ConfigMap decoding, sorting, the table) over the bare LIST above: what
# `argoctl list` would cost without its CLI framework and the kubernetes/urllib3/yaml imports
LIST_CODE = RAW_LIST.replace('print("\\n".join(item["metadata"]["name"] for item in items))', """
from datetime import UTC, datetime
from argoctl import render
from argoctl.stores import cmcodec, records
found = sorted((cmcodec.summary_of(cm) for cm in items), key=records.sort_key)
sys.stdout.write(render.render_list(render.sort_workflows(found), now=datetime.now(UTC), output="", no_headers=False))
""")
# argoctl list's steps, timed in one fresh process (what `argoctl list` does, in its order)
STAGES = """
import sys, time
marks = [time.perf_counter()]
def mark():
    marks.append(time.perf_counter())
import argoctl.cli.main, argoctl.cli.quick; mark()
parsed = argoctl.cli.quick.parse(["list"]); assert parsed is not None; mark()
from argoctl.kube.client import KubeClient; from argoctl.stores.configmap import ConfigMapStore; mark()
from argoctl.render import listing as render; mark()
client = KubeClient.from_kubeconfig(sys.argv[1]); mark()
raw = client.list("/api/v1/namespaces/default/configmaps", label_selector=sys.argv[2]); mark()
from argoctl.stores import cmcodec, records
found = sorted((cmcodec.summary_of(cm) for cm in raw["items"]), key=records.sort_key); mark()
from datetime import UTC, datetime
text = render.render_list(render.sort_workflows(found), now=datetime.now(UTC), output="", no_headers=False); mark()
print(" ".join(f"{(b - a) * 1000:.2f}" for a, b in zip(marks, marks[1:])))
"""
STAGE_NAMES = (
    "import argoctl.cli.main and argoctl.cli.quick (no typer)",
    "quick.parse the arguments",
    "import the kube client and the ConfigMap store",
    "import argoctl.render.listing (the table)",
    "KubeClient.from_kubeconfig (kubeconfig read, no kubernetes)",
    "the LIST request (server time included) and JSON parse",
    "decode the N ConfigMaps into workflow summaries",
    "sort and render the table",
)


def populate(kubeconfig: str, count: int) -> list[str]:
    """``count`` workflows through the ConfigMap store: three in four finished, with their nodes;
    returns their names."""
    from argoctl.engine.simulate import new_workflow, simulate
    from argoctl.kube.client import KubeClient
    from argoctl.stores.configmap import ConfigMapStore

    client = KubeClient.from_kubeconfig(kubeconfig, qps=0)
    store = ConfigMapStore(client, "default")
    names = []
    try:
        for index in range(count):
            created = store.create_workflow(MANIFEST)
            meta = created["metadata"]
            state = new_workflow(MANIFEST, name=meta["name"], namespace="default", created=meta["creationTimestamp"])
            if index % 4:
                state = simulate(state).state
            wire = state.to_wire(internal=True)
            wire["metadata"] = {**wire["metadata"], "uid": meta["uid"], "resourceVersion": meta["resourceVersion"]}
            store.update_workflow(wire)
            names.append(str(meta["name"]))
    finally:
        client.close()
    return names


def best_of(argv: Sequence[str], env: dict[str, str], repeat: int, expect_lines: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of ``argv``; RuntimeError when it fails or
    prints too few lines. CPU time is what a loaded machine distorts least."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the fake cluster is threads, not children
        seconds, done = timed(argv, env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0 or len(done.stdout.splitlines()) < expect_lines:
            raise RuntimeError(f"{' '.join(argv[:3])}... exited {done.returncode} with "
                               f"{len(done.stdout.splitlines())} lines:\n{done.stdout[-500:]}{done.stderr}")
        best = min(best, seconds)
        best_cpu = min(best_cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return best, best_cpu


def stages(env: dict[str, str], kubeconfig: str, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", STAGES, kubeconfig, SELECTOR], env=env, capture_output=True,
                              text=True, check=True)
        runs.append([float(x) for x in done.stdout.split()])
    return [statistics.median(run[i] for run in runs) for i in range(len(STAGE_NAMES))]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20 workflows, best of 2")
    parser.add_argument("--workflows", type=int, default=None, help="how many (default 200, quick 20)")
    parser.add_argument("--repeat", type=int, default=None, help="best of this many runs (default 9, quick 2)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    return parser.parse_args(argv)


def yaml_kubeconfig(json_path: str, workdir: Path) -> str:
    """The fake cluster's (JSON) kubeconfig rewritten as YAML, as kubectl writes them."""
    import json

    import yaml

    target = workdir / "kubeconfig.yaml"
    target.write_text(yaml.safe_dump(json.loads(Path(json_path).read_text())))
    target.chmod(0o600)
    return str(target)


def commands_for(cluster: object, names: list[str], workdir: Path, kubectl: str | None) -> list[tuple[str, list[str]]]:
    """(label, argv) of every measured command: the list group first, then the get group."""
    from argoctl.stores.cmcodec import workflow_configmap_name

    url = str(cluster.url)  # type: ignore[attr-defined]
    token, name = "fakecluster-token", names[1 % len(names)]  # a finished one
    argoctl = argoctl_command()
    found: list[tuple[str, list[str]]] = [
        ("argoctl list", [*argoctl, "list"]),
        ("argoctl list (YAML kubeconfig)", [*argoctl, "--kubeconfig", yaml_kubeconfig(
            cluster.kubeconfig_path, workdir), "list"]),  # type: ignore[attr-defined]
        ("bare Python LIST (http.client)", [sys.executable, "-c", RAW_LIST, url, token, SELECTOR]),
        ("argoctl's list code on that LIST (no CLI, no kube)", [sys.executable, "-c", LIST_CODE, url, token, SELECTOR]),
        ("python -c pass", [sys.executable, "-c", "pass"]),
        (f"argoctl get {name} -o json", [*argoctl, "get", name, "-o", "json"]),
        (f"argoctl get {name}", [*argoctl, "get", name]),
    ]
    if kubectl:
        found.insert(1, ("kubectl get configmaps -l " + SELECTOR, [kubectl, "get", "configmaps", "-l", SELECTOR]))
        found.append(("kubectl get configmap CM -o json", [kubectl, "get", "configmap",
                                                           workflow_configmap_name(name), "-o", "json"]))
    return found


def goal(rows: dict[str, float], label: str, baseline: str) -> tuple[str, bool]:
    ratio = rows[label] / rows[baseline]
    ok = ratio <= GOAL_RATIO
    return f"goal: {label} <= {GOAL_RATIO:g}x {baseline}: {ratio:.2f}x {'ok' if ok else 'MISS'}", ok


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    count = max(1, args.workflows or (20 if args.quick else 200))
    repeat = max(1, args.repeat or (2 if args.quick else 9))
    print(load_line("start"))
    kubectl = shutil.which("kubectl")
    rows: dict[str, float] = {}
    cpus: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="argoctl-bench-", ignore_cleanup_errors=True) as tmp:
        workdir = Path(tmp)
        with running_cluster(workdir, kubelet=False) as cluster:
            names = populate(cluster.kubeconfig_path, count)
            env = child_env(workdir, ARGOCTL_HOME=str(workdir / "home"), ARGOCTL_BACKEND="kubernetes",
                            KUBECONFIG=cluster.kubeconfig_path, HOME=str(workdir), NO_COLOR="1")
            commands = commands_for(cluster, names, workdir, kubectl)
            for _, argv_ in commands:
                best_of(argv_, env, 1, 0)  # warm: bytecode cache, kubectl's discovery cache
            for _ in range(repeat):  # round after round, so a burst of load hits every command alike
                for label, argv_ in commands:
                    lines = 1 if "get" in label else 0 if label.startswith("python") else count
                    wall, cpu = best_of(argv_, env, 1, lines)
                    rows[label] = min(rows.get(label, float("inf")), wall)
                    cpus[label] = min(cpus.get(label, float("inf")), cpu)
            breakdown = stages(env, cluster.kubeconfig_path, repeat)
    labels = list(rows)
    list_base = labels[1]
    get_base = labels[-1] if kubectl else list_base
    print(f"{count} workflows, best of {repeat}; baselines: {list_base}, {get_base}"
          + ("" if kubectl else " (kubectl is not installed)"))
    print(f"{'command':<54}{'best ms':>10}{'x baseline':>12}{'CPU ms':>10}{'x baseline':>12}")
    for label, seconds in rows.items():
        base = get_base if label.startswith(("argoctl get", "kubectl get configmap ")) else list_base
        print(f"{label:<54}{seconds * 1000:>10.1f}{seconds / rows[base]:>11.2f}x"
              f"{cpus[label] * 1000:>10.1f}{cpus[label] / cpus[base]:>11.2f}x")
    print()
    print(f"{'where argoctl list spends its time (one process)':<66}{'median ms':>10}")
    for name, ms in zip(STAGE_NAMES, breakdown, strict=True):
        print(f"{name:<66}{ms:>10.1f}")
    print(f"{'sum (interpreter start-up not included)':<66}{sum(breakdown):>10.1f}")
    get_label = next(label for label in labels if label.startswith("argoctl get") and label.endswith("-o json"))
    results = [goal(rows, "argoctl list", list_base), goal(rows, get_label, get_base)]
    print(load_line("end"))
    print(f"(CPU time, what load distorts least: list {cpus['argoctl list'] / cpus[list_base]:.2f}x, "
          f"get {cpus[get_label] / cpus[get_base]:.2f}x)")
    for text, _ in results:
        print(text)
    return 1 if args.check and not all(ok for _, ok in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
