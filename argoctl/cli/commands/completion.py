"""``argoctl completion bash|zsh|fish``: print a completion script."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.errors import UsageError


def register(app: typer.Typer) -> None:
    @app.command(help="Print the shell completion script (bash, zsh or fish).")
    def completion(ctx: typer.Context, shell: Annotated[str, typer.Argument(help="bash, zsh or fish")]) -> None:
        from argoctl.cli import generate

        root = ctx.find_root().command
        scripts = {"bash": generate.bash, "zsh": generate.zsh, "fish": generate.fish}
        if shell not in scripts:
            raise UsageError(f"unknown shell {shell!r}", hint="use bash, zsh or fish")
        opt.app_of(ctx).out(scripts[shell](root), end="")
