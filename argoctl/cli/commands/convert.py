"""``argoctl convert FILE...``: argo's legacy-to-current manifest conversion, to stdout.

As ``argo convert``: a CronWorkflow's ``schedule`` becomes ``schedules: [it]``, and every
``synchronization`` (workflow spec and templates) moves ``mutex``/``semaphore`` into
``mutexes``/``semaphores``. Other kinds pass through. YAML documents are printed after ``---``;
JSON input prints JSON (``-o json|yaml`` chooses).
"""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.errors import ExitCode, UsageError

JSON = dict[str, Any]
_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def _sync(spec: Any) -> None:
    sync = spec.get("synchronization") if isinstance(spec, dict) else None
    if not isinstance(sync, dict):
        return
    for single, plural in (("semaphore", "semaphores"), ("mutex", "mutexes")):
        if single in sync:
            sync[plural] = [*(sync.get(plural) or []), sync.pop(single)]


def _workflow_spec(spec: Any) -> None:
    if not isinstance(spec, dict):
        return
    _sync(spec)
    for template in spec.get("templates") or ():
        _sync(template)


def convert(obj: JSON) -> JSON:
    """``obj`` in the current format (changed in place and returned)."""
    kind, spec = obj.get("kind"), obj.get("spec")
    if kind == "CronWorkflow" and isinstance(spec, dict):
        schedule = spec.pop("schedule", None)
        if schedule:
            spec["schedules"] = [schedule]
        _workflow_spec(spec.get("workflowSpec"))
    elif kind in ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate"):
        _workflow_spec(spec)
    return obj


def _files(path: str) -> list[str]:
    if path == "-" or not os.path.isdir(path):
        return [path]
    found: list[str] = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(_MANIFEST_SUFFIXES))
    return found


def run(app: App, paths: list[str], output: str) -> ExitCode:
    from argoctl import render
    from argoctl.parse import parse_documents_raw, read_text

    if output not in ("", "json", "yaml"):
        raise UsageError(f"unknown output format {output!r}", hint="use -o json or -o yaml")
    if not paths:
        raise UsageError("give files or directories to convert (- for stdin)")
    for path in (f for p in paths for f in _files(p)):
        file, text = read_text(path)
        as_json = output == "json" or (output != "yaml" and text.lstrip().startswith("{"))
        for value, _ in parse_documents_raw(text, file, json_hint=path.endswith(".json")):
            converted = convert(value) if isinstance(value, dict) else value
            if as_json:
                app.out(json.dumps(converted, separators=(",", ":"), ensure_ascii=False))
            else:
                app.out("---\n" + render.render_yaml(converted), end="")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command("convert", help="Convert manifests from legacy fields (schedule, mutex, semaphore) to the current ones.")
    def convert_command(
        ctx: typer.Context,
        paths: Annotated[list[str] | None, typer.Argument(help="Files or directories (- for stdin)")] = None,
        output: Annotated[str, typer.Option("--output", "-o", help="json|yaml (default: as the input)")] = "",
    ) -> None:
        raise typer.Exit(int(run(opt.app_of(ctx), list(paths or ()), output)))
