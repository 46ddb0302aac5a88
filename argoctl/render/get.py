"""``argoctl get``: the header block and the node tree, byte for byte as ``argo get`` prints them.

Header lines use Go's ``%-20s %v``; the tree is laid out with tab stops of padding 2
(argo-semantics §5.5). Times are shown in the time zone of ``now`` (UTC when ``now`` is naive),
as Go shows them in the local zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from argoctl.errors import UsageError
from argoctl.model import phases
from argoctl.model.fieldselector import node_matches, parse_node_field_selector
from argoctl.render import humanize, style
from argoctl.render.tabwriter import align
from argoctl.render.tree import Selector, TreeRow, tree_rows

JSON = Mapping[str, Any]

GET_OUTPUTS: Final = ("", "wide", "short")
_HEADINGS: Final = {
    "": ("TEMPLATE", "PODNAME", "DURATION", "MESSAGE"),
    "wide": ("TEMPLATE", "PODNAME", "DURATION", "ARTIFACTS", "MESSAGE", "RESOURCESDURATION", "NODENAME"),
    "short": ("TEMPLATE", "PODNAME", "DURATION", "MESSAGE", "NODENAME"),
}
_EXIT_SEPARATOR: Final = "\t\t\t\t\t\n"
_DENOMINATORS: Final = {"memory": "100Mi", "storage": "10Gi", "ephemeral-storage": "10Gi"}
# artifact location key -> how it is shown in "Output Artifacts:"
_LOCATION_FORMATS: Final = (
    ("s3", "s3://{bucket}/{key}"),
    ("git", "{repo}"),
    ("http", "{url}"),
    ("artifactory", "{url}"),
    ("hdfs", "hdfs://{path}"),
    ("raw", "raw"),
    ("oss", "oss://{bucket}/{key}"),
    ("gcs", "gs://{bucket}/{key}"),
    ("azure", "azblob://{container}/{blob}"),
)


def render_get(
    wf: JSON, *, now: datetime, output: str = "", utf8: bool = True, color: bool = False,
    node_field_selector: str = "", status: str = "",
) -> str:
    """The whole ``argo get`` view of one workflow (``output`` ``""``, ``wide`` or ``short``)."""
    if output not in GET_OUTPUTS:
        raise UsageError(f"unknown get output format {output!r}", hint="use json, yaml, name, wide or short")
    selector = _selector(node_field_selector, status)
    header = render_header(wf, now=now, color=color, utf8=utf8)
    trees = tree_rows(wf, selector=selector, utf8=utf8)
    if trees is None:
        return header
    table = _tree_table(wf, trees[0], trees[1], now=now, output=output, utf8=utf8, color=color)
    return table if output == "short" else f"{header}\n{table}"


def _selector(node_field_selector: str, status: str) -> Selector | None:
    if status and node_field_selector:
        raise UsageError("cannot use both --status and --node-field-selector")
    text = f"phase={status}" if status else node_field_selector
    if not text:
        return None
    requirements = parse_node_field_selector(text)
    return lambda node: node_matches(node, requirements)


def _line(label: str, value: object) -> str:
    return f"{label:<20} {value}\n"


def render_header(wf: JSON, *, now: datetime, color: bool = False, utf8: bool = True) -> str:
    """The ``Name:`` … ``Output Parameters:`` block."""
    meta, wf_status, run_spec = style.metadata(wf), style.status(wf), style.exec_spec(wf)
    out = [_line("Name:", meta.get("name") or ""), _line("Namespace:", meta.get("namespace") or "")]
    out.append(_line("ServiceAccount:", _service_account(wf, run_spec)))
    out.append(_line("Status:", style.workflow_status_text(wf)))
    if wf_status.get("message"):
        out.append(_line("Message:", wf_status["message"]))
    out.extend(_conditions(wf_status.get("conditions") or (), color=color, utf8=utf8))
    out.extend(time_lines(wf, now=now))
    out.append(_line("Progress:", wf_status.get("progress") or ""))
    if wf_status.get("resourcesDuration"):
        out.append(_line("ResourcesDuration:", resources_duration_text(wf_status["resourcesDuration"])))
    out.extend(_parameters(run_spec))
    out.extend(_outputs(wf_status.get("outputs")))
    return "".join(out)


def _service_account(wf: JSON, run_spec: JSON) -> str:
    account = run_spec.get("serviceAccountName") or ""
    if account:
        return str(account)
    if style.spec(wf).get("workflowTemplateRef"):
        return "unset"
    return "unset (will run with the default ServiceAccount)"


def _conditions(conditions: Sequence[JSON], *, color: bool, utf8: bool) -> list[str]:
    if not conditions:
        return []
    out = [_line("Conditions:", "")]
    for condition in conditions:
        kind = str(condition.get("type") or "")
        glyph = style.condition_glyph(kind, utf8=utf8, color=color)
        out.append(_line(f"{glyph} {kind}", condition.get("message") or condition.get("status") or ""))
    return out


def time_lines(wf: JSON, *, now: datetime) -> list[str]:
    """Created, Started, Finished, Duration (and a running workflow's EstimatedDuration) lines."""
    wf_status = style.status(wf)
    created = humanize.parse_time(style.metadata(wf).get("creationTimestamp"))
    started = humanize.parse_time(wf_status.get("startedAt"))
    finished = humanize.parse_time(wf_status.get("finishedAt"))
    out = [_line("Created:", humanize.go_timestamp(created, now=now))]
    if started is not None:
        out.append(_line("Started:", humanize.go_timestamp(started, now=now)))
    if finished is not None:
        out.append(_line("Finished:", humanize.go_timestamp(finished, now=now)))
    if started is not None:
        out.append(_line("Duration:", humanize.relative_long(started, finished, now=now)))
    estimated = wf_status.get("estimatedDuration") or 0
    if wf_status.get("phase") == phases.RUNNING and estimated > 0:
        out.append(_line("EstimatedDuration:", humanize.duration_long(estimated)))
    return out


def _parameters(run_spec: JSON) -> list[str]:
    parameters = (run_spec.get("arguments") or {}).get("parameters") or ()
    if not parameters:
        return []
    out = [_line("Parameters:", "")]
    for parameter in parameters:
        if parameter.get("value") is None:
            continue
        out.append(_line(f"  {parameter.get('name', '')}:", style.go_text(parameter["value"])))
    return out


def _outputs(outputs: JSON | None) -> list[str]:
    if not outputs:
        return []
    out: list[str] = []
    parameters = outputs.get("parameters") or ()
    if parameters:
        out.append(_line("Output Parameters:", ""))
        for parameter in parameters:
            if all(parameter.get(key) is None for key in ("value", "default", "valueFrom")):
                continue
            value = parameter.get("value")
            value = parameter.get("default") if value is None else value
            out.append(_line(f"  {parameter.get('name', '')}:", style.go_text(value)))
    artifacts = outputs.get("artifacts") or ()
    if artifacts:
        out.append(_line("Output Artifacts:", ""))
        for artifact in artifacts:
            location = artifact_location(artifact)
            if location is not None:
                out.append(_line(f"  {artifact.get('name', '')}:", location))
    return out


def artifact_location(artifact: JSON) -> str | None:
    """A one-line description of where an artifact lives, ``None`` when it has no location."""
    for key, template in _LOCATION_FORMATS:
        location = artifact.get(key)
        if isinstance(location, Mapping):
            fields = {name: location.get(name) or "" for name in ("bucket", "key", "repo", "url", "path", "container", "blob")}
            return template.format(**fields)
    return None


def resources_duration_text(durations: JSON | None) -> str:
    """``12s*(1 cpu),1m0s*(100Mi memory)`` (resources in name order)."""
    if not durations:
        return ""
    return ",".join(
        f"{humanize.go_duration(seconds)}*({_DENOMINATORS.get(resource, '1')} {resource})"
        for resource, seconds in sorted(durations.items())
    )


def _tree_table(
    wf: JSON, main_rows: list[TreeRow], exit_rows: list[TreeRow] | None, *, now: datetime, output: str,
    utf8: bool, color: bool,
) -> str:
    step = style.ansi("STEP", style.FG_DEFAULT, color=color)
    lines = ["\t".join((step, *_HEADINGS[output])) + "\n"]
    lines.extend(_row(wf, row, now=now, output=output, utf8=utf8, color=color) for row in main_rows)
    if exit_rows is not None:
        lines.append(_EXIT_SEPARATOR)
        lines.extend(_row(wf, row, now=now, output=output, utf8=utf8, color=color) for row in exit_rows)
    return align("".join(lines), padding=2)


def _row(wf: JSON, row: TreeRow, *, now: datetime, output: str, utf8: bool, color: bool) -> str:
    node = row.node
    glyph = style.node_glyph(node, utf8=utf8, color=color)
    step = f"{row.prefix}{glyph} {style.display_name(node)}"
    is_pod = node.get("type") == phases.POD
    pod = style.pod_name_of(node, wf) if is_pod else ""
    duration = ""
    if is_pod:
        started = humanize.parse_time(node.get("startedAt"))
        finished = humanize.parse_time(node.get("finishedAt"))
        duration = humanize.relative_short(started, finished, now=now)
    message = str(node.get("message") or "")
    host = str(node.get("hostNodeName") or "") if is_pod else ""
    cells = [step, style.template_label(node), pod, duration]
    if output == "wide":
        artifacts = ",".join(str(a.get("name", "")) for a in (node.get("outputs") or {}).get("artifacts") or ())
        cells += [artifacts, message, resources_duration_text(node.get("resourcesDuration")), host]
    elif output == "short":
        cells += [message, host]
    else:
        cells += [message, ""]
    return "\t".join(cells) + "\n"
