"""``argoctl list``: the argo list table (or names, JSON, YAML); its body is ``argoctl.cli.reads.run_list``."""

from __future__ import annotations

import typer

from argoctl.cli import options as opt
from argoctl.cli.reads import ListArgs
from argoctl.cli.reads import run_list as run
from argoctl.cli.selection import Selection, phases

__all__ = ["ListArgs", "register", "run"]


def register(app: typer.Typer) -> None:
    @app.command("list", help="List workflows: unfinished first, newest first.")
    def list_(
        ctx: typer.Context,
        output: opt.Output = "",
        selector: opt.Labels = "",
        field_selector: opt.FieldSelector = "",
        status: opt.Status = None,
        running: opt.Running = False,
        completed: opt.Completed = False,
        older: opt.Older = "",
        since: opt.Since = "",
        prefix: opt.Prefix = "",
        resubmitted: opt.Resubmitted = False,
        all_namespaces: opt.AllNamespaces = False,
        chunk_size: opt.ChunkSize = 0,
        no_headers: opt.NoHeaders = False,
        query: opt.Query = "",
    ) -> None:
        selection = Selection(selector, field_selector, prefix, older, since, phases(status), resubmitted, running,
                              completed, all_namespaces, chunk_size)
        raise typer.Exit(int(run(opt.app_of(ctx), ListArgs(output, selection, no_headers, query))))
