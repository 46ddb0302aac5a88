"""``argoctl get`` goldens for steps workflows: groups, retries, exit handler, recursion, loops."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.errors import UsageError
from argoctl.model.ids import node_id, pod_name
from argoctl.render import render_get

from .builders import Wf, at, golden


def steps_hello() -> dict[str, Any]:
    """The shape of Argo's steps walk-through: hello1, then hello2a and hello2b in parallel."""
    n = "steps-abc12"
    w = Wf(n, finished=7)
    w.wf["spec"]["arguments"] = {"parameters": [{"name": "message", "value": "hello"}]}
    w.wf["status"]["progress"] = "3/3"
    w.node(n, "Steps", template="hello-hello-hello", finished=7, children=(f"{n}[0]",))
    w.node(f"{n}[0]", "StepGroup", boundary=n, template="hello-hello-hello", finished=2,
           children=(f"{n}[0].hello1",))
    w.node(f"{n}[0].hello1", "Pod", boundary=n, template="print-message", finished=2, children=(f"{n}[1]",))
    w.node(f"{n}[1]", "StepGroup", boundary=n, template="hello-hello-hello", started=3, finished=7,
           children=(f"{n}[1].hello2a", f"{n}[1].hello2b"))
    # inserted out of order on purpose: equal start times sort by display name
    w.node(f"{n}[1].hello2b", "Pod", boundary=n, template="print-message", started=3, finished=6)
    w.node(f"{n}[1].hello2a", "Pod", boundary=n, template="print-message", started=3, finished=7)
    return w.build()


def test_steps_whole_output() -> None:
    assert render_get(steps_hello(), now=at(300)) == golden("""
        |Name:                steps-abc12|
        |Namespace:           argo|
        |ServiceAccount:      unset (will run with the default ServiceAccount)|
        |Status:              Succeeded|
        |Created:             Wed May 01 10:00:00 +0000 (5 minutes ago)|
        |Started:             Wed May 01 10:00:00 +0000 (5 minutes ago)|
        |Finished:            Wed May 01 10:00:07 +0000 (4 minutes ago)|
        |Duration:            7 seconds|
        |Progress:            3/3|
        |Parameters:          |
        |  message:           hello|
        ||
        |STEP            TEMPLATE           PODNAME                               DURATION  MESSAGE|
        | ✔ steps-abc12  hello-hello-hello                                                    |
        | ├───✔ hello1   print-message      steps-abc12-print-message-3061206261  2s          |
        | └─┬─✔ hello2a  print-message      steps-abc12-print-message-507390374   4s          |
        |   └─✔ hello2b  print-message      steps-abc12-print-message-490612755   3s          |
    """)


def test_pod_names_are_v2_and_v1_when_annotated() -> None:
    wf = steps_hello()
    hello1 = "steps-abc12[0].hello1"
    assert pod_name("steps-abc12", hello1, "print-message") in render_get(wf, now=at(300))
    wf["metadata"]["annotations"] = {"workflows.argoproj.io/pod-name-format": "v1"}
    out = render_get(wf, now=at(300))
    assert f"hello1   print-message      {node_id('steps-abc12', hello1)}" in out
    assert "print-message-3061206261" not in out


def test_times_are_shown_in_the_zone_of_now() -> None:
    from datetime import timedelta, timezone

    out = render_get(steps_hello(), now=at(300).astimezone(timezone(timedelta(hours=2))))
    assert "Created:             Wed May 01 12:00:00 +0200 (5 minutes ago)\n" in out


