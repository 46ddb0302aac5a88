"""``argoctl archive ...``: finished workflows kept in the store (see ``argoctl.stores.archive``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.selection import Selection, select_archived
from argoctl.cli.workflows import check_output, emit_structured
from argoctl.errors import ExitCode, UsageError

JSON = dict[str, Any]
Uid = Annotated[str, typer.Option("--uid", help="The archived workflow's UID")]
Name = Annotated[str, typer.Option("--name", help="The archived workflow's name (the newest of that name)")]
Uids = Annotated[list[str] | None, typer.Argument(help="UIDs of archived workflows")]


def _uids(app: App, given: list[str], uid: str, name: str, sel: Selection | None = None) -> list[str]:
    """The UIDs a verb acts on: arguments, ``--uid``, ``--name``, or (retry/resubmit) a selection."""
    from argoctl.stores.archive import uid_of

    found = [*given, *([uid] if uid else [])]
    if name:
        found.append(uid_of(app.store(), name))
    if sel is not None and sel.given():
        found.extend(str(w["metadata"]["uid"]) for w in select_archived(app, sel))
    if not found:
        raise UsageError("give the UID of an archived workflow, or --uid or --name",
                         hint="argoctl archive list shows them")
    return list(dict.fromkeys(found))


def _workflow(app: App, uid: str) -> JSON:
    from argoctl.model.workflow import WorkflowState
    from argoctl.stores.archive import get_archived

    return WorkflowState.from_wire(get_archived(app.store(), uid)).to_wire()


def run_list(app: App, output: str, sel: Selection) -> ExitCode:
    from argoctl import render

    output = check_output(output)
    found = render.sort_workflows(select_archived(app, sel))
    if output in ("json", "yaml"):
        emit_structured(app, found, output, "")
    else:
        app.out(render.render_list(found, now=app.now(), output=output, all_namespaces=True, uid=True), end="")
    return ExitCode.OK


def run_get(app: App, uid: str, output: str) -> ExitCode:
    from argoctl.render.archive import render_archived

    output = check_output(output, ("", "json", "yaml", "wide", "name"))
    workflow = _workflow(app, uid)
    if output in ("json", "yaml"):
        emit_structured(app, workflow, output, "")
    elif output == "name":
        app.out(str(workflow["metadata"]["name"]))
    else:
        app.out(render_archived(workflow, now=app.now()), end="")
    return ExitCode.OK


def run_retry(app: App, uid: str, **options: Any) -> ExitCode:
    """Argo's RetryArchivedWorkflow: the archived workflow becomes live again, then retried."""
    from argoctl.cli.commands.retry import run
    from argoctl.parse import split_parameter
    from argoctl.runtime.workflows import revive_archived

    name = revive_archived(app.wiring, uid, app.now(), restart_successful=bool(options.get("restart_successful")),
                           node_field_selector=str(options.get("node_field_selector") or ""),
                           parameters=[split_parameter(p) for p in options.get("parameters") or ()])
    return run(app, [name], **options)


