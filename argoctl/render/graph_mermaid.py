"""``-o mermaid``: a ``Graph`` as a Mermaid flowchart (renders in GitHub/GitLab Markdown)."""

from __future__ import annotations

import json

from argoctl.model import phases
from argoctl.render.graph import PHASE_COLOURS, Graph, GraphNode

# Mermaid shapes: (open, close) around the quoted label
_SHAPES = {phases.STEPS: ("[", "]"), phases.DAG: ("[", "]"), phases.RETRY: ("{{", "}}"),
           phases.SUSPEND: ("[/", "/]")}
_CLASSES = {"": "notrun", phases.SUCCEEDED: "succeeded", phases.FAILED: "failed", phases.ERROR: "error",
            phases.RUNNING: "running", phases.PENDING: "pending", phases.SKIPPED: "skipped",
            phases.OMITTED: "omitted"}


def label(text: str) -> str:
    """A Mermaid quoted label: double quotes and markup characters as entity codes."""
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return f'"{text}"'


def _node_line(node: GraphNode) -> str:
    if node.is_point:
        return f"{node.id}((\" \"))"
    opening, closing = _SHAPES.get(node.type, ("(", ")"))
    return f"{node.id}{opening}{label(node.label)}{closing}"


def render_mermaid(graph: Graph) -> str:
    """The graph as ``flowchart TD`` with one class per phase and one subgraph per loop."""
    lines = ["---", f"title: {json.dumps(graph.title)}", "---", "flowchart TD"]
    clustered = {member for cluster in graph.clusters for member in cluster.members}
    by_id = {node.id: node for node in graph.nodes}
    lines.extend(f"  {_node_line(node)}" for node in graph.nodes if node.id not in clustered)
    for cluster in graph.clusters:
        lines.append(f"  subgraph {cluster.id}[{label(cluster.label)}]")
        lines.extend(f"    {_node_line(by_id[member])}" for member in cluster.members)
        lines.append("  end")
    for edge in graph.edges:
        arrow = "-.->" if edge.dashed else "-->"
        middle = f"|{label(edge.label)}|" if edge.label else ""
        lines.append(f"  {edge.source} {arrow}{middle} {edge.target}")
    used = sorted({_CLASSES.get(node.phase, "notrun") for node in graph.nodes})
    for phase, name in sorted(_CLASSES.items(), key=lambda item: item[1]):
        if name in used:
            dashed = ",stroke-dasharray:4" if phase in (phases.SKIPPED, phases.OMITTED, "") else ""
            lines.append(f"  classDef {name} fill:{PHASE_COLOURS[phase]},stroke:#5a6875{dashed}")
    for name in used:
        members = [node.id for node in graph.nodes if _CLASSES.get(node.phase, "notrun") == name]
        lines.append(f"  class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"
