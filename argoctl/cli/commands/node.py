"""``argoctl node set NAME``: outputs, phase or message of active suspend nodes."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.commands.control import send
from argoctl.errors import ExitCode, UsageError

node_app = typer.Typer(help="Act on a workflow's nodes.", no_args_is_help=True, rich_markup_mode=None)


@node_app.command("set", help="Set output parameters, phase or message of suspend nodes.")
def set_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Workflow name")],
    output_parameter: Annotated[list[str] | None, typer.Option("--output-parameter", "-p", help="NAME=VALUE")] = None,
    phase: Annotated[str, typer.Option(help="Succeeded or Failed")] = "",
    message: Annotated[str, typer.Option("--message", "-m")] = "",
    node_field_selector: opt.NodeFieldSelector = "",
) -> None:
    from argoctl.engine.types import SetNode
    from argoctl.parse import split_parameter

    if not node_field_selector:
        raise UsageError("--node-field-selector is required", hint="e.g. --node-field-selector displayName=approve")
    if phase and phase not in ("Succeeded", "Failed", "Error"):
        raise UsageError(f"unknown phase {phase!r}", hint="use Succeeded, Failed or Error")
    params = dict(split_parameter(p) for p in output_parameter or ())
    send(opt.app_of(ctx), name, SetNode(node_field_selector, params, phase, message))
    opt.app_of(ctx).out("workflow values set")
    raise typer.Exit(int(ExitCode.OK))


def register(app: typer.Typer) -> None:
    app.add_typer(node_app, name="node")
