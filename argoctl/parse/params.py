"""Submit-time parameters: ``-p NAME=VALUE`` and ``--parameter-file FILE``."""

from __future__ import annotations

import json
import math
from typing import Any

from argoctl.errors import ManifestError, UsageError
from argoctl.parse.loader import parse_documents_raw, read_text


def split_parameter(text: str) -> tuple[str, str]:
    """``"k=v=w"`` → ``("k", "v=w")``: split on the first ``=`` as ``argo submit -p`` does."""
    name, separator, value = text.partition("=")
    if not separator:
        raise UsageError(
            f"expected parameter of the form: NAME=VALUE. Received: {text}",
            hint="pass parameters as -p NAME=VALUE",
        )
    return name, value


def parse_parameter_file(path: str, *, stdin_text: str | None = None) -> dict[str, str]:
    """A YAML or JSON map of parameters, values turned to text the way Argo does.

    Strings stay as written; numbers, booleans and null become their JSON text (``3``,
    ``true``, ``null``); lists and maps become compact JSON with sorted keys.
    """
    file, text = read_text(path, stdin_text=stdin_text)
    documents = parse_documents_raw(text, file, json_hint=path.endswith(".json"))
    if not documents:
        return {}
    if len(documents) > 1:
        raise ManifestError("a parameter file holds one map, not several documents", file=file)
    values, lines = documents[0]
    if not isinstance(values, dict):
        raise ManifestError(
            "a parameter file must be a map of NAME: VALUE", file=file, line=lines.get((), 1),
            hint="for example:\n    message: hello\n    count: 3",
        )
    return {str(name): parameter_text(value) for name, value in values.items()}


def parameter_text(value: Any) -> str:
    """One parameter value as text (see ``parse_parameter_file``)."""
    if isinstance(value, str):
        return value
    return json.dumps(_go_numbers(value), separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _go_numbers(value: Any) -> Any:
    """Whole floats print like Go's encoding/json (``1.0`` → ``1``)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, list):
        return [_go_numbers(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _go_numbers(item) for key, item in value.items()}
    return value
