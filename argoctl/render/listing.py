"""``argoctl list``: the workflow table (argo-semantics §5.6), and Argo's list order.

Columns ``[NAMESPACE] NAME STATUS AGE DURATION PRIORITY MESSAGE`` (tab stops, padding 3);
``wide`` adds ``P/R/C`` (pending/running/completed Pod nodes) and ``PARAMETERS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from argoctl.errors import UsageError
from argoctl.model import phases
from argoctl.render import humanize, style
from argoctl.render.tabwriter import align

JSON = Mapping[str, Any]

LIST_OUTPUTS: Final = ("", "wide", "name")
NO_WORKFLOWS: Final = "No workflows found\n"
_NUDGE_THRESHOLD: Final = 100
_PARAMETER_LIMIT: Final = 50
_PARAMETER_TAIL: Final = 15


def sort_workflows(wfs: Iterable[JSON]) -> list[JSON]:
    """Argo's order: unfinished first, newest created first; then finished, latest finished first.

    Ties (equal times) fall back to the name, so the order is total and stable.
    """
    def key(wf: JSON) -> tuple[int, float, str]:
        finished = humanize.parse_time(style.status(wf).get("finishedAt"))
        if finished is None:
            created = humanize.parse_time(style.metadata(wf).get("creationTimestamp"))
            return 0, -(created or humanize.ZERO_TIME).timestamp(), style.name(wf)
        return 1, -finished.timestamp(), style.name(wf)

    return sorted(wfs, key=key)


def render_list(
    wfs: Sequence[JSON], *, now: datetime, output: str = "", all_namespaces: bool = False,
    no_headers: bool = False, uid: bool = False,
) -> str:
    """The ``argo list`` text for ``output`` ``""``, ``wide`` or ``name`` (sorted here); ``uid``
    adds argo archive list's UID column."""
    if output not in LIST_OUTPUTS:
        raise UsageError(f"unknown list output format {output!r}", hint="use wide, name, json or yaml")
    if not wfs:
        return NO_WORKFLOWS
    ordered = sort_workflows(wfs)
    if output == "name":
        return "".join(f"{style.name(wf)}\n" for wf in ordered)
    lines: list[str] = []
    if not no_headers:
        heading = ["NAME", "STATUS", "AGE", "DURATION", "PRIORITY", "MESSAGE"]
        if all_namespaces:
            heading.insert(0, "NAMESPACE")
        if output == "wide":
            heading += ["P/R/C", "PARAMETERS"]
        if uid:
            heading.append("UID")
        lines.append("\t".join(heading) + "\n")
    lines.extend(_row(wf, now=now, wide=output == "wide", all_namespaces=all_namespaces, uid=uid) for wf in ordered)
    return align("".join(lines), padding=3) + _nudge(ordered)


def _row(wf: JSON, *, now: datetime, wide: bool, all_namespaces: bool, uid: bool = False) -> str:
    meta, wf_status = style.metadata(wf), style.status(wf)
    created = humanize.parse_time(meta.get("creationTimestamp"))
    started = humanize.parse_time(wf_status.get("startedAt"))
    finished = humanize.parse_time(wf_status.get("finishedAt"))
    cells = [
        style.name(wf),
        style.workflow_status_text(wf),
        humanize.relative_short(created, now, now=now),
        humanize.relative_short(started, finished, now=now),
        str(int(style.spec(wf).get("priority") or 0)),
        one_line(str(wf_status.get("message") or "")),
    ]
    if all_namespaces:
        cells.insert(0, str(meta.get("namespace") or ""))
    if wide:
        pending, running, completed = pod_counts(wf)
        cells.append(f"{pending}/{running}/{completed}")
        cells.append(parameter_summary(style.spec(wf)))
    if uid:
        cells.append(str(meta.get("uid") or ""))
    return "\t".join(cells) + "\n"


def one_line(message: str) -> str:
    """A message as one table cell: a line break or tab would break the alignment."""
    return " ".join(message.split()) if any(c in message for c in "\r\n\t") else message


def pod_counts(wf: JSON) -> tuple[int, int, int]:
    """(pending, running, completed) over the workflow's Pod nodes (completed = fulfilled)."""
    pending = running = completed = 0
    for node in style.nodes(wf).values():
        if node.get("type") != phases.POD:
            continue
        if style.is_fulfilled(node):
            completed += 1
        elif node.get("phase") == phases.RUNNING:
            running += 1
        else:
            pending += 1
    return pending, running, completed


def parameter_summary(wf_spec: JSON) -> str:
    """``k=v,…`` of the arguments that have a value; long values become ``first32...last15``."""
    parts = []
    for parameter in (wf_spec.get("arguments") or {}).get("parameters") or ():
        if parameter.get("value") is None:
            continue
        value = style.go_text(parameter["value"])
        if len(value) > _PARAMETER_LIMIT:
            keep = _PARAMETER_LIMIT - 3 - _PARAMETER_TAIL
            value = f"{value[:keep]}...{value[-_PARAMETER_TAIL:]}"
        parts.append(f"{parameter.get('name', '')}={value}")
    return ",".join(parts)


def _nudge(wfs: Sequence[JSON]) -> str:
    """Argo's cost-optimisation note when more than 100 workflows are complete or incomplete."""
    completed = sum(1 for wf in wfs if style.status(wf).get("phase") in phases.COMPLETED_PHASES)
    incomplete = len(wfs) - completed
    if completed <= _NUDGE_THRESHOLD and incomplete <= _NUDGE_THRESHOLD:
        return ""
    counts = []
    if incomplete > _NUDGE_THRESHOLD:
        counts.append(f"{incomplete} incomplete")
    if completed > _NUDGE_THRESHOLD:
        counts.append(f"{completed} completed")
    return (
        f"\nYou have at least {' and '.join(counts)} workflows. "
        "Reducing the total number of workflows will reduce your costs.\n"
        "Learn more at https://argo-workflows.readthedocs.io/en/latest/cost-optimisation/\n"
    )
