"""Compile an expr-lang syntax tree into nested Python closures (no ``eval``/``exec``/``compile``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from argoctl.expr.exprlang import ast
from argoctl.expr.exprlang import runtime as rt
from argoctl.expr.exprlang.errors import ExprError, ExprRuntimeError, ExprSyntaxError
from argoctl.expr.gofmt import type_name
from argoctl.expr.gotime import GoDuration


class Ctx:
    """Evaluation state: the environment, ``let`` bindings and the current predicate element."""

    __slots__ = ("acc", "env", "index", "locals", "ptr")

    def __init__(self, env: dict[str, Any], locals_: dict[str, Any] | None = None, ptr: Any = None,
                 index: int = 0, acc: Any = None) -> None:
        self.env = env
        self.locals = locals_ or {}
        self.ptr = ptr
        self.index = index
        self.acc = acc

    def element(self, ptr: Any, index: int, acc: Any = None) -> Ctx:
        return Ctx(self.env, self.locals, ptr, index, acc)


Fn = Callable[[Ctx], Any]
BuiltinImpl = Callable[..., Any]
PredicateImpl = Callable[[Ctx, list[Fn], int], Any]


class _ChainNil(Exception):
    """An optional member access (``?.``) met nil: the enclosing chain evaluates to nil."""


@dataclass(frozen=True)
class Program:
    """A compiled expression: ``run(env)`` evaluates it; ``names`` are its free identifiers."""

    source: str
    root: Fn
    names: tuple[tuple[str, int], ...]
    comparisons: tuple[StaticComparison, ...] = ()

    def run(self, env: dict[str, Any]) -> Any:
        for name, pos in self.names:
            if name not in env:
                raise ExprSyntaxError(f"unknown name {name}", pos)
        for comparison in self.comparisons:
            comparison.check(env)
        return self.root(Ctx(env))


_STATIC_KINDS = {bool: "bool", int: "int", float: "float64", str: "string", list: "[]interface {}",
                 dict: "map[string]interface {}"}


@dataclass(frozen=True)
class StaticComparison:
    """``a == b`` whose operands' types are known before running: expr's checker rejects a mismatch."""

    op: str
    left: tuple[str, Any]  # ("lit", value) or ("env", name)
    right: tuple[str, Any]
    pos: int

    @staticmethod
    def _type(spec: tuple[str, Any], env: dict[str, Any]) -> str | None:
        value = spec[1] if spec[0] == "lit" else env.get(spec[1])
        if value is None or callable(value):
            return None
        return _STATIC_KINDS.get(type(value))

    def check(self, env: dict[str, Any]) -> None:
        left, right = self._type(self.left, env), self._type(self.right, env)
        if left is None or right is None or left == right:
            return
        if {left, right} <= {"int", "float64"}:
            return
        raise ExprSyntaxError(f"invalid operation: {self.op} (mismatched types {left} and {right})", self.pos)


def _located(fn: Fn, pos: int) -> Fn:
    def run(ctx: Ctx) -> Any:
        try:
            return fn(ctx)
        except ExprError as exc:
            if exc.pos is None:
                exc.pos = pos
            raise

    return run


class Compiler:
    def __init__(self, builtins: dict[str, BuiltinImpl], predicates: dict[str, PredicateImpl]) -> None:
        self.builtins = builtins
        self.predicates = predicates
        self.free: dict[str, int] = {}
        self.comparisons: list[StaticComparison] = []
        self.scopes: list[str] = []

    def compile(self, node: ast.Node) -> Fn:
        method = getattr(self, "c_" + type(node).__name__)
        result: Fn = method(node)
        return result

    def c_Literal(self, node: ast.Literal) -> Fn:
        value = node.value
        return lambda ctx: value

    def c_Ident(self, node: ast.Ident) -> Fn:
        name = node.name
        if name in self.scopes:
            return lambda ctx: ctx.locals[name]
        self.free.setdefault(name, node.pos)
        return lambda ctx: ctx.env[name]

    def c_Pointer(self, node: ast.Pointer) -> Fn:
        if node.name == "":
            return lambda ctx: ctx.ptr
        if node.name == "index":
            return lambda ctx: ctx.index
        if node.name == "acc":
            return lambda ctx: ctx.acc
        raise ExprSyntaxError(f"unknown pointer #{node.name}", node.pos)

    def c_Unary(self, node: ast.Unary) -> Fn:
        operand = self.compile(node.node)
        op = node.op
        if op in ("not", "!"):
            return _located(lambda ctx: not _strict_bool(operand(ctx), op), node.pos)
        if op == "-":
            return _located(lambda ctx: rt.negate(operand(ctx)), node.pos)

        def plus(ctx: Ctx) -> Any:
            value = operand(ctx)
            if rt.is_number(value) or isinstance(value, GoDuration):
                return value
            raise ExprRuntimeError(f"invalid operation: + {type_name(value)}")

        return _located(plus, node.pos)

    def _static(self, node: ast.Node) -> tuple[str, Any] | None:
        if isinstance(node, ast.Literal):
            return ("lit", node.value)
        if isinstance(node, ast.Ident) and node.name not in self.scopes:
            return ("env", node.name)
        return None

    def c_Binary(self, node: ast.Binary) -> Fn:
        left, right, op = self.compile(node.left), self.compile(node.right), node.op
        if op in ("==", "!="):
            specs = (self._static(node.left), self._static(node.right))
            if specs[0] is not None and specs[1] is not None:
                self.comparisons.append(StaticComparison(op, specs[0], specs[1], node.pos))
        fn: Fn
        if op in ("&&", "and"):
            fn = lambda ctx: _strict_bool(left(ctx), op) and _strict_bool(right(ctx), op)  # noqa: E731
        elif op in ("||", "or"):
            fn = lambda ctx: _strict_bool(left(ctx), op) or _strict_bool(right(ctx), op)  # noqa: E731
        elif op == "??":
            def coalesce(ctx: Ctx) -> Any:
                value = left(ctx)
                return right(ctx) if value is None else value
            fn = coalesce
        elif op == "!=":
            fn = lambda ctx: not rt.equal(left(ctx), right(ctx))  # noqa: E731
        else:
            impl = rt.BINARY_OPS[op]
            fn = lambda ctx: impl(left(ctx), right(ctx))  # noqa: E731
        return _located(fn, node.pos)

    def c_Member(self, node: ast.Member) -> Fn:
        base, prop, optional = self.compile(node.node), self.compile(node.prop), node.optional

        def member(ctx: Ctx) -> Any:
            obj = base(ctx)
            if obj is None and optional:
                raise _ChainNil
            return rt.fetch(obj, prop(ctx))

        return _located(member, node.pos)

    def c_Chain(self, node: ast.Chain) -> Fn:
        inner = self.compile(node.node)

        def chain(ctx: Ctx) -> Any:
            try:
                return inner(ctx)
            except _ChainNil:
                return None

        return chain

    def c_Slice(self, node: ast.Slice) -> Fn:
        base = self.compile(node.node)
        start = self.compile(node.start) if node.start else None
        stop = self.compile(node.stop) if node.stop else None
        return _located(lambda ctx: rt.slice_(base(ctx), start(ctx) if start else None,
                                              stop(ctx) if stop else None), node.pos)

    def c_Call(self, node: ast.Call) -> Fn:
        callee = self.compile(node.callee)
        args = [self.compile(arg) for arg in node.args]
        return _located(lambda ctx: rt.call(callee(ctx), [arg(ctx) for arg in args]), node.pos)

    def c_Builtin(self, node: ast.Builtin) -> Fn:
        args = [self.compile(arg) for arg in node.args]
        predicate = self.predicates.get(node.name)
        if predicate is not None:
            count = len(args)
            return _located(lambda ctx: predicate(ctx, args, count), node.pos)
        impl, name = self.builtins[node.name], node.name

        def builtin(ctx: Ctx) -> Any:
            values = [arg(ctx) for arg in args]
            try:
                return impl(*values)
            except TypeError:
                raise ExprSyntaxError(f"invalid number of arguments for {name} (got {len(values)})") from None

        return _located(builtin, node.pos)

    def c_Predicate(self, node: ast.Predicate) -> Fn:
        return self.compile(node.node)

    def c_Conditional(self, node: ast.Conditional) -> Fn:
        cond, yes, no = self.compile(node.cond), self.compile(node.yes), self.compile(node.no)
        return _located(lambda ctx: yes(ctx) if _strict_bool(cond(ctx), "?") else no(ctx), node.pos)

    def c_Array(self, node: ast.Array) -> Fn:
        items = [self.compile(item) for item in node.items]
        return lambda ctx: [item(ctx) for item in items]

    def c_MapLit(self, node: ast.MapLit) -> Fn:
        pairs = [(self.compile(key), self.compile(value)) for key, value in node.pairs]

        def make_map(ctx: Ctx) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for key_fn, value_fn in pairs:
                key = key_fn(ctx)
                if not isinstance(key, str):
                    raise ExprRuntimeError(f"interface conversion: interface {{}} is {type_name(key)}, not string")
                out[key] = value_fn(ctx)
            return out

        return _located(make_map, node.pos)

    def c_Let(self, node: ast.Let) -> Fn:
        value = self.compile(node.value)
        self.scopes.append(node.name)
        body = self.compile(node.body)
        self.scopes.pop()
        name = node.name

        def let(ctx: Ctx) -> Any:
            inner = Ctx(ctx.env, {**ctx.locals, name: value(ctx)}, ctx.ptr, ctx.index, ctx.acc)
            return body(inner)

        return let

    def c_Sequence(self, node: ast.Sequence) -> Fn:
        parts = [self.compile(part) for part in node.nodes]

        def sequence(ctx: Ctx) -> Any:
            result = None
            for part in parts:
                result = part(ctx)
            return result

        return sequence


def _strict_bool(value: Any, op: str) -> bool:
    if value is True or value is False:
        return value
    raise ExprRuntimeError(f"invalid operation: {op} (mismatched type {type_name(value)}, expected bool)")


def compile_tree(source: str, tree: ast.Node, builtins: dict[str, BuiltinImpl],
                 predicates: dict[str, PredicateImpl]) -> Program:
    compiler = Compiler(builtins, predicates)
    root = compiler.compile(tree)
    return Program(source, root, tuple(compiler.free.items()), tuple(compiler.comparisons))
