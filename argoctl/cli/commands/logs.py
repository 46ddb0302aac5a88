"""``argoctl logs NAME [POD]``: pod logs, live or archived, one ``<pod>: <line>`` per line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import exit_code_for, hand_over, load
from argoctl.errors import ExitCode, NotFoundError, UsageError
from argoctl.model.timefmt import parse_duration, parse_time
from argoctl.model.workflow import WorkflowState


@dataclass(frozen=True, slots=True)
class LogsArgs:
    name: str
    pod: str = ""
    container: str = "main"
    follow: bool = False
    since: str = ""
    tail: int = -1
    timestamps: bool = False
    no_prefix: bool = False
    grep: str = ""
    since_time: str = ""
    selector: str = ""
    previous: bool = False


def _pods(state: WorkflowState, pod: str, selector: str = "") -> list[tuple[str, str]]:
    """(pod name, started at) in start order; ``pod`` may be a pod name, node ID or display name."""
    from argoctl.runtime.workflows import pods

    return pods(state, pod, selector)


def _cutoff(app: App, args: LogsArgs) -> datetime | None:
    if args.since and args.since_time:
        raise UsageError("--since and --since-time cannot be used together")
    if args.since_time:
        try:
            return parse_time(args.since_time)
        except ValueError:
            raise UsageError(f"--since-time {args.since_time!r} is not an RFC3339 time",
                             hint="e.g. --since-time 2024-01-02T15:04:05Z") from None
    return app.now() - timedelta(seconds=parse_duration(args.since)) if args.since else None


def _lines(text: str, args: LogsArgs, cutoff: datetime | None) -> list[str]:
    out = []
    for line in text.splitlines():
        stamp, _, rest = line.partition(" ")
        try:
            moment = parse_time(stamp[:19] + "Z")
        except ValueError:
            moment, rest = None, line
        if cutoff is not None and moment is not None and moment < cutoff:
            continue
        if args.grep and not re.search(args.grep, rest):
            continue
        out.append(line if args.timestamps else rest)
    if args.tail >= 0:
        out = out[-args.tail:] if args.tail else []
    return out


def _check(state: WorkflowState, args: LogsArgs) -> None:
    """A named pod that the workflow does not have, or ``--previous``: kubectl's errors."""
    if args.pod and not _pods(state, args.pod):
        raise NotFoundError(f'pods "{args.pod}" not found in workflow "{state.name}"',
                            hint=f"argoctl get {state.name} lists its pods")
    if args.previous:  # argoctl never restarts a container in place: a retry is a new pod
        pods = _pods(state, args.pod, args.selector)
        pod = pods[0][0] if pods else args.pod or state.name
        raise NotFoundError(f'previous terminated container "{args.container}" in pod "{pod}" not found')


def stream(app: App, args: LogsArgs) -> WorkflowState:
    """Print logs; with ``follow`` keep going until the workflow completes (``argoctl.runtime.logfollow``)."""
    from argoctl.runtime.logfollow import LogFilter, LogFollower

    cutoff = _cutoff(app, args)
    if args.grep:
        try:
            re.compile(args.grep)
        except re.error as err:
            raise UsageError(f"--grep {args.grep!r} is not a regular expression: {err}") from None
    if args.follow:
        hand_over(app, args.name)
    _check(load(app, args.name), args)
    return LogFollower(app.wiring).stream(
        lambda: load(app, args.name), LogFilter(args.pod, args.selector, args.container),
        lines=lambda text: _lines(text, args, cutoff),
        emit=lambda pod, line: app.out(line if args.no_prefix else f"{pod}: {line}"), follow=args.follow)


def register(app: typer.Typer) -> None:
    @app.command(help="Print the logs of a workflow's pods (archived logs once pods are gone).")
    def logs(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Workflow name")],
        pod: Annotated[str, typer.Argument(help="Only this pod (name, node ID or display name)")] = "",
        container: Annotated[str, typer.Option("--container", "-c", help="Print the logs of this container")] = "main",
        follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing until the workflow ends")] = False,
        grep: Annotated[str, typer.Option("--grep", help="Only lines matching this regular expression")] = "",
        previous: Annotated[bool, typer.Option("--previous", "-p", help="The previous instance of the container (argoctl never restarts one in place)")] = False,
        selector: Annotated[str, typer.Option("--selector", "-l", help="Only pods whose labels match, e.g. app=x")] = "",
        since: Annotated[str, typer.Option(help="Only lines newer than this duration, e.g. 5m")] = "",
        since_time: Annotated[str, typer.Option("--since-time", help="Only lines after this RFC3339 time")] = "",
        tail: Annotated[int, typer.Option(help="Only the last N lines of each pod (-1: all)")] = -1,
        timestamps: Annotated[bool, typer.Option("--timestamps", help="Start each line with its RFC3339 time")] = False,
        no_prefix: Annotated[bool, typer.Option("--no-prefix", help="Do not prefix lines with the pod name")] = False,
    ) -> None:
        a = opt.app_of(ctx)
        stream(a, LogsArgs(name, pod, container, follow, since, tail, timestamps, no_prefix, grep, since_time,
                           selector, previous))
        raise typer.Exit(int(ExitCode.OK))


__all__ = ["LogsArgs", "exit_code_for", "stream"]
