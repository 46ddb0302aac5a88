"""completions/ and man/ are generated from the command tree: stale files fail here.

Regenerate with ``python -m argoctl.cli.generate --write``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from argoctl.cli import generate
from tests.cli.conftest import REPO

SCRIPTS = {"bash": REPO / "completions" / "argoctl.bash", "zsh": REPO / "completions" / "_argoctl",
           "fish": REPO / "completions" / "argoctl.fish"}
ROOT = generate.root_command()
TREE = generate.command_tree(ROOT)
VERBS = [name for name, _ in TREE[0].subcommands]


def _needs(program: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which(program) is None, reason=f"{program} is not installed")


def test_generated_files_are_up_to_date() -> None:
    stale = generate.stale_files(REPO, ROOT)
    assert not stale, f"stale generated files {stale}: run python -m argoctl.cli.generate --write"


def test_check_mode_reports_stale_files(tmp_path: Path) -> None:
    lines: list[str] = []
    assert generate.main(["--check", str(tmp_path)], out=lines.append) == 1
    assert "stale: completions/argoctl.bash (regenerate with: python -m argoctl.cli.generate --write)" in lines
    assert generate.main(["--write", str(tmp_path)], out=lines.append) == 0
    (tmp_path / "man" / "argoctl-gone.1").write_text(".TH GONE 1\n")
    assert generate.stale_files(tmp_path, ROOT) == ["man/argoctl-gone.1"]
    generate.write_files(tmp_path, ROOT)
    assert generate.stale_files(tmp_path, ROOT) == []


def test_every_verb_has_a_man_page_and_completions() -> None:
    assert {"submit", "list", "get", "logs", "wait", "watch", "stop", "terminate", "suspend", "resume", "delete",
            "lint", "retry", "resubmit", "node", "apply", "template", "cluster-template", "version",
            "completion"} <= set(VERBS)
    pages = {p.name for p in (REPO / "man").glob("*.1")}
    for command in TREE:
        assert "-".join(command.path) + ".1" in pages
    for shell, path in SCRIPTS.items():
        text = path.read_text()
        for command in TREE:
            assert f"'{command.key}'" in text or f'"{command.key}"' in text, (shell, command.key)


def test_man_pages_document_options_and_exit_codes() -> None:
    submit = (REPO / "man" / "argoctl-submit.1").read_text()
    for option in ("\\-\\-parameter", "\\-\\-wait", "\\-\\-dry\\-run", "\\-\\-from"):
        assert option in submit
    for page in (REPO / "man").glob("*.1"):
        text = page.read_text()
        assert text.startswith(".TH ") and ".SH EXIT STATUS" in text and ".B 130" in text, page.name
        assert not any(line.startswith((".", "'")) and line.split()[0] not in _ROFF_REQUESTS
                       for line in text.splitlines()), page.name


_ROFF_REQUESTS = {".TH", ".SH", ".TP", ".B", ".I", ".BR", ".nh", ".ad"}


@_needs("groff")
def test_man_pages_render_without_warnings() -> None:
    for page in sorted((REPO / "man").glob("*.1")):
        result = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(page)], capture_output=True,
                                text=True, check=False)
        assert (result.returncode, result.stderr) == (0, ""), page.name


@_needs("bash")
def test_bash_script_parses() -> None:
    result = subprocess.run(["bash", "-n", str(SCRIPTS["bash"])], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")


@_needs("zsh")
def test_zsh_script_parses() -> None:
    result = subprocess.run(["zsh", "-n", str(SCRIPTS["zsh"])], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")


@_needs("fish")
def test_fish_script_parses() -> None:
    result = subprocess.run(["fish", "--no-execute", str(SCRIPTS["fish"])], capture_output=True, text=True,
                            check=False)
    assert (result.returncode, result.stderr) == (0, "")


def _stub_argoctl(tmp_path: Path) -> dict[str, str]:
    """An ``argoctl`` on the PATH that lists two workflows (completion runs ``argoctl list -o name``)."""
    stub = tmp_path / "bin" / "argoctl"
    stub.parent.mkdir()
    stub.write_text('#!/bin/sh\ncase "$*" in\n  "list -o name") printf "wf-one\\nwf-two\\n" ;;\n'
                    '  "template list -o name") echo greeter ;;\nesac\n')
    stub.chmod(0o755)
    return {**os.environ, "PATH": f"{stub.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


# the global options, offered after every verb too (argoctl.runtime.settings.GLOBAL_FLAGS)
GLOBAL_OPTION_WORDS = ("-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token "
                       "--server --certificate-authority --client-certificate --client-key "
                       "--insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout "
                       "--disable-compression --username --password --qps --burst --backend --store -v --verbose "
                       "--loglevel --log-format --no-color")
BASH_CASES = [
    (["su"], "submit suspend"),
    (["-n", "ns", "su"], "submit suspend"),
    (["template", ""], "create delete get lint list update"),
    (["template", "get", "-"], "--output -o --query " + GLOBAL_OPTION_WORDS + " --help -h"),
    (["submit", "-o", ""], "name json yaml wide"),
    (["--backend", ""], "local kubernetes docker auto"),
    (["completion", ""], "bash zsh fish"),
    (["get", ""], "wf-one wf-two"),
    (["node", "set", "w"], "wf-one wf-two"),
    (["template", "delete", ""], "greeter"),
    (["logs", "-f", ""], "wf-one wf-two"),
]


@_needs("bash")
@pytest.mark.parametrize(("words", "expected"), BASH_CASES)
def test_bash_completes(tmp_path: Path, words: list[str], expected: str) -> None:
    quoted = " ".join(f"'{w}'" for w in ["argoctl", *words])
    script = (f"source {SCRIPTS['bash']}; COMP_WORDS=({quoted}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); "
              "_argoctl; echo \"${COMPREPLY[*]}\"")
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=_stub_argoctl(tmp_path),
                            check=False)
    assert (result.stdout.strip(), result.stderr) == (expected, "")


@_needs("bash")
def test_bash_completes_files_for_manifests(tmp_path: Path) -> None:
    (tmp_path / "wf.yaml").write_text("")
    script = (f"source {SCRIPTS['bash']}; cd {tmp_path}; COMP_WORDS=(argoctl submit w); COMP_CWORD=2; "
              "_argoctl; echo \"${COMPREPLY[*]}\"")
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "wf.yaml"


@_needs("zsh")
def test_zsh_completes(tmp_path: Path) -> None:
    stubs = ("compdef() { :; }\n_describe() { print -r -- \"describe ${(P)4}\"; }\n"
             "compadd() { if [[ $1 == -a ]]; then print -r -- \"compadd ${(P)2}\"; else shift; "
             "print -r -- \"compadd $*\"; fi; }\n_files() { print -r -- files; }\n")
    calls = [("argoctl node ''", "describe set:Set output parameters, phase or message of suspend nodes."),
             ("argoctl submit -o ''", "compadd name json yaml wide"),
             ("argoctl get ''", "compadd wf-one wf-two"),
             ("argoctl lint ''", "files"),
             ("argoctl wait --ignore-not-found ''", "compadd wf-one wf-two")]
    body = "".join(f"words=({w}); CURRENT=${{#words}}; PREFIX=''; _argoctl\n" for w, _ in calls)
    script = tmp_path / "t.zsh"
    script.write_text(f"{stubs}source {SCRIPTS['zsh']}\n{body}")
    result = subprocess.run(["zsh", "-f", str(script)], capture_output=True, text=True, env=_stub_argoctl(tmp_path),
                            check=False)
    assert (result.stdout.splitlines(), result.stderr) == ([out for _, out in calls], "")


@_needs("fish")
def test_fish_completes(tmp_path: Path) -> None:
    calls = {"argoctl no": "node", "argoctl template g": "get", "argoctl submit -o ": "json name wide yaml",
             "argoctl get ": "wf-one wf-two", "argoctl -n ns su": "submit suspend"}
    body = "".join(f"complete -C'{line}' | cut -f1 | sort | string join ' '\n" for line in calls)
    script = tmp_path / "t.fish"
    script.write_text(f"source {SCRIPTS['fish']}\n{body}")
    result = subprocess.run(["fish", "--no-config", str(script)], capture_output=True, text=True,
                            env=_stub_argoctl(tmp_path), check=False)
    assert (result.stdout.splitlines(), result.stderr) == (list(calls.values()), "")
