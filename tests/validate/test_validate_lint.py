"""``lint()``: files, directories, stdin, load errors and the closing text."""

from __future__ import annotations

from pathlib import Path

from argoctl.validate import ObjectSource, Problem, lint

GOOD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: good-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: a
        templateRef: {name: lib, template: echo}
"""
LIBRARY = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  templates:
  - name: echo
    container: {image: alpine}
"""
CYCLIC = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cyclic-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, depends: b, template: echo}
      - {name: b, depends: a, template: echo}
  - name: echo
    container: {image: alpine}
"""


def write(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_clean_files_say_no_linting_errors(tmp_path: Path) -> None:
    result = lint([write(tmp_path, "wf.yaml", GOOD), write(tmp_path, "lib.yaml", LIBRARY)])
    assert result.problems == ()
    assert result.linted == 2
    assert result.ok
    assert result.text == "no linting errors found!"


def test_template_refs_resolve_from_the_linted_files_or_the_source(tmp_path: Path) -> None:
    workflow = write(tmp_path, "wf.yaml", GOOD)
    alone = lint([workflow])
    assert [str(p) for p in alone.problems] == [
        f"{workflow}:9: spec.templates[0].steps[0][0]: templates.main.steps[0].a template reference lib.echo not found",
    ]
    library = next(iter(__import__("yaml").safe_load_all(LIBRARY)))
    assert lint([workflow], source=ObjectSource([library])).ok


def test_problems_are_listed_one_per_line(tmp_path: Path) -> None:
    path = write(tmp_path, "cyclic.yaml", CYCLIC)
    result = lint([path])
    assert not result.ok
    assert result.text == f"{path}:9: spec.templates[0].dag.tasks: templates.main.tasks dependency cycle detected: b->a->b"


def test_broken_yaml_is_a_problem_of_its_file_and_the_others_are_still_linted(tmp_path: Path) -> None:
    broken = write(tmp_path, "a-broken.yaml", "apiVersion: v1\nkind: Workflow\nspec: [\n")
    cyclic = write(tmp_path, "b-cyclic.yaml", CYCLIC)
    result = lint([broken, cyclic])
    assert result.problems[0] == Problem(
        broken, 3, "", "invalid YAML: did not find expected node content (at the end of the file) "
        "(hint: check the indentation and quoting on this line and the one before it)",
    )
    assert str(result.problems[0]).startswith(f"{broken}:3: invalid YAML")
    assert result.problems[1].file == cyclic
    assert result.linted == 1


def test_directories_are_walked_for_manifests(tmp_path: Path) -> None:
    write(tmp_path, "one/wf.yaml", GOOD)
    write(tmp_path, "one/two/lib.yml", LIBRARY)
    write(tmp_path, "one/notes.txt", "not a manifest")
    result = lint([str(tmp_path)])
    assert result.ok
    assert result.linted == 2


def test_nothing_to_lint_fails(tmp_path: Path) -> None:
    path = write(tmp_path, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    result = lint([path])
    assert result.linted == 0
    assert not result.ok
    assert result.text == "found nothing to lint in the specified paths, failing..."


def test_stdin(tmp_path: Path) -> None:
    result = lint(["-"], stdin_text=CYCLIC)
    assert [p.file for p in result.problems] == ["<stdin>"]
