"""``argoctl lint FILE...``: Argo's validation; problems as ``FILE:LINE: path: message``, exit 2.

Like ``argo lint``, paths holding no Argo object (only a PVC or a ConfigMap) fail too."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.graphs import GRAPH_OUTPUTS
from argoctl.cli.workflows import check_output
from argoctl.errors import ExitCode, UsageError


def run(app: App, paths: list[str], output: str = "") -> ExitCode:
    from argoctl.cli.sources import StoreTemplateSource
    from argoctl.validate import lint

    if not paths:
        raise UsageError("give files or directories to lint")
    output = check_output(output, ("", *GRAPH_OUTPUTS))
    result = lint(paths, source=StoreTemplateSource(app.store()))
    if not result.ok:  # problems, or nothing Argo lints (argo lint fails then too)
        app.err(result.text.rstrip("\n"))
        return ExitCode.USAGE
    if output in GRAPH_OUTPUTS:
        from argoctl.cli.graphs import print_template_graphs

        print_template_graphs(app, [d.obj for d in result.documents], output)
        return ExitCode.OK
    app.out(result.text.rstrip("\n"))
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Validate manifests without running them (exit 2 on any problem).")
    def lint(ctx: typer.Context, paths: Annotated[list[str] | None, typer.Argument(help="Files or directories")] = None,
             output: Annotated[str, typer.Option("--output", "-o", help="dot|mermaid: draw the template graph")] = "",
             object_: opt.HeraObject = "") -> None:
        raise typer.Exit(int(run(opt.app_of(ctx), list(paths or ()), output)))
