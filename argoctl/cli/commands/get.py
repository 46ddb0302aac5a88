"""``argoctl get NAME...``: the argo get view, or the Workflow object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, load, print_workflow
from argoctl.errors import ExitCode, UsageError


@dataclass(frozen=True, slots=True)
class GetArgs:
    names: tuple[str, ...]
    output: str = ""
    query: str = ""
    node_field_selector: str = ""
    status: str = ""


def run(app: App, args: GetArgs) -> ExitCode:
    from argoctl.cli.graphs import GRAPH_OUTPUTS, print_run_graph

    output = check_output(args.output, ("", "name", "json", "yaml", "wide", "short", *GRAPH_OUTPUTS))
    if not args.names:
        raise UsageError("give a workflow name", hint="argoctl list shows the names")
    for name in args.names:
        if output in GRAPH_OUTPUTS:
            print_run_graph(app, load(app, name).to_wire(), output)
            continue
        print_workflow(app, load(app, name), output, args.query, args.node_field_selector, args.status)
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Show a workflow: its status tree, or -o json|yaml the whole object.")
    def get(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument(help="Workflow names (@latest for the newest)")] = None,
        output: Annotated[str, typer.Option("--output", "-o", help="name|json|yaml|wide|short|dot|mermaid")] = "",
        query: opt.Query = "",
        node_field_selector: opt.NodeFieldSelector = "",
        status: Annotated[str, typer.Option(help="Only nodes of these phases, e.g. Failed,Error")] = "",
    ) -> None:
        args = GetArgs(tuple(names or ()), output, query, node_field_selector, status)
        raise typer.Exit(int(run(opt.app_of(ctx), args)))
