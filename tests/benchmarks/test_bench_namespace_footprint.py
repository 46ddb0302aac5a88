"""bench_namespace_footprint: a short fan-out on the loopback cluster leaves one workflow record,
its pods (which hold the logs) or, with podGC, at most ``MAX_BUNDLES`` log ConfigMaps, and one
archive record; ``delete`` leaves only the archive."""

from __future__ import annotations

import re

import pytest

from argoctl.stores import cmlogs
from benchmarks import bench_namespace_footprint as bench
from tests.benchmarks.reports import goal_lines

ROW = re.compile(r"^  (?P<group>\S.*?)\s+(?P<count>\d+) objects\s+(?P<kib>[\d.]+) KiB$")


@pytest.mark.kube
@pytest.mark.timeout(180)
def test_quick_mode_counts_what_the_workflow_leaves(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quick", "--check"]) == 0
    out = capsys.readouterr().out
    finished, _, deleted = out.partition("after delete:")
    counts = {m["group"]: int(m["count"]) for m in map(ROW.match, finished.splitlines()) if m}
    assert counts["pods"] == 20 and counts["workflow record"] == 1 and counts["archive"] == 1
    assert "log copies" not in counts  # the logs are in the pods, which live as long as the workflow
    left = {m["group"]: int(m["count"]) for m in map(ROW.match, deleted.splitlines()) if m}
    assert left == {"archive": 1, "total": 1}


@pytest.mark.kube
@pytest.mark.timeout(180)
def test_pods_deleted_by_pod_gc_leave_bounded_log_copies(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quick", "--check", "--pod-gc", "OnPodCompletion"]) == 0
    out = capsys.readouterr().out
    assert "\n20-pod fan-out, 2048 bytes of log per pod, ConfigMap store, podGC OnPodCompletion\n" in out
    finished, _, deleted = out.partition("after delete:")
    counts = {m["group"]: int(m["count"]) for m in map(ROW.match, finished.splitlines()) if m}
    assert "pods" not in counts and counts["workflow record"] == 1 and counts["archive"] == 1
    assert 1 <= counts["log copies"] <= cmlogs.MAX_BUNDLES
    left = {m["group"]: int(m["count"]) for m in map(ROW.match, deleted.splitlines()) if m}
    assert left == {"archive": 1, "total": 1}
    goals = goal_lines(out)
    assert [(g["what"], g["verdict"]) for g in goals] == [
        (f"log copies <= {cmlogs.MAX_BUNDLES} ConfigMaps per workflow", "ok"),
        ("delete leaves only the archive record", "ok")]
    assert goals[0]["measured"] == str(counts["log copies"])
