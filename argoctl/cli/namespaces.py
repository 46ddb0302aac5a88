"""Namespaces as kubectl resolves them for an object read from a file: the object's own
``metadata.namespace`` unless ``-n`` is explicit; an explicit mismatch is kubectl's error."""

from __future__ import annotations

from typing import Any

from argoctl.cli.app import App
from argoctl.errors import UsageError

CLUSTER_KINDS = frozenset({"ClusterWorkflowTemplate"})


def mismatch(given: str, namespace: str) -> UsageError:
    return UsageError(f'the namespace from the provided object "{given}" does not match the namespace '
                      f'"{namespace}". You must pass \'--namespace={given}\' to perform this operation.')


def for_object(app: App, obj: Any) -> App:
    """The ``App`` whose namespace ``obj`` goes to (``app`` itself when that is its namespace)."""
    if not isinstance(obj, dict) or obj.get("kind") in CLUSTER_KINDS:
        return app
    given = str((obj.get("metadata") or {}).get("namespace") or "")
    if not given:
        return app
    explicit = app.options.namespace
    if explicit and explicit != given:
        raise mismatch(given, explicit)
    from argoctl.cli.selection import app_in

    return app_in(app, given)
