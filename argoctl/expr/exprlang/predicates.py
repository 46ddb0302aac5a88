"""expr-lang predicate builtins (``filter(list, {# > 1})`` and friends) over compiled closures."""

from __future__ import annotations

from typing import Any

from argoctl.expr.exprlang import runtime as rt
from argoctl.expr.exprlang.compiler import Ctx, Fn, PredicateImpl
from argoctl.expr.exprlang.errors import ExprRuntimeError
from argoctl.expr.gofmt import type_name


def _items(name: str, value: Any) -> list[Any]:
    """The elements a predicate runs over (Go reflection: a string yields its bytes, a map fails)."""
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return list(value.encode())
    if value is None:
        raise ExprRuntimeError(f"builtin {name} takes only array (got <nil>): "
                               "reflect: call of reflect.Value.Len on zero Value")
    if isinstance(value, dict):
        raise ExprRuntimeError(f"builtin {name} takes only array (got {type_name(value)}): "
                               "reflect: call of reflect.Value.Index on map Value")
    raise ExprRuntimeError(f"builtin {name} takes only array (got {type_name(value)})")


def _truth(value: Any, name: str) -> bool:
    if value is True or value is False:
        return value
    raise ExprRuntimeError(f"predicate of {name} must return bool (got {type_name(value)})")


def _all(ctx: Ctx, args: list[Fn], _n: int) -> Any:
    items, test = _items("all", args[0](ctx)), args[1]
    return all(_truth(test(ctx.element(item, i)), "all") for i, item in enumerate(items))


def _any(ctx: Ctx, args: list[Fn], _n: int) -> Any:
    items, test = _items("any", args[0](ctx)), args[1]
    return any(_truth(test(ctx.element(item, i)), "any") for i, item in enumerate(items))


def _none(ctx: Ctx, args: list[Fn], _n: int) -> Any:
    items, test = _items("none", args[0](ctx)), args[1]
    return not any(_truth(test(ctx.element(item, i)), "none") for i, item in enumerate(items))


def _one(ctx: Ctx, args: list[Fn], _n: int) -> Any:
    items, test = _items("one", args[0](ctx)), args[1]
    hits = 0
    for i, item in enumerate(items):
        if _truth(test(ctx.element(item, i)), "one"):
            hits += 1
            if hits > 1:
                return False
    return hits == 1


def _filter(ctx: Ctx, args: list[Fn], _n: int) -> Any:
    items, test = _items("filter", args[0](ctx)), args[1]
    return [item for i, item in enumerate(items) if _truth(test(ctx.element(item, i)), "filter")]


def _map(ctx: Ctx, args: list[Fn], _n: int) -> Any:
    items, fn = _items("map", args[0](ctx)), args[1]
    return [fn(ctx.element(item, i)) for i, item in enumerate(items)]


def _find_generic(name: str, reverse: bool, want_index: bool) -> PredicateImpl:
    def run(ctx: Ctx, args: list[Fn], _n: int) -> Any:
        items, test = _items(name, args[0](ctx)), args[1]
        order = range(len(items) - 1, -1, -1) if reverse else range(len(items))
        for i in order:
            if _truth(test(ctx.element(items[i], i)), name):
                return i if want_index else items[i]
        return -1 if want_index else None

    return run


def _count(ctx: Ctx, args: list[Fn], n: int) -> Any:
    items = _items("count", args[0](ctx))
    if n == 1:
        return sum(1 for item in items if _truth(item, "count"))
    test = args[1]
    return sum(1 for i, item in enumerate(items) if _truth(test(ctx.element(item, i)), "count"))


def _sum(ctx: Ctx, args: list[Fn], n: int) -> Any:
    items = _items("sum", args[0](ctx))
    values = items if n == 1 else [args[1](ctx.element(item, i)) for i, item in enumerate(items)]
    total: Any = 0
    for value in values:
        if not rt.is_number(value):
            raise ExprRuntimeError(f"invalid operation: {type_name(total)} + {type_name(value)}")
        total = rt.add(total, value)
    return total


def _group_by(ctx: Ctx, args: list[Fn], _n: int) -> Any:
    items, key_fn = _items("groupBy", args[0](ctx)), args[1]
    groups: dict[Any, list[Any]] = {}
    for i, item in enumerate(items):
        key = key_fn(ctx.element(item, i))
        try:
            groups.setdefault(key, []).append(item)
        except TypeError as exc:
            raise ExprRuntimeError(f"cannot use {type_name(key)} as groupBy key") from exc
    return groups


def _sort_by(ctx: Ctx, args: list[Fn], n: int) -> Any:
    items, key_fn = _items("sortBy", args[0](ctx)), args[1]
    order = args[2](ctx) if n > 2 else "asc"
    if order not in ("asc", "desc"):
        raise ExprRuntimeError(f"unknown order {order}, use asc or desc")
    keyed = [(key_fn(ctx.element(item, i)), item) for i, item in enumerate(items)]
    return [item for _, item in sort_pairs(keyed, order == "desc")]


def sort_pairs(keyed: list[tuple[Any, Any]], descending: bool) -> list[tuple[Any, Any]]:
    """Stable sort by expr's ordering (numbers, strings, times); mixed kinds fail."""
    import functools

    def compare(a: tuple[Any, Any], b: tuple[Any, Any]) -> int:
        if rt.less(a[0], b[0]):
            return -1
        return 1 if rt.less(b[0], a[0]) else 0

    ordered = sorted(keyed, key=functools.cmp_to_key(compare))
    return ordered[::-1] if descending else ordered


def _reduce(ctx: Ctx, args: list[Fn], n: int) -> Any:
    items, step = _items("reduce", args[0](ctx)), args[1]
    if n > 2:
        acc, start = args[2](ctx), 0
    elif items:
        acc, start = items[0], 1
    else:
        raise ExprRuntimeError("reduce of empty array with no initial value")
    for i in range(start, len(items)):
        acc = step(ctx.element(items[i], i, acc))
    return acc


PREDICATE_BUILTINS: dict[str, PredicateImpl] = {
    "all": _all, "any": _any, "none": _none, "one": _one, "filter": _filter, "map": _map,
    "find": _find_generic("find", False, False), "findIndex": _find_generic("findIndex", False, True),
    "findLast": _find_generic("findLast", True, False),
    "findLastIndex": _find_generic("findLastIndex", True, True), "count": _count, "sum": _sum,
    "groupBy": _group_by, "sortBy": _sort_by, "reduce": _reduce,
}
