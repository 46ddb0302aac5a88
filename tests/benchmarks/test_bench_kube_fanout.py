"""bench_kube_fanout: the ideal is computed as documented, and a short fan-out through the real CLI
against the loopback cluster costs the API what it should. Request counts are asserted (the fake
server counts every request); wall-clock speed never is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import bench_kube_fanout as bench
from tests.benchmarks.reports import goal_lines
from tests.fakecluster.faults import WRITE_VERBS

SECONDS = re.compile(r"^(?P<label>\S.*?)\s+(?P<value>[\d.]+)$")
RATIO = re.compile(r"^(?P<label>\S.*?)\s+(?P<value>[\d.]+|nan)x$")
REQUESTS = re.compile(r"^(?P<label>\S.*?)\s+(?P<total>\d+)\s+(?P<per_pod>[\d.]+)$")


def test_the_ideal_spends_the_burst_on_pods_then_one_pod_per_token() -> None:
    assert bench.qps_ideal(200, 20, 30) == 8.5
    assert bench.qps_ideal(20, 20, 30) == 0.0
    assert bench.qps_ideal(200, 0, 30) == 0.0  # --qps 0: no limit


def _check_api_cost(run: bench.ClusterRun, pods: int) -> None:
    counts = run.counts
    assert counts[("create", "pods")] == pods  # each pod created once, no retried or repeated create
    assert counts[("patch", "pods")] == 0  # no completed=true label: the workflow's state records it
    assert counts[("get", "pods/log")] == 0  # nothing needs a log (no result from it, no archiveLogs, no podGC)
    assert sum(n for (verb, resource), n in counts.items() if verb in WRITE_VERBS and resource == "pods") == pods
    # besides the creates and the batched state writes, a fixed few: the workflow's and its archive
    # record's ConfigMaps and the Lease (taken, renewed every 5 s, released); no log ConfigMaps
    state_writes, lease_writes = counts[("update", "configmaps")], run.writes_to("leases")
    assert run.writes - pods - state_writes - lease_writes <= 2
    assert counts[("watch", "pods")] == 1  # one watch per workflow, no polling
    assert counts[("get", "pods")] == 0
    assert counts[("list", "pods")] <= 1
    assert counts[("update", "configmaps")] < pods  # state writes are batched, not one per pod


@pytest.mark.kube
@pytest.mark.timeout(600)  # a hang guard: under -n 8 on two cores the quick runs take minutes
def test_quick_mode_prints_every_figure_and_the_api_cost_per_pod(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert [g["verdict"] in ("ok", "MISS") for g in goal_lines(out)] == [True]
    lines = out.splitlines()
    assert lines[1] == "20-pod fan-out, --qps 20 --burst 5"
    seconds = {m["label"]: float(m["value"]) for m in map(SECONDS.match, lines) if m}
    assert {"argoctl, rate-limited (wall)", "argoctl, rate-limited (first to last create)",
            "argoctl, --qps 0 (wall)", "engine only, no-op pod runner"} <= set(seconds)
    assert seconds["QPS-bound ideal (N - burst) / qps"] == 0.75
    ratios = {m["label"]: m["value"] for m in map(RATIO.match, lines) if m}
    assert set(ratios) == {"wall / QPS-bound ideal (the issue's figure)", "create span / QPS-bound ideal",
                           "wall / request-bound floor", "wall / wall with --qps 0", "wall / engine only"}
    assert all(value != "nan" for value in ratios.values())
    requests = {m["label"]: (int(m["total"]), float(m["per_pod"])) for m in map(REQUESTS.match, lines) if m}
    assert requests["create pods"] == (20, 1.0)
    assert requests["watch pods"][0] == 1
    assert "create configmaps" in requests
    assert requests["create configmaps"][0] <= 2  # the workflow and its archive record: no log ConfigMaps
    assert "patch pods" not in requests and "get pods/log" not in requests
    assert re.match(r"goal: wall <= 1.5x the QPS-bound ideal: [\d.]+x (ok|MISS)$", lines[-1])


@pytest.mark.kube
@pytest.mark.timeout(600)  # a hang guard, not a speed check
def test_short_fan_out_at_argo_defaults_spends_its_writes_on_creates(tmp_path: Path) -> None:
    run = bench.run_on_cluster(tmp_path, 20, bench.DEFAULT_QPS, bench.DEFAULT_BURST)
    _check_api_cost(run, 20)


@pytest.mark.kube
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_full_fan_out_of_200_pods_spends_its_writes_on_creates(tmp_path: Path) -> None:
    run = bench.run_on_cluster(tmp_path, 200, bench.DEFAULT_QPS, bench.DEFAULT_BURST)
    _check_api_cost(run, 200)
