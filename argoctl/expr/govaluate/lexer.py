"""govaluate's lexer and token-sequence checks (Knetic/govaluate @7625b7f8 ``parsing.go``, ``lexerState.go``).

The lexer decides a token's kind from the previous token's kind (``-`` is a prefix after an operator,
a minus after a value) and from the first character (a letter starts a VARIABLE, a digit a NUMERIC).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from argoctl.expr import gotime

UNKNOWN, PREFIX, NUMERIC, BOOLEAN, STRING, PATTERN, TIME, VARIABLE, FUNCTION, SEPARATOR, ACCESSOR, \
    COMPARATOR, LOGICALOP, MODIFIER, CLAUSE, CLAUSE_CLOSE, TERNARY = range(17)
KIND_NAMES = ["UNKNOWN", "PREFIX", "NUMERIC", "BOOLEAN", "STRING", "PATTERN", "TIME", "VARIABLE", "FUNCTION",
              "SEPARATOR", "ACCESSOR", "COMPARATOR", "LOGICALOP", "MODIFIER", "CLAUSE", "CLAUSE_CLOSE", "TERNARY"]

PREFIX_SYMBOLS = {"-": "NEGATE", "!": "INVERT", "~": "BITWISE_NOT"}
MODIFIER_SYMBOLS = {"+": "PLUS", "-": "MINUS", "*": "MULTIPLY", "/": "DIVIDE", "%": "MODULUS", "**": "EXPONENT",
                    "&": "BITWISE_AND", "|": "BITWISE_OR", "^": "BITWISE_XOR", ">>": "BITWISE_RSHIFT",
                    "<<": "BITWISE_LSHIFT"}
LOGICAL_SYMBOLS = {"&&": "AND", "||": "OR"}
COMPARATOR_SYMBOLS = {"==": "EQ", "!=": "NEQ", ">": "GT", ">=": "GTE", "<": "LT", "<=": "LTE", "=~": "REQ",
                      "!~": "NREQ", "in": "IN"}
TERNARY_SYMBOLS = {"?": "TERNARY_TRUE", ":": "TERNARY_FALSE", "??": "COALESCE"}

_VALUES = {PREFIX, NUMERIC, BOOLEAN, VARIABLE, PATTERN, FUNCTION, ACCESSOR, STRING, TIME, CLAUSE}
_AFTER_VALUE = {MODIFIER, COMPARATOR, LOGICALOP, CLAUSE_CLOSE, TERNARY, SEPARATOR}
# kind -> (can end the expression, may carry a nil value, kinds allowed next)
STATES: dict[int, tuple[bool, bool, frozenset[int]]] = {
    UNKNOWN: (False, True, frozenset(_VALUES)),
    CLAUSE: (False, True, frozenset(_VALUES | {CLAUSE_CLOSE})),
    CLAUSE_CLOSE: (True, True, frozenset({COMPARATOR, MODIFIER, NUMERIC, BOOLEAN, VARIABLE, STRING, PATTERN, TIME,
                                          CLAUSE, CLAUSE_CLOSE, LOGICALOP, TERNARY, SEPARATOR})),
    NUMERIC: (True, False, frozenset(_AFTER_VALUE)),
    BOOLEAN: (True, False, frozenset(_AFTER_VALUE)),
    STRING: (True, False, frozenset(_AFTER_VALUE)),
    TIME: (True, False, frozenset({MODIFIER, COMPARATOR, LOGICALOP, CLAUSE_CLOSE, SEPARATOR})),
    PATTERN: (True, False, frozenset({MODIFIER, COMPARATOR, LOGICALOP, CLAUSE_CLOSE, SEPARATOR})),
    VARIABLE: (True, False, frozenset(_AFTER_VALUE)),
    MODIFIER: (False, False, frozenset({PREFIX, NUMERIC, VARIABLE, FUNCTION, ACCESSOR, STRING, BOOLEAN, CLAUSE,
                                        CLAUSE_CLOSE})),
    COMPARATOR: (False, False, frozenset(_VALUES | {CLAUSE_CLOSE})),
    LOGICALOP: (False, False, frozenset((_VALUES - {PATTERN}) | {CLAUSE_CLOSE})),
    PREFIX: (False, False, frozenset({NUMERIC, BOOLEAN, VARIABLE, FUNCTION, ACCESSOR, CLAUSE, CLAUSE_CLOSE})),
    TERNARY: (False, False, frozenset((_VALUES - {PATTERN}) | {SEPARATOR})),
    FUNCTION: (False, False, frozenset({CLAUSE})),
    ACCESSOR: (True, False, frozenset({CLAUSE, MODIFIER, COMPARATOR, LOGICALOP, CLAUSE_CLOSE, TERNARY,
                                       SEPARATOR})),
    SEPARATOR: (False, True, frozenset(_VALUES - {PATTERN})),
}
TIME_LAYOUTS = (
    "Mon Jan _2 15:04:05 2006", "Mon Jan _2 15:04:05 MST 2006", "Mon Jan 02 15:04:05 -0700 2006", "3:04PM",
    "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02", "2006-01-02 15:04",
    "2006-01-02 15:04:05", "2006-01-02 15:04:05-07:00", "2006-01-02T15Z0700", "2006-01-02T15:04Z0700",
    "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700",
)
_YEAR_ZERO_SECONDS = 366 * 86400  # Kitchen times land in year 0, one leap year before year 1


class GovaluateError(Exception):
    """A govaluate parse or evaluation failure, with Go's message."""


