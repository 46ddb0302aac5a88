"""``--strict``, spelled as argo spells it: a bool flag, default true, also ``--strict=false``.

click's boolean flags take no ``=value``; ``StrictCommand`` (a typer command class) rewrites
``--strict=false|true`` into ``--no-strict``/``--strict`` before click parses the command line.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from argoctl.errors import UsageError

_FALSE = frozenset({"false", "f", "0", "no"})
_TRUE = frozenset({"true", "t", "1", "yes"})

Strict = Annotated[
    bool,
    typer.Option(
        "--strict/--no-strict",
        help="Reject unknown fields in manifests, as argo does (--strict=false to accept them)",
    ),
]


def rewrite_strict(args: list[str]) -> list[str]:
    """``--strict=VALUE`` → ``--strict`` or ``--no-strict``; everything after ``--`` stays."""
    result: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return result + args[index:]
        name, equals, value = arg.partition("=")
        if name == "--strict" and equals:
            if value.lower() in _FALSE:
                arg = "--no-strict"
            elif value.lower() in _TRUE:
                arg = "--strict"
            else:
                raise UsageError(f"--strict={value}: not a boolean", hint="use --strict=true or --strict=false")
        result.append(arg)
    return result


class StrictCommand(TyperCommand):
    """A command whose ``--strict`` flag also takes ``=true``/``=false``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click's Context (vendored or not)
        return super().parse_args(ctx, rewrite_strict(list(args)))
