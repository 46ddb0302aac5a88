"""``argoctl retry NAME``: re-run a failed workflow in place; finished steps are kept."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, drive, exit_code_for, hand_over, load, print_workflow
from argoctl.errors import ExitCode, UsageError


def run(app: App, names: list[str], *, restart_successful: bool, node_field_selector: str,
        parameters: list[str], wait: bool, watch: bool, output: str) -> ExitCode:
    from argoctl.parse import split_parameter
    from argoctl.runtime import workflows

    output = check_output(output)
    if not names:
        raise UsageError("give a workflow name")
    if (wait or watch) and len(names) > 1:
        raise UsageError("--wait and --watch work with one workflow")
    params = [split_parameter(p) for p in parameters]
    worst = ExitCode.OK
    for name in names:
        state = load(app, name)
        workflows.retry(app.wiring, state, app.now(), restart_successful=restart_successful,
                        node_field_selector=node_field_selector, parameters=params)
        if watch:
            from argoctl.cli.watching import watch_and_report

            return watch_and_report(app, name, output=output)
        if wait:
            final = drive(app, name)
            print_workflow(app, final, output)
            worst = max(worst, exit_code_for(final))
            continue
        hand_over(app, name)
        print_workflow(app, load(app, name), output)
    return worst


def register(app: typer.Typer) -> None:
    @app.command(help="Retry failed workflows: failed steps and what follows them run again.")
    def retry(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        restart_successful: Annotated[bool, typer.Option("--restart-successful", help="Also re-run succeeded nodes matching --node-field-selector")] = False,
        node_field_selector: opt.NodeFieldSelector = "",
        parameter: opt.Parameters = None,
        wait: Annotated[bool, typer.Option("--wait", "-w")] = False,
        watch: Annotated[bool, typer.Option("--watch")] = False,
        output: opt.Output = "",
    ) -> None:
        code = run(opt.app_of(ctx), list(names or ()), restart_successful=restart_successful,
                   node_field_selector=node_field_selector, parameters=list(parameter or ()), wait=wait,
                   watch=watch, output=output)
        raise typer.Exit(int(code))
