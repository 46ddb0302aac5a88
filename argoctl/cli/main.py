"""The console-script entry point and the error edge: every ``ArgoctlError`` is printed once as
``error: ...`` with its exit code; tracebacks only with ``-v``.

This module imports nothing heavy: ``run`` first offers the arguments to ``argoctl.cli.quick``
(``list``, ``get`` and ``submit``, read and run without typer), then to ``argoctl.cli.fast`` (help from the
generated cache and ``version``), and only then builds the typer application of
``argoctl.cli.root`` with the one command module the verb needs.
"""

from __future__ import annotations

import os
import sys

from argoctl import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path ~2 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    import typer



def __getattr__(name: str) -> typer.Typer | frozenset[str]:
    """``argoctl.cli.main.app``: the typer application with every verb (built on first use);
    ``ROOT_FLAGS`` and ``ROOT_VALUE_OPTIONS``: the global options' names (``argoctl.cli.globalopts``)."""
    if name == "app":
        from argoctl.cli import root

        app = root.new_app()
        globals()["app"] = app
        return app
    if name in ("ROOT_FLAGS", "ROOT_VALUE_OPTIONS"):
        from argoctl.cli.globalopts import root_option_names

        flags, values = root_option_names()
        globals().update(ROOT_FLAGS=flags, ROOT_VALUE_OPTIONS=values)
        return flags if name == "ROOT_FLAGS" else values
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _error(text: str) -> None:
    sys.stderr.write(f"error: {text}\n")
    sys.stderr.flush()


def modules_for(args: list[str]) -> tuple[str, ...] | None:
    """The one command module that ``args`` runs a verb of, or None (all of them) when that is not
    plain: no verb, an unknown one, ``-h`` before it, an option this scan does not know, or
    ``completion`` (which prints the whole command tree)."""
    from argoctl.cli.commands import VERBS
    from argoctl.cli.globalopts import root_option_names

    flags, values = root_option_names()
    i = 0
    while i < len(args):
        word = args[i]
        if word in values:
            i += 2
        elif word in flags or word.split("=", 1)[0] in values or (
                word[:2] in values and not word.startswith("--")):
            i += 1
        elif word.startswith("-"):
            return None
        else:
            module = VERBS.get(word)
            return (module,) if module is not None and module != "completion" else None
    return None


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _run(sys.argv[1:] if argv is None else argv)


def _run(args: list[str]) -> None:
    if ("list" in args or "get" in args or "submit" in args) and not ("-h" in args or "--help" in args):
        if "submit" in args:
            prepare_imports()
        from argoctl.cli import quick

        parsed = quick.parse(args)
        if parsed is not None:  # list or get, read without typer
            _guarded(lambda: quick.run(parsed), _verbose(args))
    from argoctl.cli import fast

    try:
        code = fast.serve(args)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    if code is not None:
        sys.exit(code)
    run_typer(args)


def prepare_imports() -> None:
    """Before a command module is imported (typer's path, ``submit``; not the help, ``version``,
    ``list`` and ``get`` fast paths, which do not import yaml): PyYAML's printable-character
    pattern compiled cheaply (``argoctl.yamlseed``)."""
    from argoctl import yamlseed

    yamlseed.seed()


def _quiet_stdout() -> None:
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _verbose(args: list[str]) -> bool:
    return "-v" in args or "--verbose" in args or "--loglevel=debug" in args or any(
        args[i:i + 2] == ["--loglevel", "debug"] for i in range(len(args)))


def run_typer(args: list[str]) -> None:
    """Run ``args`` through the typer application (with the modules ``modules_for`` picks)."""
    prepare_imports()
    import typer

    try:  # typer 0.28 vendors click as typer._click; older typers raise the click package's errors
        from typer._click.exceptions import ClickException, NoArgsIsHelpError
    except ImportError:  # pragma: no cover - typer < 0.28
        from click.exceptions import (  # type: ignore[assignment,no-redef,unused-ignore]
            ClickException,
            NoArgsIsHelpError,
        )

    from argoctl.cli.root import new_app
    from argoctl.errors import ExitCode

    command = typer.main.get_command(new_app(modules_for(args)))

    def call() -> int:
        try:
            return int(command.main(args=args, prog_name="argoctl", standalone_mode=False) or 0)
        except NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(int(ExitCode.OK))
        except ClickException as exc:
            _error(exc.format_message())
            sys.exit(int(ExitCode.USAGE))
        except typer.Exit as exc:
            sys.exit(exc.exit_code)
        except typer.Abort:
            _error("interrupted")
            sys.exit(int(ExitCode.INTERRUPTED))

    _guarded(call, _verbose(args))


def _guarded(call: Callable[[], int], verbose: bool) -> NoReturn:
    """Exit with what ``call`` returns; the error edge: every ``ArgoctlError`` printed once as
    ``error: ...`` with its exit code, a traceback only when ``verbose``."""
    from argoctl.errors import ArgoctlError, ExitCode

    try:
        code = call()
    except ArgoctlError as exc:
        if verbose:
            import traceback

            traceback.print_exc()
        _error(exc.render())
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(int(ExitCode.OK))
    except Exception as exc:
        if verbose:
            import traceback

            traceback.print_exc()
        _error(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)")
        sys.exit(int(ExitCode.UNAVAILABLE if isinstance(exc, OSError) else ExitCode.USAGE))
    sys.exit(code)


__all__ = ["__version__", "run"]  # and ``app``, built on first use by __getattr__
