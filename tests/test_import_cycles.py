"""No import cycles between argoctl's modules, except the few listed in ``ALLOWED`` with the reason.

The graph is read from the source (AST): every ``import``/``from ... import`` at module level and
inside functions (a function-level import that closes a loop is still a cycle, just a lazy one);
imports under ``if TYPE_CHECKING:`` never run and are left out. ``from package import name`` is an
edge to ``package.name`` when that is a module, else to ``package``; the parent packages Python
initializes on the way are not edges (every submodule would otherwise "cycle" with its
``__init__``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "argoctl"

# importer -> imported edges allowed to close a cycle, and why; anything else that loops fails
ALLOWED: dict[tuple[str, str], str] = {
    ("argoctl.engine.execute", "argoctl.engine.steps"):
        "execute_template runs a steps template, whose steps run execute_template (template recursion)",
    ("argoctl.engine.execute", "argoctl.engine.dag"):
        "execute_template runs a DAG template, whose tasks run execute_template (template recursion)",
    ("argoctl.validate.templates", "argoctl.validate.steps"):
        "validating a template validates its steps, which validate the templates they call (recursion)",
    ("argoctl.validate.templates", "argoctl.validate.dag"):
        "validating a template validates its tasks, which validate the templates they call (recursion)",
}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under ``node``, skipping ``if TYPE_CHECKING:`` bodies."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
        return
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        for other in node.orelse:
            yield from _import_nodes(other)
        return
    for child in ast.iter_child_nodes(node):
        yield from _import_nodes(child)


def _base(node: ast.ImportFrom, path: Path, root: Path) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the argoctl modules it imports (module- and function-level)."""
    paths = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        found: set[str] = set()
        for node in _import_nodes(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
                continue
            base = _base(node, path, root)
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names)
        graph[name] = {m for m in found if m in paths and m != name}
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _without_allowed(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    return {m: {d for d in deps if (m, d) not in ALLOWED} for m, deps in graph.items()}


def test_no_import_cycles_but_the_allowed_ones() -> None:
    graph = import_graph()
    left = cycles(_without_allowed(graph))
    described = ["\n".join(f"  {m} -> {sorted(graph[m] & set(c))}" for m in c) for c in left]
    assert not left, "import cycles (cut the files differently, or justify an edge in ALLOWED):\n" + \
        "\n\n".join(described)


def test_the_allowed_edges_are_real_imports() -> None:
    graph = import_graph()
    assert [edge for edge in ALLOWED if edge[1] not in graph.get(edge[0], set())] == []


def test_the_scanner_finds_function_level_and_relative_cycles(tmp_path: Path) -> None:
    pkg = tmp_path / "argoctl"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from argoctl.sub import a\n")
    (pkg / "sub" / "a.py").write_text("from . import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from argoctl.sub.a import x\n")
    (pkg / "sub" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from argoctl.sub import a\n")
    (pkg / "sub" / "d.py").write_text("from argoctl.sub import c\n")
    graph = import_graph(pkg)
    assert graph["argoctl.sub.a"] == {"argoctl.sub.b"} and graph["argoctl.sub.c"] == set()
    assert cycles(graph) == [["argoctl.sub.a", "argoctl.sub.b"]]
