"""``argoctl resubmit NAME``: a new workflow with the same spec (``--memoized`` keeps successes)."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, drive, exit_code_for, hand_over, load, print_workflow
from argoctl.errors import ExitCode, UsageError


def run(app: App, names: list[str], *, memoized: bool, parameters: list[str], wait: bool, watch: bool,
        output: str) -> ExitCode:
    from argoctl.parse import split_parameter
    from argoctl.runtime import workflows

    output = check_output(output)
    if not names:
        raise UsageError("give a workflow name")
    params = [split_parameter(p) for p in parameters]
    worst = ExitCode.OK
    for name in names:
        state = load(app, name)
        created = workflows.resubmit(app.wiring, state, app.now(), memoized=memoized, parameters=params)
        if watch:
            from argoctl.cli.watching import watch_and_report

            return watch_and_report(app, created.name, output=output)
        if wait:
            final = drive(app, created.name)
            print_workflow(app, final, output)
            worst = max(worst, exit_code_for(final))
            continue
        hand_over(app, created.name)
        print_workflow(app, created, output)
    return worst


def register(app: typer.Typer) -> None:
    @app.command(help="Submit a workflow again as a new workflow.")
    def resubmit(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        memoized: Annotated[bool, typer.Option("--memoized", help="Keep the outputs of succeeded steps")] = False,
        parameter: opt.Parameters = None,
        wait: Annotated[bool, typer.Option("--wait", "-w")] = False,
        watch: Annotated[bool, typer.Option("--watch")] = False,
        output: opt.Output = "",
    ) -> None:
        code = run(opt.app_of(ctx), list(names or ()), memoized=memoized, parameters=list(parameter or ()),
                   wait=wait, watch=watch, output=output)
        raise typer.Exit(int(code))
