"""Glyphs, ANSI colour and the small read-only views of Argo-shaped dicts that renderers share.

Every function takes the Workflow / NodeStatus dicts exactly as ``argoctl get -o json`` prints
them and never mutates them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from argoctl.model import ids, phases

JSON = Mapping[str, Any]

ANNOTATION_POD_NAME_FORMAT: Final = "workflows.argoproj.io/pod-name-format"

FG_RED: Final = 31
FG_GREEN: Final = 32
FG_YELLOW: Final = 33
FG_CYAN: Final = 36
FG_DEFAULT: Final = 39

# phase -> (utf8 glyph, ascii word, colour); phases missing here (Omitted, "") get no glyph
_PHASE_GLYPHS: Final[dict[str, tuple[str, str, int]]] = {
    phases.PENDING: ("◷", "Pending", FG_YELLOW),
    phases.RUNNING: ("●", "Running", FG_CYAN),
    phases.SUCCEEDED: ("✔", "Succeeded", FG_GREEN),
    phases.SKIPPED: ("○", "Skipped", FG_DEFAULT),
    phases.FAILED: ("✖", "Failed", FG_RED),
    phases.ERROR: ("⚠", "Error", FG_RED),
}
_SUSPEND_GLYPH: Final = ("ǁ", "Suspend", FG_CYAN)
# workflow condition type -> glyph; other condition types get none
_CONDITION_GLYPHS: Final[dict[str, tuple[str, str, int]]] = {
    "MetricsError": ("✖", "Error", FG_RED),
    "SpecWarning": ("⚠", "Warning", FG_YELLOW),
}


def ansi(text: str, code: int, *, color: bool) -> str:
    """``text`` wrapped in an SGR colour sequence when ``color`` is on."""
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _glyph(entry: tuple[str, str, int] | None, *, utf8: bool, color: bool) -> str:
    if entry is None:
        return ""
    symbol, word, code = entry
    return ansi(symbol if utf8 else word, code, color=color)


def node_glyph(node: JSON, *, utf8: bool = True, color: bool = False) -> str:
    """The status glyph of a node (``ǁ`` for an active Suspend node)."""
    if is_active_suspend(node):
        return _glyph(_SUSPEND_GLYPH, utf8=utf8, color=color)
    return _glyph(_PHASE_GLYPHS.get(str(node.get("phase") or "")), utf8=utf8, color=color)


def condition_glyph(condition_type: str, *, utf8: bool = True, color: bool = False) -> str:
    return _glyph(_CONDITION_GLYPHS.get(condition_type), utf8=utf8, color=color)


def phase_style(phase: str) -> str:
    """A rich style name for a phase (used by the live view)."""
    code = _PHASE_GLYPHS.get(phase, ("", "", FG_DEFAULT))[2]
    return {FG_RED: "red", FG_GREEN: "green", FG_YELLOW: "yellow", FG_CYAN: "cyan"}.get(code, "")


def phase_symbol(node: JSON) -> str:
    """The plain UTF-8 glyph of a node, no colour."""
    return node_glyph(node, utf8=True, color=False)


def is_active_suspend(node: JSON) -> bool:
    return node.get("type") == phases.SUSPEND and node.get("phase") == phases.RUNNING


def go_text(value: Any) -> str:
    """A parameter value as Go prints an ``AnyString``: strings verbatim, other scalars as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- workflow views -------------------------------------------------------------------------


def metadata(wf: JSON) -> JSON:
    return wf.get("metadata") or {}


def spec(wf: JSON) -> JSON:
    return wf.get("spec") or {}


def status(wf: JSON) -> JSON:
    return wf.get("status") or {}


def nodes(wf: JSON) -> Mapping[str, JSON]:
    found: Mapping[str, JSON] = status(wf).get("nodes") or {}
    return found


def name(wf: JSON) -> str:
    return str(metadata(wf).get("name") or "")


def exec_spec(wf: JSON) -> JSON:
    """The spec that runs: the stored WorkflowTemplate spec when there is one, else ``spec``."""
    stored: JSON | None = status(wf).get("storedWorkflowTemplateSpec")
    return stored if stored else spec(wf)


def workflow_status_text(wf: JSON) -> str:
    """Argo's STATUS word: ``Running (Suspended)``, ``Failed (Terminated)``, ``Pending``, ``Unknown``…"""
    phase = str(status(wf).get("phase") or "")
    if phase == phases.RUNNING and is_suspended(wf):
        return "Running (Suspended)"
    if phase == phases.FAILED and spec(wf).get("shutdown"):
        return "Failed (Terminated)"
    if phase in ("", phases.PENDING):
        return "Pending" if metadata(wf).get("creationTimestamp") else "Unknown"
    return phase


def is_suspended(wf: JSON) -> bool:
    """``spec.suspend`` is true or some Suspend node is active."""
    if spec(wf).get("suspend") is True:
        return True
    return any(is_active_suspend(node) for node in nodes(wf).values())


def progress_text(wf: JSON) -> str:
    """``status.progress`` when recorded, else ``done/total`` over Pod/Container/HTTP/Plugin/Suspend nodes."""
    recorded = status(wf).get("progress")
    if recorded:
        return str(recorded)
    done = total = 0
    for node in nodes(wf).values():
        if node.get("type") in phases.PROGRESS_TYPES:
            total += 1
            done += node.get("phase") in (phases.SUCCEEDED, phases.SKIPPED, phases.OMITTED)
    return f"{done}/{total}"


# --- node views -----------------------------------------------------------------------------


def template_of(node: JSON) -> str:
    """The template name a node ran: ``templateRef.template`` or ``templateName``."""
    ref = node.get("templateRef")
    if ref:
        return str(ref.get("template") or "")
    return str(node.get("templateName") or "")


def template_label(node: JSON) -> str:
    """The TEMPLATE column: ``templateRef.name/templateRef.template`` or ``templateName``."""
    ref = node.get("templateRef")
    if ref:
        return f"{ref.get('name') or ''}/{ref.get('template') or ''}"
    return str(node.get("templateName") or "")


def display_name(node: JSON) -> str:
    return str(node.get("displayName") or node.get("name") or "")


def pod_name_of(node: JSON, wf: JSON) -> str:
    """The pod a Pod node runs as: v2 names unless the workflow is annotated ``v1`` (node ID)."""
    annotations: JSON = metadata(wf).get("annotations") or {}
    if annotations.get(ANNOTATION_POD_NAME_FORMAT) == "v1":
        return str(node.get("id") or "")
    return ids.pod_name(name(wf), str(node.get("name") or ""), template_of(node))


def is_fulfilled(node: JSON) -> bool:
    phase = node.get("phase")
    if phase in phases.FULFILLED_PHASES:
        return True
    return bool(node.get("daemoned")) and phase != phases.PENDING
