"""The bodies of ``argoctl list`` and ``argoctl get``, with no typer: the typer commands
(``argoctl.cli.commands.listing`` and ``.get``) and the typer-free runner
(``argoctl.cli.quick``) both call them.

``--query`` without ``-o`` implies ``-o json`` for get (a query selects from the object, not the tree).
"""

from __future__ import annotations

from argoctl.cli.app import App
from argoctl.cli.selection import Selection, select
from argoctl.cli.workflows import check_output, emit_structured, load_output, print_output
from argoctl.errors import ExitCode, UsageError


class ListArgs:  # plain classes, not dataclasses or NamedTuples: cheaper to define at start-up
    __slots__ = ("no_headers", "output", "query", "selection")

    def __init__(self, output: str = "", selection: Selection | None = None, no_headers: bool = False,
                 query: str = "") -> None:
        self.output, self.no_headers, self.query = output, no_headers, query
        self.selection = Selection() if selection is None else selection


def run_list(app: App, args: ListArgs) -> ExitCode:
    from argoctl import render

    output = check_output(args.output)
    workflows = render.sort_workflows(select(app, args.selection))
    if output in ("json", "yaml"):
        emit_structured(app, workflows, output, args.query)
    else:
        app.out(render.render_list(workflows, now=app.now(), output=output, no_headers=args.no_headers,
                                   all_namespaces=args.selection.all_namespaces), end="")
    return ExitCode.OK


class GetArgs:
    __slots__ = ("names", "node_field_selector", "output", "query", "status", "utf8")

    def __init__(self, names: tuple[str, ...], output: str = "", query: str = "", node_field_selector: str = "",
                 status: str = "", utf8: bool = True) -> None:
        self.names, self.output, self.query, self.node_field_selector = names, output, query, node_field_selector
        self.status, self.utf8 = status, utf8


def run_get(app: App, args: GetArgs) -> ExitCode:
    from argoctl.cli.graphs import GRAPH_OUTPUTS, print_run_graph

    output = check_output(args.output or ("json" if args.query else ""),
                          ("", "name", "json", "yaml", "wide", "short", *GRAPH_OUTPUTS))
    if args.query and output not in ("json", "yaml"):
        raise UsageError(f"--query needs -o json or -o yaml, not -o {output}")
    if not args.names:
        raise UsageError("give a workflow name", hint="argoctl list shows the names")
    for name in args.names:
        wire = load_output(app, name)
        if output in GRAPH_OUTPUTS:
            print_run_graph(app, wire, output)
            continue
        if args.utf8 or output not in ("", "wide", "short"):
            print_output(app, wire, output, args.query, args.node_field_selector, args.status)
            continue
        from argoctl import render

        app.out(render.render_get(wire, now=app.now(), output=output, color=app.color, utf8=False,
                                  node_field_selector=args.node_field_selector, status=args.status), end="")
    return ExitCode.OK
