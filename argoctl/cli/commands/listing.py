"""``argoctl list``: the argo list table (or names, JSON, YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, emit_structured
from argoctl.errors import ExitCode, UsageError
from argoctl.model.timefmt import parse_duration, parse_time

JSON = dict[str, Any]
LABEL_PHASE = "workflows.argoproj.io/phase"
LABEL_COMPLETED = "workflows.argoproj.io/completed"


@dataclass(frozen=True, slots=True)
class ListArgs:
    output: str = ""
    selector: str = ""
    status: str = ""
    running: bool = False
    completed: bool = False
    since: str = ""
    prefix: str = ""
    no_headers: bool = False
    query: str = ""


def _selector(args: ListArgs) -> str:
    if args.running and args.completed:
        raise UsageError("--running and --completed are mutually exclusive")
    parts = [args.selector] if args.selector else []
    if args.running:
        parts.append(f"{LABEL_COMPLETED}!=true")
    if args.completed:
        parts.append(f"{LABEL_COMPLETED}=true")
    if args.status:
        phases = ",".join(p.strip() for p in args.status.split(",") if p.strip())
        parts.append(f"{LABEL_PHASE} in ({phases})")
    return ",".join(parts)


def select(app: App, args: ListArgs) -> list[JSON]:
    from argoctl.cli.workflows import unexpired

    found = unexpired(app, list(app.store().list_workflows(_selector(args) or None)))
    if args.prefix:
        found = [w for w in found if str(w["metadata"]["name"]).startswith(args.prefix)]
    if args.since:
        cutoff = app.now() - timedelta(seconds=parse_duration(args.since))
        found = [w for w in found if parse_time(str(w["metadata"].get("creationTimestamp"))) >= cutoff]
    return found


def run(app: App, args: ListArgs) -> ExitCode:
    from argoctl import render

    output = check_output(args.output)
    workflows = render.sort_workflows(select(app, args))
    if output in ("json", "yaml"):
        emit_structured(app, workflows, output, args.query)
    else:
        app.out(render.render_list(workflows, now=app.now(), output=output, no_headers=args.no_headers), end="")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command("list", help="List workflows: unfinished first, newest first.")
    def list_(
        ctx: typer.Context,
        output: opt.Output = "",
        selector: opt.Labels = "",
        status: Annotated[str, typer.Option(help="Only these phases, e.g. Failed,Error")] = "",
        running: Annotated[bool, typer.Option("--running", help="Only unfinished workflows")] = False,
        completed: Annotated[bool, typer.Option("--completed", help="Only finished workflows")] = False,
        since: Annotated[str, typer.Option(help="Only workflows created in this duration, e.g. 1h")] = "",
        prefix: Annotated[str, typer.Option(help="Only names with this prefix")] = "",
        no_headers: Annotated[bool, typer.Option("--no-headers", help="Omit the header row")] = False,
        query: opt.Query = "",
    ) -> None:
        args = ListArgs(output, selector, status, running, completed, since, prefix, no_headers, query)
        raise typer.Exit(int(run(opt.app_of(ctx), args)))
