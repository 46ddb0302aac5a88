"""A Python port of expr-lang/expr v1.17: lexer, parser, closure compiler and runtime.

Imports only the standard library and ``argoctl.expr`` helpers. Called by ``argoctl.expr.evaluate``
and the ``{{= }}`` substitution; never by anything outside ``argoctl.expr``.

Importing the package (or its ``errors``) costs nothing: the parser, compiler and builtins (their
AST classes and function tables take milliseconds to build) are imported by the first
``compile_program``, so a workflow without ``{{= }}`` expressions or ``depends`` never loads them.
"""

from __future__ import annotations

from functools import lru_cache

from argoctl.expr.exprlang.errors import ExprError, ExprRuntimeError, ExprSyntaxError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing need not be imported here
if TYPE_CHECKING:
    from argoctl.expr.exprlang.compiler import Program

__all__ = ["ExprError", "ExprRuntimeError", "ExprSyntaxError", "Program", "compile_program"]


@lru_cache(maxsize=4096)
def compile_program(source: str) -> Program:
    """Parse and compile ``source`` once (cached by text); raises ``ExprSyntaxError``."""
    from argoctl.expr.exprlang.builtins import BUILTINS
    from argoctl.expr.exprlang.compiler import compile_tree
    from argoctl.expr.exprlang.parser import parse_tree
    from argoctl.expr.exprlang.predicates import PREDICATE_BUILTINS

    try:
        return compile_tree(source, parse_tree(source), BUILTINS, PREDICATE_BUILTINS)
    except RecursionError:  # the parser's own depth limit is lower; this is the last guard
        raise ExprSyntaxError("expression is nested too deeply", 0) from None


def __getattr__(name: str) -> object:
    if name == "Program":
        from argoctl.expr.exprlang.compiler import Program

        return Program
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
