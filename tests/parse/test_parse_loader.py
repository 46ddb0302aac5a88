"""Reading manifests: documents, field lines, JSON, stdin and every kind of load error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argoctl.errors import ManifestError
from argoctl.parse import Document, dump_yaml, format_path, get_field, load_documents, parse_documents

WORKFLOW = textwrap.dedent(
    """\
    # a comment line
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-
      annotations: {x-custom.io/note: kept}
    spec:
      entrypoint: main
      someFutureField: {nested: [1, 2]}
      templates:
      - name: main
        dag:
          tasks:
          - name: a
            template: echo
          - name: b
            depends: "a"
            template: echo
      - name: echo
        container:
          image: alpine
    ---
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: cm}
    data:
      created: 2020-01-01
      mode: 0755
      flag: yes
    """
)


def load(text: str, **kwargs: object) -> list[Document]:
    return parse_documents(text, "wf.yaml", **kwargs)  # type: ignore[arg-type]


def error_of(text: str, **kwargs: object) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        load(text, **kwargs)
    return caught.value


def test_multi_document_file_skips_empty_documents_and_numbers_the_rest() -> None:
    documents = load(WORKFLOW)
    assert [(d.kind, d.index, d.line) for d in documents] == [("Workflow", 0, 2), ("ConfigMap", 1, 24)]
    assert documents[0].name == "hello-"
    assert documents[1].name == "cm"


def test_line_of_exact_paths_hand_checked() -> None:
    workflow = load(WORKFLOW)[0]
    assert workflow.line_of(("spec", "entrypoint")) == 8
    assert workflow.line_of(("spec", "templates", 0)) == 11
    assert workflow.line_of(("spec", "templates", 0, "dag", "tasks", 1)) == 16
    assert workflow.line_of(("spec", "templates", 0, "dag", "tasks", 1, "depends")) == 17
    assert workflow.line_of(("spec", "templates", 1, "container", "image")) == 21
    assert workflow.line_of(("metadata", "annotations", "x-custom.io/note")) == 6


def test_line_of_falls_back_to_the_nearest_known_ancestor() -> None:
    workflow = load(WORKFLOW)[0]
    assert workflow.line_of(("spec", "templates", 0, "dag", "tasks", 1, "arguments", "parameters", 0)) == 16
    assert workflow.line_of(("spec", "templates", 7)) == 10
    assert workflow.line_of(()) == 2
    assert Document({}, "x", 0).line_of(("a",)) is None


def test_unknown_fields_and_user_values_are_kept_and_round_trip() -> None:
    workflow = load(WORKFLOW)[0]
    assert workflow.obj["spec"]["someFutureField"] == {"nested": [1, 2]}
    assert list(workflow.obj["spec"]) == ["entrypoint", "someFutureField", "templates"]
    again = load(dump_yaml(workflow.obj))[0]
    assert again.obj == workflow.obj


def test_scalars_follow_kubernetes_yaml_timestamps_stay_text() -> None:
    data = load(WORKFLOW)[1].obj["data"]
    assert data == {"created": "2020-01-01", "mode": 493, "flag": True}
    assert isinstance(data["created"], str)


def test_anchors_and_merge_keys_are_expanded() -> None:
    text = "apiVersion: v1\nkind: X\nbase: &b {a: 1, b: 2}\nmerged:\n  <<: *b\n  b: 3\ncopy: *b\n"
    obj = load(text)[0].obj
    assert obj["merged"] == {"a": 1, "b": 3}
    assert obj["copy"] == {"a": 1, "b": 2}


def test_recursive_alias_is_an_error_not_a_hang() -> None:
    error = error_of("apiVersion: v1\nkind: X\na: &a [*a]\n")
    assert "recursive YAML alias" in error.message


def test_non_scalar_mapping_key_is_rejected() -> None:
    error = error_of("apiVersion: v1\nkind: X\n? [a, b]\n: c\n")
    assert error.line == 3
    assert "mapping keys must be plain strings" in error.message


def test_broken_yaml_names_file_line_and_column() -> None:
    error = error_of("apiVersion: v1\nkind: Workflow\nspec:\n  entrypoint: a: b\n")
    assert (error.file, error.line) == ("wf.yaml", 4)
    assert error.message.startswith("wf.yaml:4: invalid YAML: mapping values are not allowed")
    assert "(column 16)" in error.message


def test_tab_indentation_gets_a_tab_hint() -> None:
    error = error_of("apiVersion: v1\nkind: Workflow\nspec:\n\tentrypoint: a\n")
    assert error.line == 4
    assert "tabs" in error.hint


def test_document_that_is_not_a_mapping() -> None:
    error = error_of("apiVersion: v1\nkind: X\n---\n- a\n- b\n")
    assert error.line == 4
    assert error.message == "wf.yaml:4: document 2 is a list, not an object"
    assert "'---'" in error.hint


@pytest.mark.parametrize(
    ("text", "missing"),
    [("metadata: {name: x}\nspec: {}\n", "kind"), ("kind: Workflow\nspec: {}\n", "apiVersion")],
)
def test_document_without_kind_or_api_version(text: str, missing: str) -> None:
    error = error_of(text)
    assert error.message == f"wf.yaml:1: document 1 has no {missing}"
    assert "apiVersion: argoproj.io/v1alpha1" in error.hint


def test_default_kind_fills_both_fields_only_when_both_are_absent() -> None:
    filled = load("metadata: {name: x}\nspec: {entrypoint: a}\n", default_kind="WorkflowTemplate")[0]
    assert list(filled.obj)[:2] == ["apiVersion", "kind"]
    assert filled.obj["apiVersion"] == "argoproj.io/v1alpha1"
    assert filled.kind == "WorkflowTemplate"
    assert filled.line_of(("spec", "entrypoint")) == 2
    with pytest.raises(ManifestError, match="has no apiVersion"):
        load("kind: Workflow\n", default_kind="Workflow")


def test_kind_must_be_text() -> None:
    error = error_of("apiVersion: v1\nkind: [Workflow]\n")
    assert error.line == 2
    assert error.path == "kind"


def test_json_documents_get_lines_even_with_tab_indentation() -> None:
    text = '{\n\t"apiVersion": "argoproj.io/v1alpha1",\n\t"kind": "Workflow",\n\t"spec": {\n\t\t"entrypoint": "main"\n\t}\n}\n'
    document = load(text)[0]
    assert document.obj["spec"] == {"entrypoint": "main"}
    assert document.line_of(("spec", "entrypoint")) == 5


def test_concatenated_json_objects_are_several_documents() -> None:
    text = '{"apiVersion": "v1", "kind": "A"}\n{"apiVersion": "v1", "kind": "B"}\n'
    assert [d.kind for d in load(text)] == ["A", "B"]


def test_broken_json_reports_the_json_error_with_line() -> None:
    error = error_of('{\n  "kind": "Workflow",\n  "spec": {,}\n}\n', json_hint=True)
    assert error.line == 3
    assert error.message.startswith("wf.yaml:3: invalid JSON: Expecting property name")
    assert "trailing commas" in error.hint


def test_load_documents_reads_files_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "wf.yaml"
    path.write_text(WORKFLOW)
    assert [d.file for d in load_documents(str(path))] == [str(path)] * 2
    from_stdin = load_documents("-", stdin_text="apiVersion: v1\nkind: X\n")
    assert [(d.file, d.kind) for d in from_stdin] == [("<stdin>", "X")]


def test_json_file_errors_are_json_errors(tmp_path: Path) -> None:
    path = tmp_path / "wf.json"
    path.write_text('{"kind": Workflow}')
    with pytest.raises(ManifestError, match="invalid JSON"):
        load_documents(str(path))


@pytest.mark.parametrize(("make", "message"), [("missing", "no such file"), ("directory", "is a directory")])
def test_unreadable_paths(tmp_path: Path, make: str, message: str) -> None:
    path = tmp_path / "x.yaml"
    if make == "directory":
        path.mkdir()
    with pytest.raises(ManifestError, match=message) as caught:
        load_documents(str(path))
    assert caught.value.file == str(path)


def test_format_path_and_go_style_field_lookup() -> None:
    assert format_path(("spec", "templates", 2, "dag", "tasks", 1, "depends")) == "spec.templates[2].dag.tasks[1].depends"
    assert format_path(("spec", "templates", 0, "steps", 1, 0)) == "spec.templates[0].steps[1][0]"
    assert format_path(("metadata", "labels", "app.kubernetes.io/name")) == 'metadata.labels["app.kubernetes.io/name"]'
    assert get_field({"Parameter": "x"}, "parameter") == "x"
    assert get_field({"parameter": "a", "PARAMETER": "b"}, "parameter") == "b"
    assert get_field({}, "parameter") is None


def test_absurd_nesting_is_a_manifest_error() -> None:
    for text in ("a: " + "[" * 50000 + "]" * 50000, '{"a": ' + "[" * 50000 + "]" * 50000 + "}"):
        with pytest.raises(ManifestError):
            load(text)


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}'\"\t\n #&*!|>%@,?=.0123456789")), max_size=120))
def test_any_text_loads_or_raises_a_manifest_error(text: str) -> None:
    try:
        documents = load(text)
    except ManifestError as exc:
        assert exc.file == "wf.yaml"
        return
    for document in documents:
        assert isinstance(document.obj, dict)
