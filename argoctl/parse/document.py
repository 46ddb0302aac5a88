"""``Document``: one parsed manifest object, with the line of every field it came from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A field path: mapping keys are ``str``, sequence indexes are ``int``.
FieldPath = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def get_field(obj: Mapping[str, Any], name: str) -> Any:
    """A struct field as Go's encoding/json reads it: keys match the field name ignoring case,
    and the last matching key wins (Argo accepts ``valueFrom: {Parameter: ...}``)."""
    found = obj.get(name)
    folded = name.casefold()
    for key, value in obj.items():
        if key.casefold() == folded:
            found = value
    return found


def describe_value(value: Any) -> str:
    """What a manifest value is, for "must be a mapping, not a list"-style messages."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return "a mapping" if isinstance(value, Mapping) else f"a {type(value).__name__}"


def format_path(path: FieldPath) -> str:
    """``("spec", "templates", 2, "dag")`` → ``spec.templates[2].dag``.

    Keys that are not plain identifiers (label keys with dots or slashes) are quoted:
    ``metadata.labels["app.kubernetes.io/name"]``.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f'["{part}"]'
    return text


@dataclass(frozen=True)
class Document:
    """One object of a manifest file.

    ``obj`` holds the user's fields exactly (plain dicts, lists, str, int, float, bool, None;
    unknown fields kept); ``index`` is the 0-based position among the file's non-empty
    documents. ``line_of(path)`` gives the 1-based line where a field was written.
    """

    obj: dict[str, Any]
    file: str
    index: int
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind") or "")

    @property
    def name(self) -> str:
        """``metadata.name``, else ``metadata.generateName``, else ``""``."""
        metadata = self.obj.get("metadata")
        if not isinstance(metadata, dict):
            return ""
        return str(metadata.get("name") or metadata.get("generateName") or "")

    @property
    def line(self) -> int:
        """The line where the document starts."""
        return self.lines.get((), 1)

    def line_of(self, path: FieldPath) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one; ``None`` if none does."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None
