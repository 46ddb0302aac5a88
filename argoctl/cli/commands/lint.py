"""``argoctl lint FILE...``: Argo's validation; problems as ``FILE:LINE: path: message``, exit 2.

Like ``argo lint``, paths holding no Argo object (only a PVC or a ConfigMap) fail too."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.strictflag import Strict, StrictCommand
from argoctl.errors import ExitCode, UsageError


def run(app: App, paths: list[str], *, strict: bool = True) -> ExitCode:
    from argoctl.cli.sources import StoreTemplateSource
    from argoctl.validate import lint

    if not paths:
        raise UsageError("give files or directories to lint")
    result = lint(paths, source=StoreTemplateSource(app.store()), strict=strict)
    if not result.ok:  # problems, or nothing Argo lints (argo lint fails then too)
        app.err(result.text.rstrip("\n"))
        return ExitCode.USAGE
    app.out(result.text.rstrip("\n"))
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Validate manifests without running them (exit 2 on any problem).", cls=StrictCommand)
    def lint(ctx: typer.Context, paths: Annotated[list[str] | None, typer.Argument(help="Files or directories")] = None,
             strict: Strict = True) -> None:
        raise typer.Exit(int(run(opt.app_of(ctx), list(paths or ()), strict=strict)))
