"""``argoctl logs NAME [POD]``: pod logs, live or archived, one ``<pod>: <line>`` per line."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import exit_code_for, hand_over, load
from argoctl.errors import ExitCode
from argoctl.model.timefmt import parse_duration, parse_time
from argoctl.model.workflow import WorkflowState

POLL_SECONDS = 0.2


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


def _pods(state: WorkflowState, pod: str) -> list[tuple[str, str]]:
    """(pod name, started at) of the workflow's pods in start order."""
    from argoctl.runtime.workflows import pods

    return pods(state, pod)


def _read(app: App, state: WorkflowState, pod: str, container: str) -> str:
    """The pod's log with a timestamp before each line: archived in the store, else live."""
    from argoctl.runtime.workflows import read_log

    return read_log(app.wiring, state, pod, container)


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
        out.append(line if args.timestamps else rest)
    if args.tail >= 0:
        out = out[-args.tail:] if args.tail else []
    return out


def stream(app: App, args: LogsArgs) -> WorkflowState:
    """Print logs; with ``follow`` keep going until the workflow completes."""
    printed: dict[str, int] = {}
    cutoff = app.now() - timedelta(seconds=parse_duration(args.since)) if args.since else None
    if args.follow:
        hand_over(app, args.name)
    while True:
        state = load(app, args.name)
        for pod, _ in _pods(state, args.pod):
            lines = _lines(_read(app, state, pod, args.container), args, cutoff)
            for line in lines[printed.get(pod, 0):]:
                app.out(line if args.no_prefix else f"{pod}: {line}")
            printed[pod] = len(lines)
        if not args.follow or state.completed:
            return state
        time.sleep(POLL_SECONDS)


def register(app: typer.Typer) -> None:
    @app.command(help="Print the logs of a workflow's pods (archived logs once pods are gone).")
    def logs(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Workflow name")],
        pod: Annotated[str, typer.Argument(help="Only this pod (name, node ID or display name)")] = "",
        container: Annotated[str, typer.Option("--container", "-c")] = "main",
        follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing until the workflow ends")] = False,
        since: Annotated[str, typer.Option(help="Only lines newer than this duration")] = "",
        tail: Annotated[int, typer.Option(help="Only the last N lines of each pod")] = -1,
        timestamps: Annotated[bool, typer.Option("--timestamps")] = False,
        no_prefix: Annotated[bool, typer.Option("--no-prefix", help="Do not prefix lines with the pod name")] = False,
    ) -> None:
        a = opt.app_of(ctx)
        stream(a, LogsArgs(name, pod, container, follow, since, tail, timestamps, no_prefix))
        raise typer.Exit(int(ExitCode.OK))


__all__ = ["LogsArgs", "exit_code_for", "stream"]
