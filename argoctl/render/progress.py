"""What ``--watch`` shows: stable plain lines when stderr is not a TTY, a live rich tree when it is.

Plain lines never contain durations or ages, so a watcher can print a node's line only when it
changes: keep the last ``node_lines(wf)`` and print the values that differ (``render_progress_lines``
gives the same lines as a list, plus the summary line last).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from argoctl.model import phases
from argoctl.render import humanize, style
from argoctl.render.tree import TreeRow, tree_rows

if TYPE_CHECKING:
    from rich.console import RenderableType

JSON = Mapping[str, Any]


def node_line(node: JSON, wf: JSON, *, utf8: bool = True) -> str:
    """``● step1 (pod-name) Running`` / ``✖ step1 (pod-name) Failed: main: Error (exit code 1)``."""
    glyph = style.node_glyph(node, utf8=utf8, color=False)
    text = f"{glyph} {style.display_name(node)}" if glyph else style.display_name(node)
    if node.get("type") == phases.POD:
        text += f" ({style.pod_name_of(node, wf)})"
    text += f" {node.get('phase') or 'Pending'}"
    message = str(node.get("message") or "")
    return f"{text}: {message}" if message else text


def summary_line(wf: JSON) -> str:
    """``<name> <Status> <done>/<total>`` and the workflow message, if any."""
    text = f"{style.name(wf)} {style.workflow_status_text(wf)} {style.progress_text(wf)}"
    message = str(style.status(wf).get("message") or "")
    return f"{text}: {message}" if message else text


def node_lines(wf: JSON, *, utf8: bool = True) -> dict[str, str]:
    """``node ID -> node_line`` for every node ``argo get`` draws, in drawing order."""
    trees = tree_rows(wf, utf8=utf8)
    if trees is None:
        return {}
    return {
        str(row.node.get("id") or row.node.get("name")): node_line(row.node, wf, utf8=utf8)
        for row in (*trees[0], *(trees[1] or ()))
    }


def render_progress_lines(wf: JSON, *, now: datetime, utf8: bool = True) -> list[str]:
    """All node lines in drawing order, then the summary line (``now`` is accepted for symmetry)."""
    del now  # plain lines are time-free on purpose: they must not change while nothing happens
    return [*node_lines(wf, utf8=utf8).values(), summary_line(wf)]


def render_live(wf: JSON, *, now: datetime) -> RenderableType:
    """A rich renderable: header with status, N/M progress and duration, then the node tree."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    wf_status = style.status(wf)
    started = humanize.parse_time(wf_status.get("startedAt"))
    finished = humanize.parse_time(wf_status.get("finishedAt"))
    phase = str(wf_status.get("phase") or "")
    header = Text()
    header.append(style.name(wf), style="bold")
    header.append("  ")
    header.append(style.workflow_status_text(wf), style=style.phase_style(phase))
    header.append(f"  {style.progress_text(wf)}")
    if started is not None:
        header.append(f"  {humanize.relative_long(started, finished, now=now)}")
    parts: list[RenderableType] = [header]
    if wf_status.get("message"):
        parts.append(Text(str(wf_status["message"]), style=style.phase_style(phase)))
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2), header_style="bold")
    for column in ("STEP", "TEMPLATE", "PODNAME", "DURATION", "MESSAGE"):
        table.add_column(column, no_wrap=column != "MESSAGE")
    trees = tree_rows(wf)
    if trees is not None:
        for row in trees[0]:
            table.add_row(*_live_cells(row, wf, now=now))
        if trees[1] is not None:
            table.add_row("", "", "", "", "")
            for row in trees[1]:
                table.add_row(*_live_cells(row, wf, now=now))
    parts.append(table)
    return Group(*parts)


def _live_cells(row: TreeRow, wf: JSON, *, now: datetime) -> tuple[Any, ...]:
    from rich.text import Text

    node = row.node
    step = Text(row.prefix)
    step.append(style.phase_symbol(node), style=style.phase_style(str(node.get("phase") or "")))
    step.append(f" {style.display_name(node)}")
    is_pod = node.get("type") == phases.POD
    duration = ""
    if is_pod:
        started = humanize.parse_time(node.get("startedAt"))
        finished = humanize.parse_time(node.get("finishedAt"))
        duration = humanize.relative_short(started, finished, now=now)
    message = Text(str(node.get("message") or ""), style="red" if node.get("phase") in phases.UNSUCCESSFUL_PHASES else "")
    return step, style.template_label(node), style.pod_name_of(node, wf) if is_pod else "", duration, message
