"""Reading is bounded: bytes, values and alias expansion are checked before the tree is built."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from argoctl.errors import ManifestError
from argoctl.parse import limits, load_documents, parse_documents

HEAD = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec:\n"


def laughs(levels: int = 10) -> str:
    """The "billion laughs": 9**levels strings from a few hundred bytes of aliases."""
    lines = ['  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return HEAD + "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_without_expanding_it() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ManifestError, match="more than 1,000,000 values after expanding YAML aliases"):
            parse_documents(laughs(), "bomb.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_aliases_within_the_limit_still_expand() -> None:
    [document] = parse_documents(laughs(levels=3), "ok.yaml")
    assert len(document.obj["spec"]["a2"]) == 9
    assert document.obj["spec"]["a2"][8][8] == ["lol"] * 9


def test_a_recursive_alias_is_named() -> None:
    with pytest.raises(ManifestError, match="recursive YAML alias"):
        parse_documents(HEAD + "  a: &a [1, *a]\n", "loop.yaml")


def test_too_many_values_are_refused_before_the_tree_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.NODES_ENV, "1000")
    text = HEAD + "  arguments:\n    parameters:\n" + "".join(f"    - {{name: p{i}, value: v}}\n" for i in range(400))
    with pytest.raises(ManifestError) as caught:
        parse_documents(text, "many.yaml")
    assert "manifest too large: more than 1,000 values" in str(caught.value)
    assert caught.value.hint.endswith(limits.NODES_ENV)
    assert caught.value.line is not None and caught.value.line < 400


def test_json_is_counted_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.NODES_ENV, "1000")
    obj = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "x"},
           "spec": {"arguments": {"parameters": [{"name": f"p{i}", "value": "v"} for i in range(400)]}}}
    with pytest.raises(ManifestError, match="more than 1,000 values"):
        parse_documents(json.dumps(obj), "many.json", json_hint=True)


def test_the_byte_limit_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.BYTES_ENV, "100")
    path = tmp_path / "wf.yaml"
    path.write_text(HEAD + "  entrypoint: " + "x" * 200 + "\n")
    with pytest.raises(ManifestError, match="more than 100 bytes"):
        load_documents(str(path))
    with pytest.raises(ManifestError, match="more than 100 bytes"):
        load_documents("-", stdin_text=path.read_text())


def test_a_bad_limit_setting_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.NODES_ENV, "lots")
    with pytest.raises(ManifestError, match=f"{limits.NODES_ENV}='lots' is not a whole number"):
        parse_documents(HEAD + "  entrypoint: a\n", "wf.yaml")


def test_a_normal_manifest_is_read_as_before() -> None:
    [document] = parse_documents(HEAD + "  entrypoint: a\n", "wf.yaml")
    assert document.obj["spec"] == {"entrypoint": "a"}
