"""``stop``, ``terminate``, ``suspend``, ``resume``: commands queued for the workflow's driver.

Each is first applied to the current state (so a bad request fails here, with argo's message), then
stored in the queue, then a driver is started if none is alive (``argoctl.runtime.supervise``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.selection import Selection, names
from argoctl.cli.workflows import load, supervisor
from argoctl.errors import ExitCode, UsageError

if TYPE_CHECKING:  # the engine is imported only when a command runs, so --help stays light
    from argoctl.engine.types import Event


Names = Annotated[list[str] | None, typer.Argument(help="Workflow names")]


def send(app: App, name: str, event: Event) -> None:
    """Queue ``event`` for ``name``'s driver (``argoctl.runtime.supervise.Supervisor.send``)."""
    from argoctl.model.timefmt import rfc3339

    supervisor(app).send(load(app, name), event, rfc3339(app.now()))


def _each(app: App, targets: list[str], event: Event, verb: str, *, dry_run: bool = False) -> ExitCode:
    if not targets:
        raise UsageError("give a workflow name")
    for name in targets:
        if dry_run:
            app.out(f"workflow {name} {verb} (dry-run)")
            continue
        send(app, name, event)
        app.out(f"workflow {name} {verb}")
    return ExitCode.OK


def _selected(app: App, given: list[str] | None, labels: str, fields: str, verb: str) -> list[str]:
    return names(app, list(given or ()), Selection(labels=labels, fields=fields), verb=verb)


def register(app: typer.Typer) -> None:
    @app.command(help="Stop workflows: kill running pods, still run exit handlers.")
    def stop(
        ctx: typer.Context,
        workflows: Names = None,
        node_field_selector: opt.NodeFieldSelector = "",
        message: Annotated[str, typer.Option(help="Message for the stopped suspend nodes")] = "",
        selector: opt.Labels = "",
        field_selector: opt.FieldSelector = "",
        dry_run: opt.DryRun = False,
    ) -> None:
        from argoctl.engine.types import Shutdown

        a = opt.app_of(ctx)
        targets = _selected(a, workflows, selector, field_selector, "stop")
        event = Shutdown("Stop", node_field_selector, message)
        raise typer.Exit(int(_each(a, targets, event, "stopped", dry_run=dry_run)))

    @app.command(help="Terminate workflows: kill everything, no exit handlers.")
    def terminate(
        ctx: typer.Context,
        workflows: Names = None,
        selector: opt.Labels = "",
        field_selector: opt.FieldSelector = "",
        dry_run: opt.DryRun = False,
    ) -> None:
        from argoctl.engine.types import Shutdown

        a = opt.app_of(ctx)
        targets = _selected(a, workflows, selector, field_selector, "terminate")
        raise typer.Exit(int(_each(a, targets, Shutdown("Terminate"), "terminated", dry_run=dry_run)))

    @app.command(help="Suspend workflows: start no new steps until resumed.")
    def suspend(ctx: typer.Context, workflows: Names = None) -> None:
        from argoctl.engine.types import Suspend

        raise typer.Exit(int(_each(opt.app_of(ctx), list(workflows or ()), Suspend(), "suspended")))

    @app.command(help="Resume suspended workflows and suspend steps.")
    def resume(
        ctx: typer.Context,
        workflows: Names = None,
        node_field_selector: opt.NodeFieldSelector = "",
    ) -> None:
        from argoctl.engine.types import Resume

        event = Resume(node_field_selector)
        raise typer.Exit(int(_each(opt.app_of(ctx), list(workflows or ()), event, "resumed")))
