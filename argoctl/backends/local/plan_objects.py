"""The stored objects a local pod reads (Secrets and ConfigMaps from the local store), and the
error that stops a pod from starting: shared by its environment (``plan_env``) and volumes."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

JSON = dict[str, Any]
ObjectLookup = Callable[[str, str], "JSON | None"]  # (kind, name) -> the stored object, or None


class PlanError(Exception):
    """The pod cannot start; ``message`` becomes the node's message (phase Error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def object_data(obj: JSON, kind: str) -> dict[str, str]:
    """A Secret's or ConfigMap's keys and values (Secret ``data`` is base64)."""
    if kind == "ConfigMap":
        return {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
    values = {str(k): base64.b64decode(str(v)).decode("utf-8", errors="replace")
              for k, v in (obj.get("data") or {}).items()}
    values.update({str(k): str(v) for k, v in (obj.get("stringData") or {}).items()})
    return values


def lookup_data(lookup: ObjectLookup | None, kind: str, name: str, optional: bool) -> dict[str, str] | None:
    """The object's data; None when it is missing and optional; PlanError when it is required."""
    obj = lookup(kind, name) if lookup is not None and name else None
    if obj is None:
        if optional:
            return None
        raise PlanError(f'CreateContainerConfigError: {kind.lower()} "{name}" not found')
    return object_data(obj, kind)
