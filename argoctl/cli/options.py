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
