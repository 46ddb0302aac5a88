"""``argoctl template ...`` and ``argoctl cluster-template ...``: stored (Cluster)WorkflowTemplates."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.commands.apply import apply_documents
from argoctl.cli.strictflag import Strict, StrictCommand
from argoctl.cli.workflows import check_output, emit_structured
from argoctl.errors import ExitCode, NotFoundError, UsageError

JSON = dict[str, Any]


def _table(app: App, objects: list[JSON], output: str) -> None:
    names = sorted(str(o["metadata"]["name"]) for o in objects)
    if output == "name":
        for name in names:
            app.out(name)
        return
    if not names:
        app.out("No workflow templates found")
        return
    width = max(len("NAME"), *(len(n) for n in names))
    app.out("NAME".ljust(width))
    for name in names:
        app.out(name.ljust(width))


def _group(kind: str, noun: str) -> typer.Typer:
    group = typer.Typer(help=f"Manage {noun}s.", no_args_is_help=True, rich_markup_mode=None)

    @group.command(help=f"Create {noun}s from files (validated first).", cls=StrictCommand)
    def create(ctx: typer.Context, files: Annotated[list[str], typer.Argument()], strict: Strict = True) -> None:
        app = opt.app_of(ctx)
        raise typer.Exit(int(apply_documents(app, files, kinds=(kind,), strict=True, strict_fields=strict)))

    @group.command(help=f"Show a {noun}.")
    def get(ctx: typer.Context, name: Annotated[str, typer.Argument()],
            output: Annotated[str, typer.Option("--output", "-o")] = "yaml", query: opt.Query = "") -> None:
        app = opt.app_of(ctx)
        try:
            obj = app.store().get_object(kind, name)
        except NotFoundError as exc:
            raise NotFoundError(f'{kind}.argoproj.io "{name}" not found') from exc
        if check_output(output, ("name", "json", "yaml")) == "name":
            app.out(name)
        else:
            emit_structured(app, obj, output, query)

    @group.command("list", help=f"List {noun}s.")
    def list_(ctx: typer.Context, output: opt.Output = "") -> None:
        app = opt.app_of(ctx)
        objects = [dict(o) for o in app.store().list_objects(kind)]
        output = check_output(output, ("", "name", "wide", "json", "yaml"))
        if output in ("json", "yaml"):
            emit_structured(app, objects, output, "")
        else:
            _table(app, objects, output)

    @group.command(help=f"Delete {noun}s.")
    def delete(ctx: typer.Context, names: Annotated[list[str] | None, typer.Argument()] = None,
               all_: Annotated[bool, typer.Option("--all")] = False) -> None:
        app = opt.app_of(ctx)
        store = app.store()
        targets = list(names or ())
        if all_:
            targets = [str(o["metadata"]["name"]) for o in store.list_objects(kind)]
        if not targets:
            raise UsageError(f"give {noun} names or --all")
        for name in targets:
            try:
                store.delete_object(kind, name)
                app.out(f'{kind} "{name}" deleted')
            except NotFoundError:
                app.out(f'{kind} "{name}" not found')

    @group.command(help=f"Validate {noun} files.", cls=StrictCommand)
    def lint(ctx: typer.Context, files: Annotated[list[str], typer.Argument()], strict: Strict = True) -> None:
        from argoctl.cli.commands.lint import run

        raise typer.Exit(int(run(opt.app_of(ctx), files, strict=strict)))

    return group


def register(app: typer.Typer) -> None:
    app.add_typer(_group("WorkflowTemplate", "workflow template"), name="template")
    app.add_typer(_group("ClusterWorkflowTemplate", "cluster workflow template"), name="cluster-template")
    app.add_typer(_group("CronWorkflow", "cron workflow"), name="cron")


__all__ = ["ExitCode"]
