"""``argoctl cron backfill``: its dates parsed and its report printed as argo's; the runs are
created by ``argoctl.runtime.cronbackfill``."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime

from argoctl.cli.app import App
from argoctl.errors import ExitCode, UsageError


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
    from argoctl.expr.gotime import format_layout
    from argoctl.render.humanize import go_time_string
    from argoctl.runtime.cronbackfill import Backfill
    from argoctl.runtime.cronbackfill import backfill as create_runs

    if not args.start:
        raise UsageError("start date should not be empty")
    if args.max_workflows < 1:
        raise UsageError("--maxworkflowcount must be at least 1")
    start = _parse(args, args.start, "--start")
    end = _parse(args, args.end, "--end") if args.end else app.now()
    name = args.name or "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
    job = Backfill(args.cron, name, start, end, args.argname, args.max_workflows, args.parallel)
    created = create_runs(app.wiring, job, now=app.now(), value_of=go_time_string, report=app.err)
    if not created:
        app.out("There is no suitable scheduling time.", end="")
        return ExitCode.OK
    app.out(f"Created {name} Backfill task for Cronworkflow {args.cron} ")
    app.out("=" * 50)
    app.out("Backfill Period :")
    app.out(f"Start Time : {args.start} ")
    app.out(f"  End Time : {args.end or format_layout(end, args.layout)} ")
    app.out(f"Total Backfill Schedule: {len(created)} ")
    app.out("=" * 50)
    app.out("Backfill Workflows: ")
    app.out("   NAMESPACE\t WORKFLOW: ")
    for index, workflow in enumerate(created, 1):
        app.out(f"{index}. {app.namespace} \t {workflow} ")
    return ExitCode.OK
