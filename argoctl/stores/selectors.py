"""Kubernetes label selectors: parse ``k=v,k!=v,k in (a,b),k notin (a),k,!k,k>1`` and match labels.

Shared by every store (``list_workflows``) and by the CLI (``-l``). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple, NoReturn

from argoctl.errors import UsageError

_TOKEN = r"\s*(==|!=|=|!|\(|\)|,|>|<|[A-Za-z0-9_./-]+)"
_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
# patterns, compiled by ``re`` on first use (and cached there): a short command matches few of them
_KEY = rf"^([a-z0-9]([-a-z0-9.]{{0,251}}[a-z0-9])?/)?{_NAME}$"
_VALUE = rf"^({_NAME})?$"
_SET_OPS = ("in", "notin")
_OPS = ("=", "==", "!=", ">", "<", *_SET_OPS)


class Requirement(NamedTuple):
    """One clause. ``op`` is one of ``= != in notin exists !exists > <``."""

    key: str
    op: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        value = labels.get(self.key, "")
        if self.op == "exists":
            return present
        if self.op == "!exists":
            return not present
        if self.op in ("=", "in"):
            return present and value in self.values
        if self.op in ("!=", "notin"):
            return not present or value not in self.values
        return present and _compare(value, self.op, self.values[0])

    def __str__(self) -> str:
        if self.op == "exists":
            return self.key
        if self.op == "!exists":
            return f"!{self.key}"
        if self.op in _SET_OPS:
            return f"{self.key} {self.op} ({','.join(self.values)})"
        return f"{self.key}{self.op}{self.values[0]}"


def _compare(value: str, op: str, bound: str) -> bool:
    try:
        number = int(value)
    except ValueError:
        return False
    return number > int(bound) if op == ">" else number < int(bound)


class Selector(NamedTuple):
    """All requirements must hold (AND). The empty selector matches everything."""

    requirements: tuple[Requirement, ...] = ()

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        present = labels or {}
        return all(req.matches(present) for req in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(req) for req in self.requirements)


def from_labels(labels: Mapping[str, str]) -> Selector:
    """Equality on every pair of ``labels``."""
    return Selector(tuple(Requirement(key, "=", (str(value),)) for key, value in sorted(labels.items())))


def as_selector(spec: Selector | Mapping[str, str] | str | None) -> Selector:
    """Accept what callers hold: a selector, an equality mapping, selector text, or nothing."""
    if spec is None:
        return Selector()
    if isinstance(spec, Selector):
        return spec
    if isinstance(spec, str):
        return parse(spec)
    return from_labels(spec)


def parse(text: str) -> Selector:
    """Parse selector text; UsageError naming the position on bad input."""
    tokens = _tokenize(text)
    requirements: list[Requirement] = []
    pos = 0
    while pos < len(tokens):
        requirement, pos = _requirement(text, tokens, pos)
        requirements.append(requirement)
        if pos < len(tokens):
            if tokens[pos][0] != ",":
                _fail(text, tokens[pos][1], f"expected ',' but found {tokens[pos][0]!r}")
            pos += 1
            if pos == len(tokens):
                _fail(text, len(text), "expected a requirement after ','")
    return Selector(tuple(requirements))


Token = tuple[str, int]  # text, offset in the selector


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    token = re.compile(_TOKEN)
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = token.match(text, pos)
        if match is None:
            _fail(text, pos, f"unexpected character {text[pos:].lstrip()[0]!r}")
        tokens.append((match.group(1), match.start(1)))
        pos = match.end()
    return tokens


def _requirement(text: str, tokens: list[Token], pos: int) -> tuple[Requirement, int]:
    if tokens[pos][0] == "!":
        key, pos = _key(text, tokens, pos + 1)
        return Requirement(key, "!exists"), pos
    key, pos = _key(text, tokens, pos)
    if pos == len(tokens) or tokens[pos][0] == ",":
        return Requirement(key, "exists"), pos
    op, offset = tokens[pos]
    if op not in _OPS:
        _fail(text, offset, f"expected an operator after {key!r} (=, ==, !=, in, notin, >, <)")
    if op in _SET_OPS:
        values, pos = _value_set(text, tokens, pos + 1)
        return Requirement(key, op, values), pos
    value, pos = _single_value(text, tokens, pos + 1)
    if op in (">", "<") and not re.fullmatch(r"-?[0-9]+", value):
        _fail(text, offset, f"{op!r} needs an integer, got {value!r}")
    return Requirement(key, "=" if op == "==" else op, (value,)), pos


def _key(text: str, tokens: list[Token], pos: int) -> tuple[str, int]:
    if pos == len(tokens):
        _fail(text, len(text), "expected a label key")
    key, offset = tokens[pos]
    if not re.match(_KEY, key):
        _fail(text, offset, f"invalid label key {key!r}")
    return key, pos + 1


def _single_value(text: str, tokens: list[Token], pos: int) -> tuple[str, int]:
    if pos == len(tokens) or tokens[pos][0] == ",":
        return "", pos  # ``k=`` selects the empty value, as Kubernetes does
    value, offset = tokens[pos]
    if not re.match(_VALUE, value):
        _fail(text, offset, f"invalid label value {value!r}")
    return value, pos + 1


def _value_set(text: str, tokens: list[Token], pos: int) -> tuple[tuple[str, ...], int]:
    if pos == len(tokens) or tokens[pos][0] != "(":
        _fail(text, tokens[pos][1] if pos < len(tokens) else len(text), "expected '(' after in/notin")
    values: list[str] = []
    pos += 1
    while pos < len(tokens):
        value, offset = tokens[pos]
        if value in ("(", ")", ",", "!", "=", "==", "!=", ">", "<") or not re.match(_VALUE, value):
            _fail(text, offset, f"invalid label value {value!r}")
        values.append(value)
        pos += 1
        if pos < len(tokens) and tokens[pos][0] == ")":
            return tuple(values), pos + 1
        if pos < len(tokens) and tokens[pos][0] != ",":
            _fail(text, tokens[pos][1], f"expected ',' or ')' but found {tokens[pos][0]!r}")
        pos += 1
    _fail(text, len(text), "unclosed '(' in value set")


def _fail(text: str, offset: int, reason: str) -> NoReturn:
    raise UsageError(
        f"invalid label selector {text!r} at position {offset}: {reason}",
        hint="use k=v, k!=v, 'k in (a,b)', 'k notin (a,b)', k or !k, joined by commas",
    )

