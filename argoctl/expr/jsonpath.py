"""JSONPath queries as Argo's ``jsonpath(json, path)`` runs them (evilmonkeyinc/jsonpath v0.8 semantics).

A path without a collection step (``$.a.b[0]``) gives one value; wildcards, unions, ranges, filters
and ``..`` give a list, each following step applied per element (elements it fails on are dropped).
Filters ``[?(@.age > 42 && @.name != 'x')]`` and scripts ``[(@.length-1)]`` use a small expression
engine with ``== != < <= > >= =~ in && || ! + - * / % **``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar

from argoctl.expr.exprlang.runtime import compile_regex

Step = Callable[[Any, Any, list["Step"]], Any]
MAX_DEPTH = 200


class JSONPathError(ValueError):
    """An invalid path or a step that cannot apply (the library's ``invalid token ...`` errors)."""


def _kind(value: Any) -> str:
    return {dict: "map", list: "slice", str: "string", float: "float64", bool: "bool"}.get(
        type(value), "nil" if value is None else type(value).__name__)


def _apply_next(root: Any, value: Any, rest: list[Step]) -> Any:
    return rest[0](root, value, rest[1:]) if rest else value


def _key_step(key: str) -> Step:
    def step(root: Any, current: Any, rest: list[Step]) -> Any:
        if isinstance(current, dict):
            if key in current:
                return _apply_next(root, current[key], rest)
            raise JSONPathError(f"key: invalid token key '{key}' not found")
        raise JSONPathError(f"key: invalid token target. expected [map] got [{_kind(current)}]")

    step.kind = "key"  # type: ignore[attr-defined]
    return step


def _length_step(root: Any, current: Any, rest: list[Step]) -> Any:
    if isinstance(current, dict) and "length" in current:
        return _apply_next(root, current["length"], rest)
    if isinstance(current, dict | list | str):
        return _apply_next(root, float(len(current)), rest)
    raise JSONPathError(f"length: invalid token target. expected [array map slice string] got [{_kind(current)}]")


def _index_of(current: Any, index: int, name: str = "index") -> Any:
    if not isinstance(current, list):
        raise JSONPathError(f"{name}: invalid token target. expected [array slice] got [{_kind(current)}]")
    if index < 0:
        index += len(current)
    if not 0 <= index < len(current):
        raise JSONPathError(f"{name}: invalid token out of range")
    return current[index]


def _index_step(index: int) -> Step:
    def step(root: Any, current: Any, rest: list[Step]) -> Any:
        return _apply_next(root, _index_of(current, index), rest)

    step.kind = "index"  # type: ignore[attr-defined]
    return step


def _each(root: Any, items: list[Any], rest: list[Step]) -> list[Any]:
    if not rest:
        return list(items)
    out = []
    for item in items:
        try:
            result = rest[0](root, item, rest[1:])
        except JSONPathError:
            continue
        if result is not None:
            out.append(result)
    return out


def _children(current: Any, name: str) -> list[Any]:
    if isinstance(current, dict):
        return [current[key] for key in sorted(current)]
    if isinstance(current, list):
        return current
    raise JSONPathError(f"{name}: invalid token target. expected [array map slice] got [{_kind(current)}]")


def _wildcard_step(root: Any, current: Any, rest: list[Step]) -> Any:
    return _each(root, _children(current, "wildcard"), rest)


def _collection_then(root: Any, current: Any, elements: list[Any], rest: list[Step]) -> Any:
    if rest and getattr(rest[0], "kind", "") == "index":
        return rest[0](root, elements, rest[1:])
    return _each(root, elements, rest)


def _union_step(keys: list[Any]) -> Step:
    def step(root: Any, current: Any, rest: list[Step]) -> Any:
        elements = []
        for key in keys:
            if isinstance(key, str):
                if not isinstance(current, dict) or key not in current:
                    raise JSONPathError(f"union: invalid token key '{key}' not found")
                elements.append(current[key])
            else:
                elements.append(_index_of(current, key, "union"))
        return _collection_then(root, current, elements, rest)

    return step


def _range_step(start: int | None, stop: int | None, stride: int | None) -> Step:
    def step(root: Any, current: Any, rest: list[Step]) -> Any:
        if isinstance(current, str):
            return _apply_next(root, current[slice(start, stop)], rest)
        if not isinstance(current, list):
            raise JSONPathError(f"range: invalid token target. expected [array slice] got [{_kind(current)}]")
        size = len(current)
        a = 0 if start is None else (start + size if start < 0 else start)
        b = size if stop is None else (stop + size if stop < 0 else stop)
        if a < 0 or a > size or (b > size + 0 and stop is not None and stop > size):
            raise JSONPathError("range: invalid token out of range")
        step_by = stride or 1
        elements = current[max(a, 0) : max(b, 0) : abs(step_by)]
        if step_by < 0:
            elements = elements[::-1]
        return _collection_then(root, current, elements, rest)

    return step


def _truthy(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, list | dict):
        return len(value) > 0
    if isinstance(value, str):
        return value.strip("'\"") != "" if len(value) > 1 else value != ""
    return bool(value != 0)


def _filter_step(expression: str) -> Step:
    script = _Script(expression)

    def step(root: Any, current: Any, rest: list[Step]) -> Any:
        elements = []
        for element in _children(current, "filter"):
            try:
                keep = _truthy(script.evaluate(root, element))
            except (JSONPathError, ArithmeticError, TypeError, ValueError):
                keep = False
            if keep:
                elements.append(element)
        return _collection_then(root, current, elements, rest)

    return step


def _script_step(expression: str) -> Step:
    script = _Script(expression)

    def step(root: Any, current: Any, rest: list[Step]) -> Any:
        key = script.evaluate(root, current)
        if isinstance(key, float) and key.is_integer():
            return _apply_next(root, _index_of(current, int(key), "script"), rest)
        if isinstance(key, str):
            return _key_step(key)(root, current, rest)
        raise JSONPathError("script: unexpected expression result. expected [int string]")

    return step


def _recursive_step(key_step: Step | None) -> Step:
    def collect(root: Any, current: Any, rest: list[Step], out: list[Any], depth: int) -> None:
        if depth > MAX_DEPTH:
            raise JSONPathError("recursive: too deep")
        if rest:
            try:
                result = rest[0](root, current, rest[1:])
            except JSONPathError:
                result = None
            if isinstance(result, list):
                out.extend(result)
            elif result is not None:
                out.append(result)
        else:
            out.append(current)
        if isinstance(current, dict | list):
            for child in _children(current, "recursive"):
                collect(root, child, rest, out, depth + 1)

    def step(root: Any, current: Any, rest: list[Step]) -> Any:
        out: list[Any] = []
        collect(root, current, ([key_step] if key_step else []) + rest, out, 0)
        return out

    return step


# -- path parsing --------------------------------------------------------------------------------------------
def _read_bracket(path: str, pos: int) -> tuple[str, int]:
    depth, quote, i = 0, "", pos
    while i < len(path):
        char = path[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0 and char == "]":
                return path[pos + 1 : i], i + 1
        i += 1
    raise JSONPathError("invalid token. '[' does not match any token format")


def _parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _bracket_step(body: str) -> Step:
    inner = body.strip()
    if inner == "*":
        return _wildcard_step
    if inner.startswith("?(") and inner.endswith(")"):
        return _filter_step(inner[2:-1])
    if inner.startswith("(") and inner.endswith(")"):
        return _script_step(inner[1:-1])
    if ":" in inner and not inner.startswith(("'", '"')):
        parts = inner.split(":")
        if len(parts) > 3:
            raise JSONPathError(f"invalid token. '[{body}]' does not match any token format")
        numbers = [_parse_int(p) if p.strip() else None for p in parts]
        return _range_step(numbers[0], numbers[1], numbers[2] if len(numbers) > 2 else None)
    parts = _split_union(inner)
    keys: list[Any] = []
    for part in parts:
        part = part.strip()
        if len(part) >= 2 and part[0] in "'\"" and part[-1] == part[0]:
            keys.append(part[1:-1].replace("\\'", "'"))
        elif _parse_int(part) is not None:
            keys.append(_parse_int(part))
        else:
            raise JSONPathError(f"invalid token. '[{body}]' does not match any token format")
    if len(keys) == 1:
        return _key_step(keys[0]) if isinstance(keys[0], str) else _index_step(keys[0])
    return _union_step(keys)


def _split_union(text: str) -> list[str]:
    parts, current, quote = [], "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ",":
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return parts


@lru_cache(maxsize=1024)
def _compiled(path: str) -> tuple[Step, ...]:
    return tuple(compile_path(path))


def compile_path(path: str) -> list[Step]:
    """The steps of ``path`` (which must start with ``$`` or ``@``)."""
    path = path.strip()
    if not path or path[0] not in "$@":
        raise JSONPathError(f"invalid token. '{path[:1]}' does not match any token format")
    steps: list[Step] = []
    pos = 1
    name_re = re.compile(r"[^.\[\]()\s'\"=!<>&|+*/%,]+")
    while pos < len(path):
        if path.startswith("..", pos):
            pos += 2
            if path.startswith("*", pos):
                steps.append(_recursive_step(_wildcard_step))
                pos += 1
                continue
            match = name_re.match(path, pos)
            steps.append(_recursive_step(_key_step(match.group(0)) if match else None))
            pos = match.end() if match else pos
        elif path[pos] == ".":
            pos += 1
            if path.startswith("*", pos):
                steps.append(_wildcard_step)
                pos += 1
                continue
            match = name_re.match(path, pos)
            if not match:
                raise JSONPathError("invalid token. '.' does not match any token format")
            name = match.group(0)
            steps.append(_length_step if name == "length" else _key_step(name))
            pos = match.end()
        elif path[pos] == "[":
            body, pos = _read_bracket(path, pos)
            steps.append(_bracket_step(body))
        else:
            raise JSONPathError(f"invalid token. '{path[pos:]}' does not match any token format")
    return steps


def query(path: str, data: Any) -> Any:
    """Run ``path`` against decoded JSON ``data``."""
    steps = list(_compiled(path))
    if not steps:
        return data
    return steps[0](data, data, steps[1:])


class _Script:
    """Filter/script expressions: a tiny precedence-climbing evaluator over JSONPath operands."""

    BINARY: ClassVar[list[tuple[str, ...]]] = [("||",), ("&&",), ("==", "!=", "=~", "<=", ">=", "<", ">", " not in ", " in "), ("+", "-"),
              ("*", "/", "%"), ("**",)]
    TOKEN_RE = re.compile(
        r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'(?:\\.|[^'])*'|\"(?:\\.|[^\"])*\")|"
        r"(?P<op>\|\||&&|==|!=|=~|<=|>=|\*\*|not in\b|in\b|[<>+\-*/%!()])|"
        r"(?P<path>[$@](?:\[[^\]]*\]|[^\s=!<>&|+\-*/%()])*)|(?P<word>true|false|nil|null))")

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = self.TOKEN_RE.match(text, pos)
            if not match or match.end() == pos:
                raise JSONPathError(f"invalid expression. invalid format '{text}'")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        if not self.tokens:
            raise JSONPathError("invalid expression. is empty")

    def evaluate(self, root: Any, current: Any) -> Any:
        return _ScriptRun(self.tokens, root, current).run()


