"""Lint time against the number of templates: validation must stay linear.

    python benchmarks/bench_lint.py            # 2,000 and 20,000 templates (about a minute)
    python benchmarks/bench_lint.py --quick    # 200 and 2,000 templates (a few seconds)

One file per size: a WorkflowTemplate whose templates are containers with parameters, step
templates calling them with arguments and ``withItems``, DAG templates with ``depends`` calling
both, and two levels of DAGs above them (the entrypoint, then one DAG per 100), so every template
is reached and the call depth is the same at every size. Each size is read and linted in-process, strict
(the default), best of a few runs. The figure is the ratio of the large to the small time; the
brief's bound is 12 for a tenfold size (issue 8, item 7; exit 1 above it, so the benchmark fails
loudly). The machine's load average is printed before and after, the goal and its verdict last.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argoctl.validate import lint
from benchmarks.report import goal_line, load_line

BOUND = 12.0
FAN_OUT = 100  # DAG tasks per middle template: the call depth stays the same at every size


def manifest(templates: int) -> str:
    """A WorkflowTemplate with about ``templates`` templates (a third each: leaf, steps, DAG)."""
    groups = max(templates // 3, 1)
    items: list[dict[str, Any]] = []
    for i in range(groups):
        tasks: list[dict[str, Any]] = [
            {"name": "s", "template": f"steps-{i}"},
            {"name": "n", "template": f"leaf-{i}", "depends": "s.Succeeded || s.Skipped",
             "arguments": {"parameters": [{"name": "msg", "value": "{{workflow.parameters.greeting}}"}]}},
        ]
        items += [
            {"name": f"leaf-{i}", "inputs": {"parameters": [{"name": "msg"}]},
             "container": {"image": "alpine", "command": ["echo", "{{inputs.parameters.msg}}"],
                           "resources": {"limits": {"cpu": "100m"}}}},
            {"name": f"steps-{i}", "steps": [
                [{"name": "a", "template": f"leaf-{i}", "withItems": ["x", "y"],
                  "arguments": {"parameters": [{"name": "msg", "value": "{{item}}"}]}}],
                [{"name": "b", "template": f"leaf-{i}",
                  "arguments": {"parameters": [{"name": "msg", "value": "{{steps.a.outputs.result}}"}]}}],
            ]},
            {"name": f"dag-{i}", "dag": {"tasks": tasks}},
        ]
    mids = [{"name": f"mid-{j}", "dag": {"tasks": [{"name": f"d{i}", "template": f"dag-{i}"}
                                                   for i in range(j, min(j + FAN_OUT, groups))]}}
            for j in range(0, groups, FAN_OUT)]
    root = {"name": "main", "dag": {"tasks": [{"name": m["name"], "template": m["name"]} for m in mids]}}
    items = [root, *mids, *items]
    obj = {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate", "metadata": {"name": "big"},
        "spec": {"entrypoint": "main", "arguments": {"parameters": [{"name": "greeting", "value": "hi"}]},
                 "templates": items},
    }
    return yaml.dump(obj, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)


def lint_seconds(path: Path, runs: int) -> float:
    """Best CPU time of ``runs`` lints of ``path`` (which must lint clean).

    CPU time, not wall time: on a shared machine other processes stretch wall time unevenly."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        result = lint([str(path)])
        best = min(best, time.process_time() - start)
        if not result.ok:
            raise RuntimeError(f"{path} does not lint clean:\n{result.text[:2000]}")
    return best


def measure(small: int, large: int, runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as work:
        times = []
        for size in (small, large):
            path = Path(work) / f"t{size}.yaml"
            path.write_text(manifest(size))
            times.append(lint_seconds(path, runs))
    return times[0], times[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 and 2,000 templates")
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"), help="other sizes")
    args = parser.parse_args(argv)
    small, large = (200, 2000) if args.quick else (2000, 20000)
    if args.sizes:
        small, large = args.sizes
    print(load_line("start"))
    small_s, large_s = measure(small, large, runs=3 if args.quick else 2)
    ratio = large_s / small_s
    print(f"lint {small:>6} templates  {small_s * 1000:9.1f} ms")
    print(f"lint {large:>6} templates  {large_s * 1000:9.1f} ms")
    print(f"ratio {large / small:g}x size {ratio:14.2f}x (bound {BOUND:.0f}x)")
    print(load_line("end"))
    ok = ratio <= BOUND
    print(goal_line(f"lint time of {large / small:g}x the templates <= {BOUND:g}x", f"{ratio:.2f}x", ok))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
