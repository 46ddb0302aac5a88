"""``stop``, ``terminate``, ``suspend``, ``resume``: commands queued for the workflow's driver.

Each is first applied to the current state (so a bad request fails here, with its message), then
stored in the queue, then a driver is started if none is alive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import load, supervisor
from argoctl.errors import ExitCode, UsageError

if TYPE_CHECKING:  # the engine is imported only when a command runs, so --help stays light
    from argoctl.engine.types import Event


def send(app: App, name: str, event: Event) -> None:
    from argoctl.engine.types import Resume, Suspend
    from argoctl.model.timefmt import rfc3339

    state = load(app, name)
    if state.completed:
        if isinstance(event, Suspend):
            raise UsageError("cannot suspend completed workflows")
        if isinstance(event, Resume):
            raise UsageError(f"cannot resume completed workflow {name}")
        return
    supervisor(app).deliver(state, event, rfc3339(app.now()))


def _each(app: App, names: list[str], event: Event, verb: str) -> ExitCode:
    if not names:
        raise UsageError("give a workflow name")
    for name in names:
        send(app, name, event)
        app.out(f"workflow {name} {verb}")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Stop workflows: kill running pods, still run exit handlers.")
    def stop(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        node_field_selector: opt.NodeFieldSelector = "",
        message: Annotated[str, typer.Option(help="Message for the stopped suspend nodes")] = "",
    ) -> None:
        from argoctl.engine.types import Shutdown

        event = Shutdown("Stop", node_field_selector, message)
        raise typer.Exit(int(_each(opt.app_of(ctx), list(names or ()), event, "stopped")))

    @app.command(help="Terminate workflows: kill everything, no exit handlers.")
    def terminate(ctx: typer.Context, names: Annotated[list[str] | None, typer.Argument()] = None) -> None:
        from argoctl.engine.types import Shutdown

        raise typer.Exit(int(_each(opt.app_of(ctx), list(names or ()), Shutdown("Terminate"), "terminated")))

    @app.command(help="Suspend workflows: start no new steps until resumed.")
    def suspend(ctx: typer.Context, names: Annotated[list[str] | None, typer.Argument()] = None) -> None:
        from argoctl.engine.types import Suspend

        raise typer.Exit(int(_each(opt.app_of(ctx), list(names or ()), Suspend(), "suspended")))

    @app.command(help="Resume suspended workflows and suspend steps.")
    def resume(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        node_field_selector: opt.NodeFieldSelector = "",
    ) -> None:
        from argoctl.engine.types import Resume

        event = Resume(node_field_selector)
        raise typer.Exit(int(_each(opt.app_of(ctx), list(names or ()), event, "resumed")))
