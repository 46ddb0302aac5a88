"""``argoctl submit``: create workflows from files or stored templates, then run them."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.strictflag import Strict, StrictCommand
from argoctl.cli.submitting import SubmitArgs, _labels, create, run

__all__ = ["SubmitArgs", "_labels", "create", "register", "run"]


def register(app: typer.Typer) -> None:
    @app.command(help="Submit workflows from files (or --from a stored template) and run them.", cls=StrictCommand)
    def submit(
        ctx: typer.Context,
        files: Annotated[list[str] | None, typer.Argument(help="Workflow manifests (- for stdin)")] = None,
        from_: Annotated[str, typer.Option("--from", help="workflowtemplate/NAME, clusterworkflowtemplate/NAME or cronworkflow/NAME")] = "",
        parameter: opt.Parameters = None,
        parameter_file: Annotated[str, typer.Option("--parameter-file", "-f", help="YAML/JSON file of parameters")] = "",
        entrypoint: Annotated[str, typer.Option(help="Override spec.entrypoint")] = "",
        name: Annotated[str, typer.Option(help="Override metadata.name")] = "",
        generate_name: Annotated[str, typer.Option(help="Override metadata.generateName")] = "",
        labels: Annotated[str, typer.Option("--labels", "-l", help="Extra labels KEY=VALUE,...")] = "",
        serviceaccount: Annotated[str, typer.Option(help="Run pods with this service account")] = "",
        priority: Annotated[int | None, typer.Option(help="Workflow priority")] = None,
        scheduled_time: Annotated[str, typer.Option(help="RFC3339 time for workflow.scheduledTime")] = "",
        watch: Annotated[bool, typer.Option("--watch", help="Drive in the foreground and show progress")] = False,
        wait: Annotated[bool, typer.Option("--wait", "-w", help="Wait quietly until the workflow ends")] = False,
        log: Annotated[bool, typer.Option("--log", help="Print the pods' logs while waiting")] = False,
        output: opt.Output = "",
        query: opt.Query = "",
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the workflow without creating it")] = False,
        server_dry_run: Annotated[bool, typer.Option("--server-dry-run", help="Check the workflow against the store (name free, templates found) without creating it")] = False,
        object_: opt.HeraObject = "",
        node_field_selector: opt.NodeFieldSelector = "",
        status: Annotated[str, typer.Option(help="With --watch: only show nodes of these phases")] = "",
        driver: Annotated[str, typer.Option("--driver", help="Who runs the engine: local (a process on this machine) or pod (a driver pod in the cluster)")] = "local",
        strict: Strict = True,
    ) -> None:
        args = SubmitArgs(
            files=tuple(files or ()), from_=from_, parameters=tuple(parameter or ()), parameter_file=parameter_file,
            entrypoint=entrypoint, name=name, generate_name=generate_name, labels=labels,
            service_account=serviceaccount, priority=priority, scheduled_time=scheduled_time, watch=watch,
            wait=wait, log=log, output=output, query=query, dry_run=dry_run, server_dry_run=server_dry_run,
            node_field_selector=node_field_selector, status=status, driver=driver, strict=strict,
        )
        raise typer.Exit(int(run(opt.app_of(ctx), args)))
