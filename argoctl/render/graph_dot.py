"""``-o dot``: a ``Graph`` as Graphviz text (``dot -Tsvg``), deterministic."""

from __future__ import annotations

from argoctl.model import phases
from argoctl.render.graph import Graph, GraphNode

_SHAPES = {phases.STEPS: "box", phases.DAG: "box", phases.RETRY: "hexagon", phases.SUSPEND: "octagon"}


def quote(text: str) -> str:
    """A Graphviz double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node_line(node: GraphNode) -> str:
    if node.is_point:
        attrs = {"shape": "point", "width": "0.12", "fillcolor": node.colour, "tooltip": node.label}
    else:
        style = "filled,rounded" if node.type not in _SHAPES else "filled"
        if node.phase in (phases.SKIPPED, phases.OMITTED):
            style += ",dashed"
        attrs = {"label": node.label, "shape": _SHAPES.get(node.type, "box"), "style": style,
                 "fillcolor": node.colour, "tooltip": f"{node.type} {node.phase or 'not run'}".strip()}
    body = ", ".join(f"{key}={quote(value)}" for key, value in attrs.items())
    return f"{node.id} [{body}];"


def render_dot(graph: Graph) -> str:
    """The graph as a ``digraph`` (one cluster per loop, dashed onExit edges)."""
    lines = [f"digraph {quote(graph.title)} {{", "  rankdir=TB;",
             '  node [fontname="Helvetica", fontsize=11, style=filled];',
             '  edge [color="#8fa4b1"];']
    clustered = {member for cluster in graph.clusters for member in cluster.members}
    by_id = {node.id: node for node in graph.nodes}
    lines.extend(f"  {_node_line(node)}" for node in graph.nodes if node.id not in clustered)
    for cluster in graph.clusters:
        lines.append(f"  subgraph cluster_{cluster.id} {{")
        lines.append(f'    label={quote(cluster.label)}; style="rounded,dashed"; color="#8fa4b1";')
        lines.extend(f"    {_node_line(by_id[member])}" for member in cluster.members)
        lines.append("  }")
    for edge in graph.edges:
        attrs = []
        if edge.label:
            attrs.append(f"label={quote(edge.label)}")
        if edge.dashed:
            attrs.append('style="dashed"')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {edge.source} -> {edge.target}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
