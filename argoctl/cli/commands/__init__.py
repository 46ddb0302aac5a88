"""One module per verb. Each typer function only gathers options into a frozen dataclass and
calls a plain ``run(app, options)`` that is testable without typer."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module

import typer

# in the order their verbs are listed by ``argoctl --help`` (commands first, then groups)
MODULES = ("submit", "listing", "get", "logs", "wait", "control", "delete", "lint", "retry", "resubmit", "node",
           "apply", "templates", "cron", "archive", "convert", "auth", "cp", "version", "completion")
# each top-level verb (command or group) and the module that registers it (a test checks both ways)
VERBS = {
    "submit": "submit", "list": "listing", "get": "get", "logs": "logs", "wait": "wait", "watch": "wait",
    "stop": "control", "terminate": "control", "suspend": "control", "resume": "control", "delete": "delete",
    "lint": "lint", "retry": "retry", "resubmit": "resubmit", "node": "node", "apply": "apply",
    "template": "templates", "cluster-template": "templates", "cron": "cron", "archive": "archive", "convert": "convert",
    "auth": "auth", "cp": "cp",
    "version": "version", "completion": "completion",
}


def register(app: typer.Typer, modules: Sequence[str] = MODULES) -> None:
    """Register the verbs of ``modules`` (in ``MODULES`` order) on ``app``."""
    for name in sorted(modules, key=MODULES.index):
        import_module(f"argoctl.cli.commands.{name}").register(app)
