"""``argoctl resubmit NAME``: a new workflow with the same spec (``--memoized`` keeps successes)."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, load
from argoctl.errors import ExitCode, UsageError
from argoctl.model.workflow import WorkflowState


def run(app: App, names: list[str], *, memoized: bool, parameters: list[str], wait: bool, watch: bool,
        output: str, priority: int | None = None, log: bool = False) -> ExitCode:
    from argoctl.cli.commands.retry import attach
    from argoctl.parse import split_parameter

    output = check_output(output)
    if not names:
        raise UsageError("give a workflow name")
    params = [split_parameter(p) for p in parameters]
    worst = ExitCode.OK
    for name in names:
        state = resubmit_from(app, load(app, name), memoized=memoized, parameters=params, priority=priority)
        code = attach(app, state.name, wait=wait, watch=watch, output=output, log=log, shown=state)
        if watch:
            return code
        worst = max(worst, code)
    return worst


def resubmit_from(app: App, state: WorkflowState, *, memoized: bool, parameters: list[tuple[str, str]],
                  priority: int | None) -> WorkflowState:
    """Create the resubmitted copy of ``state`` (live or archived) in this namespace."""
    from argoctl.runtime import workflows

    return workflows.resubmit(app.wiring, state, app.now(), memoized=memoized, parameters=parameters,
                              priority=priority)


def register(app: typer.Typer) -> None:
    @app.command(help="Submit a workflow again as a new workflow.")
    def resubmit(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        memoized: Annotated[bool, typer.Option("--memoized", help="Keep the outputs of succeeded steps")] = False,
        parameter: opt.Parameters = None,
        priority: opt.Priority = None,
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
        targets = selected(a, list(names or ()), Selection(labels=selector, fields=field_selector), verb="resubmit")
        code = run(a, targets, memoized=memoized, parameters=list(parameter or ()), wait=wait or log, watch=watch,
                   output=output, priority=priority, log=log)
        raise typer.Exit(int(code))