@dataclass(slots=True)
class Token:
    kind: int
    value: Any
    pos: int = 0


class GoTimeLiteral:
    """A quoted string that parsed as a time (``TIME`` token); evaluates to its Unix seconds."""

    def __init__(self, value: gotime.GoTime, year_zero: bool) -> None:
        self.time = value
        self.unix = float(value.unix() - (_YEAR_ZERO_SECONDS if year_zero else 0))

    def go_string(self) -> str:
        return self.time.go_string()


def try_parse_time(text: str) -> GoTimeLiteral | None:
    for layout in TIME_LAYOUTS:
        try:
            parsed = gotime.parse_layout(layout, text, dt.UTC)
        except (gotime.TimeError, ValueError, KeyError, IndexError):
            continue
        return GoTimeLiteral(parsed, layout == "3:04PM")
    return None


def is_digit(char: str) -> bool:
    return char.isdecimal()


def is_numeric(char: str) -> bool:
    return char.isdecimal() or char == "."


def is_variable_char(char: str) -> bool:
    return char.isalpha() or char.isdecimal() or char in "_."


def is_not_quote(char: str) -> bool:
    return char not in "'\""


def is_not_alphanumeric(char: str) -> bool:
    return not (char.isdecimal() or char.isalpha() or char in "()[]'\"")


_NUMERIC_RUN = re.compile(r"[0-9.]*")
_VARIABLE_RUN = re.compile(r"[A-Za-z0-9_.]*")
_SYMBOL_RUN = re.compile(r"[^A-Za-z0-9()\[\]'\"\s\\\x80-\U0010ffff]*")


class _Stream:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def can_read(self) -> bool:
        return self.pos < len(self.text)

    def read(self) -> str:
        if self.pos >= len(self.text):
            raise GovaluateError("runtime error: index out of range")
        char = self.text[self.pos]
        self.pos += 1
        return char

    def read_until_false(self, include_ws: bool, break_ws: bool, condition: Any) -> tuple[str, bool]:
        """(text, stopped-by-condition) -- govaluate's ``readUntilFalse`` with backslash escapes."""
        buffer: list[str] = []
        while self.can_read():
            char = self.read()
            if char == "\\":
                buffer.append(self.read())
                continue
            if char.isspace():
                if break_ws and buffer:
                    return "".join(buffer), True
                if not include_ws:
                    continue
            if condition(char):
                buffer.append(char)
            else:
                self.pos -= 1
                return "".join(buffer), True
        return "".join(buffer), False

    def read_token_until_false(self, condition: Any, run: re.Pattern[str] | None = None) -> str:
        """Re-read the current character and what follows while ``condition`` holds.

        ``run`` is an ASCII regex for the same characters: when the run and the character after it
        are plain ASCII (no escape), it gives the same result as the character loop, faster.
        """
        self.pos -= 1
        if run is not None:
            text, start = self.text, self.pos
            end = run.match(text, start).end()  # type: ignore[union-attr]
            after = text[end : end + 1]
            if end > start and after != "\\" and after.isascii() and text[start:end].isascii():
                self.pos = end + 1 if after and after.isspace() else end
                return text[start:end]
        return self.read_until_false(False, True, condition)[0]


def _parse_float(text: str) -> float:
    if not text.isascii():
        raise ValueError(text)
    value = float(text)
    if math.isinf(value) and "inf" not in text.lower():
        raise ValueError(text)
    return value


