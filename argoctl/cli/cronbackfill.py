"""``argoctl cron backfill``: the runs a CronWorkflow would have made in a past period.

argo creates one "monitor" workflow whose resource steps create the runs; argoctl has no
controller to run resource templates for it, so it creates the runs itself, through the same
decision core (``argoctl.cron``): one workflow per activation of the cron's schedules in
``[--start, --end]``, ``generateName: <cron>-backfill-<name>-``, labelled
``workflows.argoproj.io/cron-workflow`` and ``workflows.argoproj.io/cron-workflow-backfill``, the
scheduled time (Go's ``Time.String()``, as argo) in the parameter ``--argname``; serialised by a
mutex named after the backfill unless ``--parallel``.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime

from argoctl.cli.app import App
from argoctl.errors import ExitCode, UsageError

MAX_PREFIX = 52 - 6  # argo keeps generated names within 63 characters


@dataclass(frozen=True)
class BackfillArgs:
    cron: str
    start: str
    end: str
    layout: str
    argname: str
    max_workflows: int
    name: str
    parallel: bool


def _parse(args: BackfillArgs, text: str, flag: str) -> datetime:
    from argoctl.expr.gotime import TimeError, parse_layout

    try:
        return parse_layout(args.layout, text, UTC).value
    except TimeError as exc:
        raise UsageError(f"{flag} {text!r}: {exc}", hint=f"dates follow --format {args.layout!r}") from exc


def backfill(app: App, args: BackfillArgs) -> ExitCode:
    from argoctl.cli.commands.submit import SubmitArgs, create
    from argoctl.cli.crons import backfill_times, backfill_workflow, get_cron
    from argoctl.cli.workflows import hand_over
    from argoctl.expr.gotime import format_layout
    from argoctl.render.humanize import go_time_string

    if not args.start:
        raise UsageError("start date should not be empty")
    if args.max_workflows < 1:
        raise UsageError("--maxworkflowcount must be at least 1")
    start = _parse(args, args.start, "--start")
    end = _parse(args, args.end, "--end") if args.end else app.now()
    name = args.name or "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
    cron = get_cron(app, args.cron)
    times = backfill_times(cron, start, end, args.max_workflows)
    if not times:
        app.out("There is no suitable scheduling time.", end="")
        return ExitCode.OK
    prefix = f"{args.cron}-backfill-{name.lower()}"[:MAX_PREFIX]
    created = []
    for scheduled in times:
        manifest = backfill_workflow(cron, scheduled, prefix=prefix, argname=args.argname,
                                     value=go_time_string(scheduled), parallel=args.parallel, mutex=name)
        state = create(app, manifest, SubmitArgs(), [])
        hand_over(app, state.name, state)
        created.append(str(state.name))
    app.out(f"Created {name} Backfill task for Cronworkflow {args.cron} ")
    app.out("=" * 50)
    app.out("Backfill Period :")
    app.out(f"Start Time : {args.start} ")
    app.out(f"  End Time : {args.end or format_layout(end, args.layout)} ")
    app.out(f"Total Backfill Schedule: {len(times)} ")
    app.out("=" * 50)
    app.out("Backfill Workflows: ")
    app.out("   NAMESPACE\t WORKFLOW: ")
    for index, workflow in enumerate(created, 1):
        app.out(f"{index}. {app.namespace} \t {workflow} ")
    return ExitCode.OK
