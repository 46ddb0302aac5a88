"""``argoctl get`` goldens for DAGs, loops, skipped/omitted, suspend, wide/short and the header."""

from __future__ import annotations

from typing import Any

from argoctl.model.ids import pod_name
from argoctl.render import render_get, render_header

from .builders import Wf, at, golden


def dag_diamond() -> dict[str, Any]:
    n = "dag-diamond-k9x2p"
    w = Wf(n, finished=20)
    w.wf["status"]["progress"] = "4/4"
    w.wf["status"]["resourcesDuration"] = {"memory": 75, "cpu": 3}
    w.wf["status"]["outputs"] = {"parameters": [{"name": "answer", "value": "42"}, {"name": "nothing"}]}
    w.node(n, "DAG", template="diamond", finished=20, children=(f"{n}.A",), outboundNodes=[w.id(f"{n}.D")])
    w.node(f"{n}.A", "Pod", boundary=n, template="echo", finished=5, children=(f"{n}.B", f"{n}.C"),
           hostNodeName="kind-worker", outputs={"artifacts": [{"name": "result"}, {"name": "log"}]},
           resourcesDuration={"cpu": 1, "memory": 30})
    w.node(f"{n}.C", "Pod", boundary=n, template="echo", started=6, finished=9, children=(f"{n}.D",),
           hostNodeName="kind-worker2")
    w.node(f"{n}.B", "Pod", boundary=n, template="echo", started=6, finished=11, children=(f"{n}.D",),
           hostNodeName="kind-worker")
    w.node(f"{n}.D", "Pod", boundary=n, template_ref=("common-tools", "whalesay"), started=12, finished=20,
           hostNodeName="kind-worker")
    return w.build()


DIAMOND_HEADER = """
    |Name:                dag-diamond-k9x2p|
    |Namespace:           argo|
    |ServiceAccount:      unset (will run with the default ServiceAccount)|
    |Status:              Succeeded|
    |Created:             Wed May 01 10:00:00 +0000 (10 minutes ago)|
    |Started:             Wed May 01 10:00:00 +0000 (10 minutes ago)|
    |Finished:            Wed May 01 10:00:20 +0000 (9 minutes ago)|
    |Duration:            20 seconds|
    |Progress:            4/4|
    |ResourcesDuration:   3s*(1 cpu),1m15s*(100Mi memory)|
    |Output Parameters:   |
    |  answer:            42|
    ||
"""


def test_dag_whole_output_with_template_ref() -> None:
    assert render_get(dag_diamond(), now=at(600)) == golden(DIAMOND_HEADER + """
        |STEP                  TEMPLATE               PODNAME                                DURATION  MESSAGE|
        | ✔ dag-diamond-k9x2p  diamond                                                                   |
        | ├─✔ A                echo                   dag-diamond-k9x2p-echo-4126629468      5s          |
        | ├─✔ B                echo                   dag-diamond-k9x2p-echo-4176962325      5s          |
        | ├─✔ C                echo                   dag-diamond-k9x2p-echo-4160184706      3s          |
        | └─✔ D                common-tools/whalesay  dag-diamond-k9x2p-whalesay-4076296611  8s          |
    """)
    # a templateRef node's pod is named after templateRef.template
    assert pod_name("dag-diamond-k9x2p", "dag-diamond-k9x2p.D", "whalesay") == "dag-diamond-k9x2p-whalesay-4076296611"


def test_dag_wide() -> None:
    assert render_get(dag_diamond(), now=at(600), output="wide") == golden(DIAMOND_HEADER + """
        |STEP                  TEMPLATE               PODNAME                                DURATION  ARTIFACTS   MESSAGE  RESOURCESDURATION              NODENAME|
        | ✔ dag-diamond-k9x2p  diamond                                                                                                                     |
        | ├─✔ A                echo                   dag-diamond-k9x2p-echo-4126629468      5s        result,log           1s*(1 cpu),30s*(100Mi memory)  kind-worker|
        | ├─✔ B                echo                   dag-diamond-k9x2p-echo-4176962325      5s                                                            kind-worker|
        | ├─✔ C                echo                   dag-diamond-k9x2p-echo-4160184706      3s                                                            kind-worker2|
        | └─✔ D                common-tools/whalesay  dag-diamond-k9x2p-whalesay-4076296611  8s                                                            kind-worker|
    """)


