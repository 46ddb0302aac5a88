"""Renderers: Argo-shaped Workflow dicts in, text (or rich renderables) out.

What it does: the ``argo get`` header and node tree, the ``argo list`` table, JSON/YAML/name
output, JMESPath ``--query``, the ``wait`` line, the plain and live ``--watch`` views, and the
Go-compatible humanized times they all use. Every function is pure and deterministic: the current
time is passed in as ``now``, nothing is printed, no console is created at import time.

May import: the standard library, ``argoctl.errors``, ``argoctl.model``, and (lazily, inside the
functions that need them) ``rich``, ``yaml`` and ``jmespath``. Importing this package stays cheap.

Called by: ``argoctl.cli`` (get, list, submit, wait, watch, template/cluster-template get and
list) and the runtime's watch loop (``node_lines``, ``render_live``).
"""

from __future__ import annotations

from argoctl.render.formats import apply_query, render_json, render_name, render_wait_line, render_yaml
from argoctl.render.get import render_get, render_header
from argoctl.render.listing import render_list, sort_workflows
from argoctl.render.progress import node_line, node_lines, render_live, render_progress_lines, summary_line

__all__ = [
    "apply_query",
    "node_line",
    "node_lines",
    "render_get",
    "render_header",
    "render_json",
    "render_list",
    "render_live",
    "render_name",
    "render_progress_lines",
    "render_wait_line",
    "render_yaml",
    "sort_workflows",
    "summary_line",
]