def retry_failure() -> dict[str, Any]:
    """A retried step that succeeded first time, one that failed 3 times, and a workflow exit handler."""
    n = "retry-fail-q7z2d"
    w = Wf(n, phase="Failed", finished=27)
    group1 = w.id(f"{n}[1]")
    w.wf["status"]["message"] = f"child '{group1}' failed"
    w.wf["status"]["progress"] = "2/5"
    w.wf["status"]["conditions"] = [
        {"type": "PodRunning", "status": "False"},
        {"type": "Completed", "status": "True"},
    ]
    w.node(n, "Steps", template="main", phase="Failed", finished=23, children=(f"{n}[0]",),
           message=f"child '{group1}' failed")
    w.node(f"{n}[0]", "StepGroup", boundary=n, template="main", finished=5, children=(f"{n}[0].gen",))
    w.node(f"{n}[0].gen", "Retry", boundary=n, template="gen", finished=5, children=(f"{n}[0].gen(0)",))
    w.node(f"{n}[0].gen(0)", "Pod", boundary=n, template="gen", finished=5, children=(f"{n}[1]",))
    flaky = f"{n}[1].flaky"
    w.node(f"{n}[1]", "StepGroup", boundary=n, template="main", phase="Failed", started=10, finished=23,
           children=(flaky,), message=f"child '{w.id(flaky)}' failed")
    w.node(flaky, "Retry", boundary=n, template="flaky", phase="Failed", started=10, finished=23,
           children=tuple(f"{flaky}({i})" for i in range(3)), message="No more retries left")
    for attempt, (start, end) in enumerate([(10, 12), (14, 16), (20, 22)]):
        w.node(f"{flaky}({attempt})", "Pod", boundary=n, template="flaky", phase="Failed", started=start,
               finished=end, message="main: Error (exit code 1)")
    w.node(f"{n}.onExit", "Pod", template="cleanup", started=24, finished=27)
    return w.build()


HEADER_RETRY = """
    |Name:                retry-fail-q7z2d|
    |Namespace:           argo|
    |ServiceAccount:      unset (will run with the default ServiceAccount)|
    |Status:              Failed|
    |Message:             child 'retry-fail-q7z2d-3593442232' failed|
    |Conditions:          |
    | PodRunning          False|
    | Completed           True|
    |Created:             Wed May 01 10:00:00 +0000 (1 minute ago)|
    |Started:             Wed May 01 10:00:00 +0000 (1 minute ago)|
    |Finished:            Wed May 01 10:00:27 +0000 (33 seconds ago)|
    |Duration:            27 seconds|
    |Progress:            2/5|
    ||
"""


def test_retries_failure_message_and_exit_handler() -> None:
    assert render_get(retry_failure(), now=at(60)) == golden(HEADER_RETRY + """
        |STEP                        TEMPLATE  PODNAME                              DURATION  MESSAGE|
        | ✖ retry-fail-q7z2d         main                                                     child 'retry-fail-q7z2d-3593442232' failed  |
        | ├───✔ gen(0)               gen       retry-fail-q7z2d-gen-4017610752      5s                                                    |
        | └───✖ flaky                flaky                                                    No more retries left                        |
        |     ├─✖ flaky(0)           flaky     retry-fail-q7z2d-flaky-773228750     2s        main: Error (exit code 1)                   |
        |     ├─✖ flaky(1)           flaky     retry-fail-q7z2d-flaky-169087371     2s        main: Error (exit code 1)                   |
        |     └─✖ flaky(2)           flaky     retry-fail-q7z2d-flaky-706412464     2s        main: Error (exit code 1)                   |
        |                                                                                                                                 |
        | ✔ retry-fail-q7z2d.onExit  cleanup   retry-fail-q7z2d-cleanup-3598828304  3s                                                    |
    """)


def test_no_utf8_uses_words_and_ascii_connectors() -> None:
    assert render_get(retry_failure(), now=at(60), utf8=False) == golden(HEADER_RETRY + """
        |STEP                                TEMPLATE  PODNAME                              DURATION  MESSAGE|
        | Failed retry-fail-q7z2d            main                                                     child 'retry-fail-q7z2d-3593442232' failed  |
        | |---Succeeded gen(0)               gen       retry-fail-q7z2d-gen-4017610752      5s                                                    |
        | `---Failed flaky                   flaky                                                    No more retries left                        |
        |     |-Failed flaky(0)              flaky     retry-fail-q7z2d-flaky-773228750     2s        main: Error (exit code 1)                   |
        |     |-Failed flaky(1)              flaky     retry-fail-q7z2d-flaky-169087371     2s        main: Error (exit code 1)                   |
        |     `-Failed flaky(2)              flaky     retry-fail-q7z2d-flaky-706412464     2s        main: Error (exit code 1)                   |
        |                                                                                                                                         |
        | Succeeded retry-fail-q7z2d.onExit  cleanup   retry-fail-q7z2d-cleanup-3598828304  3s                                                    |
    """)