def test_dag_short_prints_only_the_tree() -> None:
    assert render_get(dag_diamond(), now=at(600), output="short") == golden("""
        |STEP                  TEMPLATE               PODNAME                                DURATION  MESSAGE  NODENAME|
        | ✔ dag-diamond-k9x2p  diamond                                                                          |
        | ├─✔ A                echo                   dag-diamond-k9x2p-echo-4126629468      5s                 kind-worker|
        | ├─✔ B                echo                   dag-diamond-k9x2p-echo-4176962325      5s                 kind-worker|
        | ├─✔ C                echo                   dag-diamond-k9x2p-echo-4160184706      3s                 kind-worker2|
        | └─✔ D                common-tools/whalesay  dag-diamond-k9x2p-whalesay-4076296611  8s                 kind-worker|
    """)


def test_wide_exit_separator_splits_the_last_columns() -> None:
    """The onExit separator row has 5 cells, so wide's MESSAGE and RESOURCESDURATION re-align below it."""
    wf = dag_diamond()
    n = "dag-diamond-k9x2p"
    on_exit = Wf(n).node(f"{n}.onExit", "Pod", template="notify", started=21, finished=22, message="done",
                         resourcesDuration={"cpu": 1})
    wf["status"]["nodes"][on_exit["id"]] = on_exit
    table = render_get(wf, now=at(600), output="wide").split("\n\n", 1)[1]
    assert table == golden("""
        |STEP                         TEMPLATE               PODNAME                                DURATION  ARTIFACTS   MESSAGE  RESOURCESDURATION              NODENAME|
        | ✔ dag-diamond-k9x2p         diamond                                                                                                                     |
        | ├─✔ A                       echo                   dag-diamond-k9x2p-echo-4126629468      5s        result,log           1s*(1 cpu),30s*(100Mi memory)  kind-worker|
        | ├─✔ B                       echo                   dag-diamond-k9x2p-echo-4176962325      5s                                                            kind-worker|
        | ├─✔ C                       echo                   dag-diamond-k9x2p-echo-4160184706      3s                                                            kind-worker2|
        | └─✔ D                       common-tools/whalesay  dag-diamond-k9x2p-whalesay-4076296611  8s                                                            kind-worker|
        |                                                                                                                 |
        | ✔ dag-diamond-k9x2p.onExit  notify                 dag-diamond-k9x2p-notify-4080056048    1s                    done  1s*(1 cpu)  |
    """)


def dag_loop() -> dict[str, Any]:
    """A DAG with a withItems fan-out (TaskGroup), a skipped task and an omitted task."""
    n = "dag-loop-m3n4b"
    w = Wf(n, finished=30)
    w.wf["status"]["progress"] = "4/4"
    items = ["b", "a", "c"]
    w.node(n, "DAG", template="main", finished=30, children=(f"{n}.gen",))
    w.node(f"{n}.gen", "Pod", boundary=n, template="gen", finished=4, children=(f"{n}.fan",))
    w.node(f"{n}.fan", "TaskGroup", boundary=n, template="work", started=5, finished=20,
           children=tuple(f"{n}.fan({i}:{x})" for i, x in enumerate(items)))
    for index, item in enumerate(items):
        w.node(f"{n}.fan({index}:{item})", "Pod", boundary=n, template="work", started=5,
               finished=12 + index * 3, inputs={"parameters": [{"name": "item", "value": item}]})
    w.node(f"{n}.report", "Skipped", boundary=n, template="report", phase="Skipped", started=21, finished=21,
           message="when 'false' evaluated false")
    w.node(f"{n}.cleanup", "Skipped", boundary=n, template="cleanup", phase="Omitted", started=21,
           finished=21, message="omitted: depends condition not met")
    return w.build()


