"""The typer application: the ``argoctl`` group, its global options, and its verbs.

``new_app(modules)`` builds a fresh application with only the given command modules registered:
``argoctl.cli.main.run`` registers just the module of the verb it is about to run, so neither the
other verbs' modules nor their click commands are built (all of them when the verb is unknown, so
click's "No such command ... Did you mean" message still sees every name).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import typer

from argoctl.cli.app import App, GlobalOptions

HELP = "Run Argo Workflows manifests with no Argo controller: on Kubernetes or as local processes."


def main(
    ctx: typer.Context,
    namespace: Annotated[str | None, typer.Option("--namespace", "-n", help="Namespace (default: default)")] = None,
    kubeconfig: Annotated[str | None, typer.Option(help="Path to the kubeconfig file")] = None,
    context: Annotated[str | None, typer.Option(help="Kubeconfig context to use")] = None,
    backend: Annotated[str | None, typer.Option(help="kubernetes, docker, local or auto (env ARGOCTL_BACKEND)")] = None,
    store: Annotated[str | None, typer.Option(help="State store URL: file:///dir, s3://bucket/prefix (env ARGOCTL_STORE)")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks on errors")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Disable colour")] = False,
    qps: Annotated[float, typer.Option(help="Kubernetes client QPS limit")] = 20.0,
    burst: Annotated[int, typer.Option(help="Kubernetes client burst")] = 30,
) -> None:
    ctx.obj = App(GlobalOptions(namespace=namespace, kubeconfig=kubeconfig, context=context, backend=backend,
                                store=store, verbose=verbose, no_color=no_color, qps=qps, burst=burst))


def new_app(modules: Iterable[str] | None = None) -> typer.Typer:
    """The ``argoctl`` application with the verbs of ``modules`` (names under
    ``argoctl.cli.commands``; all of them by default) registered."""
    from argoctl.cli.commands import MODULES, register

    app = typer.Typer(
        name="argoctl",
        help=HELP,
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(main)
    register(app, MODULES if modules is None else tuple(modules))
    return app
