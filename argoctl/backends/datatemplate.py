"""Data templates (Argo's ``argoexec data``): list artifact keys, then apply expr transformations.

The result is the node's ``outputs.result`` (always captured for data templates), JSON-encoded as
Go's ``json.Marshal`` would. Shared by every backend that runs data templates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from argoctl import expr
from argoctl.errors import ArgoctlError
from argoctl.sources import using_system

JSON = dict[str, Any]
Lister = Callable[[JSON], list[str]]


class DataTemplateError(ArgoctlError):
    pass


def source_data(source: Mapping[str, Any], list_keys: Lister) -> Any:
    """The data a data template starts from (only ``artifactPaths`` exists in Argo today)."""
    paths = source.get("artifactPaths")
    if paths is None:
        raise DataTemplateError("data template: source.artifactPaths is required")
    return list_keys(dict(paths))


def transform(data: Any, transformation: list[Mapping[str, Any]]) -> Any:
    """Each ``expression`` runs with the previous value in ``data``."""
    for step in transformation or ():
        expression = str(step.get("expression", ""))
        if not expression:
            raise DataTemplateError("data template: a transformation step has no expression")
        with using_system():
            data = expr.evaluate(expression, {"data": data})
    return data


def run(template: Mapping[str, Any], list_keys: Lister) -> str:
    """The ``outputs.result`` of a data template."""
    spec = template.get("data") or {}
    data = transform(source_data(spec.get("source") or {}, list_keys), spec.get("transformation") or [])
    return data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
