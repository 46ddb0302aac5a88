"""``argoctl lint FILE...``: Argo's validation; problems as ``FILE:LINE: path: message``, exit 2.

Like ``argo lint``, paths holding no Argo object (only a PVC or a ConfigMap) fail too.
``-o simple`` (the default) prints one line per problem; ``-o pretty`` adds argo's closing count.
``--offline`` resolves references only among the given files; ``--kinds`` limits the kinds linted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.graphs import GRAPH_OUTPUTS
from argoctl.cli.strictflag import Strict, StrictCommand
from argoctl.cli.workflows import check_output
from argoctl.errors import ExitCode, UsageError

# argo's --kinds names (and the kinds' own names) -> kind
KINDS = {"workflows": "Workflow", "workflowtemplates": "WorkflowTemplate", "cronworkflows": "CronWorkflow",
         "clusterworkflowtemplates": "ClusterWorkflowTemplate"}


@dataclass(frozen=True, slots=True)
class LintArgs:
    paths: tuple[str, ...]
    output: str = "simple"
    kinds: tuple[str, ...] = ()
    offline: bool = False
    strict: bool = True


def kinds_of(values: list[str] | None) -> tuple[str, ...]:
    """``--kinds`` values (repeatable, comma separated; ``all`` or none: every kind) as kind names."""
    given = [v.strip().lower() for value in values or () for v in value.split(",") if v.strip()]
    if not given or "all" in given:
        return ()
    by_kind = {kind.lower(): kind for kind in KINDS.values()}
    unknown = [v for v in given if v not in KINDS and v not in by_kind and v.rstrip("s") not in by_kind]
    if unknown:
        raise UsageError(f"unknown --kinds {', '.join(unknown)}", hint=f"use all or {'|'.join(KINDS)}")
    return tuple(KINDS.get(v) or by_kind.get(v) or by_kind[v.rstrip("s")] for v in given)


def run(app: App, args: LintArgs) -> ExitCode:
    from argoctl.cli.sources import StoreTemplateSource
    from argoctl.validate import lint

    output = check_output(args.output, ("simple", "pretty", *GRAPH_OUTPUTS))
    if not args.paths:
        raise UsageError("give files or directories to lint")
    source = None if args.offline else StoreTemplateSource(app.store())
    result = lint(list(args.paths), source=source, kinds=args.kinds or None, strict=args.strict)
    text = result.text.rstrip("\n")
    if output == "pretty" and result.problems:
        text += f"\n\n✖ {len(result.problems)} linting errors found!"
    if not result.ok:  # problems, or nothing Argo lints (argo lint fails then too)
        app.err(text)
        return ExitCode.USAGE
    if output in GRAPH_OUTPUTS:
        from argoctl.cli.graphs import print_template_graphs

        print_template_graphs(app, [d.obj for d in result.documents], output)
        return ExitCode.OK
    app.out(text)
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Validate manifests without running them (exit 2 on any problem).", cls=StrictCommand)
    def lint(
        ctx: typer.Context,
        paths: Annotated[list[str] | None, typer.Argument(help="Files or directories")] = None,
        output: Annotated[str, typer.Option("--output", "-o", help="simple|pretty, or dot|mermaid: draw the template graph")] = "simple",
        kinds: Annotated[list[str] | None, typer.Option("--kinds", help="Only these kinds: all, workflows, workflowtemplates, cronworkflows or clusterworkflowtemplates")] = None,
        offline: Annotated[bool, typer.Option("--offline", help="Resolve template references only among the given files")] = False,
        object_: opt.HeraObject = "",
        strict: Strict = True,
    ) -> None:
        raise typer.Exit(int(run(opt.app_of(ctx), LintArgs(tuple(paths or ()), output, kinds_of(kinds), offline, strict))))
