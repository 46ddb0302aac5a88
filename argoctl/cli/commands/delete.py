"""``argoctl delete``: remove workflows (their running pods are terminated first).

A finished workflow stays in the archive (``argoctl archive``) after its live record is gone."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.selection import Selection, app_in, phases, select
from argoctl.errors import ExitCode, NotFoundError, UsageError

JSON = dict[str, Any]


def targets(app: App, names: list[str], all_: bool, sel: Selection) -> list[tuple[str, str]]:
    """(namespace, name) of the workflows to delete."""
    if names:
        if all_ or sel.given():
            raise UsageError("give workflow names or selection flags (--all, -l, ...), not both")
        return [(app.namespace, name) for name in names]
    if not (all_ or sel.given()):
        raise UsageError("give workflow names, or --all, --completed, --older, --prefix, --status, -l or "
                         "--field-selector")
    return [(str(w["metadata"].get("namespace") or app.namespace), str(w["metadata"]["name"]))
            for w in select(app, sel)]


def delete_one(app: App, name: str, *, force: bool = False) -> bool:
    from argoctl.cli.workflows import load
    from argoctl.runtime.deletion import delete_workflow

    try:
        state = load(app, name)
    except NotFoundError:
        return False
    delete_workflow(app.store(), state, backend=app.backend, artifact_deleter=app.artifact_deleter, force=force)
    return True


def run(app: App, names: list[str], all_: bool, sel: Selection, *, dry_run: bool, force: bool) -> ExitCode:
    found = targets(app, names, all_, sel)
    if not found:
        app.out("No resources found")
    for namespace, name in found:
        if dry_run:
            app.out(f"Workflow '{name}' deleted (dry-run)")
        elif delete_one(app_in(app, namespace), name, force=force):
            app.out(f"Workflow '{name}' deleted")
        else:
            app.out(f"Workflow '{name}' not found")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Delete workflows (running ones are terminated; finished ones stay archived).")
    def delete(
        ctx: typer.Context,
        names: Annotated[list[str] | None, typer.Argument()] = None,
        all_: Annotated[bool, typer.Option("--all", help="Delete every workflow in the namespace")] = False,
        all_namespaces: opt.AllNamespaces = False,
        completed: opt.Completed = False,
        older: opt.Older = "",
        prefix: opt.Prefix = "",
        status: opt.Status = None,
        resubmitted: opt.Resubmitted = False,
        selector: opt.Labels = "",
        field_selector: opt.FieldSelector = "",
        query_chunk_size: Annotated[int, typer.Option("--query-chunk-size", help="List in pages of this many (0: all at once)")] = 0,
        dry_run: opt.DryRun = False,
        force: Annotated[bool, typer.Option("--force", help="Delete even if artifact GC fails")] = False,
    ) -> None:
        sel = Selection(selector, field_selector, prefix, older, "", phases(status), resubmitted, False, completed,
                        all_namespaces, query_chunk_size)
        raise typer.Exit(int(run(opt.app_of(ctx), list(names or ()), all_, sel, dry_run=dry_run, force=force)))
