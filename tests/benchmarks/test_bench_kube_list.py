"""bench_kube_list: in its quick mode every measured command lists every stored workflow (checked
by ``best_of``) and every figure is printed; no test depends on the speed verdict."""

from __future__ import annotations

import re
import shutil

import pytest

from benchmarks import bench_kube_list as bench

ROW = re.compile(r"^(?P<label>\S.*?)\s+(?P<ms>[\d.]+)\s+(?P<ratio>[\d.]+)x$")
STAGE = re.compile(r"^(?P<label>\S.*?)\s+(?P<ms>[\d.]+)$")


def test_the_list_code_baseline_renders_the_table_from_the_bare_list() -> None:
    assert bench.LIST_CODE != bench.RAW_LIST and "render_list" in bench.LIST_CODE
    assert bench.LIST_CODE.startswith(bench.RAW_LIST.split("print(")[0])


@pytest.mark.kube
@pytest.mark.timeout(600)  # a hang guard: under -n 8 on two cores the quick runs take minutes
def test_quick_mode_prints_times_ratios_and_the_breakdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quick", "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    kubectl = shutil.which("kubectl") is not None
    baseline = f"kubectl get configmaps -l {bench.SELECTOR}" if kubectl else "bare Python LIST (http.client)"
    assert lines[0].startswith(f"20 workflows, best of 1; baseline: {baseline}")
    rows = {m["label"]: float(m["ratio"]) for m in map(ROW.match, lines) if m}
    expected = {"argoctl list", "bare Python LIST (http.client)", "argoctl's list code on that LIST (no CLI, no kube)",
                "python -c pass"} | ({baseline} if kubectl else set())
    assert set(rows) == expected
    assert rows[baseline] == 1.0
    stages = {m["label"]: float(m["ms"]) for m in map(STAGE.match, lines) if m and m["label"] not in rows}
    assert set(bench.STAGE_NAMES) <= set(stages)
    assert re.match(r"goal: argoctl list <= 1x .+: [\d.]+x (ok|MISS)$", lines[-1])
