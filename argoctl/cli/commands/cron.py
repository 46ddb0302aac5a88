"""``argoctl cron ...``: CronWorkflows with argo's verbs, plus ``trigger`` and ``run`` (the scheduler)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.strictflag import Strict, StrictCommand
from argoctl.cli.workflows import check_output, emit_structured
from argoctl.errors import ExitCode, UsageError

JSON = dict[str, Any]
KIND = "CronWorkflow"

Entrypoint = Annotated[str, typer.Option("--entrypoint", help="Override the workflow's entrypoint")]
GenerateName = Annotated[str, typer.Option("--generate-name", help="Override metadata.generateName")]
Name = Annotated[str, typer.Option("--name", help="Override metadata.name")]
CronLabels = Annotated[str, typer.Option("--labels", "-l", help="Comma separated labels KEY=VALUE to apply")]
ParameterFile = Annotated[str, typer.Option("--parameter-file", "-f", help="YAML/JSON file of parameters")]
ServiceAccount = Annotated[str, typer.Option("--serviceaccount", help="Run the workflow's pods as this account")]


def _parse_time(text: str, flag: str) -> datetime:
    from argoctl.cron.spec import parse_time

    moment = parse_time(text)
    if moment is None:
        raise UsageError(f"{flag} {text!r}: not an RFC3339 time", hint="e.g. 2026-01-31T02:00:00Z")
    return moment


def _overrides(obj: JSON, *, schedule: str, parameters: list[str], parameter_file: str, name: str,
               generate_name: str, entrypoint: str, labels: str, service_account: str) -> JSON:
    """argo cron create/update's flags applied to one CronWorkflow."""
    from argoctl.cli.commands.submit import _labels
    from argoctl.parse import parse_parameter_file, split_parameter
    from argoctl.runtime.submit import _override_parameters
    from argoctl.stores.records import generated_name

    obj = copy.deepcopy(obj)
    meta = obj.setdefault("metadata", {})
    spec = obj.setdefault("spec", {})
    workflow_spec = spec.setdefault("workflowSpec", {})
    if schedule:
        spec.pop("schedule", None)
        spec["schedules"] = [schedule]
    if name:
        meta["name"] = name
    elif generate_name:
        meta["generateName"] = generate_name
    if not meta.get("name") and meta.get("generateName"):
        meta["name"] = generated_name(str(meta["generateName"]))
    if labels:
        meta["labels"] = {**(meta.get("labels") or {}), **_labels(labels)}
    if entrypoint:
        workflow_spec["entrypoint"] = entrypoint
    if service_account:
        workflow_spec["serviceAccountName"] = service_account
    pairs: list[tuple[str, str]] = []
    if parameter_file:
        pairs.extend(parse_parameter_file(parameter_file).items())
    pairs.extend(split_parameter(p) for p in parameters)
    _override_parameters(workflow_spec, pairs)
    return obj


def _load(app: App, files: list[str], strict: bool, **flags: Any) -> list[JSON]:
    from argoctl.cli.sources import StoreTemplateSource
    from argoctl.errors import ValidationError
    from argoctl.parse import load_documents
    from argoctl.validate import validate_document

    if not files:
        raise UsageError("give CronWorkflow files")
    crons: list[JSON] = []
    problems: list[str] = []
    source = StoreTemplateSource(app.store())
    for path in files:
        for doc in load_documents(path):
            if doc.obj.get("kind") != KIND:
                raise UsageError(f"{doc.file}: document {doc.index + 1} is a {doc.obj.get('kind')}, not a CronWorkflow")
            doc = dataclasses.replace(doc, obj=_overrides(doc.obj, **flags))
            problems.extend(str(p) for p in validate_document(doc, source=source, require_arguments=False,
                                                              strict=strict))
            crons.append(doc.obj)
    if not crons:
        raise UsageError("No CronWorkflows found in given files")
    if problems:
        raise ValidationError(problems, title="Failed to create cron workflow:")
    return crons


def _print(app: App, cron: JSON, output: str, query: str = "") -> None:
    from argoctl.render.cron import cron_summary

    output = check_output(output, ("", "name", "json", "yaml", "wide"))
    if output == "name":
        app.out(str(cron["metadata"]["name"]))
    elif output in ("json", "yaml"):
        emit_structured(app, cron, output, query)
    else:
        app.out(cron_summary(cron, now=app.now()), end="")


def _store(app: App, files: list[str], strict: bool, output: str, *, update: bool, **flags: Any) -> ExitCode:
    from argoctl.runtime import crons

    for cron in _load(app, files, strict, **flags):
        _print(app, crons.create_or_update(app.wiring, cron, update=update), output)
    return ExitCode.OK


def _set_suspend(app: App, names: list[str], suspend: bool) -> ExitCode:
    from argoctl.runtime.crons import set_suspend

    for name in names:
        set_suspend(app.wiring, name, suspend)
        app.out(f"CronWorkflow '{name}' {'suspended' if suspend else 'resumed'}")
    return ExitCode.OK


