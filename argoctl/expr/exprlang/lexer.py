"""The expr-lang (v1.17) lexer: text to tokens with rune positions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argoctl.expr.exprlang.errors import ExprSyntaxError

IDENTIFIER = "Identifier"
NUMBER = "Number"
STRING = "String"
OPERATOR = "Operator"
BRACKET = "Bracket"
EOF = "EOF"

_ASCII_WORD = re.compile(r"[A-Za-z0-9_$]*")
_WORD_OPERATORS = frozenset({"in", "or", "and", "matches", "contains", "startsWith", "endsWith", "let", "if", "else"})
_NEGATABLE = frozenset({"in", "matches", "contains", "startsWith", "endsWith"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    value: str
    pos: int

    def is_(self, kind: str, *values: str) -> bool:
        return self.kind == kind and (not values or self.value in values)

    def __str__(self) -> str:
        if not self.value:
            return self.kind
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'{self.kind}("{escaped}")'


def is_alphabetic(char: str) -> bool:
    return char == "_" or char == "$" or char.isalpha()


def is_alphanumeric(char: str) -> bool:
    return is_alphabetic(char) or char.isdigit()


class _Lexer:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.tokens: list[Token] = []

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.src[index] if index < len(self.src) else ""

    def emit(self, kind: str, start: int, value: str | None = None) -> None:
        self.tokens.append(Token(kind, self.src[start : self.pos] if value is None else value, start))

    def error(self, message: str, pos: int | None = None) -> ExprSyntaxError:
        return ExprSyntaxError(message, self.pos if pos is None else pos)

    def run(self) -> list[Token]:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char.isspace():
                self.pos += 1
            elif char in "'\"":
                self.scan_string(char)
            elif char == "`":
                self.scan_raw_string()
            elif char in "0123456789" or (char == "." and self.peek(1) != "" and self.peek(1) in "0123456789"):
                self.scan_number()
            elif is_alphanumeric(char):
                self.scan_identifier()
            else:
                self.scan_symbol(char)
        end = max(len(src) - 1, 0)
        self.tokens.append(Token(EOF, "", end))
        return self.tokens

    def scan_symbol(self, char: str) -> None:
        start = self.pos
        self.pos += 1
        nxt = self.peek()
        if char == "?":
            if nxt in (".", "?"):
                self.pos += 1
        elif char == "/":
            if nxt == "/":
                end = self.src.find("\n", self.pos)
                self.pos = len(self.src) if end < 0 else end + 1
                return
            if nxt == "*":
                end = self.src.find("*/", self.pos + 1)
                if end < 0:
                    raise self.error("unclosed comment", len(self.src))
                self.pos = end + 2
                return
        elif char == "#":
            self.emit(OPERATOR, start)
            ident_start = self.pos
            while self.pos < len(self.src) and is_alphanumeric(self.src[self.pos]):
                self.pos += 1
            if self.pos > ident_start:
                self.emit(IDENTIFIER, ident_start)
            return
        elif char in "|:":
            if nxt == char:
                self.pos += 1
        elif char in "([{)]}":
            self.emit(BRACKET, start)
            return
        elif char in ",;%+-^":
            pass
        elif char in "&!=*<>":
            if nxt and nxt in "&=*":
                self.pos += 1
        elif char == ".":
            if nxt == ".":
                self.pos += 1
        else:
            raise self.error(f"unrecognized character: U+{ord(char):04X} '{char}'", start)
        self.emit(OPERATOR, start)

    def scan_identifier(self) -> None:
        start = self.pos
        src = self.src
        end = _ASCII_WORD.match(src, start).end()  # type: ignore[union-attr]
        self.pos = end
        while self.pos < len(src) and is_alphanumeric(src[self.pos]):
            self.pos += 1
        word = src[start : self.pos]
        if word == "not":
            self.emit(OPERATOR, start)
            self.scan_not_suffix()
        elif word in _WORD_OPERATORS:
            self.emit(OPERATOR, start)
        else:
            self.emit(IDENTIFIER, start)

    def scan_not_suffix(self) -> None:
        save = self.pos
        while self.peek() == " ":
            self.pos += 1
        start = self.pos
        while self.pos < len(self.src) and is_alphanumeric(self.src[self.pos]):
            self.pos += 1
        if self.src[start : self.pos] in _NEGATABLE:
            self.emit(OPERATOR, start)
        else:
            self.pos = save

    def scan_number(self) -> None:
        start = self.pos
        digits = "0123456789_"
        if self.peek() == "0" and self.peek(1) and self.peek(1) in "xXoObB":
            digits = {"x": "0123456789abcdefABCDEF_", "o": "01234567_", "b": "01_"}[self.peek(1).lower()]
            self.pos += 2
        self._accept_run(digits)
        if self.peek() == "." and self.peek(1) != ".":
            self.pos += 1
            self._accept_run(digits)
        if self.peek() and self.peek() in "eE":
            self.pos += 1
            if self.peek() and self.peek() in "+-":
                self.pos += 1
            self._accept_run(digits)
        if self.peek() and is_alphanumeric(self.peek()):
            self.pos += 1
            raise self.error(f"bad number syntax: {self.src[start:self.pos]!r}".replace("'", '"'), self.pos - 1)
        self.emit(NUMBER, start)

    def _accept_run(self, valid: str) -> None:
        while self.peek() and self.peek() in valid:
            self.pos += 1

    def scan_raw_string(self) -> None:
        start = self.pos
        end = self.src.find("`", start + 1)
        if end < 0:
            raise self.error("literal not terminated", len(self.src))
        self.pos = end + 1
        self.emit(STRING, start, self.src[start + 1 : end])

    def scan_string(self, quote: str) -> None:
        start = self.pos
        self.pos += 1
        out: list[str] = []
        src = self.src
        while True:
            if self.pos >= len(src) or src[self.pos] == "\n":
                raise self.error("literal not terminated", self.pos)
            char = src[self.pos]
            if char == quote:
                self.pos += 1
                break
            if char == "\\":
                out.append(self.scan_escape(quote))
                continue
            out.append(char)
            self.pos += 1
        self.emit(STRING, start, "".join(out))

    def scan_escape(self, quote: str) -> str:
        self.pos += 1
        char = self.peek()
        simple = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
        if char in simple and char:
            self.pos += 1
            return simple[char]
        if char == quote:
            self.pos += 1
            return quote
        if char and char in "01234567":
            return self._scan_code(3, 8, 0)
        if char == "x":
            return self._scan_code(2, 16, 1)
        if char == "u":
            if self.peek(1) == "{":
                return self._scan_braced_code()
            return self._scan_code(4, 16, 1)
        if char == "U":
            return self._scan_code(8, 16, 1)
        raise self.error("invalid char escape")

    def _scan_code(self, count: int, base: int, skip: int) -> str:
        self.pos += skip
        text = self.src[self.pos : self.pos + count]
        try:
            code = int(text, base) if len(text) == count else -1
        except ValueError:
            code = -1
        if code < 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise self.error("invalid char escape")
        self.pos += count
        return chr(code)

    def _scan_braced_code(self) -> str:
        self.pos += 2
        end = self.src.find("}", self.pos)
        text = self.src[self.pos : end] if end >= 0 else ""
        if not text or len(text) > 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
            raise self.error("invalid char escape")
        code = int(text, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise self.error("invalid char escape")
        self.pos = end + 1
        return chr(code)


def tokenize(source: str) -> list[Token]:
    """Tokens of ``source`` ending with an EOF token; raises ``ExprSyntaxError``."""
    return _Lexer(source).run()
