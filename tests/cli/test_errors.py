"""Lint and the error edge: one ``error:`` block naming file and line, the documented exit codes,
tracebacks only with ``-v``."""

from __future__ import annotations

import re

import pytest

from tests.cli.conftest import Cli, manifest

HEAD = """apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: bad-
spec:
  entrypoint: main
"""
BAD = {
    "broken-yaml": (HEAD + """  templates:
    - name: main
      container: {image: alpine:3.23, command: [echo
""", 9, "invalid YAML"),
    "unknown-template": (HEAD + """  templates:
    - name: main
      steps:
        - - name: a
            template: nope
""", 10, "template name 'nope' undefined"),
    "cyclic-dag": (HEAD + """  templates:
    - name: main
      dag:
        tasks:
          - {name: a, template: t, dependencies: [b]}
          - {name: b, template: t, dependencies: [a]}
    - name: t
      container: {image: alpine:3.23, command: ["true"]}
""", 10, "dependency cycle detected"),
    "undefined-workflow-parameter": (HEAD + """  arguments:
    parameters:
      - name: message
  templates:
    - name: main
      container: {image: alpine:3.23, command: [echo, "{{workflow.parameters.message}}"]}
""", 9, "spec.arguments.message.value or spec.arguments.message.valueFrom is required"),
    "input-not-supplied": (HEAD + """  templates:
    - name: main
      steps:
        - - name: call
            template: needs-text
    - name: needs-text
      inputs:
        parameters:
          - name: text
      container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.text}}"]}
""", 10, "inputs.parameters.text was not supplied"),
}


# argo lint allows arguments without values (they may come with submit -p); submit does not
LINT_BAD = sorted(set(BAD) - {"undefined-workflow-parameter"})


def _error_blocks(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_lint_valid_files(cli: Cli) -> None:
    result = cli("lint", manifest("steps.yaml"), manifest("dag.yaml"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "no linting errors found!\n", "")


def test_lint_of_files_without_argo_objects_fails(cli: Cli) -> None:
    # argo lint: "found nothing to lint in the specified paths, failing..." and a non-zero exit
    path = cli.write("pvc.yaml", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: v}\n")
    result = cli("lint", path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "found nothing to lint in the specified paths, failing...\n"


@pytest.mark.parametrize("case", LINT_BAD)
def test_lint_lists_problems_as_file_line_path_message(cli: Cli, case: str) -> None:
    text, line, message = BAD[case]
    path = cli.write(f"{case}.yaml", text)
    result = cli("lint", path)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(re.match(rf"{re.escape(path)}:\d+: ", problem) for problem in lines), result.stderr
    assert lines[0].startswith(f"{path}:{line}: ") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_lint_reports_every_file(cli: Cli) -> None:
    paths = [cli.write(f"{case}.yaml", BAD[case][0]) for case in LINT_BAD]
    result = cli("lint", manifest("steps.yaml"), *paths)
    assert result.returncode == 2
    assert [line.split(":", 1)[0] for line in result.stderr.splitlines()] == paths


@pytest.mark.parametrize("case", sorted(BAD))
def test_submit_of_a_bad_manifest_is_one_error_block(cli: Cli, case: str) -> None:
    text, line, message = BAD[case]
    path = cli.write(f"{case}.yaml", text)
    result = cli("submit", path, "--wait")
    assert (result.returncode, result.stdout) == (2, "")
    assert _error_blocks(result.stderr) == [result.stderr.splitlines()[0]], result.stderr
    assert re.search(rf"^(error: )?{re.escape(path)}:{line}: .*{re.escape(message)}", result.stderr, re.MULTILINE)
    assert "Traceback" not in result.stderr
    assert cli.ok("list", "-o", "name") == "No workflows found\n"


def test_lint_allows_a_workflow_argument_without_value(cli: Cli) -> None:
    path = cli.write("later.yaml", BAD["undefined-workflow-parameter"][0])
    assert cli.ok("lint", path) == "no linting errors found!\n"
    assert cli("submit", path, "-p", "message=hi", "--wait").returncode == 0


def test_verbose_shows_the_traceback(cli: Cli) -> None:
    path = cli.write("broken.yaml", BAD["broken-yaml"][0])
    result = cli("-v", "submit", path)
    assert result.returncode == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert _error_blocks(result.stderr) == [f"error: {path}:9: invalid YAML: did not find expected ',' or ']' "
                                            "(at the end of the file)"]


@pytest.mark.parametrize("args", [("submit", "--bogus"), ("list", "-x"), ("bogus-verb",), ("get", "-o")])
def test_usage_errors_exit_2_without_traceback(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert len(_error_blocks(result.stderr)) == 1 and result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_unknown_flag_names_the_flag(cli: Cli) -> None:
    result = cli("submit", "--bogus")
    assert result.stderr.startswith("error: No such option: --bogus")


def test_unreachable_store_exits_3_with_one_error(cli: Cli) -> None:
    env = {"ARGOCTL_STORE": "s3://bucket/prefix?endpoint=http://127.0.0.1:9",
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_MAX_ATTEMPTS": "1"}
    for args in (("list",), ("submit", manifest("steps.yaml"))):
        result = cli(*args, env=env)
        assert (result.returncode, result.stdout) == (3, ""), result.stderr
        assert len(_error_blocks(result.stderr)) == 1 and result.stderr.startswith("error: "), result.stderr
        assert "127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr


def test_missing_file_is_a_usage_error(cli: Cli) -> None:
    result = cli("submit", "no-such-file.yaml")
    assert result.returncode == 2
    assert result.stderr.startswith("error: no-such-file.yaml")
    assert "Traceback" not in result.stderr


def test_no_arguments_prints_the_help(cli: Cli) -> None:
    result = cli()
    assert result.returncode == 0
    assert "Usage: argoctl [OPTIONS] COMMAND [ARGS]..." in result.stdout + result.stderr
