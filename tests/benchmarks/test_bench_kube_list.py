"""bench_kube_list: in its quick mode every measured command lists every stored workflow (checked
by ``best_of``) and every figure is printed; no test depends on the speed verdict."""

from __future__ import annotations

import re
import shutil

import pytest

from benchmarks import bench_kube_list as bench
from tests.benchmarks.reports import goal_lines

ROW = re.compile(r"^(?P<label>\S.*?)\s+(?P<ms>[\d.]+)\s+(?P<ratio>[\d.]+)x\s+(?P<cpu>[\d.]+)\s+(?P<cpu_ratio>[\d.]+)x$")
STAGE = re.compile(r"^(?P<label>\S.*?)\s+(?P<ms>[\d.]+)$")


def test_the_list_code_baseline_renders_the_table_from_the_bare_list() -> None:
    assert bench.LIST_CODE != bench.RAW_LIST and "render_list" in bench.LIST_CODE
    assert bench.LIST_CODE.startswith(bench.RAW_LIST.split("print(")[0])


@pytest.mark.kube
@pytest.mark.timeout(600)  # a hang guard: under -n 8 on two cores the quick runs take minutes
def test_quick_mode_prints_times_ratios_and_the_breakdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quick", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert len(goal_lines(out)) == 2
    lines = out.splitlines()[1:]  # after the load line
    kubectl = shutil.which("kubectl") is not None
    baseline = f"kubectl get configmaps -l {bench.SELECTOR}" if kubectl else "bare Python LIST (http.client)"
    assert lines[0].startswith("20 workflows, best of 1; baseline")
    assert baseline in lines[0]
    rows = {m["label"]: float(m["ratio"]) for m in map(ROW.match, lines) if m}
    assert {"argoctl list", "argoctl list (YAML kubeconfig)", "bare Python LIST (http.client)",
            "argoctl's list code on that LIST (no CLI, no kube)", "python -c pass"} <= set(rows)
    assert any(label.startswith("argoctl get ") and label.endswith(" -o json") for label in rows)
    assert rows[baseline] == 1.0
    stages = {m["label"]: float(m["ms"]) for m in map(STAGE.match, lines) if m and m["label"] not in rows}
    assert set(bench.STAGE_NAMES) <= set(stages)
    assert re.match(r"goal: argoctl list <= 1.3x .+: [\d.]+x (ok|MISS)$", lines[-2])
    assert re.match(r"goal: argoctl get \S+ -o json <= 1.3x .+: [\d.]+x (ok|MISS)$", lines[-1])
