"""``argoctl retry NAME``: re-run a failed workflow in place; finished steps are kept."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, exit_code_for, hand_over, load, print_workflow
from argoctl.errors import ExitCode, UsageError
from argoctl.model.workflow import WorkflowState


def run(app: App, names: list[str], *, restart_successful: bool, node_field_selector: str,
        parameters: list[str], wait: bool, watch: bool, output: str, log: bool = False) -> ExitCode:
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
        code = attach(app, name, wait=wait, watch=watch, output=output, log=log)
        if watch:
            return code
        worst = max(worst, code)
    return worst


def attach(app: App, name: str, *, wait: bool, watch: bool, output: str, log: bool,
           shown: WorkflowState | None = None) -> ExitCode:
    """What a verb that (re)started workflow ``name`` does next: watch it, wait for it (with
    ``log``, printing its logs), or hand it to a driver and print it (``shown``, else as stored)."""
    if watch:
        from argoctl.cli.watching import watch_and_report

        return watch_and_report(app, name, output=output)
    if wait:
        final = follow(app, name, log=log)
        print_workflow(app, final, output)
        return exit_code_for(final)
    hand_over(app, name)
    print_workflow(app, shown if shown is not None else load(app, name), output)
    return ExitCode.OK


def follow(app: App, name: str, *, log: bool) -> WorkflowState:
    """Drive ``name`` to its end; with ``log`` print its pods' logs on the way (argo's --log)."""
    if log:
        from argoctl.cli.commands.logs import LogsArgs, stream

        return stream(app, LogsArgs(name=name, follow=True))
    from argoctl.cli.workflows import drive

    return drive(app, name)


def register(app: typer.Typer) -> None:
    @app.command(help="Retry failed workflows: failed steps and what follows them run again.")
    def retry(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        restart_successful: Annotated[bool, typer.Option("--restart-successful", help="Also re-run succeeded nodes matching --node-field-selector")] = False,
        node_field_selector: opt.NodeFieldSelector = "",
        parameter: opt.Parameters = None,
        selector: opt.Labels = "",
        field_selector: opt.FieldSelector = "",
        wait: opt.Wait = False,
        watch: opt.Watch = False,
        log: opt.Log = False,
        output: opt.Output = "",
    ) -> None:
        from argoctl.cli.selection import Selection
        from argoctl.cli.selection import names as selected

        a = opt.app_of(ctx)
        targets = selected(a, list(names or ()), Selection(labels=selector, fields=field_selector), verb="retry")
        code = run(a, targets, restart_successful=restart_successful, node_field_selector=node_field_selector,
                   parameters=list(parameter or ()), wait=wait or log, watch=watch, output=output, log=log)
        raise typer.Exit(int(code))
