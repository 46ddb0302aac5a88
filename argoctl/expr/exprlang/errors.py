"""Internal error types of the expr-lang port (turned into ``ExpressionError`` at the API edge)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ExprError(Exception):
    """An expr-lang failure; ``pos`` is the rune offset of the failing token or node, if known."""

    def __init__(self, message: str, pos: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class ExprSyntaxError(ExprError):
    """The expression cannot be parsed or compiled (unknown name, bad token, ...)."""


class ExprRuntimeError(ExprError):
    """The expression failed while running (type mismatch, bad index, failing function, ...)."""


_PY_FAILURES = (TypeError, ValueError, AttributeError, IndexError, KeyError, ZeroDivisionError, OverflowError,
                RecursionError, UnicodeError, MemoryError)


def guarded(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with Python failures on bad arguments reported as expr runtime errors (Go would panic)."""

    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except ExprError:
            raise
        except TypeError as exc:
            raise ExprRuntimeError(f"invalid arguments for {name}: {exc}") from None
        except _PY_FAILURES as exc:
            raise ExprRuntimeError(f"{name}: {exc}") from None

    call.__name__ = getattr(fn, "__name__", name)
    return call
