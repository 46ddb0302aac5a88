"""``argoctl auth token``: the current bearer token. ``argoctl auth can-i``: may argoctl run
workflows in this namespace? Every permission of the minimal Role (``argoctl.kube.rbac``) checked with a SelfSubjectAccessReview; exit 3 if any is missing."""

from __future__ import annotations

from dataclasses import dataclass

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.errors import ExitCode


@dataclass(frozen=True)
class CanIOptions:
    quiet: bool = False


def run_can_i(app: App, options: CanIOptions) -> int:
    from argoctl.kube import rbac

    namespace = app.namespace
    client = app.kube_client()
    checks = rbac.check_all(client, namespace)
    if not options.quiet:
        width = max(len(check.name) for check in checks)
        app.out(f"{'PERMISSION'.ljust(width)}  ALLOWED")
        for check in checks:
            app.out(f"{check.name.ljust(width)}  {'yes' if check.allowed else 'no'}")
    problems = rbac.missing(checks, namespace)
    for problem in problems:
        app.err(f"error: {problem}")
    if problems:
        app.err(f'  hint: kubectl apply -n {namespace} -f deploy/rbac.yaml, then bind the "argoctl" Role to '
                "your user (see the README's RBAC section)")
        return int(ExitCode.UNAVAILABLE)
    return int(ExitCode.OK)


def run_token(app: App) -> int:
    """``Bearer TOKEN`` as argo prints it: the Authorization the kubeconfig gives requests."""
    from argoctl.errors import UsageError

    settings = app.kube_client().cluster.configuration.auth_settings()
    for setting in settings.values():
        if setting.get("in") == "header" and str(setting.get("key")).lower() == "authorization" and setting.get("value"):
            app.out(str(setting["value"]))
            return int(ExitCode.OK)
    raise UsageError("the current kubeconfig context has no token (it authenticates with a client certificate)",
                     hint="use a context with a token, or --token")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Check what argoctl may do in the cluster.", no_args_is_help=True,
                        rich_markup_mode=None)

    @group.command("can-i", help="Check every permission argoctl needs in the namespace (exit 3 if one is missing).")
    def can_i(ctx: typer.Context,
              quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only what is missing")) -> None:
        raise typer.Exit(run_can_i(opt.app_of(ctx), CanIOptions(quiet=quiet)))

    @group.command(help="Print the bearer token of the current kubeconfig context (argo auth token).")
    def token(ctx: typer.Context) -> None:
        raise typer.Exit(run_token(opt.app_of(ctx)))

    app.add_typer(group, name="auth")