_OP_LEVEL = {op.strip(): level for level, ops in enumerate(_Script.BINARY) for op in ops}


class _ScriptRun:
    """One evaluation of a script (separate state, so nested filters can reuse a compiled script)."""

    def __init__(self, tokens: list[tuple[str, str]], root: Any, current: Any) -> None:
        self.tokens, self.pos, self.root, self.current = tokens, 0, root, current

    def run(self) -> Any:
        value = self.binary(0)
        if self.pos != len(self.tokens):
            raise JSONPathError("invalid expression. unexpected token")
        return value

    def binary(self, min_level: int) -> Any:
        """Precedence climbing over ``_OP_LEVEL`` (all operators left-associative)."""
        left = self.unary()
        while self.pos < len(self.tokens):
            kind, text = self.tokens[self.pos]
            level = _OP_LEVEL.get(text.strip()) if kind == "op" else None
            if level is None or level < min_level:
                break
            self.pos += 1
            left = _operate(text.strip(), left, self.binary(level + 1))
        return left

    def unary(self) -> Any:
        if self.pos >= len(self.tokens):
            raise JSONPathError("invalid expression. unexpected end")
        kind, text = self.tokens[self.pos]
        self.pos += 1
        if kind == "op" and text == "!":
            return not _truthy(self.unary())
        if kind == "op" and text == "-":
            return -float(self.unary())
        if kind == "op" and text == "(":
            value = self.binary(0)
            self.pos += 1
            return value
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace("\\'", "'").replace('\\"', '"')
        if kind == "word":
            return text == "true" if text in ("true", "false") else None
        if kind == "path":
            start = self.root if text[0] == "$" else self.current
            try:
                steps = list(_compiled(text))
                return steps[0](self.root, start, steps[1:]) if steps else start
            except JSONPathError:
                return None
        raise JSONPathError(f"invalid expression. unexpected token '{text}'")


def _operate(op: str, left: Any, right: Any) -> Any:
    numbers = isinstance(left, float) and isinstance(right, float)
    if op == "||":
        return _truthy(left) or _truthy(right)
    if op == "&&":
        return _truthy(left) and _truthy(right)
    if op in ("==", "!="):
        same = (left == right) if (numbers or type(left) is type(right)) else False
        return same if op == "==" else not same
    if op == "=~":
        return isinstance(left, str) and isinstance(right, str) and compile_regex(right).search(left) is not None
    if op in ("in", "not in"):
        items = right if isinstance(right, list) else list(right.values()) if isinstance(right, dict) else []
        found = any(type(item) is type(left) and item == left for item in items)
        return found if op == "in" else not found
    if not numbers:
        raise JSONPathError(f"invalid expression. operator '{op}' needs numbers")
    if op in ("<", "<=", ">", ">="):
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    if op == "%":
        return float(int(left) % int(right))
    if op == "**":
        return math.pow(left, right)
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[op]
