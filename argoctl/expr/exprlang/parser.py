"""expr-lang (v1.17) parser: precedence climbing over the lexer's tokens, same grammar as upstream."""

from __future__ import annotations

from functools import lru_cache

from argoctl.expr.exprlang import ast
from argoctl.expr.exprlang.errors import ExprSyntaxError
from argoctl.expr.exprlang.lexer import BRACKET, EOF, IDENTIFIER, NUMBER, OPERATOR, STRING, Token, tokenize

UNARY = {"not": 50, "!": 50, "-": 90, "+": 90}
BINARY: dict[str, tuple[int, bool]] = {  # operator -> (precedence, right associative)
    "|": (0, False), "or": (10, False), "||": (10, False), "and": (15, False), "&&": (15, False),
    "==": (20, False), "!=": (20, False), "<": (20, False), ">": (20, False), ">=": (20, False),
    "<=": (20, False), "in": (20, False), "matches": (20, False), "contains": (20, False),
    "startsWith": (20, False), "endsWith": (20, False), "..": (25, False), "+": (30, False),
    "-": (30, False), "*": (60, False), "/": (60, False), "%": (60, False), "**": (100, True),
    "^": (100, True), "??": (500, False),
}
_COMPARISONS = frozenset({"<", ">", ">=", "<="})
_NEGATABLE = frozenset({"contains", "matches", "startsWith", "endsWith", "in"})
# predicate builtins: argument kinds ("e" expression, "p" predicate; uppercase = optional)
PREDICATES = {
    "all": "ep", "none": "ep", "any": "ep", "one": "ep", "filter": "ep", "map": "ep", "count": "eP",
    "sum": "eP", "find": "ep", "findIndex": "ep", "findLast": "ep", "findLastIndex": "ep",
    "groupBy": "ep", "sortBy": "epE", "reduce": "epE",
}
MAX_DEPTH = 100  # nested expressions; each level costs up to 5 Python frames
MAX_NODES = 10000


