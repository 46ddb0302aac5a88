"""``argoctl get NAME...``: the argo get view, or the Workflow object (its body is
``argoctl.cli.reads.run_get``)."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.reads import GetArgs
from argoctl.cli.reads import run_get as run

__all__ = ["GetArgs", "register", "run"]


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
