"""The selection flags on the CLI's side: ``--status`` values parsed, and the calls into
``argoctl.runtime.selection`` (which workflows a bulk verb acts on, with argo's meanings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from argoctl.runtime.selection import Selection

if TYPE_CHECKING:
    from argoctl.cli.app import App

JSON = dict[str, Any]

__all__ = ["Selection", "app_in", "names", "phases", "select", "select_archived"]


def phases(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``--status`` values: repeatable and comma separated, as argo's ``strings`` flags."""
    return tuple(p.strip() for v in values or () for p in v.split(",") if p.strip())


def select(app: App, sel: Selection) -> list[JSON]:
    """Summaries of the selected workflows (TTL-expired ones are deleted and left out)."""
    from argoctl.runtime import selection

    return selection.select(app.wiring, sel, app.now(), report=app.err)


def select_archived(app: App, sel: Selection) -> list[JSON]:
    from argoctl.runtime import selection

    return selection.select_archived(app.wiring, sel, app.now())


def names(app: App, given: list[str], sel: Selection, *, verb: str) -> list[str]:
    """The workflows a bulk verb acts on: the selection's, then ``given`` names (each once)."""
    from argoctl.runtime import selection

    return selection.names(app.wiring, given, sel, app.now(), verb=verb, report=app.err)


def app_in(app: App, namespace: str) -> App:
    """``app`` for another namespace (``-A`` on a verb that acts)."""
    from argoctl.cli.app import App

    if namespace == app.namespace:
        return app
    return App(app.options.replace(namespace=namespace), stdout=app.stdout, stderr=app.stderr)
