"""``-o dot`` and ``-o mermaid``: the workflow graph (``get``) or template graph (``lint``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.cli.app import App

GRAPH_OUTPUTS = ("dot", "mermaid")


def render_graph(graph: Any, output: str) -> str:
    if output == "dot":
        from argoctl.render.graph_dot import render_dot

        return render_dot(graph)
    from argoctl.render.graph_mermaid import render_mermaid

    return render_mermaid(graph)


def print_run_graph(app: App, workflow: Mapping[str, Any], output: str) -> None:
    """The graph of a workflow's nodes, coloured by phase (``get -o dot|mermaid``)."""
    from argoctl.render.graph import build_graph

    status = workflow.get("status") or {}
    title = str((workflow.get("metadata") or {}).get("name") or "workflow")
    app.out(render_graph(build_graph(title, status.get("nodes") or {}), output).rstrip("\n"))


def print_template_graphs(app: App, manifests: list[Mapping[str, Any]], output: str) -> None:
    """The template graph of each manifest, before it runs (``lint -o dot|mermaid``)."""
    from argoctl.render.template_graph import template_graph

    texts = [render_graph(template_graph(manifest), output).rstrip("\n") for manifest in manifests]
    app.out("\n\n".join(texts))