def test_status_filter_keeps_exit_separator_and_hides_unmatched() -> None:
    assert render_get(retry_failure(), now=at(60), status="Failed") == golden(HEADER_RETRY + """
        |STEP                 TEMPLATE  PODNAME                           DURATION  MESSAGE|
        | ✖ retry-fail-q7z2d  main                                                  child 'retry-fail-q7z2d-3593442232' failed  |
        | └───✖ flaky         flaky                                                 No more retries left                        |
        |     ├─✖ flaky(0)    flaky     retry-fail-q7z2d-flaky-773228750  2s        main: Error (exit code 1)                   |
        |     ├─✖ flaky(1)    flaky     retry-fail-q7z2d-flaky-169087371  2s        main: Error (exit code 1)                   |
        |     └─✖ flaky(2)    flaky     retry-fail-q7z2d-flaky-706412464  2s        main: Error (exit code 1)                   |
        |                                                                                                                       |
    """)


def test_status_and_selector_together_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="both --status and --node-field-selector"):
        render_get(retry_failure(), now=at(60), status="Failed", node_field_selector="phase=Failed")


def test_bad_output_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown get output format"):
        render_get(retry_failure(), now=at(60), output="tree")


def coinflip_recursive() -> dict[str, Any]:
    """Argo's recursion walk-through: ``tails`` is a nested Steps node holding its own groups."""
    n = "coinflip-recursive-tzcb5"
    w = Wf(n, finished=40)
    w.node(n, "Steps", template="coinflip", finished=40, children=(f"{n}[0]",))
    w.node(f"{n}[0]", "StepGroup", boundary=n, template="coinflip", finished=5, children=(f"{n}[0].flip-coin",))
    w.node(f"{n}[0].flip-coin", "Pod", boundary=n, template="flip-coin", finished=5, children=(f"{n}[1]",))
    heads, tails = f"{n}[1].heads", f"{n}[1].tails"
    w.node(f"{n}[1]", "StepGroup", boundary=n, template="coinflip", started=6, finished=40, children=(heads, tails))
    w.node(heads, "Skipped", boundary=n, template="heads", phase="Skipped", started=6, finished=6,
           message="when 'tails == heads' evaluated false")
    w.node(tails, "Steps", boundary=n, template="coinflip", started=6, finished=40, children=(f"{tails}[0]",))
    w.node(f"{tails}[0]", "StepGroup", boundary=tails, template="coinflip", started=6, finished=12,
           children=(f"{tails}[0].flip-coin",))
    w.node(f"{tails}[0].flip-coin", "Pod", boundary=tails, template="flip-coin", started=6, finished=12,
           children=(f"{tails}[1]",))
    w.node(f"{tails}[1]", "StepGroup", boundary=tails, template="coinflip", started=13, finished=40,
           children=(f"{tails}[1].heads", f"{tails}[1].tails"))
    w.node(f"{tails}[1].heads", "Pod", boundary=tails, template="heads", started=13, finished=40)
    w.node(f"{tails}[1].tails", "Skipped", boundary=tails, template="tails", phase="Skipped", started=13,
           finished=13, message="when 'heads == tails' evaluated false")
    return w.build()


def test_nested_steps_boundary() -> None:
    # pod hashes match the node IDs in Argo's recursion walk-through (322836820, 1863890320)
    out = render_get(coinflip_recursive(), now=at(100), output="short")
    assert out == golden("""
        |STEP                         TEMPLATE   PODNAME                                        DURATION  MESSAGE                                NODENAME|
        | ✔ coinflip-recursive-tzcb5  coinflip                                                                                                   |
        | ├───✔ flip-coin             flip-coin  coinflip-recursive-tzcb5-flip-coin-322836820   5s                                               |
        | └─┬─○ heads                 heads                                                               when 'tails == heads' evaluated false  |
        |   └─✔ tails                 coinflip                                                                                                   |
        |     ├───✔ flip-coin         flip-coin  coinflip-recursive-tzcb5-flip-coin-1863890320  6s                                               |
        |     └─┬─✔ heads             heads      coinflip-recursive-tzcb5-heads-2327763161      27s                                              |
        |       └─○ tails             tails                                                               when 'heads == tails' evaluated false  |
    """)


