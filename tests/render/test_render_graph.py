"""The graph renderers (``-o dot``, ``-o mermaid``): model, determinism, syntax."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from typing import Any

import pytest

from argoctl.render.graph import PHASE_COLOURS, build_graph
from argoctl.render.graph_dot import render_dot
from argoctl.render.graph_mermaid import render_mermaid
from argoctl.render.template_graph import template_graph, template_nodes

JSON = dict[str, Any]


def node(name: str, display: str, node_type: str, phase: str, *, boundary: str = "",
         children: tuple[str, ...] = (), outbound: tuple[str, ...] = ()) -> tuple[str, JSON]:
    body: JSON = {"name": name, "displayName": display, "type": node_type, "phase": phase}
    if boundary:
        body["boundaryID"] = boundary
    if children:
        body["children"] = list(children)
    if outbound:
        body["outboundNodes"] = list(outbound)
    return f"id-{name}", body


def retry_loop_exit_nodes() -> dict[str, JSON]:
    """A Steps workflow: a loop of two, then a Retry with two attempts, then the onExit handler."""
    return dict([
        node("wf", "wf", "Steps", "Failed", children=("id-wf[0]",), outbound=("id-wf[1].flaky(1)",)),
        node("wf[0]", "[0]", "StepGroup", "Succeeded", boundary="id-wf",
             children=("id-wf[0].echo(0:a)", "id-wf[0].echo(1:b)")),
        node("wf[0].echo(0:a)", "echo(0:a)", "Pod", "Succeeded", boundary="id-wf", children=("id-wf[1]",)),
        node("wf[0].echo(1:b)", "echo(1:b)", "Pod", "Succeeded", boundary="id-wf", children=("id-wf[1]",)),
        node("wf[1]", "[1]", "StepGroup", "Failed", boundary="id-wf", children=("id-wf[1].flaky",)),
        node("wf[1].flaky", "flaky", "Retry", "Failed", boundary="id-wf",
             children=("id-wf[1].flaky(0)", "id-wf[1].flaky(1)")),
        node("wf[1].flaky(0)", "flaky(0)", "Pod", "Failed", boundary="id-wf"),
        node("wf[1].flaky(1)", "flaky(1)", "Pod", "Error", boundary="id-wf"),
        node("wf.onExit", "wf.onExit", "Pod", "Succeeded"),
    ])


def test_nodes_edges_loops_retries_and_exit_handlers() -> None:
    graph = build_graph("wf", retry_loop_exit_nodes())
    labels = {n.id: n.label for n in graph.nodes}
    assert graph.nodes[0].label == "wf"  # the root first
    edges = {(labels[e.source], labels[e.target], e.label, e.dashed) for e in graph.edges}
    assert ("flaky", "flaky(0)", "", False) in edges and ("flaky", "flaky(1)", "", False) in edges
    assert ("echo(0:a)", "[1]", "", False) in edges
    # the workflow's exit handler hangs off the root's outbound node, dashed
    assert ("flaky(1)", "wf.onExit", "onExit", True) in edges
    assert [(c.label, [labels[m] for m in c.members]) for c in graph.clusters] == [
        ("echo (2 items)", ["echo(0:a)", "echo(1:b)"])]
    by_label = {n.label: n for n in graph.nodes}
    assert by_label["[0]"].is_point and not by_label["flaky"].is_point
    assert by_label["flaky(1)"].colour == PHASE_COLOURS["Error"] == PHASE_COLOURS["Failed"]


def test_output_does_not_depend_on_node_order_or_ids() -> None:
    nodes = retry_loop_exit_nodes()
    items = list(nodes.items())
    random.Random(3).shuffle(items)
    assert render_dot(build_graph("wf", dict(items))) == render_dot(build_graph("wf", nodes))
    assert render_mermaid(build_graph("wf", dict(items))) == render_mermaid(build_graph("wf", nodes))


def test_a_step_exit_hook_hangs_off_its_step() -> None:
    nodes = dict([
        node("wf", "wf", "DAG", "Succeeded", children=("id-wf.a",), outbound=("id-wf.a",)),
        node("wf.a", "a", "Pod", "Succeeded", boundary="id-wf"),
        node("wf.a.onExit", "a.onExit", "Pod", "Succeeded", boundary="id-wf"),
    ])
    graph = build_graph("wf", nodes)
    labels = {n.id: n.label for n in graph.nodes}
    assert [(labels[e.source], labels[e.target], e.dashed) for e in graph.edges if e.label == "onExit"] == [
        ("a", "a.onExit", True)]


def test_labels_are_escaped() -> None:
    nodes = dict([node("wf", 'say "hi" <b> & \\ back', "Pod", "Running")])
    dot = render_dot(build_graph('t"1', nodes))
    assert 'label="say \\"hi\\" <b> & \\\\ back"' in dot
    assert dot.startswith('digraph "t\\"1" {')
    mermaid = render_mermaid(build_graph("t", nodes))
    assert 'n0("say #quot;hi#quot; #lt;b#gt; #amp; \\ back")' in mermaid


MERMAID_LINE = re.compile(
    r"^(---|title: .*|flowchart TD|  n[0-9]+(\[\".*\"\]|\(\".*\"\)|\{\{\".*\"\}\}|\[/\".*\"/\]|\(\(\" \"\)\))"
    r"|    n[0-9]+.*|  subgraph loop[0-9]+\[\".*\"\]|  end|  n[0-9]+ (-->|-\.->)(\|\"[^\"]*\"\|)? n[0-9]+"
    r"|  classDef [a-z]+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}(,stroke-dasharray:4)?|  class (n[0-9]+,)*n[0-9]+ [a-z]+)$"
)


def check_mermaid(text: str) -> None:
    """Structural check: every line is one of the statement forms, ids are declared before use,
    subgraphs close, and every node belongs to exactly one class."""
    lines = text.rstrip("\n").split("\n")
    assert lines[:1] == ["---"] and lines[2:4] == ["---", "flowchart TD"]
    declared: set[str] = set()
    depth = 0
    classed: list[str] = []
    for line in lines:
        assert MERMAID_LINE.match(line), line
        stripped = line.strip()
        if stripped.startswith("subgraph"):
            depth += 1
        elif stripped == "end":
            depth -= 1
        elif stripped.startswith("class "):
            classed.extend(stripped.split()[1].split(","))
        elif "->" in stripped:
            source, _, target = stripped.split()
            assert {source, target} <= declared, line
        elif re.match(r"^n[0-9]+", stripped):
            declared.add(re.match(r"^n[0-9]+", stripped).group(0))  # type: ignore[union-attr]
    assert depth == 0
    assert sorted(classed) == sorted(declared)


def test_mermaid_is_structurally_valid() -> None:
    check_mermaid(render_mermaid(build_graph("wf", retry_loop_exit_nodes())))


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed (apt-get install graphviz)")
def test_graphviz_parses_the_dot_output() -> None:
    text = render_dot(build_graph("wf", retry_loop_exit_nodes()))
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout and "echo (2 items)" in done.stdout


DAG_MANIFEST: JSON = {
    "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"generateName": "g-"},
    "spec": {"entrypoint": "main", "onExit": "bye", "templates": [
        {"name": "main", "dag": {"tasks": [
            {"name": "a", "template": "leaf", "hooks": {"exit": {"template": "bye"}}},
            {"name": "b", "template": "leaf", "depends": "a.Succeeded || a.Failed", "withItems": [1, 2]},
            {"name": "c", "template": "inner", "dependencies": ["a"], "when": "1 == 1"},
            {"name": "d", "templateRef": {"name": "lib", "template": "t"}, "depends": "b && c"},
        ]}},
        {"name": "inner", "steps": [[{"name": "s1", "template": "flaky"}], [{"name": "s2", "template": "inner"}]]},
        {"name": "leaf", "container": {"image": "alpine"}},
        {"name": "flaky", "retryStrategy": {"limit": 1}, "container": {"image": "alpine"}},
        {"name": "bye", "container": {"image": "alpine"}},
    ]},
}


def test_template_graph_expands_from_the_entrypoint() -> None:
    nodes = template_nodes(DAG_MANIFEST)
    display = {name: n["displayName"] for name, n in nodes.items()}
    children = {display[name]: sorted(display[c] for c in n["children"]) for name, n in nodes.items()}
    assert children["g-"] == ["a"]
    assert children["a"] == ["b (withItems)", "c [when 1 == 1]"]
    assert children["b (withItems)"] == ["d → lib/t"]
    assert children["s1"] == ["[1]"]  # the inner steps' flow
    assert children["s2 (recursive)"] == ["d → lib/t"]  # c's outbound node leads to d
    assert nodes["g-.c[0].s1"]["type"] == "Retry"
    assert display["g-.onExit"] == "g-.onExit"
    graph = template_graph(DAG_MANIFEST)
    labels = {n.id: n.label for n in graph.nodes}
    assert ("d → lib/t", "g-.onExit", "onExit") in {(labels[e.source], labels[e.target], e.label) for e in graph.edges}
    assert ("a", "a.onExit", "onExit") in {(labels[e.source], labels[e.target], e.label) for e in graph.edges}
    assert {n.phase for n in graph.nodes} == {""}
    check_mermaid(render_mermaid(graph))


def test_template_graph_of_a_cron_workflow_uses_its_workflow_spec() -> None:
    cron = {"kind": "CronWorkflow", "metadata": {"name": "nightly"},
            "spec": {"schedule": "0 1 * * *", "workflowSpec": DAG_MANIFEST["spec"]}}
    assert len(template_graph(cron).nodes) == len(template_graph(DAG_MANIFEST).nodes)


def test_the_exit_handler_follows_outbound_nodes_down_to_pods() -> None:
    nodes = dict([
        node("wf", "wf", "Steps", "Succeeded", children=("id-wf[0]",), outbound=("id-wf[0].inner",)),
        node("wf[0]", "[0]", "StepGroup", "Succeeded", boundary="id-wf", children=("id-wf[0].inner",)),
        node("wf[0].inner", "inner", "DAG", "Succeeded", boundary="id-wf", children=("id-wf[0].inner.x",),
             outbound=("id-wf[0].inner.x",)),
        node("wf[0].inner.x", "x", "Pod", "Succeeded", boundary="id-wf[0].inner"),
        node("wf.onExit", "wf.onExit", "Pod", "Failed"),
    ])
    graph = build_graph("wf", nodes)
    labels = {n.id: n.label for n in graph.nodes}
    assert [(labels[e.source], labels[e.target]) for e in graph.edges if e.dashed] == [("x", "wf.onExit")]
