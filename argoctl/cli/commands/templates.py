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


def _table(app: App, objects: list[JSON], output: str, *, all_namespaces: bool = False) -> None:
    from argoctl.render.tabwriter import align

    rows = sorted((str(o["metadata"].get("namespace") or ""), str(o["metadata"]["name"])) for o in objects)
    if output == "name":
        for _, name in rows:
            app.out(name)
        return
    if not rows:
        app.out("No workflow templates found")
        return
    if all_namespaces:
        lines = ["NAMESPACE\tNAME\n", *(f"{ns}\t{name}\n" for ns, name in rows)]
        app.out(align("".join(lines), padding=3), end="")
        return
    width = max(len("NAME"), *(len(name) for _, name in rows))
    app.out("NAME".ljust(width))
    for _, name in rows:
        app.out(name.ljust(width))


def _store(app: App, files: list[str], kind: str, output: str, *, update: bool, strict: bool = True) -> ExitCode:
    """``create``/``update``: store the objects; ``-o name|json|yaml`` prints them as stored."""
    output = check_output(output, ("", "name", "json", "yaml", "wide"))
    if output in ("", "wide"):
        return apply_documents(app, files, kinds=(kind,), strict=True, update=update, strict_fields=strict)
    from io import StringIO

    from argoctl.parse import load_documents

    quiet = App(app.options, stdout=StringIO(), stderr=app.stderr, wiring=app.wiring)
    code = apply_documents(quiet, files, kinds=(kind,), strict=True, update=update, strict_fields=strict)
    for path in files:
        for doc in load_documents(path):
            name = str((doc.obj.get("metadata") or {}).get("name", ""))
            if doc.obj.get("kind") == kind:
                stored = _for(app, doc.obj).store().get_object(kind, name)
                app.out(name) if output == "name" else emit_structured(app, stored, output, "")
    return code


def _for(app: App, obj: JSON) -> App:
    from argoctl.cli.namespaces import for_object

    return for_object(app, obj)


def _listed(app: App, kind: str, selector: str, all_namespaces: bool) -> list[JSON]:
    from argoctl.stores.selectors import as_selector

    wanted = as_selector(selector or None)
    store: Any = app.store()
    stores = [store]
    if all_namespaces and hasattr(store, "namespaces"):
        stores = [store.in_namespace(ns) for ns in _object_namespaces(app, kind)]
    return [dict(o) for store in stores for o in store.list_objects(kind)
            if wanted.matches((o.get("metadata") or {}).get("labels"))]


def _object_namespaces(app: App, kind: str) -> list[str]:
    """Namespaces that may hold ``kind``: those the store holds anything in, and this one."""
    store: Any = app.store()
    return sorted({*store.namespaces(), app.namespace})


def _group(kind: str, noun: str) -> typer.Typer:
    group = typer.Typer(help=f"Manage {noun}s.", no_args_is_help=True, rich_markup_mode=None)

    @group.command(help=f"Create {noun}s from files (validated first).", cls=StrictCommand)
    def create(ctx: typer.Context, files: Annotated[list[str], typer.Argument()], output: opt.Output = "",
               object_: opt.HeraObject = "", strict: Strict = True) -> None:
        raise typer.Exit(int(_store(opt.app_of(ctx), files, kind, output, update=False, strict=strict)))

    if kind != "CronWorkflow":  # cron update is the cron verbs' (argoctl.cli.commands.cron)
        @group.command(help=f"Update existing {noun}s from files (validated first).", cls=StrictCommand)
        def update(ctx: typer.Context, files: Annotated[list[str], typer.Argument()], output: opt.Output = "",
                   object_: opt.HeraObject = "", strict: Strict = True) -> None:
            raise typer.Exit(int(_store(opt.app_of(ctx), files, kind, output, update=True, strict=strict)))

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
    def list_(ctx: typer.Context, output: opt.Output = "", selector: opt.Labels = "",
              all_namespaces: opt.AllNamespaces = False) -> None:
        app = opt.app_of(ctx)
        objects = _listed(app, kind, selector, all_namespaces)
        output = check_output(output, ("", "name", "wide", "json", "yaml"))
        if output in ("json", "yaml"):
            emit_structured(app, objects, output, "")
        else:
            _table(app, objects, output, all_namespaces=all_namespaces)

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
    def lint(ctx: typer.Context, files: Annotated[list[str], typer.Argument()],
             output: Annotated[str, typer.Option("--output", "-o", help="simple|pretty")] = "simple",
             strict: Strict = True) -> None:
        from argoctl.cli.commands.lint import LintArgs, run

        raise typer.Exit(int(run(opt.app_of(ctx), LintArgs(tuple(files), output, (kind,), strict=strict))))

    return group


def register(app: typer.Typer) -> None:
    app.add_typer(_group("WorkflowTemplate", "workflow template"), name="template")
    app.add_typer(_group("ClusterWorkflowTemplate", "cluster workflow template"), name="cluster-template")


__all__ = ["ExitCode"]