def many_items() -> dict[str, Any]:
    """The data of Argo's own ``IndexOrdering`` test (13 loop children, two start times)."""
    n = "many-items-z26lj"
    items = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve"]
    finished = [48, 53, 51, 54, 50, 47, 56, 57, 42, 40, 45, 44, 59]
    w = Wf(n, finished=40)
    children = tuple(f"{n}[0].sleep({i}:{item})" for i, item in enumerate(items))
    w.node(n, "Steps", template="parallel-sleep", finished=40, children=(f"{n}[0]",))
    w.node(f"{n}[0]", "StepGroup", boundary=n, template="parallel-sleep", finished=40, children=children)
    for index, child in enumerate(children):
        w.node(child, "Pod", boundary=n, template="sleep", started=1 if index >= 10 else 0,
               finished=finished[index] - 21)
    return w.build()


def test_loop_children_ordered_by_index_like_argo() -> None:
    wf = many_items()
    assert wf["status"]["nodes"][node_id("many-items-z26lj", "many-items-z26lj[0].sleep(8:eight)")]["id"] == (
        "many-items-z26lj-753834747"
    )
    out = render_get(wf, now=at(600))
    # the exact substrings Argo's get_test.go asserts
    assert "sleep(9:nine)     sleep           many-items-z26lj-sleep-2619926859  19s" in out
    assert "sleep(10:ten)     sleep           many-items-z26lj-sleep-1052882686  23s" in out
    assert "sleep(11:eleven)  sleep           many-items-z26lj-sleep-3011405271  22s" in out
    loop_lines = [line for line in out.splitlines() if "sleep(" in line]
    assert len(loop_lines) == 13
    for index, line in enumerate(loop_lines):
        assert f"✔ sleep({index}:" in line, (index, line)


def test_pending_workflow_without_nodes_prints_only_the_header() -> None:
    wf = Wf("pending-x1", phase="Pending", started=None).build()
    del wf["status"]["nodes"]
    expected = golden("""
        |Name:                pending-x1|
        |Namespace:           argo|
        |ServiceAccount:      unset (will run with the default ServiceAccount)|
        |Status:              Pending|
        |Created:             Wed May 01 10:00:00 +0000 (now)|
        |Progress:            |
    """)
    assert render_get(wf, now=at(0)) == expected
    # Argo's quirk: -o short falls back to the header when there is no tree
    assert render_get(wf, now=at(0), output="short") == expected


def test_renders_the_models_wire_shape() -> None:
    """``WorkflowState.to_wire()`` (finishedAt null while running, progress derived) renders as is."""
    from argoctl.model.node import Node
    from argoctl.model.workflow import WorkflowState

    n = "model-wire-p4k2c"
    step = f"{n}[0].say"
    root = Node(id=n, name=n, display_name=n, type="Steps", template_name="main", phase="Running",
                started_at="2024-05-01T10:00:00Z", children=(node_id(n, f"{n}[0]"),))
    group = Node(id=node_id(n, f"{n}[0]"), name=f"{n}[0]", display_name="[0]", type="StepGroup",
                 template_name="main", phase="Running", boundary_id=n, started_at="2024-05-01T10:00:00Z",
                 children=(node_id(n, step),))
    say = Node(id=node_id(n, step), name=step, display_name="say", type="Pod", template_name="argosay",
               phase="Running", boundary_id=n, started_at="2024-05-01T10:00:01Z")
    state = WorkflowState(
        metadata={"name": n, "namespace": "default", "creationTimestamp": "2024-05-01T10:00:00Z"},
        spec={"entrypoint": "main"}, phase="Running", started_at="2024-05-01T10:00:00Z",
        nodes={node.id: node for node in (root, group, say)},
    )
    wire = state.to_wire()
    assert wire["status"]["finishedAt"] is None
    out = render_get(wire, now=at(61))
    assert "Duration:            1 minute 1 seconds\n" in out
    assert "Progress:            0/1\n" in out
    assert out.endswith(golden(f"""
        |STEP                 TEMPLATE  PODNAME                              DURATION  MESSAGE|
        | ● model-wire-p4k2c  main                                                       |
        | └───● say           argosay   {pod_name(n, step, "argosay")}  1m          |
    """))
