"""``argoctl get NAME...``: the argo get view, or the Workflow object.

``--query`` without ``-o`` implies ``-o json`` (a query selects from the object, not the tree)."""

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
    utf8: bool = True


def run(app: App, args: GetArgs) -> ExitCode:
    from argoctl.cli.graphs import GRAPH_OUTPUTS, print_run_graph

    output = check_output(args.output or ("json" if args.query else ""),
                          ("", "name", "json", "yaml", "wide", "short", *GRAPH_OUTPUTS))
    if args.query and output not in ("json", "yaml"):
        raise UsageError(f"--query needs -o json or -o yaml, not -o {output}")
    if not args.names:
        raise UsageError("give a workflow name", hint="argoctl list shows the names")
    for name in args.names:
        state = load(app, name)
        if output in GRAPH_OUTPUTS:
            print_run_graph(app, state.to_wire(), output)
            continue
        if args.utf8 or output not in ("", "wide", "short"):
            print_workflow(app, state, output, args.query, args.node_field_selector, args.status)
            continue
        from argoctl import render

        app.out(render.render_get(state.to_wire(), now=app.now(), output=output, color=app.color, utf8=False,
                                  node_field_selector=args.node_field_selector, status=args.status), end="")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Show a workflow: its status tree, or -o json|yaml the whole object.")
    def get(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument(help="Workflow names (@latest for the newest)")] = None,
        output: Annotated[str, typer.Option("--output", "-o", help="name|json|yaml|wide|short|dot|mermaid")] = "",
        query: Annotated[str, typer.Option("--query", help="JMESPath expression applied to the object (implies -o json)")] = "",
        node_field_selector: opt.NodeFieldSelector = "",
        status: Annotated[str, typer.Option(help="Only nodes of these phases, e.g. Failed,Error")] = "",
        no_utf8: Annotated[bool, typer.Option("--no-utf8", help="Use plain 7-bit characters only")] = False,
    ) -> None:
        args = GetArgs(tuple(names or ()), output, query, node_field_selector, status, not no_utf8)
        raise typer.Exit(int(run(opt.app_of(ctx), args)))
