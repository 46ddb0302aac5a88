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

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing need not be imported here
if TYPE_CHECKING:
    from argoctl.render.formats import apply_query, render_json, render_name, render_wait_line, render_yaml
    from argoctl.render.get import render_get, render_header
    from argoctl.render.listing import render_list, sort_workflows
    from argoctl.render.progress import (
        node_line,
        node_lines,
        render_live,
        render_progress_lines,
        summary_line,
    )

# each name's module is imported on first use: ``submit --wait`` prints one line and need not load
# the tree, table and progress renderers (start-up time)
_HOMES = {
    "apply_query": "formats", "render_json": "formats", "render_name": "formats", "render_wait_line": "formats",
    "render_yaml": "formats", "render_get": "get", "render_header": "get", "render_list": "listing",
    "sort_workflows": "listing", "node_line": "progress", "node_lines": "progress", "render_live": "progress",
    "render_progress_lines": "progress", "summary_line": "progress",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
