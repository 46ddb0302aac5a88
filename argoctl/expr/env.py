"""Argo's expression environment: the flat variable map expanded into nested maps, plus functions.

``{"inputs.parameters.x": "1", "workflow.name": "wf"}`` becomes
``{"inputs": {"parameters": {"x": "1"}}, "workflow": {"name": "wf"}, "asInt": ..., "sprig": {...}}``.
When both ``a`` and ``a.b`` exist the less specific ``a`` is dropped (``util/expand``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.expr.functions import ARGO_FUNCTIONS


def expand(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Nest dotted keys; a key that is a prefix of another (``a`` vs ``a.b``) loses its own value."""
    root: dict[str, Any] = {}
    branches = {id(root)}  # maps made here (a dict *value*, e.g. an artifact, stays a leaf)
    for key in sorted(flat):
        parts = key.split(".")
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if id(child) not in branches or not isinstance(child, dict):
                child = {}
                branches.add(id(child))
                node[part] = child
            node = child
        leaf = parts[-1]
        existing = node.get(leaf)
        if not (isinstance(existing, dict) and id(existing) in branches):
            node[leaf] = flat[key]
    return root


def build_env(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The environment every expr evaluation sees (Argo's ``GetFuncMap``)."""
    env = expand(flat)
    env.update(ARGO_FUNCTIONS)
    return env


def has_var(env: Mapping[str, Any], path: str) -> bool:
    """Whether ``path`` (``a.b.c``) exists in ``env``; a present-but-nil leaf counts as present."""
    if path in env:
        return True
    current: Any = env
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return False
        current = current[part]
    return True
