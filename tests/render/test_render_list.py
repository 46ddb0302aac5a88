"""``argoctl list`` goldens: sort order, columns, wide, name, no headers, empty, the nudge."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.errors import UsageError
from argoctl.render import render_list, sort_workflows
from argoctl.render.listing import parameter_summary

from .builders import Wf, at, golden


def workflows() -> list[dict[str, Any]]:
    old = Wf("old-done", finished=600).build()
    new = Wf("new-done", phase="Failed", created=1000, started=1000, finished=1800,
             message="child 'new-done-1' failed", namespace="ml")
    new.wf["spec"]["priority"] = 5
    running_a = Wf("running-a", phase="Running", created=3000, started=3000)
    running_a.wf["spec"]["arguments"] = {"parameters": [
        {"name": "message", "value": "hello"},
        {"name": "blob", "value": "x" * 40 + "0123456789ABCDEFGHIJ"},
        {"name": "novalue"},
    ]}
    r = "running-a"
    running_a.node(r, "Steps", template="main", phase="Running", started=3000, children=(f"{r}[0]",))
    running_a.node(f"{r}[0]", "StepGroup", boundary=r, phase="Running", started=3000)
    running_a.node(f"{r}[0].p1", "Pod", boundary=r, phase="Pending", started=3001)
    running_a.node(f"{r}[0].p2", "Pod", boundary=r, phase="Running", started=3001)
    running_a.node(f"{r}[0].p3", "Pod", boundary=r, phase="Succeeded", started=3001, finished=3010)
    running_a.node(f"{r}[0].p4", "Pod", boundary=r, phase="Failed", started=3001, finished=3010)
    running_a.node(f"{r}[0].d", "Pod", boundary=r, phase="Running", started=3001, daemoned=True)
    running_b = Wf("running-b", phase="Running", created=3300, started=3300).build()
    pending_c = Wf("pending-c", phase="", created=3500, started=None).build()
    return [old, new.build(), running_a.build(), running_b, pending_c]


def test_default_table_sorted_unfinished_newest_first_then_by_finish() -> None:
    assert render_list(workflows(), now=at(3600)) == golden("""
        |NAME        STATUS      AGE   DURATION   PRIORITY   MESSAGE|
        |pending-c   Pending     1m    0s         0          |
        |running-b   Running     5m    5m         0          |
        |running-a   Running     10m   10m        0          |
        |new-done    Failed      43m   13m        5          child 'new-done-1' failed|
        |old-done    Succeeded   1h    10m        0          |
    """)


def test_wide_all_namespaces() -> None:
    out = render_list(workflows(), now=at(3600), output="wide", all_namespaces=True)
    assert out == golden("""
        |NAMESPACE   NAME        STATUS      AGE   DURATION   PRIORITY   MESSAGE                     P/R/C   PARAMETERS|
        |argo        pending-c   Pending     1m    0s         0                                      0/0/0   |
        |argo        running-b   Running     5m    5m         0                                      0/0/0   |
        |argo        running-a   Running     10m   10m        0                                      1/1/3   message=hello,blob=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...56789ABCDEFGHIJ|
        |ml          new-done    Failed      43m   13m        5          child 'new-done-1' failed   0/0/0   |
        |argo        old-done    Succeeded   1h    10m        0                                      0/0/0   |
    """)


def test_name_output() -> None:
    assert render_list(workflows(), now=at(3600), output="name") == (
        "pending-c\nrunning-b\nrunning-a\nnew-done\nold-done\n"
    )


def test_no_headers() -> None:
    assert render_list(workflows(), now=at(3600), no_headers=True) == golden("""
        |pending-c   Pending     1m    0s    0   |
        |running-b   Running     5m    5m    0   |
        |running-a   Running     10m   10m   0   |
        |new-done    Failed      43m   13m   5   child 'new-done-1' failed|
        |old-done    Succeeded   1h    10m   0   |
    """)


@pytest.mark.parametrize("output", ["", "wide", "name"])
def test_empty(output: str) -> None:
    assert render_list([], now=at(0), output=output) == "No workflows found\n"


def test_unknown_output_is_usage_error() -> None:
    with pytest.raises(UsageError):
        render_list(workflows(), now=at(0), output="tree")


def test_sort_is_total_and_input_order_free() -> None:
    same_time = [Wf(name, phase="Running", created=5).build() for name in ("b", "c", "a")]
    done = [Wf(name, finished=9).build() for name in ("z", "y")]
    names = [wf["metadata"]["name"] for wf in sort_workflows(done + same_time)]
    assert names == ["a", "b", "c", "y", "z"]
    assert [wf["metadata"]["name"] for wf in sort_workflows(list(reversed(done + same_time)))] == names


def test_parameter_summary_truncates_long_values() -> None:
    spec = {"arguments": {"parameters": [{"name": "n", "value": 7}, {"name": "flag", "value": True},
                                         {"name": "long", "value": "a" * 51}]}}
    assert parameter_summary(spec) == "n=7,flag=true,long=" + "a" * 32 + "..." + "a" * 15
    assert parameter_summary({"arguments": {"parameters": [{"name": "fifty", "value": "b" * 50}]}}) == (
        "fifty=" + "b" * 50
    )


def test_cost_nudge_over_one_hundred_workflows() -> None:
    many = [Wf(f"wf-{i:03d}", finished=i).build() for i in range(101)]
    out = render_list(many, now=at(200))
    assert out.endswith(
        "\nYou have at least 101 completed workflows. Reducing the total number of workflows will "
        "reduce your costs.\nLearn more at https://argo-workflows.readthedocs.io/en/latest/cost-optimisation/\n"
    )
    assert "You have" not in render_list(many[:100], now=at(200))
