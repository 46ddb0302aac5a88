"""``argoctl list``: the argo list table (or names, JSON, YAML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.selection import Selection, phases, select
from argoctl.cli.workflows import check_output, emit_structured
from argoctl.errors import ExitCode

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ListArgs:
    output: str = ""
    selection: Selection = field(default_factory=Selection)
    no_headers: bool = False
    query: str = ""


def run(app: App, args: ListArgs) -> ExitCode:
    from argoctl import render

    output = check_output(args.output)
    workflows = render.sort_workflows(select(app, args.selection))
    if output in ("json", "yaml"):
        emit_structured(app, workflows, output, args.query)
    else:
        app.out(render.render_list(workflows, now=app.now(), output=output, no_headers=args.no_headers,
                                   all_namespaces=args.selection.all_namespaces), end="")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command("list", help="List workflows: unfinished first, newest first.")
    def list_(
        ctx: typer.Context,
        output: opt.Output = "",
        selector: opt.Labels = "",
        field_selector: opt.FieldSelector = "",
        status: opt.Status = None,
        running: opt.Running = False,
        completed: opt.Completed = False,
        older: opt.Older = "",
        since: opt.Since = "",
        prefix: opt.Prefix = "",
        resubmitted: opt.Resubmitted = False,
        all_namespaces: opt.AllNamespaces = False,
        chunk_size: opt.ChunkSize = 0,
        no_headers: opt.NoHeaders = False,
        query: opt.Query = "",
    ) -> None:
        selection = Selection(selector, field_selector, prefix, older, since, phases(status), resubmitted, running,
                              completed, all_namespaces, chunk_size)
        raise typer.Exit(int(run(opt.app_of(ctx), ListArgs(output, selection, no_headers, query))))
