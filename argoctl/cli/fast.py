"""What ``argoctl`` answers without importing typer, rich or click: ``--help``/``-h`` of any
command, the help that a bare group prints (``argoctl``, ``argoctl template``), and ``version``.

The help texts come from ``argoctl.cli.helptext``, generated from the typer command tree by
``python -m argoctl.cli.generate --write`` (a drift test fails when it is stale). They are click's
help at its default width, so they are used only where click would render that width: a terminal
of 80 columns or more, or no terminal (click then assumes 80). Anything else (other arguments, a
narrower terminal) returns None and the typer application runs as before.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path ~2 ms
if TYPE_CHECKING:
    from typing import IO

HELP_FLAGS = ("-h", "--help")
MIN_COLUMNS = 80  # click's help is max(min(columns, 80) - 2, 50) wide


def columns() -> int:
    """``shutil.get_terminal_size().columns`` (what click asks), without importing shutil."""
    try:
        found = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        found = 0
    if found <= 0:
        try:
            found = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            found = 0
        found = found or 80
    return found


def version_lines(short: bool) -> list[str]:
    """``argoctl version [--short]``."""
    from argoctl import __version__

    if short:
        return [f"argoctl: v{__version__}"]
    import platform

    return [f"argoctl: v{__version__}", f"  Platform: {platform.system().lower()}/{platform.machine()}",
            f"  Python: {platform.python_version()}"]


def _write(stream: IO[str], text: str) -> int:
    stream.write(text + "\n")
    stream.flush()
    return 0


def serve(args: list[str]) -> int | None:
    """Answer ``args`` and return the exit status, or None when the typer application must run."""
    if args == ["version"] or args == ["version", "--short"]:
        return _write(sys.stdout, "\n".join(version_lines(short=len(args) == 2)))
    if args and args[-1] in HELP_FLAGS:
        path, stream = tuple(args[:-1]), sys.stdout
    elif len(args) <= 1:
        path, stream = tuple(args), sys.stderr  # a group given no arguments prints its help on stderr
    else:
        return None
    from argoctl.cli import helptext

    if path not in helptext.HELP or (stream is sys.stderr and path not in helptext.NO_ARGS_IS_HELP):
        return None
    if columns() < MIN_COLUMNS:
        return None
    return _write(stream, helptext.HELP[path])