def _trigger(app: App, name: str, scheduled_time: str, *, wait: bool, job: str, output: str) -> ExitCode:
    """``cron trigger``. In a CronJob's pod (``--job``) a restarted trigger takes over the run it
    created before, and the exit code is 0 however the workflow ends (the Job is not retried)."""
    from argoctl.cli.workflows import drive, exit_code_for, hand_over, print_workflow
    from argoctl.cron.spec import workflow_name
    from argoctl.runtime import crons

    scheduled = _parse_time(scheduled_time, "--scheduled-time") if scheduled_time else None
    if job and scheduled is None:
        from argoctl.runtime.cronjobs import scheduled_time_of_job

        scheduled = scheduled_time_of_job(job)
    outcome = crons.trigger(app.wiring, name, scheduled, now=app.now(), report=app.err)
    target = outcome.created
    if not target and job and scheduled is not None and outcome.decision.reason == "already created":
        target = workflow_name(name, scheduled)
        app.err(f"CronWorkflow '{name}': taking over {target}, created by an earlier attempt of this job")
    if not target:
        app.err(f"CronWorkflow '{name}': no run: {outcome.decision.reason}")
        return ExitCode.OK
    if not wait:
        hand_over(app, target)
        app.out(target)
        return ExitCode.OK
    state = drive(app, target)
    crons.refresh(app.wiring, name)
    if output:
        print_workflow(app, state, output)
    else:
        app.out(target)
    return ExitCode.OK if job else exit_code_for(state)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Manage cron workflows.", no_args_is_help=True, rich_markup_mode=None)
    _register_crud(group)
    _register_read(group)
    _register_delete(group)
    _register_state(group)
    _register_scheduling(group)
    app.add_typer(group, name="cron")


def _register_crud(group: typer.Typer) -> None:
    @group.command(help="Create cron workflows from files (validated first).", cls=StrictCommand)
    def create(ctx: typer.Context, files: Annotated[list[str], typer.Argument()],
               schedule: Annotated[str, typer.Option("--schedule", help="Override the cron schedule")] = "",
               parameter: opt.Parameters = None, parameter_file: ParameterFile = "", name: Name = "",
               generate_name: GenerateName = "", entrypoint: Entrypoint = "", labels: CronLabels = "",
               serviceaccount: ServiceAccount = "", output: opt.Output = "", strict: Strict = True,
               object_: opt.HeraObject = "") -> None:
        raise typer.Exit(int(_store(
            opt.app_of(ctx), files, strict, output, update=False, schedule=schedule, parameters=list(parameter or ()),
            parameter_file=parameter_file, name=name, generate_name=generate_name, entrypoint=entrypoint,
            labels=labels, service_account=serviceaccount)))

    @group.command(help="Update cron workflows from files (status kept).", cls=StrictCommand)
    def update(ctx: typer.Context, files: Annotated[list[str], typer.Argument()],
               parameter: opt.Parameters = None, parameter_file: ParameterFile = "", name: Name = "",
               generate_name: GenerateName = "", entrypoint: Entrypoint = "", labels: CronLabels = "",
               serviceaccount: ServiceAccount = "", output: opt.Output = "", strict: Strict = True,
               object_: opt.HeraObject = "") -> None:
        raise typer.Exit(int(_store(
            opt.app_of(ctx), files, strict, output, update=True, schedule="", parameters=list(parameter or ()),
            parameter_file=parameter_file, name=name, generate_name=generate_name, entrypoint=entrypoint,
            labels=labels, service_account=serviceaccount)))



def _register_read(group: typer.Typer) -> None:
    @group.command(help="Show cron workflows (argo's summary; -o json|yaml for the object).")
    def get(ctx: typer.Context, names: Annotated[list[str], typer.Argument()], output: opt.Output = "",
            query: opt.Query = "") -> None:
        from argoctl.runtime.crons import get_with_status

        app = opt.app_of(ctx)
        for name in names:
            _print(app, get_with_status(app.wiring, name), output, query)

    @group.command("list", help="List cron workflows.")
    def list_(ctx: typer.Context, output: Annotated[str, typer.Option("--output", "-o", help="Output format: wide|name|json|yaml")] = "",
              selector: opt.Labels = "",
              all_namespaces: Annotated[bool, typer.Option("--all-namespaces", "-A", help="Show cron workflows of every namespace")] = False) -> None:
        from argoctl.render.cron import cron_table
        from argoctl.runtime.crons import list_crons
        from argoctl.stores.selectors import parse as parse_selector

        app = opt.app_of(ctx)
        output = check_output(output, ("", "name", "wide", "json", "yaml"))
        crons = list_crons(app.wiring, all_namespaces=all_namespaces)
        if selector:
            match = parse_selector(selector)
            crons = [c for c in crons if match.matches((c.get("metadata") or {}).get("labels") or {})]
        if output in ("json", "yaml"):
            emit_structured(app, crons, output, "")
        elif output == "name":
            for cron in crons:
                app.out(str(cron["metadata"]["name"]))
        else:
            app.out(cron_table(crons, now=app.now(), all_namespaces=all_namespaces))


