"""``argoctl list``, ``argoctl get NAME...`` and ``argoctl submit FILE...`` without typer: importing
and building click's command tree costs a short read command about as much as its request, and a
``submit --wait`` of a short workflow a sixth of its run.

``parse`` reads the arguments with the same names, kinds and last-one-wins rule as the typer
commands (``argoctl.cli.commands.listing``, ``.get``, ``.submit``) and the global options
(``argoctl.runtime.settings.GLOBAL_FLAGS``, before or after the verb). Anything it is not sure to
read exactly as click would (help, ``--``, clustered short flags such as ``-An``, a value glued to
a short flag, an unknown or argo-server-only option, a number that does not parse, a stray
argument) returns None and the typer application runs, with its own messages. A test checks the
option tables below against the typer commands.
"""

from __future__ import annotations

from typing import Any

from argoctl.runtime.settings import GLOBAL_FLAGS

# each verb's own options: name -> (dest, kind); kinds as GLOBAL_FLAGS' (flag, value, values, int)
LIST_OPTIONS: dict[str, tuple[str, str]] = {
    "-o": ("output", "value"), "--output": ("output", "value"),
    "-l": ("selector", "value"), "--selector": ("selector", "value"),
    "--field-selector": ("field_selector", "value"), "--status": ("status", "values"),
    "--running": ("running", "flag"), "--completed": ("completed", "flag"), "--older": ("older", "value"),
    "--since": ("since", "value"), "--prefix": ("prefix", "value"), "--resubmitted": ("resubmitted", "flag"),
    "-A": ("all_namespaces", "flag"), "--all-namespaces": ("all_namespaces", "flag"),
    "--chunk-size": ("chunk_size", "int"), "--no-headers": ("no_headers", "flag"), "--query": ("query", "value"),
}
GET_OPTIONS: dict[str, tuple[str, str]] = {
    "-o": ("output", "value"), "--output": ("output", "value"), "--query": ("query", "value"),
    "--node-field-selector": ("node_field_selector", "value"), "--status": ("status", "value"),
    "--no-utf8": ("no_utf8", "flag"),
}
SUBMIT_OPTIONS: dict[str, tuple[str, str]] = {  # not --object (a callback reads a Hera file): typer reads it
    "--from": ("from_", "value"), "-p": ("parameter", "values"), "--parameter": ("parameter", "values"),
    "-f": ("parameter_file", "value"), "--parameter-file": ("parameter_file", "value"),
    "--entrypoint": ("entrypoint", "value"), "--name": ("name", "value"), "--generate-name": ("generate_name", "value"),
    "-l": ("labels", "value"), "--labels": ("labels", "value"), "--serviceaccount": ("serviceaccount", "value"),
    "--priority": ("priority", "int"), "--scheduled-time": ("scheduled_time", "value"), "--watch": ("watch", "flag"),
    "-w": ("wait", "flag"), "--wait": ("wait", "flag"), "--log": ("log", "flag"),
    "-o": ("output", "value"), "--output": ("output", "value"), "--query": ("query", "value"),
    "--dry-run": ("dry_run", "flag"), "--server-dry-run": ("server_dry_run", "flag"),
    "--node-field-selector": ("node_field_selector", "value"), "--status": ("status", "value"),
    "--driver": ("driver", "value"), "--strict": ("strict", "flag"), "--no-strict": ("strict", "off"),
}
VERB_OPTIONS = {"list": LIST_OPTIONS, "get": GET_OPTIONS, "submit": SUBMIT_OPTIONS}
NAMED_VERBS = ("get", "submit")  # verbs whose other arguments are names (files)
_SUBMIT_FIELDS = {"parameter": "parameters", "serviceaccount": "service_account"}  # SubmitArgs' names
GLOBAL_OPTIONS: dict[str, tuple[str, str]] = {name: (f.dest, f.kind) for f in GLOBAL_FLAGS for name in f.names}


