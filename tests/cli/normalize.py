"""Normalise what must vary between runs of the real CLI, and nothing else.

Varying: workflow name suffixes from ``generateName`` (and the pod hashes derived from them),
wall-clock times, ages and durations, uids, resource versions and the host name. Everything else
in an output is compared byte for byte against a golden file.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Mapping
from typing import Any

CLOCK = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                   r"[ \d]\d \d\d:\d\d:\d\d [+-]\d{4}\b")
AGO = re.compile(r"\((?:now|an? \w+ ago|\d+ \w+ ago)\)")
WAIT_TIME = re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} UTC\b")
RFC3339 = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b")
UID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
HEADER_DURATION = re.compile(r"^(Duration:\s+)\S.*$", re.MULTILINE)
# a table cell such as 0s, 12s, 1m3s or 106751d, with the padding after it (kept the same width)
CELL_DURATION = re.compile(r"(?<![\w./:'-])(?:\d+[dhms])+(?![\w./:'-]) *")
VOLATILE_KEYS = frozenset({"creationTimestamp", "uid", "resourceVersion", "startedAt", "finishedAt",
                           "hostNodeName", "resourcesDuration", "estimatedDuration"})


def _cell(match: re.Match[str]) -> str:
    return "<D>".ljust(len(match.group(0)))


def rename(text: str, names: Mapping[str, str]) -> str:
    """Replace generated workflow names, then the pod-name hashes that follow them."""
    for actual, placeholder in sorted(names.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(actual, placeholder)
        text = re.sub(rf"({re.escape(placeholder)}-[a-z0-9-]*?-)\d{{6,10}}\b", r"\1<HASH>", text)
        text = re.sub(rf"({re.escape(placeholder)}-)\d{{6,10}}\b", r"\1<HASH>", text)
    return text


def text(output: str, names: Mapping[str, str] | None = None, *, cells: bool = True) -> str:
    """A human-readable output (get, list, submit, wait) with its varying parts replaced;
    ``cells`` also replaces table cells that hold a duration or an age."""
    output = rename(output, names or {})
    output = CLOCK.sub("<TIME>", output)
    output = AGO.sub("(<AGO>)", output)
    output = WAIT_TIME.sub("<TIME>", output)
    output = RFC3339.sub("<TIME>", output)
    output = UID.sub("<UID>", output)
    output = HEADER_DURATION.sub(r"\1<DURATION>", output)
    if cells:
        output = CELL_DURATION.sub(_cell, output)
    host = socket.gethostname()
    return re.sub(rf"(?<=\s){re.escape(host)}$", "<HOST>", output, flags=re.MULTILINE) if host else output


def json_value(value: Any, names: Mapping[str, str] | None = None) -> Any:
    """A JSON document with volatile fields replaced by ``<KEY>`` placeholders."""
    if isinstance(value, dict):
        return {rename(k, names or {}): (f"<{k}>" if k in VOLATILE_KEYS and value[k] is not None
                                         else json_value(v, names)) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v, names) for v in value]
    if isinstance(value, str):
        return text(value, names, cells=False)
    return value


def json_text(output: str, names: Mapping[str, str] | None = None) -> str:
    return json.dumps(json_value(json.loads(output), names), indent=4) + "\n"