LOOP_HEADER = """
    |Name:                dag-loop-m3n4b|
    |Namespace:           argo|
    |ServiceAccount:      unset (will run with the default ServiceAccount)|
    |Status:              Succeeded|
    |Created:             Wed May 01 10:00:00 +0000 (1 minute ago)|
    |Started:             Wed May 01 10:00:00 +0000 (1 minute ago)|
    |Finished:            Wed May 01 10:00:30 +0000 (1 minute ago)|
    |Duration:            30 seconds|
    |Progress:            4/4|
    ||
"""


def test_dag_loop_skipped_and_omitted() -> None:
    # TaskGroup not drawn (its children hang under the DAG), loop children by index, Omitted hidden
    assert render_get(dag_loop(), now=at(90)) == golden(LOOP_HEADER + """
        |STEP               TEMPLATE  PODNAME                         DURATION  MESSAGE|
        | ✔ dag-loop-m3n4b  main                                                                              |
        | ├─✔ gen           gen       dag-loop-m3n4b-gen-970464657    4s                                      |
        | ├─✔ fan(0:b)      work      dag-loop-m3n4b-work-3768311481  7s                                      |
        | ├─✔ fan(1:a)      work      dag-loop-m3n4b-work-4057268763  10s                                     |
        | ├─✔ fan(2:c)      work      dag-loop-m3n4b-work-2152094114  13s                                     |
        | └─○ report        report                                              when 'false' evaluated false  |
    """)


def test_node_field_selector_on_input_parameter() -> None:
    out = render_get(dag_loop(), now=at(90), node_field_selector="inputs.parameters.item.value=a")
    assert out == golden(LOOP_HEADER + """
        |STEP         TEMPLATE  PODNAME                         DURATION  MESSAGE|
        | ✔ fan(1:a)  work      dag-loop-m3n4b-work-4057268763  10s         |
    """)


def test_node_field_selector_can_show_omitted_only_if_not_omitted() -> None:
    out = render_get(dag_loop(), now=at(90), node_field_selector="phase=Omitted")
    assert "cleanup" not in out  # Omitted nodes are never drawn
    out = render_get(dag_loop(), now=at(90), node_field_selector="templateName!=work,phase!=Skipped")
    assert [line.split()[1] for line in out.split("\n\n", 1)[1].splitlines()[1:]] == ["dag-loop-m3n4b", "gen"]


def suspended() -> dict[str, Any]:
    n = "approval-w8d2q"
    w = Wf(n, phase="Running")
    w.wf["status"]["progress"] = "1/4"
    w.wf["status"]["estimatedDuration"] = 120
    group = f"{n}[0]"
    w.node(n, "Steps", template="main", phase="Running", children=(group,))
    w.node(group, "StepGroup", boundary=n, template="main", phase="Running",
           children=(f"{group}.approve", f"{group}.build", f"{group}.lint", f"{group}.test"))
    w.node(f"{group}.approve", "Suspend", boundary=n, template="approve", phase="Running", started=1)
    w.node(f"{group}.build", "Pod", boundary=n, template="build", phase="Running", started=1)
    w.node(f"{group}.lint", "Pod", boundary=n, template="lint", phase="Pending", started=1,
           message="ContainerCreating")
    w.node(f"{group}.test", "Pod", boundary=n, template="test", started=1, finished=9)
    return w.build()


SUSPEND_HEADER = """
    |Name:                approval-w8d2q|
    |Namespace:           argo|
    |ServiceAccount:      unset (will run with the default ServiceAccount)|
    |Status:              Running (Suspended)|
    |Created:             Wed May 01 10:00:00 +0000 (1 minute ago)|
    |Started:             Wed May 01 10:00:00 +0000 (1 minute ago)|
    |Duration:            1 minute 15 seconds|
    |EstimatedDuration:   2 minutes 0 seconds|
    |Progress:            1/4|
    ||
"""


def test_suspend_running_and_pending() -> None:
    assert render_get(suspended(), now=at(75)) == golden(SUSPEND_HEADER + """
        |STEP               TEMPLATE  PODNAME                          DURATION  MESSAGE|
        | ● approval-w8d2q  main                                                                    |
        | └─┬─ǁ approve     approve                                                                 |
        |   ├─● build       build     approval-w8d2q-build-1730714261  1m                           |
        |   ├─◷ lint        lint      approval-w8d2q-lint-269887034    1m        ContainerCreating  |
        |   └─✔ test        test      approval-w8d2q-test-2452372971   8s                           |
    """)


