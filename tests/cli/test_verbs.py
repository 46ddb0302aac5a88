"""Issue 8's verbs and flags through the real CLI: archive, shared selection, wrong-state and
empty-input errors, ``get --query`` implying JSON, ``logs`` of a missing pod, object namespaces,
``convert``, ``template update``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, assert_golden, manifest, normalize, stop_all

EMPTY_TEMPLATE = """apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: tmpl
  namespace: argo
spec:
  entrypoint: main
  templates:
    - name: main
      container: {image: argoproj/argosay:v2, args: [echo, hi]}
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """steps-one Succeeded (label suite=cli), fail-one Failed; other-one in team-b."""
    cli = Cli(Path(tmp_path_factory.mktemp("verbs")))
    assert cli("submit", manifest("steps.yaml"), "--name", "steps-one", "--wait").returncode == 0
    assert cli("submit", manifest("fail.yaml"), "--name", "fail-one", "--wait").returncode == 1
    assert cli("-n", "team-b", "submit", manifest("steps.yaml"), "--name", "other-one", "--wait").returncode == 0
    yield cli
    stop_all(cli)


def _names(cli: Cli, *args: str) -> list[str]:
    return sorted(cli.ok("list", "-o", "name", *args).split())


def test_list_selection_flags(home: Cli) -> None:
    assert _names(home, "--prefix", "fail") == ["fail-one"]
    assert _names(home, "--status", "Succeeded") == ["steps-one"]
    assert _names(home, "--status", "Failed,Succeeded") == ["fail-one", "steps-one"]
    assert _names(home, "--field-selector", "metadata.name=steps-one") == ["steps-one"]
    assert _names(home, "--field-selector", "metadata.name!=steps-one") == ["fail-one"]
    assert _names(home, "-l", "suite=cli", "--since", "1h") == ["steps-one"]
    assert _names(home, "-l", "suite!=cli", "--completed") == ["fail-one"]
    assert home.ok("list", "-o", "name", "--older", "1h") == "No workflows found\n"  # as argo, even for names
    assert home.ok("list", "--resubmitted") == "No workflows found\n"
    assert _names(home, "-A") == ["fail-one", "other-one", "steps-one"]
    assert home.ok("list", "-A", "--no-headers", "--prefix", "other").split()[:3] == ["team-b", "other-one", "Succeeded"]
    bad = home("list", "--field-selector", "spec.nope=1")
    assert bad.returncode == 2 and bad.stderr.startswith("error: invalid field selector 'spec.nope=1'")


def test_stop_and_terminate_of_a_completed_workflow_fail_with_argos_message(home: Cli) -> None:
    for verb in ("stop", "terminate"):
        result = home(verb, "steps-one")
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == ('error: cannot shutdown a completed workflow: workflow: "steps-one", '
                                 'namespace: "default"\n')
    assert home.ok("stop", "-l", "suite=cli", "fail-one", "--dry-run") == (
        "workflow steps-one stopped (dry-run)\nworkflow fail-one stopped (dry-run)\n")


def test_get_query_without_output_implies_json(home: Cli) -> None:
    assert json.loads(home.ok("get", "steps-one", "--query", "status.phase")) == "Succeeded"
    wrong = home("get", "steps-one", "--query", "status.phase", "-o", "wide")
    assert wrong.returncode == 2 and "--query needs -o json or -o yaml" in wrong.stderr


def test_logs_of_a_pod_the_workflow_does_not_have_fail(home: Cli) -> None:
    result = home("logs", "steps-one", "no-such-pod")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith('error: pods "no-such-pod" not found in workflow "steps-one"')
    assert home.ok("logs", "steps-one", "--grep", "^got h", "--no-prefix") == "got hello\n"
    assert home.ok("logs", "steps-one", "--grep", "^nothing") == ""
    previous = home("logs", "steps-one", "-p")
    assert previous.returncode == 2 and 'previous terminated container "main"' in previous.stderr


def test_empty_input_exits_2(home: Cli) -> None:
    empty = home.write("empty.yaml", "")
    for args in (("submit", empty), ("apply", "-f", empty), ("template", "create", empty)):
        result = home(*args)
        assert (result.returncode, result.stdout) == (2, ""), args
        assert result.stderr.startswith(f"error: {empty}: no objects found: the input is empty"), args
    stdin = home("submit", "-", stdin="")
    assert stdin.returncode == 2 and stdin.stderr.startswith("error: stdin: no objects found")