class Parser:
    def __init__(self, source: str, builtin_names: frozenset[str]) -> None:
        self.tokens = tokenize(source)
        self.index = 0
        self.current: Token = self.tokens[0]
        self.depth = 0  # predicate nesting
        self.nesting = 0
        self.nodes = 0
        self.builtins = builtin_names

    # -- token helpers -------------------------------------------------------------------------------
    def next(self) -> None:
        if self.current.kind == EOF:
            raise ExprSyntaxError("unexpected end of expression", self.current.pos)
        self.index += 1
        self.current = self.tokens[self.index]

    def expect(self, kind: str, *values: str) -> None:
        if self.current.is_(kind, *values):
            self.next()
            return
        raise self.unexpected()

    def unexpected(self, token: Token | None = None) -> ExprSyntaxError:
        token = token or self.current
        return ExprSyntaxError(f"unexpected token {token}", token.pos)

    def count(self, pos: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExprSyntaxError("compilation failed: expression exceeds maximum allowed nodes", pos)

    # -- grammar -------------------------------------------------------------------------------------
    def parse(self) -> ast.Node:
        node = self.parse_sequence()
        if self.current.kind != EOF:
            raise self.unexpected()
        return node

    def parse_sequence(self) -> ast.Node:
        nodes = [self.parse_expression(0)]
        while self.current.is_(OPERATOR, ";"):
            self.next()
            if self.current.kind == EOF:
                break
            nodes.append(self.parse_expression(0))
        return nodes[0] if len(nodes) == 1 else ast.Sequence(nodes, pos=nodes[0].pos)

    def parse_expression(self, precedence: int) -> ast.Node:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise ExprSyntaxError("expression is nested too deeply", self.current.pos)
        try:
            return self._parse_expression(precedence)
        finally:
            self.nesting -= 1

    def _parse_expression(self, precedence: int) -> ast.Node:
        if precedence == 0 and self.current.is_(OPERATOR, "let"):
            return self.parse_let()
        if precedence == 0 and self.current.is_(OPERATOR, "if"):
            return self.parse_if()
        left = self.parse_primary()
        prev_op = ""
        op_token = self.current
        while op_token.kind == OPERATOR:
            negate = op_token.value == "not"
            if negate:
                backup_index = self.index
                self.next()
                if self.current.value not in _NEGATABLE:
                    raise self.unexpected()
                if BINARY[self.current.value][0] < precedence:
                    self.index = backup_index
                    self.current = self.tokens[backup_index]
                    break
                op_token = self.current
            info = BINARY.get(op_token.value)
            if info is None or info[0] < precedence:
                break
            op_prec, right_assoc = info
            self.next()
            if op_token.value == "|":
                name_token = self.current
                self.expect(IDENTIFIER)
                left = self.parse_call(name_token, [left])
            elif prev_op == "??" and op_token.value != "??":
                raise ExprSyntaxError(
                    f"Operator ({op_token.value}) and coalesce expressions (??) cannot be mixed. "
                    "Wrap either by parentheses.", op_token.pos)
            elif op_token.value in _COMPARISONS:
                left = self.parse_comparison(left, op_token, op_prec)
            else:
                right = self.parse_expression(op_prec if right_assoc else op_prec + 1)
                self.count(op_token.pos)
                left = ast.Binary(op_token.value, left, right, pos=op_token.pos)
                if negate:
                    left = ast.Unary("not", left, pos=op_token.pos)
            prev_op = op_token.value
            op_token = self.current
        if precedence == 0:
            left = self.parse_ternary(left)
        return left

    def parse_comparison(self, left: ast.Node, token: Token, precedence: int) -> ast.Node:
        root: ast.Node | None = None
        while True:
            right = self.parse_expression(precedence + 1)
            cmp = ast.Binary(token.value, left, right, pos=token.pos)
            root = cmp if root is None else ast.Binary("&&", root, cmp, pos=token.pos)
            left = right
            token = self.current
            if not (token.kind == OPERATOR and token.value in _COMPARISONS):
                break
            self.next()
        return root

    def parse_let(self) -> ast.Node:
        self.expect(OPERATOR, "let")
        name = self.current
        self.expect(IDENTIFIER)
        self.expect(OPERATOR, "=")
        value = self.parse_expression(0)
        self.expect(OPERATOR, ";")
        body = self.parse_sequence()
        return ast.Let(name.value, value, body, pos=name.pos)

    def parse_if(self) -> ast.Node:
        pos = self.current.pos
        self.next()
        cond = self.parse_expression(0)
        self.expect(BRACKET, "{")
        yes = self.parse_sequence()
        self.expect(BRACKET, "}")
        self.expect(OPERATOR, "else")
        if self.current.is_(OPERATOR, "if"):
            no = self.parse_if()
        else:
            self.expect(BRACKET, "{")
            no = self.parse_sequence()
            self.expect(BRACKET, "}")
        return ast.Conditional(cond, yes, no, pos=pos)

    def parse_ternary(self, node: ast.Node) -> ast.Node:
        while self.current.is_(OPERATOR, "?"):
            self.next()
            if not self.current.is_(OPERATOR, ":"):
                yes = self.parse_expression(0)
                self.expect(OPERATOR, ":")
                no = self.parse_expression(0)
            else:
                self.next()
                yes = node
                no = self.parse_expression(0)
            node = ast.Conditional(node, yes, no, pos=self.current.pos)
        return node

    def parse_primary(self) -> ast.Node:
        token = self.current
        if token.kind == OPERATOR and token.value in UNARY:
            self.next()
            operand = self.parse_expression(UNARY[token.value])
            self.count(token.pos)
            return self.parse_postfix(ast.Unary(token.value, operand, pos=token.pos))
        if token.is_(BRACKET, "("):
            self.next()
            inner = self.parse_sequence()
            self.expect(BRACKET, ")")
            return self.parse_postfix(inner)
        if self.depth > 0 and token.kind == OPERATOR and token.value in ("#", "."):
            name = ""
            if token.value == "#":
                self.next()
                if self.current.kind == IDENTIFIER:
                    name = self.current.value
                    self.next()
            return self.parse_postfix(ast.Pointer(name, pos=token.pos))
        if token.is_(OPERATOR, "::"):
            self.next()
            name_token = self.current
            self.expect(IDENTIFIER)
            return self.parse_postfix(self.parse_call(name_token, []))
        return self.parse_secondary()

    def parse_secondary(self) -> ast.Node:
        token = self.current
        self.count(token.pos)
        node: ast.Node
        if token.kind == IDENTIFIER:
            self.next()
            if token.value in ("true", "false"):
                return ast.Literal(token.value == "true", pos=token.pos)
            if token.value == "nil":
                return ast.Literal(None, pos=token.pos)
            if self.current.is_(BRACKET, "("):
                node = self.parse_call(token, [])
            else:
                node = ast.Ident(token.value, pos=token.pos)
        elif token.kind == NUMBER:
            self.next()
            return ast.Literal(parse_number(token), pos=token.pos)
        elif token.kind == STRING:
            self.next()
            node = ast.Literal(token.value, pos=token.pos)
        elif token.is_(BRACKET, "["):
            node = self.parse_array(token)
        elif token.is_(BRACKET, "{"):
            node = self.parse_map(token)
        else:
            raise self.unexpected()
        return self.parse_postfix(node)

    def parse_call(self, token: Token, args: list[ast.Node]) -> ast.Node:
        kinds = PREDICATES.get(token.value)
        if kinds is not None:
            return self.parse_predicate_call(token, args, kinds)
        if token.value in self.builtins:
            return ast.Builtin(token.value, self.parse_arguments(args), pos=token.pos)
        callee = ast.Ident(token.value, pos=token.pos)
        return ast.Call(callee, self.parse_arguments(args), pos=token.pos)

    def parse_predicate_call(self, token: Token, args: list[ast.Node], kinds: str) -> ast.Node:
        self.expect(BRACKET, "(")
        remaining = kinds[len(args):]
        for i, kind in enumerate(remaining):
            if self.current.is_(BRACKET, ")"):
                if kind.isupper():
                    break
                raise ExprSyntaxError(f"expected at least {len(remaining)} arguments", self.current.pos)
            if i > 0:
                self.expect(OPERATOR, ",")
            args.append(self.parse_expression(0) if kind.lower() == "e" else self.parse_predicate())
        if self.current.is_(OPERATOR, ","):
            self.next()
        self.expect(BRACKET, ")")
        return ast.Builtin(token.value, args, pos=token.pos)

    def parse_arguments(self, args: list[ast.Node]) -> list[ast.Node]:
        offset = len(args)
        self.expect(BRACKET, "(")
        while not self.current.is_(BRACKET, ")"):
            if len(args) > offset:
                self.expect(OPERATOR, ",")
            if self.current.is_(BRACKET, ")"):
                break
            args.append(self.parse_expression(0))
        self.expect(BRACKET, ")")
        return args

    def parse_predicate(self) -> ast.Node:
        start = self.current
        braces = start.is_(BRACKET, "{")
        if braces:
            self.next()
        self.depth += 1
        if braces:
            node = self.parse_sequence()
        else:
            node = self.parse_expression(0)
            if self.current.is_(OPERATOR, ";"):
                raise ExprSyntaxError("wrap predicate with brackets { and }", self.current.pos)
        self.depth -= 1
        if braces:
            self.expect(BRACKET, "}")
        return ast.Predicate(node, pos=start.pos)

    def parse_array(self, token: Token) -> ast.Node:
        items: list[ast.Node] = []
        self.expect(BRACKET, "[")
        while not self.current.is_(BRACKET, "]"):
            if items:
                self.expect(OPERATOR, ",")
                if self.current.is_(BRACKET, "]"):
                    break
            items.append(self.parse_expression(0))
        self.expect(BRACKET, "]")
        return ast.Array(items, pos=token.pos)

    def parse_map(self, token: Token) -> ast.Node:
        self.expect(BRACKET, "{")
        pairs: list[tuple[ast.Node, ast.Node]] = []
        while not self.current.is_(BRACKET, "}"):
            if pairs:
                self.expect(OPERATOR, ",")
                if self.current.is_(BRACKET, "}"):
                    break
                if self.current.is_(OPERATOR, ","):
                    raise self.unexpected()
            key: ast.Node
            if self.current.kind in (NUMBER, STRING, IDENTIFIER):
                key = ast.Literal(self.current.value, pos=self.current.pos)
                self.next()
            elif self.current.is_(BRACKET, "("):
                key = self.parse_expression(0)
            else:
                raise ExprSyntaxError(
                    "a map key must be a quoted string, a number, a identifier, or an expression enclosed "
                    f"in parentheses (unexpected token {self.current})", self.current.pos)
            self.expect(OPERATOR, ":")
            pairs.append((key, self.parse_expression(0)))
        self.expect(BRACKET, "}")
        return ast.MapLit(pairs, pos=token.pos)

    def parse_postfix(self, node: ast.Node) -> ast.Node:
        token = self.current
        while token.kind in (OPERATOR, BRACKET):
            if token.value in (".", "?."):
                node = self.parse_dot(node, token)
            elif token.value == "[":
                node = self.parse_index(node, token, optional=False)
            else:
                break
            token = self.current
        return node

    def parse_dot(self, node: ast.Node, token: Token) -> ast.Node:
        optional = token.value == "?."
        self.next()
        prop_token = self.current
        if optional and prop_token.is_(BRACKET, "["):
            return self.parse_index(node, prop_token, optional=True)
        self.next()
        if prop_token.kind != IDENTIFIER and not (prop_token.kind == OPERATOR and _is_identifier(prop_token.value)):
            raise ExprSyntaxError("expected name", self.current.pos)
        is_chain = isinstance(node, ast.Chain)
        base = node.node if isinstance(node, ast.Chain) else node
        self.count(prop_token.pos)
        member: ast.Node = ast.Member(base, ast.Literal(prop_token.value, pos=prop_token.pos), optional,
                                      pos=prop_token.pos)
        if self.current.is_(BRACKET, "("):
            member = ast.Call(member, self.parse_arguments([]), pos=prop_token.pos)
        if is_chain or optional:
            member = ast.Chain(member, pos=prop_token.pos)
        return member

    def parse_index(self, node: ast.Node, token: Token, *, optional: bool) -> ast.Node:
        self.next()
        if self.current.is_(OPERATOR, ":"):
            self.next()
            stop = None if self.current.is_(BRACKET, "]") else self.parse_expression(0)
            self.expect(BRACKET, "]")
            return ast.Slice(node, None, stop, pos=token.pos)
        start = self.parse_expression(0)
        if self.current.is_(OPERATOR, ":"):
            self.next()
            stop = None if self.current.is_(BRACKET, "]") else self.parse_expression(0)
            self.expect(BRACKET, "]")
            return ast.Slice(node, start, stop, pos=token.pos)
        is_chain = isinstance(node, ast.Chain)
        base = node.node if isinstance(node, ast.Chain) else node
        result: ast.Node = ast.Member(base, start, optional, pos=token.pos)
        if optional or is_chain:
            result = ast.Chain(result, pos=token.pos)
        self.expect(BRACKET, "]")
        return result


def _is_identifier(text: str) -> bool:
    from argoctl.expr.exprlang.lexer import is_alphabetic, is_alphanumeric

    return bool(text) and is_alphabetic(text[0]) and all(is_alphanumeric(c) for c in text[1:])


def parse_number(token: Token) -> int | float:
    text = token.value.replace("_", "")
    lower = text.lower()
    try:
        if lower.startswith(("0x", "0b", "0o")):
            value: int | float = int(text, 0)
        elif "." in lower or "e" in lower:
            value = float(text)
            if value == float("inf"):
                raise ExprSyntaxError("float literal is too large", token.pos)
            return value
        else:
            value = int(text, 10)
    except ValueError as exc:
        raise ExprSyntaxError(f"invalid number literal {token.value!r}", token.pos) from exc
    if value > 2**63 - 1:
        raise ExprSyntaxError("integer literal is too large", token.pos)
    return value


def parse(source: str, builtin_names: frozenset[str]) -> ast.Node:
    """The syntax tree of ``source``; raises ``ExprSyntaxError`` with the rune position."""
    return Parser(source, builtin_names).parse()


@lru_cache(maxsize=1024)
def parse_tree(source: str) -> ast.Node:
    """``parse`` with expr's builtin names, cached by text (trees are never modified)."""
    from argoctl.expr.exprlang.builtins import BUILTIN_NAMES

    return parse(source, BUILTIN_NAMES)
