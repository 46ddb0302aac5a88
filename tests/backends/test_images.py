"""The image table and the user config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from argoctl.backends.images import ImageTable, normalize, repository, unknown_image_message
from argoctl.config import config_path, display_path, load_config, parse_config
from argoctl.errors import UsageError


def test_lookup_exact_then_repository() -> None:
    table = ImageTable()
    argosay = table.lookup("argoproj/argosay:v2")
    assert argosay is not None and argosay.entrypoint == ("argosay",)
    assert dict(argosay.root_programs) == {"/argosay": "argosay"}
    v1 = table.lookup("argoproj/argosay:v1")
    assert v1 is not None and v1.cmd == ("cowsay",)
    for ref in ("alpine:3.23", "alpine", "docker.io/library/alpine:3.6", "busybox"):
        entry = table.lookup(ref)
        assert entry is not None and dict(entry.aliases)["sh"] == ("busybox", "bash"), ref
    python = table.lookup("python:alpine3.23")
    assert python is not None and dict(python.aliases)["python"] == ("python3",)
    assert table.lookup("nginx:1.13") is None
    assert table.lookup("debian:9.5-slim").refuse  # type: ignore[union-attr]
    assert table.lookup("alpine:doesntexist").pull_error  # type: ignore[union-attr]
    assert table.lookup("debian:latest").refuse == ""  # type: ignore[union-attr]


def test_reference_helpers() -> None:
    assert normalize("docker.io/library/alpine:3.23") == "alpine:3.23"
    assert repository("quay.io:443/argoproj/argoexec:latest") == "quay.io:443/argoproj/argoexec"
    assert repository("alpine@sha256:abc") == "alpine"


def test_user_entries_win_over_builtin_ones(tmp_path: Path) -> None:
    config = parse_config("images:\n  my/image:1: {command: [prog], args: [--x]}\n"
                          "  alpine: {command: [busybox], args: [sh]}\n", path=tmp_path / "c.yaml")
    table = ImageTable.from_config(config)
    mine = table.lookup("my/image:1")
    assert mine is not None and (mine.entrypoint, mine.cmd) == (("prog",), ("--x",))
    assert table.lookup("my/image:2") is None
    alpine = table.lookup("alpine:3.23")
    assert alpine is not None and alpine.entrypoint == ("busybox",)


def test_unknown_image_message_names_the_key() -> None:
    assert unknown_image_message("foo/bar:1", "~/.config/argoctl/config.yaml") == (
        'image "foo/bar:1" has no command and no entry in the image table; '
        'add images."foo/bar:1".command to ~/.config/argoctl/config.yaml')


def test_config_path_and_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOCTL_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "argoctl" / "config.yaml"
    assert load_config().images == {}
    explicit = tmp_path / "mine.yaml"
    explicit.write_text("images:\n  a/b: {command: run}\n")
    monkeypatch.setenv("ARGOCTL_CONFIG", str(explicit))
    assert display_path() == str(explicit)
    assert load_config().images["a/b"].command == ("run",)


@pytest.mark.parametrize("text, fragment", [
    ("images: [1, 2]", "images: expected a mapping"),
    ("images:\n  x: {command: {a: 1}}", "command: expected a list of strings"),
    ("images: {x: [", "not valid YAML"),
])
def test_bad_config_is_a_usage_error(text: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        parse_config(text)
