"""Check a finished workflow against a case's ``expect.json`` (schema: the corpus README)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conformance.corpus import Case
from tests.conformance.runner import Outcome

JSON = dict[str, Any]


def _nodes(wf: JSON) -> list[JSON]:
    return list(((wf.get("status") or {}).get("nodes") or {}).values())


def _select(wf: JSON, sel: JSON) -> list[JSON]:
    name = str((wf.get("metadata") or {}).get("name", ""))
    out = []
    for node in _nodes(wf):
        if "displayName" in sel and node.get("displayName") != str(sel["displayName"]).replace("{{workflow.name}}", name):
            continue
        if "name" in sel and node.get("name") != str(sel["name"]).replace("{{workflow.name}}", name):
            continue
        if "nameContains" in sel and str(sel["nameContains"]) not in str(node.get("name", "")):
            continue
        if "templateName" in sel and node.get("templateName") != sel["templateName"]:
            continue
        if sel.get("all") and "type" in sel and node.get("type") != sel["type"]:
            continue
        out.append(node)
    return out


def _node_ok(node: JSON, sel: JSON) -> list[str]:
    errs = []
    label = node.get("displayName")
    if "phase" in sel and node.get("phase") != sel["phase"]:
        errs.append(f"node {label}: phase {node.get('phase')!r}, want {sel['phase']!r}")
    if "phase_any_of" in sel and node.get("phase") not in sel["phase_any_of"]:
        errs.append(f"node {label}: phase {node.get('phase')!r}, want one of {sel['phase_any_of']}")
    if "message" in sel and node.get("message", "") != sel["message"]:
        errs.append(f"node {label}: message {node.get('message', '')!r}, want {sel['message']!r}")
    if "message_contains" in sel and str(sel["message_contains"]) not in str(node.get("message", "")):
        errs.append(f"node {label}: message {node.get('message', '')!r} lacks {sel['message_contains']!r}")
    if "type" in sel and not sel.get("all") and node.get("type") != sel["type"]:
        errs.append(f"node {label}: type {node.get('type')!r}, want {sel['type']!r}")
    if "type_not" in sel and node.get("type") == sel["type_not"]:
        errs.append(f"node {label}: type must not be {sel['type_not']!r}")
    if "children_count" in sel and len(node.get("children") or []) != sel["children_count"]:
        errs.append(f"node {label}: {len(node.get('children') or [])} children, want {sel['children_count']}")
    if "outbound_count" in sel and len(node.get("outboundNodes") or []) != sel["outbound_count"]:
        errs.append(f"node {label}: {len(node.get('outboundNodes') or [])} outbound nodes, want {sel['outbound_count']}")
    if "input_parameter_count" in sel:
        params = [p for p in ((node.get("inputs") or {}).get("parameters") or []) if p.get("value") is not None]
        if len(params) != sel["input_parameter_count"]:
            errs.append(f"node {label}: {len(params)} input parameters with values, want {sel['input_parameter_count']}")
    for flag in ("hooked", "retried"):
        if flag in sel and bool((node.get("nodeFlag") or {}).get(flag)) != bool(sel[flag]):
            errs.append(f"node {label}: nodeFlag.{flag} is not {sel[flag]}")
    return errs


def check_nodes(wf: JSON, specs: list[JSON]) -> list[str]:
    errs: list[str] = []
    for sel in specs:
        found = _select(wf, sel)
        if sel.get("absent"):
            if found:
                errs.append(f"node {sel} should be absent")
            continue
        if not found:
            errs.append(f"no node matches {sel}")
            continue
        if sel.get("anyNode"):
            if not any(not _node_ok(n, sel) for n in found):
                errs.append(f"no node satisfies {sel}: " + "; ".join(_node_ok(found[0], sel)))
            continue
        for node in found if sel.get("all") or len(found) > 1 else found[:1]:
            errs.extend(_node_ok(node, sel))
    return errs


def _param(params: list[JSON], spec: JSON) -> Any:
    if "index" in spec:
        index = int(spec["index"])
        return params[index].get("value") if index < len(params) else None
    for param in params:
        if param.get("name") == spec.get("parameter"):
            return param.get("value")
    return None


def check_values(wf: JSON, specs: list[JSON], section: str) -> list[str]:
    errs = []
    for spec in specs:
        if spec.get("workflow"):
            params = ((wf.get("status") or {}).get("outputs") or {}).get("parameters") or []
            got = _param(params, spec)
            if got != spec.get("value"):
                errs.append(f"workflow output {spec.get('parameter')}: {got!r}, want {spec.get('value')!r}")
            continue
        found = _select(wf, {k: spec[k] for k in ("displayName", "templateName", "name") if k in spec})
        if not found:
            errs.append(f"no node for {section} {spec}")
            continue
        values = []
        for node in found:
            holder = node.get(section) or {}
            values.append(holder.get("result") if "result" in spec else _param(holder.get("parameters") or [], spec))
        want = spec.get("result", spec.get("value"))
        if want not in values:
            errs.append(f"{section} of {spec}: got {values!r}")
    return errs


def check(expect: JSON, outcome: Outcome) -> list[str]:
    if outcome.rejected:
        contains = expect.get("message_contains", "")
        if expect.get("validation_error") and contains in outcome.stderr:
            return []
        return [f"submit rejected the workflow (exit {outcome.rc}): {outcome.stderr.strip()[:500]}"]
    wf = outcome.workflow
    if not wf:
        return [f"no workflow (exit {outcome.rc}): {outcome.stderr.strip()[:500]}", *outcome.notes]
    status = wf.get("status") or {}
    errs: list[str] = []
    phases = expect.get("phase_any_of") or [expect.get("phase")]
    if status.get("phase") not in phases:
        failed = [f"{n.get('displayName')}: {n.get('phase')} {n.get('message', '')!r}" for n in _nodes(wf)
                  if n.get("phase") in ("Failed", "Error") and n.get("type") in ("Pod", "Container")]
        errs.append(f"phase {status.get('phase')!r} (message {status.get('message', '')!r}), want {phases}"
                    + (f"; failed pods: {'; '.join(failed[:5])}" if failed else ""))
    if "message_contains" in expect and str(expect["message_contains"]) not in str(status.get("message", "")):
        errs.append(f"message {status.get('message', '')!r} lacks {expect['message_contains']!r}")
    if expect.get("message_empty") and status.get("message"):
        errs.append(f"message should be empty, is {status.get('message')!r}")
    if "node_count" in expect and len(_nodes(wf)) != expect["node_count"]:
        errs.append(f"{len(_nodes(wf))} nodes, want {expect['node_count']}")
    if "progress" in expect and status.get("progress") != expect["progress"]:
        errs.append(f"progress {status.get('progress')!r}, want {expect['progress']!r}")
    errs += check_nodes(wf, expect.get("nodes") or [])
    errs += check_values(wf, expect.get("outputs") or [], "outputs")
    errs += check_values(wf, expect.get("inputs") or [], "inputs")
    labels = (wf.get("metadata") or {}).get("labels") or {}
    for key, value in (expect.get("workflow_labels") or {}).items():
        if labels.get(key) != value:
            errs.append(f"label {key}={labels.get(key)!r}, want {value!r}")
    if expect.get("memoization_hit") and not any((n.get("memoizationStatus") or {}).get("hit") for n in _nodes(wf)):
        errs.append("no node has memoizationStatus.hit")
    for text in expect.get("logs_contain") or []:
        if text not in outcome.logs:
            errs.append(f"logs lack {text!r}")
    return errs + [f"note: {n}" for n in outcome.notes] if errs else errs


def problems_over_attempts(case: Case, tmp_path: Path, run: Callable[[Path], Outcome]) -> list[str]:
    """Run ``case`` (``run(work_dir)``) up to ``case.attempts`` times; the problems of the last
    run, or none as soon as one run meets the expectation."""
    problems: list[str] = []
    for attempt in range(case.attempts):
        work = tmp_path / f"run{attempt}"
        work.mkdir()
        problems = check(case.expect, run(work))
        if not problems:
            break
    return problems
