"""The typer application and the error edge: every ``ArgoctlError`` is printed once as
``error: ...`` with its exit code; tracebacks only with ``-v``."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated

import typer

try:  # typer 0.28 vendors click as typer._click; older typers raise the click package's errors
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # pragma: no cover - typer < 0.28
    from click.exceptions import ClickException, NoArgsIsHelpError  # type: ignore[assignment,no-redef,unused-ignore]

from argoctl import __version__
from argoctl.cli.app import App, GlobalOptions
from argoctl.errors import ArgoctlError, ExitCode

app = typer.Typer(
    name="argoctl",
    help="Run Argo Workflows manifests with no Argo controller: on Kubernetes or as local processes.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    ctx: typer.Context,
    namespace: Annotated[str | None, typer.Option("--namespace", "-n", help="Namespace (default: default)")] = None,
    kubeconfig: Annotated[str | None, typer.Option(help="Path to the kubeconfig file")] = None,
    context: Annotated[str | None, typer.Option(help="Kubeconfig context to use")] = None,
    backend: Annotated[str | None, typer.Option(help="kubernetes or local (env ARGOCTL_BACKEND)")] = None,
    store: Annotated[str | None, typer.Option(help="State store URL: file:///dir, s3://bucket/prefix (env ARGOCTL_STORE)")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks on errors")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Disable colour")] = False,
    qps: Annotated[float, typer.Option(help="Kubernetes client QPS limit")] = 20.0,
    burst: Annotated[int, typer.Option(help="Kubernetes client burst")] = 30,
) -> None:
    ctx.obj = App(GlobalOptions(namespace=namespace, kubeconfig=kubeconfig, context=context, backend=backend,
                                store=store, verbose=verbose, no_color=no_color, qps=qps, burst=burst))


def _register() -> None:
    from argoctl.cli.commands import register

    register(app)


_register()


def _error(text: str) -> None:
    sys.stderr.write(f"error: {text}\n")
    sys.stderr.flush()


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args or "--verbose" in args
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="argoctl", standalone_mode=False)
    except ArgoctlError as exc:
        if verbose:
            traceback.print_exc()
        _error(exc.render())
        sys.exit(int(exc.exit_code))
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
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(int(ExitCode.OK))
    except Exception as exc:
        if verbose:
            traceback.print_exc()
        _error(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)")
        sys.exit(int(ExitCode.UNAVAILABLE if isinstance(exc, OSError) else ExitCode.USAGE))
    sys.exit(int(code or 0))


__all__ = ["__version__", "app", "run"]