def test_archive_keeps_deleted_workflows_until_archive_delete(home: Cli) -> None:
    names = {"steps-one": "steps-one", "fail-one": "fail-one"}
    assert_golden("archive-list.txt", normalize.text(home.ok("archive", "list"), names))
    uid = home.workflow("fail-one")["metadata"]["uid"]
    assert home.ok("delete", "fail-one") == "Workflow 'fail-one' deleted\n"
    assert _names(home) == ["steps-one"]
    assert "fail-one" in home.ok("archive", "list", "-o", "name")
    assert_golden("archive-get.txt", normalize.text(home.ok("archive", "get", uid), names))
    assert home.ok("archive", "get", "--name", "fail-one", "-o", "name") == "fail-one\n"
    assert json.loads(home.ok("archive", "get", uid, "-o", "json"))["status"]["phase"] == "Failed"
    assert home.ok("archive", "list-label-values", "-l", "workflows.argoproj.io/phase") == "Failed\nSucceeded\n"
    assert "suite\n" in home.ok("archive", "list-label-keys")
    assert home.ok("archive", "list", "-l", "suite=none") == "No workflows found\n"
    assert home.ok("archive", "delete", uid) == f"Archived workflow '{uid}' deleted\n"
    assert "fail-one" not in home.ok("archive", "list", "-o", "name")
    gone = home("archive", "get", uid)
    assert gone.returncode == 2 and f'archived workflow "{uid}" not found' in gone.stderr


def test_archive_resubmit_creates_a_new_workflow(home: Cli) -> None:
    uid = home.workflow("steps-one")["metadata"]["uid"]
    created = home.ok("archive", "resubmit", uid, "--wait", "-o", "name").strip()
    assert created.startswith("steps-") and created != "steps-one"
    assert home.workflow(created)["metadata"]["labels"][
        "workflows.argoproj.io/resubmitted-from-workflow"] == "steps-one"
    assert created in _names(home, "--resubmitted")
    assert home.ok("delete", "--resubmitted") == f"Workflow '{created}' deleted\n"


def test_an_objects_own_namespace_is_used_unless_n_is_explicit(home: Cli) -> None:
    path = home.write("tmpl.yaml", EMPTY_TEMPLATE)
    assert home.ok("apply", "-f", path) == "workflowtemplate.argoproj.io/tmpl created\n"
    assert home.ok("-n", "argo", "template", "list", "-o", "name") == "tmpl\n"
    assert home.ok("template", "list", "-o", "name") == ""
    mismatch = home("-n", "default", "apply", "-f", path)
    assert (mismatch.returncode, mismatch.stderr) == (2, 'error: the namespace from the provided object "argo" does '
                                                         'not match the namespace "default". You must pass '
                                                         "'--namespace=argo' to perform this operation.\n")
    assert home.ok("-n", "argo", "template", "update", path, "-o", "name") == "tmpl\n"
    missing = home("template", "update", home.write("new.yaml", EMPTY_TEMPLATE.replace("name: tmpl", "name: nope")))
    assert missing.returncode == 2 and 'workflowtemplates.argoproj.io "nope" not found' in missing.stderr


def test_convert_moves_legacy_fields(home: Cli) -> None:
    legacy = home.write("legacy.yaml", """apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: c}
spec:
  schedule: "* * * * *"
  workflowSpec:
    entrypoint: main
    synchronization: {mutex: {name: m}}
    templates:
      - name: main
        synchronization: {semaphore: {configMapKeyRef: {name: s, key: k}}}
        container: {image: x}
""")
    out = home.ok("convert", legacy)
    assert out.startswith("---\n") and "schedules:\n  - '* * * * *'\n" in out.replace("- \"* * * * *\"", "- '* * * * *'")
    assert "mutexes:" in out and "semaphores:" in out and "schedule:" not in out and "mutex:" not in out
    assert json.loads(home.ok("convert", legacy, "-o", "json"))["spec"]["schedules"] == ["* * * * *"]


def test_archive_retry_makes_the_workflow_live_again(home: Cli) -> None:
    assert home("submit", manifest("fail.yaml"), "--name", "fail-two", "--wait").returncode == 1
    uid = home.workflow("fail-two")["metadata"]["uid"]
    live = home("archive", "retry", uid)
    assert live.returncode == 2 and "workflow already exists in cluster, use argo retry fail-two" in live.stderr
    home.ok("delete", "fail-two")
    retried = home("archive", "retry", uid, "--wait", "-o", "name")
    assert (retried.returncode, retried.stdout) == (1, "fail-two\n")  # it fails again, as before
    assert home.workflow("fail-two")["status"]["phase"] == "Failed"
