"""No function in argoctl/engine takes more than six parameters (issue 12: what a visit carries
travels in a frozen record, ``engine.call.Call``/``Site``/``visit.Child``, not as eight loose values).

Counted from the source (AST): positional-only, positional and keyword-only parameters, without
``self``/``cls``; ``*args``/``**kwargs`` are not counted (the engine has none).
"""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "argoctl" / "engine"
LIMIT = 6


def _parameter_count(func: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = func.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    return len([n for n in names if n not in ("self", "cls")])


def too_many_parameters(root: Path = ENGINE) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _parameter_count(node) > LIMIT:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({_parameter_count(node)})")
    return found


def test_no_engine_function_takes_more_than_six_parameters() -> None:
    assert too_many_parameters() == []


def test_the_count_includes_keyword_only_and_skips_self(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "def ok(a, b, c, d, e, f): pass\n"
        "def kw(a, b, c, d, e, *, f, g): pass\n"
        "class C:\n    def m(self, a, b, c, d, e, f): pass\n"
        "    def n(self, a, /, b, c, d, e, f, g): pass\n"
        "def star(a, *args, **kwargs): pass\n")
    assert [line.split(" ", 1)[1] for line in too_many_parameters(tmp_path)] == ["kw (7)", "n (7)"]
