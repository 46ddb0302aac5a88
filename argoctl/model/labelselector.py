"""Kubernetes ``LabelSelector`` objects (``matchLabels``, ``matchExpressions``) against a label set.

Used by ``podGC.labelSelector``. Pure. (String selectors such as ``-l a=b`` are parsed by
``argoctl.stores.selectors``.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` satisfy ``selector``; an empty or absent selector matches everything."""
    if not selector:
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(str(key)) != str(value):
            return False
    for expression in selector.get("matchExpressions") or ():
        key = str(expression.get("key", ""))
        operator = str(expression.get("operator", ""))
        values = {str(v) for v in expression.get("values") or ()}
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
        if operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return False  # the API server would have rejected it: match nothing rather than everything
    return True
