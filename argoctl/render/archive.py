"""``argo archive get``'s summary of an archived workflow (Name … Duration, ``%-20s %v``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from argoctl.render import style
from argoctl.render.get import time_lines

JSON = Mapping[str, Any]


def _line(label: str, value: object) -> str:
    return f"{label:<20} {value}\n"


def render_archived(wf: JSON, *, now: datetime) -> str:
    meta, wf_status = style.metadata(wf), style.status(wf)
    account = style.exec_spec(wf).get("serviceAccountName") or "unset (will run with the default ServiceAccount)"
    out = [_line("Name:", meta.get("name") or ""), _line("Namespace:", meta.get("namespace") or ""),
           _line("ServiceAccount:", account), _line("Status:", wf_status.get("phase") or "")]
    if wf_status.get("message"):
        out.append(_line("Message:", wf_status["message"]))
    out += time_lines(wf, now=now)
    return "".join(out)
