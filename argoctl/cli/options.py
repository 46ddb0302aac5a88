"""Flags several verbs share, defined once."""

from __future__ import annotations

from typing import Annotated

import typer

from argoctl.cli.app import App

Output = Annotated[str, typer.Option("--output", "-o", help="Output format: name|json|yaml|wide")]
Query = Annotated[str, typer.Option("--query", help="JMESPath expression applied to -o json|yaml")]
NodeFieldSelector = Annotated[str, typer.Option("--node-field-selector", help="Select nodes, e.g. displayName=step1")]
Parameters = Annotated[list[str] | None, typer.Option("--parameter", "-p", help="Input parameter NAME=VALUE")]
Labels = Annotated[str, typer.Option("--selector", "-l", help="Label selector, e.g. app=x,team!=y")]


def _select_object(value: str) -> str:
    from argoctl.parse.pyfile import select_object

    return select_object(value)


HeraObject = Annotated[str, typer.Option("--object", callback=_select_object,
                                         help="In a Hera .py file: only the object bound to this variable or with this name")]


def app_of(ctx: typer.Context) -> App:
    obj = ctx.find_root().obj
    if not isinstance(obj, App):
        obj = App()
        ctx.find_root().obj = obj
    return obj

# the selection flags of argoctl.cli.selection (argo's names and meanings)
FieldSelector = Annotated[str, typer.Option(
    "--field-selector", help="Field query: metadata.name, metadata.namespace or status.phase with =, ==, !=")]
Prefix = Annotated[str, typer.Option("--prefix", help="Only workflows whose name starts with this")]
Older = Annotated[str, typer.Option("--older", help="Only completed workflows finished before this duration ago, e.g. 10m, 3h, 1d")]
Since = Annotated[str, typer.Option("--since", help="Only workflows created within this duration, e.g. 1h")]
Status = Annotated[list[str] | None, typer.Option("--status", help="Only these phases (comma separated, repeatable)")]
Resubmitted = Annotated[bool, typer.Option("--resubmitted", help="Only resubmitted workflows")]
Running = Annotated[bool, typer.Option("--running", help="Only unfinished workflows (not with --completed)")]
Completed = Annotated[bool, typer.Option("--completed", help="Only finished workflows (not with --running)")]
AllNamespaces = Annotated[bool, typer.Option("--all-namespaces", "-A", help="Workflows of every namespace")]
ChunkSize = Annotated[int, typer.Option("--chunk-size", help="List in pages of this many (0: all at once)")]
NoHeaders = Annotated[bool, typer.Option("--no-headers", help="Omit the header row")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print what would be done, change nothing")]
Log = Annotated[bool, typer.Option("--log", help="Print the pods' logs while waiting")]
Wait = Annotated[bool, typer.Option("--wait", "-w", help="Wait until the workflow ends")]
Watch = Annotated[bool, typer.Option("--watch", help="Show progress until the workflow ends")]
Priority = Annotated[int | None, typer.Option("--priority", help="Workflow priority")]
