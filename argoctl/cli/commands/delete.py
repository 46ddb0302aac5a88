"""``argoctl delete``: remove workflows (their running pods are terminated first)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.errors import ExitCode, NotFoundError, UsageError
from argoctl.model.timefmt import parse_duration, parse_time

JSON = dict[str, Any]


def _targets(app: App, names: list[str], all_: bool, completed: bool, older: str, selector: str) -> list[str]:
    if names:
        return names
    if not (all_ or completed or older or selector):
        raise UsageError("give workflow names, or --all, --completed, --older or -l")
    parts = [selector] if selector else []
    if completed or older:
        parts.append("workflows.argoproj.io/completed=true")
    found = list(app.store().list_workflows(",".join(parts) or None))
    if older:
        cutoff = app.now() - timedelta(seconds=parse_duration(older))
        found = [w for w in found if (w.get("status") or {}).get("finishedAt")
                 and parse_time(str(w["status"]["finishedAt"])) < cutoff]
    return [str(w["metadata"]["name"]) for w in found]


def delete_one(app: App, name: str, *, force: bool = False) -> bool:
    from argoctl.cli.workflows import load
    from argoctl.runtime.deletion import delete_workflow

    try:
        state = load(app, name)
    except NotFoundError:
        return False
    delete_workflow(app.store(), state, backend=app.backend, artifact_deleter=app.artifact_deleter, force=force)
    return True


def register(app: typer.Typer) -> None:
    @app.command(help="Delete workflows (running ones are terminated).")
    def delete(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        all_: Annotated[bool, typer.Option("--all", help="Delete every workflow in the namespace")] = False,
        completed: Annotated[bool, typer.Option("--completed", help="Delete finished workflows")] = False,
        older: Annotated[str, typer.Option(help="Delete workflows finished longer ago than this, e.g. 1d")] = "",
        selector: opt.Labels = "",
        dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
        force: Annotated[bool, typer.Option("--force", help="Delete even if artifact GC fails")] = False,
    ) -> None:
        a = opt.app_of(ctx)
        targets = _targets(a, list(names or ()), all_, completed, older, selector)
        if not targets:
            a.out("No resources found")
        for name in targets:
            if dry_run:
                a.out(f"Workflow '{name}' deleted (dry-run)")
            elif delete_one(a, name, force=force):
                a.out(f"Workflow '{name}' deleted")
            else:
                a.out(f"Workflow '{name}' not found")
        raise typer.Exit(int(ExitCode.OK))
