"""The one registry of functions the expression languages can call.

``EXPR_BUILTINS``/``EXPR_PREDICATES`` are expr-lang's builtins (parsed as builtin calls);
``ARGO_FUNCTIONS`` is what Argo adds to every expr environment (``util/expr/env``): ``asInt``,
``asFloat``, ``toJson``, ``jsonpath`` and the ``sprig`` map.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argoctl.expr.exprlang.builtins import BUILTINS as EXPR_BUILTINS
from argoctl.expr.exprlang.builtins import to_float, to_int
from argoctl.expr.exprlang.builtins_time import want_str
from argoctl.expr.exprlang.errors import ExprRuntimeError, guarded
from argoctl.expr.exprlang.predicates import PREDICATE_BUILTINS as EXPR_PREDICATES
from argoctl.expr.gofmt import JSONMarshalError, marshal
from argoctl.expr.gojson import GoJSONError, go_json_loads
from argoctl.expr.jsonpath import JSONPathError, query
from argoctl.expr.sprig import SPRIG_FUNCTIONS

__all__ = ["ARGO_FUNCTIONS", "EXPR_BUILTINS", "EXPR_PREDICATES", "SPRIG_FUNCTIONS"]


def to_json(value: Any) -> str:
    """Argo's ``toJson``: compact ``json.Marshal`` (builtin ``toJSON`` indents)."""
    try:
        return marshal(value)
    except JSONMarshalError as exc:
        raise ExprRuntimeError(str(exc)) from exc


def jsonpath(document: Any, path: Any) -> Any:
    """Argo's ``jsonpath(jsonString, path)`` (evilmonkeyinc/jsonpath semantics)."""
    try:
        data = go_json_loads(want_str(document))
    except GoJSONError as exc:
        raise ExprRuntimeError(str(exc)) from exc
    try:
        return query(want_str(path), data)
    except JSONPathError as exc:
        raise ExprRuntimeError(str(exc)) from exc


ARGO_FUNCTIONS: dict[str, Callable[..., Any] | dict[str, Callable[..., Any]]] = {
    "asInt": guarded("asInt", to_int),
    "asFloat": guarded("asFloat", to_float),
    "jsonpath": guarded("jsonpath", jsonpath),
    "toJson": guarded("toJson", to_json),
    "sprig": SPRIG_FUNCTIONS,
}
