"""``argoctl version`` (``argoctl.cli.fast`` answers the plain forms without typer)."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.fast import version_lines


def register(app: typer.Typer) -> None:
    @app.command(help="Print the version.")
    def version(ctx: typer.Context, short: Annotated[bool, typer.Option("--short")] = False) -> None:
        a = opt.app_of(ctx)
        for line in version_lines(short):
            a.out(line)