def test_color_and_no_utf8_keep_columns_aligned() -> None:
    out = render_get(suspended(), now=at(75), utf8=False, color=True).replace("\x1b", "^")
    assert out == golden(SUSPEND_HEADER + """
        |^[39mSTEP^[0m                     TEMPLATE  PODNAME                          DURATION  MESSAGE|
        | ^[36mRunning^[0m approval-w8d2q  main                                                                    |
        | `-+-^[36mSuspend^[0m approve     approve                                                                 |
        |   |-^[36mRunning^[0m build       build     approval-w8d2q-build-1730714261  1m                           |
        |   |-^[33mPending^[0m lint        lint      approval-w8d2q-lint-269887034    1m        ContainerCreating  |
        |   `-^[32mSucceeded^[0m test      test      approval-w8d2q-test-2452372971   8s                           |
    """)


def test_single_pod_workflow_failed_with_message() -> None:
    n = "hello-fail-2x9vq"
    w = Wf(n, phase="Failed", finished=4, message="main: Error (exit code 1)")
    w.wf["status"]["progress"] = "0/1"
    w.node(n, "Pod", template="main", phase="Failed", finished=4, message="main: Error (exit code 1)")
    out = render_get(w.build(), now=at(3600 * 3))
    assert out == golden("""
        |Name:                hello-fail-2x9vq|
        |Namespace:           argo|
        |ServiceAccount:      unset (will run with the default ServiceAccount)|
        |Status:              Failed|
        |Message:             main: Error (exit code 1)|
        |Created:             Wed May 01 10:00:00 +0000 (3 hours ago)|
        |Started:             Wed May 01 10:00:00 +0000 (3 hours ago)|
        |Finished:            Wed May 01 10:00:04 +0000 (2 hours ago)|
        |Duration:            4 seconds|
        |Progress:            0/1|
        ||
        |STEP                 TEMPLATE  PODNAME           DURATION  MESSAGE|
        | ✖ hello-fail-2x9vq  main      hello-fail-2x9vq  4s        main: Error (exit code 1)  |
    """)


def test_header_variants() -> None:
    w = Wf("from-tmpl-5kq8d", phase="Failed", finished=65)
    w.wf["spec"] = {"workflowTemplateRef": {"name": "my-template"}, "shutdown": "Terminate"}
    w.wf["status"]["storedWorkflowTemplateSpec"] = {
        "serviceAccountName": "runner",
        "arguments": {"parameters": [{"name": "n", "value": 3}, {"name": "unset"}, {"name": "s", "value": ""}]},
    }
    w.wf["status"]["conditions"] = [{"type": "SpecWarning", "status": "True", "message": "deprecated field"}]
    w.wf["status"]["outputs"] = {
        "parameters": [{"name": "d", "default": "fallback"}],
        "artifacts": [{"name": "model", "s3": {"bucket": "ml", "key": "run/model.bin"}}, {"name": "nowhere"}],
    }
    assert render_header(w.build(), now=at(7200)) == golden("""
        |Name:                from-tmpl-5kq8d|
        |Namespace:           argo|
        |ServiceAccount:      runner|
        |Status:              Failed (Terminated)|
        |Conditions:          |
        |⚠ SpecWarning        deprecated field|
        |Created:             Wed May 01 10:00:00 +0000 (2 hours ago)|
        |Started:             Wed May 01 10:00:00 +0000 (2 hours ago)|
        |Finished:            Wed May 01 10:01:05 +0000 (1 hour ago)|
        |Duration:            1 minute 5 seconds|
        |Progress:            |
        |Parameters:          |
        |  n:                 3|
        |  s:                 |
        |Output Parameters:   |
        |  d:                 fallback|
        |Output Artifacts:    |
        |  model:             s3://ml/run/model.bin|
    """)
    del w.wf["status"]["storedWorkflowTemplateSpec"]
    assert "ServiceAccount:      unset\n" in render_header(w.build(), now=at(7200))
