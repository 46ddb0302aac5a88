"""``argoctl wait NAME...`` and ``argoctl watch NAME``: re-attach to workflows.

Both take a workflow over (and say so on stderr) when its driver is gone, and exit 1 when a
workflow ended Failed or Error. A workflow that a driver pod runs is followed, never taken over
here (``argoctl.cli.driverpods``). The driver pod itself runs ``wait NAME --as-driver`` (hidden):
it drives, and exits 0 however the workflow ended, so that its pod restarts only after a crash.
"""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl import patience
from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, drive, exit_code_for
from argoctl.errors import ExitCode, NotFoundError, UsageError


def run_wait(app: App, names: list[str], ignore_not_found: bool, *, as_driver: bool = False) -> ExitCode:
    from argoctl import render

    if not names:
        raise UsageError("give a workflow name")
    worst = ExitCode.OK
    for name in names:
        try:
            with patience.driving():  # following or driving, a wait rides out API faults
                state = drive(app, name, as_driver=as_driver)
        except NotFoundError as exc:
            if as_driver:  # deleted: the pod goes with it (owned by the workflow), nothing to restart for
                app.err(f"argoctl: {exc.message}")
                continue
            if ignore_not_found:
                continue
            raise
        app.out(render.render_wait_line(state.to_wire()))
        if not as_driver:
            worst = max(worst, exit_code_for(state))
    return worst


def register(app: typer.Typer) -> None:
    @app.command(help="Wait for workflows to finish (taking them over if their driver is gone).")
    def wait(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument(help="Workflow names")] = None,
        ignore_not_found: Annotated[bool, typer.Option("--ignore-not-found")] = False,
        as_driver: Annotated[bool, typer.Option("--as-driver", hidden=True,
                                                help="Run as the workflow's driver pod; exit 0 however it ends")] = False,
    ) -> None:
        code = run_wait(opt.app_of(ctx), list(names or ()), ignore_not_found, as_driver=as_driver)
        raise typer.Exit(int(code))

    @app.command(help="Watch a workflow's progress until it finishes (taking it over if needed).")
    def watch(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Workflow name")],
        output: opt.Output = "",
        node_field_selector: opt.NodeFieldSelector = "",
        status: Annotated[str, typer.Option(help="Only nodes of these phases")] = "",
    ) -> None:
        from argoctl.cli.watching import watch_and_report

        a = opt.app_of(ctx)
        code = watch_and_report(a, name, output=check_output(output), node_field_selector=node_field_selector,
                                status=status)
        raise typer.Exit(int(code))
