"""A resource template's ``successCondition``/``failureCondition`` and its output lookups.

Conditions are Kubernetes label-selector requirements whose keys are paths into the live object
(``status.succeeded > 0``, ``status.phase == Failed``, ``status.phase in (Failed, Error)``,
``metadata.labels.done``, ``!status.error``), joined by commas, as Argo reads them. A path is dot
separated; a numeric part indexes a list. A value is the JSON value's text (``true``, ``3``...).

``json_path`` is the simple subset of Kubernetes JSONPath that outputs use: ``{.a.b[0].c}``,
``{.a['b.c']}``, ``[*]`` and ``.*`` wildcards, several ``{...}`` joined by literal text. Not
supported: recursive descent ``..``, filters ``[?()]``, slices ``[a:b]``, unions and ``range``.
Pure: no I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["ConditionError", "JsonPathError", "Requirement", "json_path", "lookup", "parse_conditions"]

_MISSING = object()
_OPERATORS = ("==", "!=", ">", "<", "=")
_VALUE = re.compile(r"^[A-Za-z0-9._-]*$")


class ConditionError(ValueError):
    """A condition that does not parse."""


class JsonPathError(ValueError):
    """A JSONPath outside the supported subset, or one that names nothing."""


@dataclass(frozen=True)
class Requirement:
    """One ``key <op> values`` requirement; ``op`` is one of = == != > < in notin exists !."""

    key: str
    op: str
    values: tuple[str, ...] = ()

    def matches(self, obj: Any) -> bool:
        found = lookup(obj, self.key)
        present = found is not _MISSING
        text = _text(found) if present else ""
        if self.op in ("=", "==", "in"):
            return present and text in self.values
        if self.op in ("!=", "notin"):
            return not present or text not in self.values
        if self.op == "exists":
            return present
        if self.op == "!":
            return not present
        number, bound = _integer(text), _integer(self.values[0])
        if not present or number is None or bound is None:
            return False
        return number > bound if self.op == ">" else number < bound

    def __str__(self) -> str:
        if self.op in ("in", "notin"):
            return f"{self.key} {self.op} ({','.join(sorted(self.values))})"
        if self.op == "exists":
            return self.key
        if self.op == "!":
            return f"!{self.key}"
        return f"{self.key}{self.op}{self.values[0]}"


def parse_conditions(text: str) -> list[Requirement]:
    """The requirements of a condition (all must hold); ConditionError when it does not parse."""
    return [_parse_one(part.strip(), text) for part in _split(text) if part.strip()]


def _split(text: str) -> list[str]:
    """Split at commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _parse_one(part: str, whole: str) -> Requirement:
    match = re.fullmatch(r"(\S+)\s+(in|notin)\s*\((.*)\)", part)
    if match:
        values = tuple(v.strip() for v in match.group(3).split(","))
        return Requirement(match.group(1), match.group(2), _checked(values, whole))
    if part.startswith("!"):
        return Requirement(_checked_key(part[1:].strip(), whole), "!")
    for op in _OPERATORS:
        if op in part:
            key, value = (side.strip() for side in part.split(op, 1))
            if op in (">", "<") and _integer(value) is None:
                raise ConditionError(f"'{whole}': for '{op}' the value must be an integer, not '{value}'")
            return Requirement(_checked_key(key, whole), op, _checked((value,), whole))
    return Requirement(_checked_key(part, whole), "exists")


def _checked_key(key: str, whole: str) -> str:
    if not key or any(c.isspace() for c in key) or any(c in key for c in "=!<>()"):
        raise ConditionError(f"'{whole}': invalid key '{key}'")
    return key


def _checked(values: tuple[str, ...], whole: str) -> tuple[str, ...]:
    for value in values:
        if not _VALUE.match(value):
            raise ConditionError(f"'{whole}': invalid value '{value}'")
    return values


def lookup(obj: Any, path: str) -> Any:
    """The value at the dotted ``path`` (numeric parts index lists), or a private MISSING marker."""
    current = obj
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return json.dumps(value, separators=(",", ":"))


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


# -- JSONPath subset ---------------------------------------------------------------------------
_STEP = re.compile(r"\.(\*|[^.\[\]]+)|\[(\*|-?\d+|'[^']*'|\"[^\"]*\")\]")


def json_path(template: str, obj: Any) -> str:
    """``template`` (literal text with ``{...}`` expressions) evaluated over ``obj`` as kubectl prints it."""
    out, position = [], 0
    for match in re.finditer(r"\{([^{}]*)\}", template):
        out.append(template[position:match.start()])
        out.append(" ".join(_text(v) for v in _evaluate(match.group(1).strip(), obj)))
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def _evaluate(expression: str, obj: Any) -> list[Any]:
    expression = expression[1:] if expression.startswith("$") else expression
    if expression in ("", "."):
        return [obj]
    if ".." in expression:
        raise JsonPathError(f"JSONPath '{expression}': recursive descent '..' is not supported")
    steps, position = [], 0
    for match in _STEP.finditer(expression):
        if match.start() != position:
            break
        steps.append(match.group(1) if match.group(1) is not None else match.group(2))
        position = match.end()
    if position != len(expression):
        raise JsonPathError(f"JSONPath '{expression}' is outside the supported subset "
                            "(.field, ['field'], [N], [*])")
    current = [obj]
    for step in steps:
        current = [found for value in current for found in _step(value, step)]
        if not current:
            raise JsonPathError(f"{step.strip(chr(39))} is not found")
    return current


def _step(value: Any, step: str) -> list[Any]:
    if step == "*":
        if isinstance(value, dict):
            return list(value.values())
        return list(value) if isinstance(value, list) else []
    if step[:1] in ("'", '"'):
        step = step[1:-1]
    if isinstance(value, list) and re.fullmatch(r"-?\d+", step):
        index = int(step)
        return [value[index]] if -len(value) <= index < len(value) else []
    if isinstance(value, dict) and step in value:
        return [value[step]]
    return []
