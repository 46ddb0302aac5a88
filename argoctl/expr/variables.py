"""Values of the global variables whose text Argo builds with Go formatting rules (§3.1).

The engine owns *when* each variable exists; these helpers give the exact text Argo would put in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from argoctl.expr.gofmt import go_quote, marshal
from argoctl.expr.gotime import format_layout

# util/strftime FormatChars: workflow.creationTimestamp.<char> -> Go layout
STRFTIME_CHARS = {
    "B": "January", "b": "Jan", "m": "01", "A": "Monday", "a": "Mon", "d": "02", "H": "15", "I": "03", "M": "04",
    "S": "05", "Y": "2006", "y": "06", "p": "PM", "Z": "MST", "z": "-0700", "L": ".000",
}
RFC3339 = "2006-01-02T15:04:05Z07:00"
FAILURE_FIELDS = ("displayName", "message", "templateName", "phase", "podName", "finishedAt")


def creation_timestamp_variables(created: dt.datetime) -> dict[str, str]:
    """``workflow.creationTimestamp`` and its ``.RFC3339``, ``.s`` and strftime-character forms."""
    moment = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    rfc3339 = format_layout(moment, RFC3339)
    out = {"workflow.creationTimestamp": rfc3339, "workflow.creationTimestamp.RFC3339": rfc3339,
           "workflow.creationTimestamp.s": str(int(moment.timestamp()))}
    for char, layout in STRFTIME_CHARS.items():
        out[f"workflow.creationTimestamp.{char}"] = format_layout(moment, layout)
    return out


def failures_variable(failures: Sequence[Mapping[str, str | None]]) -> str:
    """``workflow.failures``: the JSON list of failed nodes, Go-quoted (``"null"`` when there is none).

    Each failure maps ``displayName``, ``message``, ``templateName``, ``phase``, ``podName`` and
    ``finishedAt`` (RFC3339, or None) -- the fields and order of Argo's ``failedNodeStatus``.
    """
    if not failures:
        return go_quote("null")
    items = []
    for failure in failures:
        fields = [f"{marshal(name)}:{marshal(failure.get(name) or ('' if name != 'finishedAt' else None))}"
                  for name in FAILURE_FIELDS]
        items.append("{" + ",".join(fields) + "}")
    return go_quote("[" + ",".join(items) + "]")


def duration_variable(seconds: float) -> str:
    """``workflow.duration``: Go's ``%f`` of the elapsed seconds."""
    return f"{seconds:f}"
