"""Evaluations per second of argoctl's expression languages, against a no-op baseline.

    python benchmarks/bench_expr.py            # about 10 s
    python benchmarks/bench_expr.py --quick    # about 1 s

Measures (each also as a ratio to a no-op call measured in the same run):
* a substituted ``when`` with two tags and a numeric comparison (substitute + govaluate), once with
  the same values every time (the parsed-expression cache hits) and once with new values every time;
* a ``{{= }}`` tag calling ``jsonpath`` (substitute + expr-lang + JSONPath), cached and uncached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argoctl.expr import evaluate_when, substitute

WHEN = "{{tasks.evaluate.outputs.parameters.accuracy}} > {{inputs.parameters.threshold}}"
TAG = "{{=jsonpath(workflow.parameters.config, '$.employees[?(@.age > 42)].name')}}"
CONFIG = json.dumps({"employees": [{"name": "Baris", "age": 43}, {"name": "Mo", "age": 42}, {"name": "Jai", "age": 44}]})


def rate(fn: Callable[[int], Any], seconds: float) -> float:
    """Calls per second of ``fn(i)`` over about ``seconds``."""
    calls, start = 0, time.perf_counter()
    batch = 64
    while True:
        for i in range(calls, calls + batch):
            fn(i)
        calls += batch
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return calls / elapsed
        batch = min(batch * 2, 65536)


def noop(text: str, variables: dict[str, Any]) -> str:
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short run (about 1 s)")
    seconds = 0.12 if parser.parse_args().quick else 1.5
    when_vars = {"tasks.evaluate.outputs.parameters.accuracy": "0.93", "inputs.parameters.threshold": "0.90"}
    tag_vars = {"workflow.parameters.config": CONFIG}
    assert evaluate_when(substitute(WHEN, when_vars)) is True
    assert substitute(TAG, tag_vars) == '["Baris","Jai"]'

    def when_cached(_i: int) -> bool:
        return evaluate_when(substitute(WHEN, when_vars))

    def when_uncached(i: int) -> bool:
        variables = {"tasks.evaluate.outputs.parameters.accuracy": f"0.{i:08d}", "inputs.parameters.threshold": "0.5"}
        return evaluate_when(substitute(WHEN, variables))

    def tag_cached(_i: int) -> str:
        return substitute(TAG, tag_vars)

    def tag_uncached(i: int) -> str:
        return substitute(TAG.replace("42", str(i)), tag_vars)

    baseline = rate(lambda _i: noop(WHEN, when_vars), seconds)
    print(f"{'benchmark':<44}{'evals/s':>12}{'x no-op time':>14}")
    print(f"{'no-op baseline (call with the same arguments)':<44}{baseline:>12,.0f}{1.0:>14.1f}")
    for name, fn in (("when: 2 tags + numeric comparison (cached)", when_cached),
                     ("when: 2 tags + numeric comparison (new text)", when_uncached),
                     ("{{= }} tag with jsonpath (cached)", tag_cached),
                     ("{{= }} tag with jsonpath (new text)", tag_uncached)):
        value = rate(fn, seconds)
        print(f"{name:<44}{value:>12,.0f}{baseline / value:>14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
