"""What ``argoctl submit`` does, without typer: ``argoctl.cli.quick`` runs it straight from the
command line, and the typer command (``argoctl.cli.commands.submit``) after click has read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from argoctl.cli.app import App
from argoctl.cli.workflows import check_output, drive, exit_code_for, hand_over, print_workflow
from argoctl.errors import ExitCode, UsageError

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SubmitArgs:
    files: tuple[str, ...] = ()
    from_: str = ""
    parameters: tuple[str, ...] = ()
    parameter_file: str = ""
    entrypoint: str = ""
    name: str = ""
    generate_name: str = ""
    labels: str = ""
    service_account: str = ""
    priority: int | None = None
    scheduled_time: str = ""
    watch: bool = False
    wait: bool = False
    log: bool = False
    output: str = ""
    query: str = ""
    dry_run: bool = False
    server_dry_run: bool = False
    node_field_selector: str = ""
    status: str = ""
    driver: str = "local"
    strict: bool = True
    extra: JSON = field(default_factory=dict)


def _parameters(args: SubmitArgs) -> list[tuple[str, str]]:
    from argoctl.parse import parse_parameter_file, split_parameter

    pairs: list[tuple[str, str]] = []
    if args.parameter_file:
        pairs.extend(parse_parameter_file(args.parameter_file).items())
    pairs.extend(split_parameter(p) for p in args.parameters)
    return pairs


def _labels(text: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise UsageError(f"label {part!r} is not KEY=VALUE")
        key, value = part.split("=", 1)
        labels[key] = value
    return labels


def _manifests(app: App, args: SubmitArgs, params: list[tuple[str, str]]) -> list[JSON]:
    """The Workflow manifests to create, validated (all problems reported at once, exit 2)."""
    from argoctl.parse import load_documents
    from argoctl.runtime.submit import parse_from, workflow_from_template

    store = app.store()
    if args.from_:
        if args.files:
            raise UsageError("give either files or --from, not both")
        kind, name = parse_from(args.from_)
        return [workflow_from_template(store, kind, name)]
    if not args.files:
        raise UsageError("nothing to submit", hint="argoctl submit FILE... or argoctl submit --from KIND/NAME")
    from argoctl.runtime.workflows import validated_workflows

    documents = [doc for path in args.files for doc in nonempty(load_documents(path), path)]
    return validated_workflows(app.wiring, documents, params, strict=args.strict, name=args.name,
                               generate_name=args.generate_name)


def nonempty(docs: list[Any], path: str) -> list[Any]:
    """``docs``, or exit 2 when ``path`` held none (an empty file is never a silent success)."""
    if not docs:
        raise UsageError(f"{'stdin' if path == '-' else path}: no objects found: the input is empty",
                         hint="give a file with at least one YAML or JSON document")
    return docs


def create(app: App, manifest: JSON, args: SubmitArgs, params: list[tuple[str, str]]) -> Any:
    from argoctl.runtime import workflows
    from argoctl.runtime.submit import SubmitOptions

    options = SubmitOptions(parameters=params, entrypoint=args.entrypoint, name=args.name,
                            generate_name=args.generate_name, labels=_labels(args.labels),
                            service_account=args.service_account, priority=args.priority,
                            scheduled_time=args.scheduled_time)
    return workflows.create(app.wiring, manifest, options, app.now(), pod_driven=args.driver == "pod",
                            dry_run=args.dry_run, server_dry_run=args.server_dry_run)


def run_submit(app: App, args: SubmitArgs) -> ExitCode:
    """Submit; each workflow goes to its own ``metadata.namespace`` unless ``-n`` is explicit."""
    from argoctl.cli.namespaces import for_object

    output = check_output(args.output)
    if args.watch and args.wait:
        raise UsageError("--watch and --wait cannot be used together")
    if (args.dry_run or args.server_dry_run) and not output:
        raise UsageError(f"{'--dry-run' if args.dry_run else '--server-dry-run'} needs -o name|json|yaml")
    if args.driver != "local":
        from argoctl.cli.driverpods import check_driver

        check_driver(app, args.driver)
    if (args.wait or args.watch or args.log) and args.driver == "local" and not (args.dry_run or args.server_dry_run):
        app.wiring.prestart_pods()  # the local pod runner starts while the files are read
    params = _parameters(args)
    manifests = _manifests(app, args, params)
    if args.watch and len(manifests) > 1:
        raise UsageError("--watch cannot be used with several workflows")
    apps = [for_object(app, m) for m in manifests]
    if len({a.namespace for a in apps}) > 1 and (args.watch or args.wait or args.log or args.driver != "local"):
        raise UsageError("the files hold workflows of several namespaces",
                         hint="with --wait, --watch, --log or --driver pod submit one namespace at a time")
    states = [create(a, m, args, params) for a, m in zip(apps, manifests, strict=True)]
    if args.dry_run or args.server_dry_run:
        for state in states:
            print_workflow(app, state, output, args.query)
        return ExitCode.OK
    if len({a.namespace for a in apps}) == 1:
        app = apps[0]  # the one namespace the workflows went to: follow them there

    if args.driver == "pod":
        from argoctl.cli import driverpods

        for state in states:  # followed, never driven, from here on (a missing pod is started again)
            driverpods.announce(app, state.name, driverpods.start(app, state.name))
            driverpods.warn_local_artifacts(app, state)
    if args.watch:
        from argoctl.cli.watching import watch_and_report

        return watch_and_report(app, states[0].name, output=output, query=args.query,
                                node_field_selector=args.node_field_selector, status=args.status)
    if args.wait or args.log:
        return _wait_all(app, [s.name for s in states], output, args.query, args.log)
    for each, state in zip(apps, states, strict=True):
        if args.driver == "local":
            hand_over(each, state.name, state)
        print_workflow(app, state, output, args.query)
    return ExitCode.OK


def _wait_all(app: App, names: list[str], output: str, query: str, log: bool) -> ExitCode:
    from argoctl import render

    worst = ExitCode.OK
    for name in names:
        if log:
            from argoctl.cli.commands.logs import LogsArgs, stream

            state = stream(app, LogsArgs(name=name, follow=True))
        else:
            from argoctl import patience

            with patience.driving():  # following or driving, --wait rides out API faults
                state = drive(app, name)
        if output:
            print_workflow(app, state, output, query)
        else:
            app.out(render.render_wait_line(state.to_wire()))
        worst = max(worst, exit_code_for(state))
    return worst


run = run_submit  # the typer command's name for it
