"""govaluate's stage planner and evaluator (``stagePlanner.go``, ``evaluationStage.go``).

The planner builds right-leaning trees per precedence level and then mirrors runs of same-precedence
operators so they evaluate left to right; that quirky shape is kept so results match govaluate's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from argoctl.expr.exprlang.errors import ExprRuntimeError
from argoctl.expr.exprlang.runtime import compile_regex
from argoctl.expr.govaluate import lexer as lx
from argoctl.expr.govaluate.values import format_value

LOGICAL_FMT = "Value '%v' cannot be used with the logical operator '%v', it is not a bool"
MODIFIER_FMT = "Value '%v' cannot be used with the modifier '%v', it is not a number"
COMPARATOR_FMT = "Value '%v' cannot be used with the comparator '%v', it is not a number"
TERNARY_FMT = "Value '%v' cannot be used with the ternary operator '%v', it is not a bool"
PREFIX_FMT = "Value '%v' cannot be used with the prefix '%v'"

PRECEDENCE = {
    "NOOP": 0, "VALUE": 1, "LITERAL": 1, "FUNCTIONAL": 2, "ACCESS": 2, "NEGATE": 3, "INVERT": 3,
    "BITWISE_NOT": 3, "EXPONENT": 4, "PLUS": 5, "MINUS": 5, "BITWISE_AND": 6, "BITWISE_OR": 6,
    "BITWISE_XOR": 6, "BITWISE_LSHIFT": 7, "BITWISE_RSHIFT": 7, "MULTIPLY": 8, "DIVIDE": 8, "MODULUS": 8,
    "EQ": 9, "NEQ": 9, "GT": 9, "LT": 9, "GTE": 9, "LTE": 9, "REQ": 9, "NREQ": 9, "IN": 9,
    "TERNARY_TRUE": 10, "TERNARY_FALSE": 10, "COALESCE": 10, "AND": 11, "OR": 12, "SEPARATE": 13,
}
DISPLAY = {
    "EQ": "=", "NEQ": "!=", "GT": ">", "LT": "<", "GTE": ">=", "LTE": "<=", "REQ": "=~", "NREQ": "!~",
    "AND": "&&", "OR": "||", "IN": "in", "BITWISE_AND": "&", "BITWISE_OR": "|", "BITWISE_XOR": "^",
    "BITWISE_LSHIFT": "<<", "BITWISE_RSHIFT": ">>", "PLUS": "+", "MINUS": "-", "MULTIPLY": "*", "DIVIDE": "/",
    "MODULUS": "%", "EXPONENT": "**", "NEGATE": "-", "INVERT": "!", "BITWISE_NOT": "~", "TERNARY_TRUE": "?",
    "TERNARY_FALSE": ":", "COALESCE": "??", "NOOP": "NOOP", "VALUE": "VALUE",
}
_SHORT_CIRCUIT = object()
Check = Callable[[Any], bool] | None
Operator = Callable[[Any, Any], Any]


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_bool(v: Any) -> bool:
    return v is True or v is False


def _is_float(v: Any) -> bool:
    return type(v) is float


def _is_regex_or_str(v: Any) -> bool:
    return isinstance(v, str | re.Pattern)


def _is_array(v: Any) -> bool:
    return isinstance(v, list)


def _addition_check(a: Any, b: Any) -> bool:
    return (_is_float(a) and _is_float(b)) or _is_str(a) or _is_str(b)


def _comparator_check(a: Any, b: Any) -> bool:
    return (_is_float(a) and _is_float(b)) or (_is_str(a) and _is_str(b))


def _deep_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _regex(left: Any, right: Any) -> bool:
    if isinstance(right, str):
        try:
            right = compile_regex(right)
        except ExprRuntimeError as exc:
            raise lx.GovaluateError(f"Unable to compile regexp pattern '{right}': {exc}") from None
    return right.search(left) is not None


def _int64(value: float) -> int:
    if math.isnan(value) or math.isinf(value):
        return -(2**63)
    return (int(value) + 2**63) % 2**64 - 2**63


def _fmod(a: float, b: float) -> float:
    return math.nan if b == 0 or math.isinf(a) else math.fmod(a, b)


def _pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except (OverflowError, ValueError):
        if a == 0 and b < 0:
            return math.inf
        if a < 0 and not b.is_integer():
            return math.nan
        return math.inf if abs(a) > 1 else 0.0


def _divide(a: float, b: float) -> float:
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _in(left: Any, right: list[Any]) -> bool:
    return any(type(item) is type(left) and item == left for item in right)


def _separate(left: Any, right: Any) -> list[Any]:
    return [*left, right] if isinstance(left, list) else [left, right]


def _add(a: Any, b: Any) -> Any:
    if _is_str(a) or _is_str(b):
        return format_value(a) + format_value(b)
    return a + b


# symbol -> (operator, left check, right check, combined check)
OPERATORS: dict[str, tuple[Operator, Check, Check, Callable[[Any, Any], bool] | None]] = {
    "EQ": (lambda a, b: _deep_equal(a, b), None, None, None),
    "NEQ": (lambda a, b: not _deep_equal(a, b), None, None, None),
    "GT": (lambda a, b: a > b, None, None, _comparator_check),
    "LT": (lambda a, b: a < b, None, None, _comparator_check),
    "GTE": (lambda a, b: a >= b, None, None, _comparator_check),
    "LTE": (lambda a, b: a <= b, None, None, _comparator_check),
    "REQ": (_regex, _is_str, _is_regex_or_str, None),
    "NREQ": (lambda a, b: not _regex(a, b), _is_str, _is_regex_or_str, None),
    "AND": (lambda a, b: a and b, _is_bool, _is_bool, None),
    "OR": (lambda a, b: a or b, _is_bool, _is_bool, None),
    "IN": (_in, None, _is_array, None),
    "BITWISE_OR": (lambda a, b: float(_int64(a) | _int64(b)), _is_float, _is_float, None),
    "BITWISE_AND": (lambda a, b: float(_int64(a) & _int64(b)), _is_float, _is_float, None),
    "BITWISE_XOR": (lambda a, b: float(_int64(a) ^ _int64(b)), _is_float, _is_float, None),
    "BITWISE_LSHIFT": (lambda a, b: float((_int64(a) % 2**64 << min(_int64(b) % 2**64, 64)) % 2**64),
                       _is_float, _is_float, None),
    "BITWISE_RSHIFT": (lambda a, b: float((_int64(a) % 2**64) >> min(_int64(b) % 2**64, 64)),
                       _is_float, _is_float, None),
    "PLUS": (_add, None, None, _addition_check),
    "MINUS": (lambda a, b: a - b, _is_float, _is_float, None),
    "MULTIPLY": (lambda a, b: a * b, _is_float, _is_float, None),
    "DIVIDE": (_divide, _is_float, _is_float, None),
    "MODULUS": (_fmod, _is_float, _is_float, None),
    "EXPONENT": (_pow, _is_float, _is_float, None),
    "NEGATE": (lambda a, b: -b, None, _is_float, None),
    "INVERT": (lambda a, b: not b, None, _is_bool, None),
    "BITWISE_NOT": (lambda a, b: float(~_int64(b)), None, _is_float, None),
    "TERNARY_TRUE": (lambda a, b: b if a else None, _is_bool, None, None),
    "TERNARY_FALSE": (lambda a, b: a if a is not None else b, None, None, None),
    "COALESCE": (lambda a, b: a if a is not None else b, None, None, None),
    "SEPARATE": (_separate, None, None, None),
}


class Stage:
    __slots__ = ("combined", "fmt", "left", "left_check", "operator", "right", "right_check", "symbol")

    def __init__(self, symbol: str, operator: Operator, left: Stage | None = None, right: Stage | None = None,
                 fmt: str = "") -> None:
        self.symbol = symbol
        self.operator = operator
        self.left = left
        self.right = right
        self.fmt = fmt
        _, self.left_check, self.right_check, self.combined = OPERATORS.get(symbol, (operator, None, None, None))

    def swap_with(self, other: Stage) -> None:
        for name in ("symbol", "operator", "left_check", "right_check", "combined", "fmt"):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, theirs)
            setattr(other, name, mine)


# level -> (symbol table, token kind, error format, left level, right level)
LEVELS: dict[str, tuple[dict[str, str], int, str, str | None, str]] = {
    "separator": ({",": "SEPARATE"}, lx.SEPARATOR, "", "ternary", "separator"),
    "ternary": (lx.TERNARY_SYMBOLS, lx.TERNARY, TERNARY_FMT, "logical_or", "ternary"),
    "logical_or": ({"||": "OR"}, lx.LOGICALOP, LOGICAL_FMT, "logical_and", "logical_or"),
    "logical_and": ({"&&": "AND"}, lx.LOGICALOP, LOGICAL_FMT, "comparator", "logical_and"),
    "comparator": (lx.COMPARATOR_SYMBOLS, lx.COMPARATOR, COMPARATOR_FMT, "bitwise", "comparator"),
    "bitwise": ({"^": "BITWISE_XOR", "&": "BITWISE_AND", "|": "BITWISE_OR"}, lx.MODIFIER, MODIFIER_FMT, "shift",
                "bitwise"),
    "shift": ({">>": "BITWISE_RSHIFT", "<<": "BITWISE_LSHIFT"}, lx.MODIFIER, MODIFIER_FMT, "additive", "shift"),
    "additive": ({"+": "PLUS", "-": "MINUS"}, lx.MODIFIER, MODIFIER_FMT, "multiplicative", "additive"),
    "multiplicative": ({"*": "MULTIPLY", "/": "DIVIDE", "%": "MODULUS"}, lx.MODIFIER, MODIFIER_FMT,
                       "exponential", "multiplicative"),
    "exponential": ({"**": "EXPONENT"}, lx.MODIFIER, MODIFIER_FMT, "function", "exponential"),
    "prefix": (lx.PREFIX_SYMBOLS, lx.PREFIX, PREFIX_FMT, None, "function"),
}


class Planner:
    def __init__(self, tokens: list[lx.Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def has_next(self) -> bool:
        return self.index < len(self.tokens)

    def next(self) -> lx.Token:
        if not 0 <= self.index < len(self.tokens):
            raise lx.GovaluateError("runtime error: index out of range")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def plan(self, level: str) -> Stage | None:
        self.depth += 1
        if self.depth > 400:
            raise lx.GovaluateError("expression is nested too deeply")
        try:
            if level == "function":
                return self.plan_function()
            return self.plan_level(level)
        finally:
            self.depth -= 1

    def plan_tokens(self) -> Stage | None:
        return self.plan("separator") if self.has_next() else None

    def plan_level(self, level: str) -> Stage | None:
        symbols, kind, fmt, left_level, right_level = LEVELS[level]
        left = self.plan(left_level) if left_level else None
        while self.has_next():
            token = self.next()
            if token.kind != kind or not isinstance(token.value, str) or token.value not in symbols:
                break
            symbol = symbols[token.value]
            right = self.plan(right_level)
            return Stage(symbol, OPERATORS[symbol][0], left, right, fmt)
        self.index -= 1
        return left

    def plan_function(self) -> Stage | None:
        token = self.next()
        self.index -= 1
        if token.kind == lx.FUNCTION:
            raise lx.GovaluateError("functions are not supported")
        return self.plan_accessor()

    def plan_accessor(self) -> Stage | None:
        if not self.has_next():
            return None
        token = self.next()
        if token.kind != lx.ACCESSOR:
            self.index -= 1
            return self.plan_value()
        right = None
        if self.has_next():
            other = self.next()
            self.index -= 1
            if other.kind == lx.CLAUSE:
                right = self.plan_tokens()
        name = token.value[0]

        def access(_a: Any, _b: Any) -> Any:
            raise lx.GovaluateError(f"No parameter '{name}' found.")

        return Stage("ACCESS", access, None, right, "Unable to access parameter field or method '%v': %v")

    def plan_value(self) -> Stage | None:
        if not self.has_next():
            return None
        token = self.next()
        if token.kind == lx.CLAUSE:
            inner = self.plan_tokens()
            self.next()
            return Stage("NOOP", lambda _a, b: b, None, inner)
        if token.kind == lx.CLAUSE_CLOSE:
            self.index -= 1
            return None
        if token.kind == lx.VARIABLE:
            name = token.value

            def parameter(_a: Any, _b: Any) -> Any:
                raise lx.GovaluateError(f"No parameter '{name}' found.")

            return Stage("VALUE", parameter)
        if token.kind in LITERAL_KINDS:
            return _literal(token)
        if token.kind == lx.PREFIX:
            self.index -= 1
            return self.plan("prefix")
        raise lx.GovaluateError(
            f"Unable to plan token kind: '{lx.KIND_NAMES[token.kind]}', value: '{format_value(token.value)}'")


def reorder(root: Stage | None) -> None:
    """``reorderStages``: mirror each run of same-precedence stages down the right spine."""
    if root is None:
        return
    run: list[Stage] = []
    precedence = PRECEDENCE.get(root.symbol, 1)
    stage: Stage | None = root
    while stage is not None:
        current = stage
        stage = current.right
        if current.left is not None:
            reorder(current.left)
        current_precedence = PRECEDENCE.get(current.symbol, 1)
        if current_precedence == precedence:
            run.append(current)
            continue
        if len(run) > 1:
            _mirror(run)
        run = [current]
        precedence = current_precedence
    if len(run) > 1:
        _mirror(run)


def _mirror(stages: list[Stage]) -> None:
    for stage in stages:
        stage.left, stage.right = stage.right, stage.left
    root, end = stages[0], stages[-1]
    end.left, root.right = root.right, end.left
    count = len(stages)
    for i in range((count - 2) // 2 + 1):
        front, inverse = stages[i + 1], stages[count - i - 1]
        front.right, inverse.right = inverse.right, front.right
    for i in range(count // 2):
        stages[i].swap_with(stages[count - i - 1])


def plan(tokens: list[lx.Token]) -> Stage | None:
    """``planStages`` (without literal elision, which never changes a result)."""
    stage = Planner(tokens).plan_tokens()
    reorder(stage)
    return stage


LITERAL_KINDS = frozenset({lx.NUMERIC, lx.STRING, lx.PATTERN, lx.BOOLEAN, lx.TIME})


def _literal(token: lx.Token) -> Stage:
    value = token.value.unix if token.kind == lx.TIME else token.value
    return Stage("LITERAL", lambda _a, _b: value)


def comparison(op: str, left: lx.Token, right: lx.Token) -> Stage:
    """The stage the planner builds for ``<literal> <op> <literal>``."""
    symbol = lx.COMPARATOR_SYMBOLS[op]
    return Stage(symbol, OPERATORS[symbol][0], _literal(left), _literal(right), COMPARATOR_FMT)


def _type_error(fmt: str, value: Any, symbol: str) -> lx.GovaluateError:
    return lx.GovaluateError(fmt.replace("%v", format_value(value), 1).replace("%v", DISPLAY.get(symbol, ""), 1))


def evaluate(stage: Stage | None, depth: int = 0) -> Any:
    """``evaluateStage`` with govaluate's short-circuits and type checks."""
    if stage is None:
        return None
    if depth > 400:
        raise lx.GovaluateError("expression is nested too deeply")
    left = evaluate(stage.left, depth + 1) if stage.left is not None else None
    right: Any = None
    symbol = stage.symbol
    if symbol == "AND" and left is False:
        return False
    if symbol == "OR" and left is True:
        return True
    if symbol == "COALESCE" and left is not None:
        return left
    if (symbol == "TERNARY_TRUE" and left is False) or (symbol == "TERNARY_FALSE" and left is not None):
        right = _SHORT_CIRCUIT
    if right is not _SHORT_CIRCUIT and stage.right is not None:
        right = evaluate(stage.right, depth + 1)
    if stage.combined is None:
        if stage.left_check is not None and not stage.left_check(left):
            raise _type_error(stage.fmt, left, symbol)
        if stage.right_check is not None and not stage.right_check(right):
            raise _type_error(stage.fmt, right, symbol)
    elif not stage.combined(left, right):
        raise _type_error(stage.fmt, left, symbol)
    return stage.operator(left, right)


def optimize(tokens: list[lx.Token]) -> None:
    """``optimizeTokens``: a string literal right of ``=~``/``!~`` becomes a compiled pattern."""
    for index, token in enumerate(tokens):
        if token.kind == lx.COMPARATOR and token.value in ("=~", "!~") and index + 1 < len(tokens):
            target = tokens[index + 1]
            if target.kind == lx.STRING:
                try:
                    pattern = compile_regex(target.value)
                except ExprRuntimeError as exc:
                    raise lx.GovaluateError(exc.message) from None
                tokens[index + 1] = lx.Token(lx.PATTERN, pattern, target.pos)