def _read_number(stream: _Stream, char: str) -> Token:
    start = stream.pos - 1
    if stream.can_read() and char == "0":
        char = stream.read()
        if stream.can_read() and char == "x":
            text = stream.read_until_false(False, True, lambda c: c.isdecimal() or c.lower() in "abcdef")[0]
            try:
                return Token(NUMERIC, float(int(text, 16)), start)
            except ValueError:
                raise GovaluateError(f"Unable to parse hex value '{text}' to uint64\n") from None
        stream.pos -= 1
    text = stream.read_token_until_false(is_numeric, _NUMERIC_RUN)
    try:
        return Token(NUMERIC, _parse_float(text), start)
    except ValueError:
        raise GovaluateError(f"Unable to parse numeric value '{text}' to float64\n") from None


def _read_word(stream: _Stream) -> Token:
    start = stream.pos - 1
    text = stream.read_token_until_false(is_variable_char, _VARIABLE_RUN)
    if text in ("true", "false"):
        return Token(BOOLEAN, text == "true", start)
    if text in ("in", "IN"):
        return Token(COMPARATOR, "in", start)
    dot = text.find(".")
    if dot > 0:
        if text.endswith("."):
            raise GovaluateError(f"Hanging accessor on token '{text}'")
        parts = text.split(".")
        for part in parts[1:]:
            first = part[:1]
            if first.upper() != first:
                raise GovaluateError(f"Unable to access unexported field '{part}' in token '{text}'")
        return Token(ACCESSOR, parts, start)
    return Token(VARIABLE, text, start)


def _read_symbol(stream: _Stream, state: int) -> Token:
    start = stream.pos - 1
    text = stream.read_token_until_false(is_not_alphanumeric, _SYMBOL_RUN)
    if PREFIX in STATES[state][2] and text in PREFIX_SYMBOLS:
        return Token(PREFIX, text, start)
    for kind, table in ((MODIFIER, MODIFIER_SYMBOLS), (LOGICALOP, LOGICAL_SYMBOLS),
                        (COMPARATOR, COMPARATOR_SYMBOLS), (TERNARY, TERNARY_SYMBOLS)):
        if text in table:
            return Token(kind, text, start)
    raise GovaluateError(f"Invalid token: '{text}'")


def _read_token(stream: _Stream, state: int) -> Token | None:
    while stream.can_read():
        char = stream.read()
        if char.isspace():
            continue
        start = stream.pos - 1
        if is_numeric(char):
            return _read_number(stream, char)
        if char == ",":
            return Token(SEPARATOR, ",", start)
        if char == "[":
            text, completed = stream.read_until_false(True, False, lambda c: c != "]")
            if not completed:
                raise GovaluateError("Unclosed parameter bracket")
            stream.pos += 1
            return Token(VARIABLE, text, start)
        if char.isalpha():
            return _read_word(stream)
        if not is_not_quote(char):
            text, completed = stream.read_until_false(True, False, is_not_quote)
            if not completed:
                raise GovaluateError("Unclosed string literal")
            stream.pos += 1
            literal = try_parse_time(text)
            return Token(TIME, literal, start) if literal else Token(STRING, text, start)
        if char == "(":
            return Token(CLAUSE, "(", start)
        if char == ")":
            return Token(CLAUSE_CLOSE, ")", start)
        return _read_symbol(stream, state)
    return None


def lex(expression: str) -> list[Token]:
    """Tokens of ``expression`` (``parseTokens``), balance-checked; raises ``GovaluateError``."""
    stream = _Stream(expression)
    tokens: list[Token] = []
    state = UNKNOWN
    while stream.can_read():
        token = _read_token(stream, state)
        if token is None:
            break
        state = token.kind
        tokens.append(token)
    check_balance(tokens)
    return tokens


def check_balance(tokens: list[Token]) -> None:
    depth = sum(1 if t.kind == CLAUSE else -1 if t.kind == CLAUSE_CLOSE else 0 for t in tokens)
    if depth != 0:
        raise GovaluateError("Unbalanced parenthesis")


def check_syntax(tokens: list[Token]) -> None:
    """``checkExpressionSyntax``: every token kind must be allowed after the previous one."""
    from argoctl.expr.govaluate.values import format_value

    state = UNKNOWN
    last: Token | None = None
    for token in tokens:
        if token.kind not in STATES[state][2]:
            if last is not None and last.kind == VARIABLE and token.kind == CLAUSE:
                raise GovaluateError(f"Undefined function {last.value}")
            last_value = format_value(last.value) if last is not None else "<nil>"
            raise GovaluateError(
                f"Cannot transition token types from {KIND_NAMES[state]} [{last_value}] to "
                f"{KIND_NAMES[token.kind]} [{format_value(token.value)}]")
        state = token.kind
        last = token
    if not STATES[state][0]:
        raise GovaluateError("Unexpected end of expression")
