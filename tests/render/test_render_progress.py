"""The ``--watch`` views: stable plain lines and the live rich renderable."""

from __future__ import annotations

import io

from rich.console import Console

from argoctl.render import node_line, node_lines, render_live, render_progress_lines, summary_line
from argoctl.render.tree import visible_nodes

from .builders import at
from .test_render_get_dag import suspended
from .test_render_get_steps import retry_failure


def test_node_line_shapes() -> None:
    wf = retry_failure()
    by_name = {node["displayName"]: node for node in wf["status"]["nodes"].values()}
    assert node_line(by_name["flaky(0)"], wf) == (
        "✖ flaky(0) (retry-fail-q7z2d-flaky-773228750) Failed: main: Error (exit code 1)"
    )
    assert node_line(by_name["gen(0)"], wf) == "✔ gen(0) (retry-fail-q7z2d-gen-4017610752) Succeeded"
    assert node_line(by_name["flaky"], wf) == "✖ flaky Failed: No more retries left"
    assert node_line(by_name["flaky(0)"], wf, utf8=False).startswith("Failed flaky(0) (")


def test_progress_lines_follow_the_tree_and_end_with_the_summary() -> None:
    wf = retry_failure()
    assert render_progress_lines(wf, now=at(60)) == [
        "✖ retry-fail-q7z2d Failed: child 'retry-fail-q7z2d-3593442232' failed",
        "✔ gen(0) (retry-fail-q7z2d-gen-4017610752) Succeeded",
        "✖ flaky Failed: No more retries left",
        "✖ flaky(0) (retry-fail-q7z2d-flaky-773228750) Failed: main: Error (exit code 1)",
        "✖ flaky(1) (retry-fail-q7z2d-flaky-169087371) Failed: main: Error (exit code 1)",
        "✖ flaky(2) (retry-fail-q7z2d-flaky-706412464) Failed: main: Error (exit code 1)",
        "✔ retry-fail-q7z2d.onExit (retry-fail-q7z2d-cleanup-3598828304) Succeeded",
        "retry-fail-q7z2d Failed 2/5: child 'retry-fail-q7z2d-3593442232' failed",
    ]


def test_plain_lines_do_not_change_with_time() -> None:
    wf = suspended()
    assert render_progress_lines(wf, now=at(10)) == render_progress_lines(wf, now=at(1000))


def test_node_lines_are_keyed_by_id_for_diffing() -> None:
    wf = suspended()
    before = node_lines(wf)
    build_id = next(nid for nid, node in wf["status"]["nodes"].items() if node["displayName"] == "build")
    wf["status"]["nodes"][build_id] = {**wf["status"]["nodes"][build_id], "phase": "Succeeded",
                                       "finishedAt": "2024-05-01T10:00:30Z"}
    after = node_lines(wf)
    changed = {nid: line for nid, line in after.items() if before.get(nid) != line}
    assert changed == {build_id: "✔ build (approval-w8d2q-build-1730714261) Succeeded"}
    assert list(before) == [node["id"] for node in visible_nodes(wf)]


def test_summary_line_counts_progress_when_not_recorded() -> None:
    wf = suspended()
    assert summary_line(wf) == "approval-w8d2q Running (Suspended) 1/4"
    del wf["status"]["progress"]
    assert summary_line(wf) == "approval-w8d2q Running (Suspended) 1/4"


def test_live_view_renders_tree_progress_duration_and_messages() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, color_system=None, force_terminal=False)
    console.print(render_live(suspended(), now=at(75)))
    text = buffer.getvalue()
    lines = text.splitlines()
    assert lines[0] == "approval-w8d2q  Running (Suspended)  1/4  1 minute 15 seconds"
    assert lines[1].split() == ["STEP", "TEMPLATE", "PODNAME", "DURATION", "MESSAGE"]
    assert "└─┬─ǁ approve" in text
    assert "├─◷ lint" in text and "ContainerCreating" in text
    assert "approval-w8d2q-build-1730714261" in text and "1m" in text


def test_live_view_shows_exit_handler_and_message() -> None:
    buffer = io.StringIO()
    Console(file=buffer, width=160, color_system=None).print(render_live(retry_failure(), now=at(60)))
    text = buffer.getvalue()
    assert "child 'retry-fail-q7z2d-3593442232' failed" in text.splitlines()[1]
    assert "retry-fail-q7z2d.onExit" in text
    assert "main: Error (exit code 1)" in text
