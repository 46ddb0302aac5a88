"""One module per verb. Each typer function only gathers options into a frozen dataclass and
calls a plain ``run(app, options)`` that is testable without typer."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from argoctl.cli.commands import (
        apply,
        auth,
        completion,
        control,
        cp,
        delete,
        get,
        lint,
        listing,
        logs,
        node,
        resubmit,
        retry,
        submit,
        templates,
        version,
        wait,
    )

    for module in (submit, listing, get, logs, wait, control, delete, lint, retry, resubmit, node, apply,
                   templates, auth, cp, version, completion):
        module.register(app)
