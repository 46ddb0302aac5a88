"""A port of Knetic/govaluate (@7625b7f8, the version Argo pins) as Argo's ``when`` uses it.

Pure: standard library and ``argoctl.expr`` helpers only. Called by ``argoctl.expr.when``.
"""

from __future__ import annotations

from argoctl.expr.govaluate.lexer import (
    COMPARATOR,
    STRING,
    VARIABLE,
    GovaluateError,
    Token,
    check_balance,
    check_syntax,
    lex,
)
from argoctl.expr.govaluate.planner import LITERAL_KINDS, Stage, comparison, evaluate, optimize, plan

__all__ = ["COMPARATOR", "LITERAL_KINDS", "STRING", "VARIABLE", "GovaluateError", "Stage", "Token", "check_balance",
           "check_syntax", "comparison", "evaluate", "lex", "optimize", "plan"]
