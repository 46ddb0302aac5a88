"""``argoctl version``."""

from __future__ import annotations

import platform
from typing import Annotated

import typer

from argoctl import __version__
from argoctl.cli import options as opt


def register(app: typer.Typer) -> None:
    @app.command(help="Print the version.")
    def version(ctx: typer.Context, short: Annotated[bool, typer.Option("--short")] = False) -> None:
        a = opt.app_of(ctx)
        if short:
            a.out(f"argoctl: v{__version__}")
            return
        a.out(f"argoctl: v{__version__}")
        a.out(f"  Platform: {platform.system().lower()}/{platform.machine()}")
        a.out(f"  Python: {platform.python_version()}")