def _register_delete(group: typer.Typer) -> None:
    @group.command(help="Delete cron workflows (and, on a cluster, their CronJobs).")
    def delete(ctx: typer.Context, names: Annotated[list[str] | None, typer.Argument()] = None,
               all_: Annotated[bool, typer.Option("--all", help="Delete all cron workflows")] = False) -> None:
        from argoctl.runtime.crons import delete as delete_crons

        app = opt.app_of(ctx)
        delete_crons(app.wiring, list(names or ()), every=all_, report=app.out)

    @group.command(help="Validate cron workflow files.", cls=StrictCommand)
    def lint(ctx: typer.Context, files: Annotated[list[str], typer.Argument()], strict: Strict = True) -> None:
        from argoctl.cli.commands.lint import LintArgs, run

        raise typer.Exit(int(run(opt.app_of(ctx), LintArgs(tuple(files), kinds=("CronWorkflow",), strict=strict))))


def _register_state(group: typer.Typer) -> None:
    @group.command(help="Suspend cron workflows (no new runs).")
    def suspend(ctx: typer.Context, names: Annotated[list[str], typer.Argument()]) -> None:
        raise typer.Exit(int(_set_suspend(opt.app_of(ctx), names, True)))

    @group.command(help="Resume suspended cron workflows.")
    def resume(ctx: typer.Context, names: Annotated[list[str], typer.Argument()]) -> None:
        raise typer.Exit(int(_set_suspend(opt.app_of(ctx), names, False)))


def _register_scheduling(group: typer.Typer) -> None:
    @group.command(help="Apply one scheduling decision now: create the run that is due (used by the "
                   "cluster's CronJobs and the local scheduler).")
    def trigger(ctx: typer.Context, name: Annotated[str, typer.Argument()],
                scheduled_time: Annotated[str, typer.Option("--scheduled-time", help="RFC3339 time of the run (default: the latest scheduled time)")] = "",
                wait: Annotated[bool, typer.Option("--wait", "-w", help="Drive the workflow here until it ends")] = False,
                job: Annotated[str, typer.Option("--job", help="The CronJob's Job running this (its name gives the scheduled time)")] = "",
                output: opt.Output = "") -> None:
        raise typer.Exit(int(_trigger(opt.app_of(ctx), name, scheduled_time, wait=wait, job=job, output=output)))

    @group.command(help="Run the scheduler in the foreground over the local store (SIGTERM stops it).")
    def run(ctx: typer.Context,
            once: Annotated[bool, typer.Option("--once", help="Fire what is due now, then exit")] = False,
            now: Annotated[str, typer.Option("--now", hidden=True, help="Pretend it is this RFC3339 time (tests)")] = "") -> None:
        from argoctl.cli.workflows import hand_over
        from argoctl.runtime.cronscheduler import Scheduler

        app = opt.app_of(ctx)
        pretend: Callable[[], datetime] | None = None
        if now:
            moment = _parse_time(now, "--now")
            pretend = lambda: moment  # noqa: E731
        scheduler = Scheduler(app.wiring, out=app.out, err=app.err, now=pretend,
                              on_created=lambda created: hand_over(app, created))
        scheduler.run(once=once)

    @group.command(help="Create the runs a cron workflow would have made between two dates.")
    def backfill(ctx: typer.Context, name: Annotated[str, typer.Argument()],
                 start: Annotated[str, typer.Option("--start", help="Start date")] = "",
                 end: Annotated[str, typer.Option("--end", help="End date (default: now)")] = "",
                 format_: Annotated[str, typer.Option("--format", help="Go layout of the dates and of the parameter value")] = "Mon, 02 Jan 2006 15:04:05 MST",
                 argname: Annotated[str, typer.Option("--argname", help="Parameter that receives the scheduled time")] = "cronScheduleTime",
                 maxworkflowcount: Annotated[int, typer.Option("--maxworkflowcount", help="Maximum number of backfill workflows")] = 1000,
                 backfill_name: Annotated[str, typer.Option("--name", help="Backfill name (default: random)")] = "",
                 parallel: Annotated[bool, typer.Option("--parallel", help="Run the backfill workflows in parallel")] = False) -> None:
        from argoctl.cli.cronbackfill import BackfillArgs
        from argoctl.cli.cronbackfill import backfill as run_backfill

        args = BackfillArgs(name, start, end, format_, argname, maxworkflowcount, backfill_name, parallel)
        raise typer.Exit(int(run_backfill(opt.app_of(ctx), args)))
