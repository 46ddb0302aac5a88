"""Loops: ``withItems``, ``withParam``, ``withSequence`` expansion with Argo's node names."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.errors import ExpressionError

JSON = dict[str, Any]
LOOP_KEYS = ("withItems", "withParam", "withSequence")


class LoopError(Exception):
    pass


def should_expand(step: Mapping[str, Any]) -> bool:
    return bool(step.get("withItems")) or bool(step.get("withParam")) or step.get("withSequence") is not None


def go_number(value: float | int) -> str:
    """A number as Go's json.Marshal writes a float64 decoded from YAML/JSON."""
    if isinstance(value, int):
        return str(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exp = text.split("e")
        sign = "-" if exp.startswith("-") else "+"
        text = f"{mantissa}e{sign}{abs(int(exp)):02d}"
    return text


def _raw(value: Any) -> str:
    """The compact JSON text of an item value, Go style."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return go_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(_raw(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_raw(v)}" for k, v in sorted(value.items())) + "}"
    if value is None:
        return "null"
    return json.dumps(value)


def item_text(value: Any) -> str:
    """``Item.String()``: strings unquoted, everything else compact JSON."""
    if isinstance(value, str):
        return value
    return _raw(value)


def _desc_of_list(values: list[Any]) -> str:
    return "[" + " ".join(item_text(v) for v in values) + "]"


def item_variables(value: Any) -> tuple[dict[str, str], str]:
    """The ``item`` / ``item.<key>`` variables of one item and its node-name description."""
    if isinstance(value, Mapping):
        variables = {f"item.{k}": item_text(v) for k, v in value.items()}
        variables["item"] = _raw(value)
        desc = ",".join(sorted(f"{k}:{item_text(v)}" for k, v in value.items()))
        return variables, desc
    if isinstance(value, list):
        return {"item": _raw(value)}, _desc_of_list(value)
    text = item_text(value)
    return {"item": text}, text


def node_name(name: str, index: int, desc: str) -> str:
    clean = desc.replace("(", "").replace(")", "")
    return f"{name}({index}:{clean})"


def too_many(kind: str, count: int, limit: int) -> LoopError:
    return LoopError(f"{kind} expands to {count:,} items, more than the limit of {limit:,} "
                     "(set ARGOCTL_MAX_LOOP_ITEMS to change it)")


def sequence_items(seq: Mapping[str, Any], limit: int = 100_000) -> list[str]:
    def as_int(key: str) -> int:
        try:
            return int(str(seq[key]).strip())
        except ValueError as exc:
            raise LoopError(f'strconv.Atoi: parsing "{seq[key]}": invalid syntax') from exc

    start = as_int("start") if seq.get("start") is not None else 0
    if seq.get("end") is not None:
        end = as_int("end")
    elif seq.get("count") is not None:
        count = as_int("count")
        if count == 0:
            return []
        end = start + count - 1
    else:
        raise LoopError("neither end nor count was specified in withSequence")
    if abs(end - start) + 1 > limit:
        raise too_many("withSequence", abs(end - start) + 1, limit)
    fmt = str(seq.get("format") or "%d")
    step = 1 if start <= end else -1
    return [_printf(fmt, i) for i in range(start, end + step, step)]


def _printf(fmt: str, value: int) -> str:
    try:
        return fmt % value
    except (TypeError, ValueError):
        return fmt.replace("%d", str(value))


def loop_items(step: Mapping[str, Any], when_true: bool | None, limit: int = 100_000) -> list[Any]:
    """The items of a loop; ``when_true`` is the step's ``when`` result (None if unknown).

    More than ``limit`` items is a ``LoopError`` (a sequence is refused before it is built)."""
    items = _loop_items(step, when_true, limit)
    if len(items) > limit:
        kind = "withItems" if step.get("withItems") else "withParam"
        raise too_many(kind, len(items), limit)
    return items


def _loop_items(step: Mapping[str, Any], when_true: bool | None, limit: int) -> list[Any]:
    if step.get("withItems"):
        return list(step["withItems"])
    if step.get("withParam"):
        text = str(step["withParam"])
        try:
            items = json.loads(text)
            if not isinstance(items, list):
                raise ValueError("not a list")
            return items
        except ValueError as exc:
            if when_true is False:
                return []
            raise LoopError(
                f"withParam value could not be parsed as a JSON list: {text.strip()}: {exc}"
            ) from exc
    if step.get("withSequence") is not None:
        try:
            return sequence_items(step["withSequence"], limit)
        except LoopError:
            if when_true is False:
                return []
            raise
    return []


def expand(
    step: Mapping[str, Any], variables: Mapping[str, Any], when_true: bool | None, limit: int = 100_000
) -> list[JSON]:
    """Copies of a step/task, one per item, with ``{{item...}}`` substituted and Argo's names."""
    items = loop_items(step, when_true, limit)
    base = {k: v for k, v in step.items() if k not in LOOP_KEYS}
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, str | int | float | bool | list | Mapping):
            raise LoopError(f"withItems[{index}] expected string, number, list, or map. received: {item}")
        item_vars, desc = item_variables(item)
        replace = {**variables, **item_vars}
        if when_true is False:
            replace = {k: v for k, v in replace.items() if v is not None}
        try:
            # a fresh dict per item: without {{item}} substitution returns the same object
            new = dict(expr.substitute_object(base, replace))
        except ExpressionError as exc:
            raise LoopError(exc.render()) from exc
        new["name"] = node_name(str(step.get("name", "")), index, desc)
        if "template" in step:
            new["template"] = step["template"]
        out.append(new)
    return out
