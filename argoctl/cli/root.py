"""The typer application: the ``argoctl`` group, its global options, and its verbs.

``new_app(modules)`` builds a fresh application with only the given command modules registered:
``argoctl.cli.main.run`` registers just the module of the verb it is about to run, so neither the
other verbs' modules nor their click commands are built (all of them when the verb is unknown, so
click's "No such command ... Did you mean" message still sees every name).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import typer
from typer.core import TyperGroup

from argoctl.cli import globalopts

HELP = "Run Argo Workflows manifests with no Argo controller: on Kubernetes or as local processes."


def main(ctx: typer.Context) -> None:
    """The group's callback: nothing to do. The global options are installed on every command
    (``argoctl.cli.globalopts``) and resolved when the verb runs."""


class RootGroup(TyperGroup):
    """The ``argoctl`` group, with the global options on itself and on every verb below it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        globalopts.install(self)


def new_app(modules: Iterable[str] | None = None) -> typer.Typer:
    """The ``argoctl`` application with the verbs of ``modules`` (names under
    ``argoctl.cli.commands``; all of them by default) registered."""
    from argoctl.cli.commands import MODULES, register

    app = typer.Typer(
        name="argoctl",
        cls=RootGroup,
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