def _selection(selector: str, field_selector: str) -> Selection:
    return Selection(labels=selector, fields=field_selector)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Finished workflows kept in the store after they are deleted.", no_args_is_help=True,
                        rich_markup_mode=None)

    @group.command("list", help="List archived workflows.")
    def list_(ctx: typer.Context, output: opt.Output = "", selector: opt.Labels = "",
              chunk_size: opt.ChunkSize = 0) -> None:
        raise typer.Exit(int(run_list(opt.app_of(ctx), output, Selection(labels=selector, chunk_size=chunk_size))))

    @group.command(help="Show an archived workflow.")
    def get(ctx: typer.Context, uid_arg: Annotated[str, typer.Argument(metavar="UID")] = "", uid: Uid = "",
            name: Name = "", output: Annotated[str, typer.Option("--output", "-o", help="json|yaml|wide|name")] = "") -> None:
        a = opt.app_of(ctx)
        raise typer.Exit(int(run_get(a, _uids(a, [uid_arg] if uid_arg else [], uid, name)[0], output)))

    @group.command(help="Delete archived workflows for good.")
    def delete(ctx: typer.Context, uids: Uids = None, uid: Uid = "", name: Name = "") -> None:
        from argoctl.stores.archive import delete_archived

        a = opt.app_of(ctx)
        for each in _uids(a, list(uids or ()), uid, name):
            delete_archived(a.store(), each)
            a.out(f"Archived workflow '{each}' deleted")

    @group.command("list-label-keys", help="List the label keys of archived workflows.")
    def list_label_keys(ctx: typer.Context) -> None:
        from argoctl.stores.archive import label_keys

        a = opt.app_of(ctx)
        for key in label_keys(a.store()):
            a.out(key)

    @group.command("list-label-values", help="List the values archived workflows have for a label key.")
    def list_label_values(ctx: typer.Context, selector: Annotated[str, typer.Option(
            "--selector", "-l", help="The label key")] = "") -> None:
        from argoctl.stores.archive import label_values

        a = opt.app_of(ctx)
        if not selector:
            raise UsageError("give the label key with -l KEY")
        for value in label_values(a.store(), selector):
            a.out(value)

    _register_reruns(group)
    app.add_typer(group, name="archive")


def _register_reruns(group: typer.Typer) -> None:
    @group.command(help="Submit archived workflows again as new workflows.")
    def resubmit(
        ctx: typer.Context, uids: Uids = None, uid: Uid = "", name: Name = "",
        memoized: Annotated[bool, typer.Option("--memoized", help="Keep the outputs of succeeded steps")] = False,
        parameter: opt.Parameters = None, priority: opt.Priority = None, selector: opt.Labels = "",
        field_selector: opt.FieldSelector = "", wait: opt.Wait = False, watch: opt.Watch = False,
        log: opt.Log = False, output: opt.Output = "",
    ) -> None:
        from argoctl.cli.commands.resubmit import resubmit_from
        from argoctl.cli.commands.retry import attach
        from argoctl.model.workflow import WorkflowState
        from argoctl.parse import split_parameter
        from argoctl.stores.archive import get_archived

        a = opt.app_of(ctx)
        output = check_output(output)
        worst = ExitCode.OK
        for each in _uids(a, list(uids or ()), uid, name, _selection(selector, field_selector)):
            state = WorkflowState.from_wire(get_archived(a.store(), each))
            created = resubmit_from(a, state, memoized=memoized, priority=priority,
                                    parameters=[split_parameter(p) for p in parameter or ()])
            worst = max(worst, attach(a, created.name, wait=wait or log, watch=watch, output=output, log=log,
                                      shown=created))
        raise typer.Exit(int(worst))

    @group.command(help="Retry archived workflows: each becomes live again and its failed steps re-run.")
    def retry(
        ctx: typer.Context, uids: Uids = None, uid: Uid = "", name: Name = "",
        restart_successful: Annotated[bool, typer.Option("--restart-successful", help="Also re-run succeeded nodes matching --node-field-selector")] = False,
        node_field_selector: opt.NodeFieldSelector = "", parameter: opt.Parameters = None,
        selector: opt.Labels = "", field_selector: opt.FieldSelector = "", wait: opt.Wait = False,
        watch: opt.Watch = False, log: opt.Log = False, output: opt.Output = "",
    ) -> None:
        a = opt.app_of(ctx)
        worst = ExitCode.OK
        for each in _uids(a, list(uids or ()), uid, name, _selection(selector, field_selector)):
            worst = max(worst, run_retry(a, each, restart_successful=restart_successful,
                                         node_field_selector=node_field_selector, parameters=list(parameter or ()),
                                         wait=wait or log, watch=watch, output=output, log=log))
        raise typer.Exit(int(worst))
