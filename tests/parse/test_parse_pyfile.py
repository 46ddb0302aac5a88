"""Hera pipeline files at the parse layer: the child's answer as documents, and the isolation
rule (argoctl never imports hera; only the child script does)."""

from __future__ import annotations

import ast
import contextvars
from pathlib import Path

import pytest

from argoctl.errors import ManifestError
from argoctl.parse import load_documents
from argoctl.parse.hera_child import _binding_lines
from argoctl.parse.pyfile import load_python_documents, select_object

PACKAGE = Path(__file__).resolve().parents[2] / "argoctl"
CHILD = PACKAGE / "parse" / "hera_child.py"
TEMPLATE_REF = Path(__file__).resolve().parents[1] / "cli" / "hera_pipelines" / "template_ref.py"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for statement in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(statement, ast.Import):
            names.update(alias.name for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            names.add(statement.module)
    return names


def test_only_the_child_script_imports_hera_and_it_imports_no_argoctl() -> None:
    importers = [p.relative_to(PACKAGE).as_posix() for p in sorted(PACKAGE.rglob("*.py"))
                 if any(m == "hera" or m.startswith("hera.") for m in imported_modules(p))]
    assert importers == ["parse/hera_child.py"]
    assert not any(m.startswith("argoctl") for m in imported_modules(CHILD))


def test_binding_lines_cover_assignments_and_with_targets(tmp_path: Path) -> None:
    source = tmp_path / "p.py"
    source.write_text("a = 1\nwith open('x') as b:\n    pass\nc: int = 2\nx, y = 1, 2\na = 3\n")
    assert _binding_lines(str(source)) == {"a": 6, "b": 2, "c": 4}


def test_objects_become_documents_at_their_binding_line() -> None:
    pytest.importorskip("hera")
    documents = load_documents(str(TEMPLATE_REF))
    assert [(d.kind, d.name, d.line, d.index) for d in documents] == [
        ("WorkflowTemplate", "hera-greeter", 6, 0), ("Workflow", "hera-use-greeter-", 12, 1)]
    assert documents[0].obj["apiVersion"] == "argoproj.io/v1alpha1"
    only = load_python_documents(str(TEMPLATE_REF), object_name="hera-use-greeter-")
    assert [d.kind for d in only] == ["Workflow"]


def test_select_object_applies_to_later_reads_in_its_context() -> None:
    pytest.importorskip("hera")

    def read() -> list[str]:
        select_object("greeter")
        return [d.kind for d in load_documents(str(TEMPLATE_REF))]

    assert contextvars.copy_context().run(read) == ["WorkflowTemplate"]
    assert len(load_documents(str(TEMPLATE_REF))) == 2  # this context never selected one


def test_a_missing_python_file_is_a_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no such file"):
        load_documents(str(tmp_path / "absent.py"))
