"""The global options on every command, so they work before or after the verb (as kubectl's and
argo's do), listed in each command's help under "Global options".

``install(command)`` adds the options of ``argoctl.runtime.settings.GLOBAL_FLAGS`` (and argo's
argo-server-only ones, hidden, refused with the reason) to a click command, its subcommands as
they are looked up, and their own flags first: a verb's own option of the same name wins. Each
occurrence is remembered in the context's ``meta`` (the last one wins); when a leaf command is
invoked, the ``App`` is built from all of them and its settings resolved and validated before the
command's body runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typer._click import types as click_types
from typer.core import TyperOption

from argoctl.cli.app import App
from argoctl.runtime.settings import ARGO_SERVER_FLAGS, GLOBAL_FLAGS, Flag, GlobalOptions

META_KEY = "argoctl.global_options"
HEADING = "Global options"
_INSTALLED = "_argoctl_globals"


def _remember(ctx: Any, param: Any, value: Any) -> None:
    source = ctx.get_parameter_source(param.name)
    if source is None or source.name == "DEFAULT" or value in (None, False, ()):
        return
    found = ctx.meta.setdefault(META_KEY, {})
    if param.multiple:
        found[param.name] = [*found.get(param.name, ()), *value]
    else:
        found[param.name] = value


def _option(flag: Flag, refused: bool) -> Any:
    """A hidden click option for ``flag`` (its help is printed by ``_section``)."""
    kind: Any = {"float": click_types.FLOAT, "int": click_types.INT}.get(flag.kind, click_types.STRING)
    common: dict[str, Any] = {"param_decls": [*flag.names, flag.dest], "expose_value": False,
                              "callback": _remember, "hidden": True, "help": flag.help}
    if flag.kind == "flag":
        option = TyperOption(is_flag=True, default=False, **common)
    else:
        option = TyperOption(type=kind, default=None, metavar=flag.metavar, multiple=flag.kind == "values",
                             **common)
    option.argoctl_global = "refused" if refused else "global"  # type: ignore[attr-defined]
    return option


def _section(command: Any, ctx: Any, formatter: Any, original: Callable[[Any, Any], None]) -> None:
    rows = []
    taken = {name for p in command.params if not getattr(p, "argoctl_global", False) for name in p.opts}
    for flag in GLOBAL_FLAGS:
        names = [n for n in flag.names if n not in taken]
        if names:
            shown = ", ".join(names) + ("" if flag.kind == "flag" else f" {flag.metavar}")
            rows.append((shown, flag.help))
    with formatter.section(HEADING):
        formatter.write_dl(rows)
    original(ctx, formatter)


def _invoke_with_settings(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def invoke(ctx: Any) -> Any:
        root = ctx.find_root()
        values = ctx.meta.get(META_KEY, {})
        existing = root.obj if isinstance(root.obj, App) else None
        if existing is None:
            root.obj = App(GlobalOptions.from_values(values))
        elif values:
            root.obj = App(GlobalOptions.from_values(values), stdout=existing.stdout, stderr=existing.stderr)
        return original(ctx)

    return invoke


def install(command: Any) -> Any:
    """Install the global options on ``command`` and (as they are looked up) its subcommands."""
    if getattr(command, _INSTALLED, False):
        return command
    setattr(command, _INSTALLED, True)
    taken = {name for p in command.params for name in (*p.opts, *p.secondary_opts)}
    for flag in (*GLOBAL_FLAGS, *ARGO_SERVER_FLAGS):
        names = tuple(n for n in flag.names if n not in taken)
        if names:
            refused = flag in ARGO_SERVER_FLAGS
            command.params.append(_option(Flag(names, flag.dest, flag.kind, flag.help, flag.metavar), refused))
    original_epilog = command.format_epilog
    command.format_epilog = lambda ctx, formatter: _section(command, ctx, formatter, original_epilog)
    if hasattr(command, "get_command"):
        lookup = command.get_command
        command.get_command = lambda ctx, name: _installed(lookup(ctx, name))
    else:
        command.invoke = _invoke_with_settings(command.invoke)
    return command


def _installed(command: Any) -> Any:
    return install(command) if command is not None else None


def install_all(command: Any) -> Any:
    """``install`` on ``command`` and every command below it, now (for the generated files)."""
    install(command)
    for sub in (getattr(command, "commands", None) or {}).values():
        install_all(sub)
    return command


def root_option_names() -> tuple[frozenset[str], frozenset[str]]:
    """``(flags, options that take a value)``: every global option's names."""
    flags = (*GLOBAL_FLAGS, *ARGO_SERVER_FLAGS)
    return (frozenset(n for f in flags if f.kind == "flag" for n in f.names),
            frozenset(n for f in flags if f.kind != "flag" for n in f.names))