class Parsed:
    """The verb, its own options, the global options and (get) the names; a plain class, as a
    dataclass costs start-up time."""

    def __init__(self, verb: str, *, globals: dict[str, Any] | None = None) -> None:
        self.verb = verb
        self.own: dict[str, Any] = {}
        self.globals: dict[str, Any] = {} if globals is None else globals
        self.names: list[str] = []


class _Unsure(Exception):
    """Not plain enough: let typer read it."""


def parse(args: list[str]) -> Parsed | None:
    """``args`` read as ``[globals] list|get [options, globals, names]``, or None (see the module)."""
    try:
        return _parse(args)
    except _Unsure:
        return None


def _parse(args: list[str]) -> Parsed:
    found: dict[str, Any] = {}  # the global options, before or after the verb
    parsed: Parsed | None = None
    i = 0
    while i < len(args):
        word = args[i]
        if not word.startswith("-") or word == "-":
            if parsed is None and word in VERB_OPTIONS:
                parsed = Parsed(word, globals=found)
            elif parsed is not None and parsed.verb in NAMED_VERBS:
                parsed.names.append(word)
            else:
                raise _Unsure
            i += 1
            continue
        name, glued, value = word.partition("=") if word.startswith("--") else (word, "", "")
        own = VERB_OPTIONS[parsed.verb] if parsed is not None else {}
        dest, kind = own.get(name) or GLOBAL_OPTIONS.get(name) or _unsure()
        target = parsed.own if parsed is not None and name in own else found
        if kind in ("flag", "off"):  # off: the flag's negative form (--no-strict)
            if glued:
                raise _Unsure
            target[dest] = kind == "flag"
            i += 1
            continue
        if not glued:
            value = args[i + 1] if i + 1 < len(args) else _unsure()[0]
            if value.startswith("-") and value != "-":
                raise _Unsure
        _store(target, dest, kind, value)
        i += 1 if glued else 2
    if parsed is None or (parsed.verb == "get" and not parsed.names):
        raise _Unsure
    return parsed


def _unsure() -> tuple[str, str]:
    raise _Unsure


def run(parsed: Parsed) -> int:
    """Run the parsed command as the typer command would (``ArgoctlError`` propagates)."""
    from argoctl.cli.app import App
    from argoctl.runtime.settings import GlobalOptions

    app = App(GlobalOptions.from_values(parsed.globals))
    own = parsed.own
    if parsed.verb == "submit":
        from argoctl.cli.submitting import SubmitArgs, run_submit

        fields = {_SUBMIT_FIELDS.get(dest, dest): value for dest, value in own.items()}
        fields["parameters"] = tuple(fields.get("parameters") or ())
        return int(run_submit(app, SubmitArgs(files=tuple(parsed.names), **fields)))
    from argoctl.cli.reads import GetArgs, ListArgs, run_get, run_list
    from argoctl.cli.selection import Selection, phases
    if parsed.verb == "get":
        return int(run_get(app, GetArgs(tuple(parsed.names), own.get("output", ""), own.get("query", ""),
                                        own.get("node_field_selector", ""), own.get("status", ""),
                                        not own.get("no_utf8", False))))
    selection = Selection(own.get("selector", ""), own.get("field_selector", ""), own.get("prefix", ""),
                          own.get("older", ""), own.get("since", ""), phases(own.get("status")),
                          own.get("resubmitted", False), own.get("running", False), own.get("completed", False),
                          own.get("all_namespaces", False), own.get("chunk_size", 0))
    return int(run_list(app, ListArgs(own.get("output", ""), selection, own.get("no_headers", False),
                                      own.get("query", ""))))


def _store(target: dict[str, Any], dest: str, kind: str, value: str) -> None:
    try:
        if kind == "values":
            target[dest] = [*target.get(dest, ()), value]
        elif kind == "int":
            target[dest] = int(value)
        elif kind == "float":
            target[dest] = float(value)
        else:
            target[dest] = value
    except ValueError:
        raise _Unsure from None
