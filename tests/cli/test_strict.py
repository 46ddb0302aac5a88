"""``--strict`` (default true) on the verbs that read manifests, spelled as argo spells it."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli

TYPO = """\
apiVersion: argoproj.io/v1alpha1
kind: {kind}
metadata:
  name: typo
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      comand: [echo, hi]
"""
MESSAGE = 'typo.yaml:11: spec.templates[0].container: unknown field "comand", did you mean "command"?'


def test_lint_rejects_a_typo_with_a_suggestion(cli: Cli) -> None:
    path = cli.write("typo.yaml", TYPO.format(kind="Workflow"))
    result = cli("lint", path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"{cli.work}/{MESSAGE}"]


@pytest.mark.parametrize("flag", ["--strict=false", "--no-strict", "--strict=False"])
def test_strict_false_accepts_it(cli: Cli, flag: str) -> None:
    path = cli.write("typo.yaml", TYPO.format(kind="Workflow"))
    assert cli.ok("lint", path, flag).strip() == "no linting errors found!"


def test_submit_rejects_the_typo_unless_strict_is_false(cli: Cli) -> None:
    path = cli.write("typo.yaml", TYPO.format(kind="Workflow"))
    result = cli("submit", path, "--dry-run", "-o", "name")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: invalid spec:", f"{cli.work}/{MESSAGE}"]
    assert cli.ok("submit", "--strict=false", path, "--dry-run", "-o", "name").strip() == "typo"


def test_template_create_rejects_the_typo_and_apply_warns(cli: Cli) -> None:
    path = cli.write("typo.yaml", TYPO.format(kind="WorkflowTemplate"))
    assert cli("template", "create", path).returncode == 2
    result = cli("apply", "-f", path)
    assert result.returncode == 0
    assert f"warning: {cli.work}/{MESSAGE}" in result.stderr
    assert cli.ok("template", "create", "--strict=false", path).strip() == "workflowtemplate.argoproj.io/typo configured"


def test_a_bad_strict_value_is_a_usage_error(cli: Cli) -> None:
    result = cli("lint", "--strict=maybe", "x.yaml")
    assert (result.returncode, result.stderr.splitlines()[0]) == (2, "error: --strict=maybe: not a boolean")


def test_lint_and_submit_agree_on_a_broken_metadata_and_an_empty_file(cli: Cli) -> None:
    broken = cli.write("broken.yaml", TYPO.format(kind="Workflow").replace("metadata:\n  name: typo", "metadata: x"))
    empty = cli.write("empty.yaml", "")
    for path in (broken, empty):
        assert cli("lint", path).returncode == 2
        submitted = cli("submit", path, "--dry-run", "-o", "name")
        assert submitted.returncode == 2
        assert "internal error" not in submitted.stderr
