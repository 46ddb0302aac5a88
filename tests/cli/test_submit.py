"""``argoctl submit``: the default view, -o name, --wait, -o json, --dry-run, parameters, stdin."""

from __future__ import annotations

import json
import re

from tests.cli.conftest import Cli, assert_golden, manifest, normalize

GENERATED = re.compile(r"steps-[a-z0-9]{5}")


def test_submit_returns_at_once_with_the_get_view(cli: Cli) -> None:
    result = cli("submit", manifest("steps.yaml"))
    assert result.returncode == 0, result.stderr
    found = re.search(r"^Name:\s+(\S+)$", result.stdout, re.MULTILINE)
    assert found and GENERATED.fullmatch(found.group(1))
    name = found.group(1)
    assert_golden("submit-default.txt", normalize.text(result.stdout, {name: "steps-XXXXX"}))
    assert result.stderr == ""
    # the detached driver carries on after submit returned
    assert cli.ok("wait", name) == cli.ok("wait", name)
    assert cli.workflow(name)["status"]["phase"] == "Succeeded"


def test_submit_output_name_prints_only_the_name(cli: Cli) -> None:
    name = cli.ok("submit", manifest("steps.yaml"), "-o", "name")
    assert GENERATED.fullmatch(name.rstrip("\n")) and name.endswith("\n") and name.count("\n") == 1
    assert cli.ok("wait", name.strip()).startswith(f"{name.strip()} Succeeded at ")


def test_submit_wait_prints_one_line_and_exits_by_phase(cli: Cli) -> None:
    ok = cli("submit", manifest("steps.yaml"), "--name", "steps-wait", "--wait")
    assert ok.returncode == 0, ok.stderr
    assert normalize.text(ok.stdout) == "steps-wait Succeeded at <TIME>\n"
    failed = cli("submit", manifest("fail.yaml"), "--name", "fail-wait", "--wait")
    assert failed.returncode == 1
    assert normalize.text(failed.stdout) == "fail-wait Failed at <TIME>\n"
    assert "error" not in failed.stderr


def test_submit_wait_output_json_is_the_workflow_object(cli: Cli) -> None:
    result = cli("submit", manifest("steps.yaml"), "--name", "steps-json", "--wait", "-o", "json")
    assert result.returncode == 0, result.stderr
    wf = json.loads(result.stdout)
    assert_golden("submit-wait-json.json", normalize.json_text(result.stdout))
    assert (wf["apiVersion"], wf["kind"]) == ("argoproj.io/v1alpha1", "Workflow")
    meta = wf["metadata"]
    assert {"name", "namespace", "uid", "labels", "creationTimestamp"} <= meta.keys()
    assert meta["labels"]["workflows.argoproj.io/phase"] == "Succeeded"
    assert meta["labels"]["workflows.argoproj.io/completed"] == "true"
    status = wf["status"]
    assert {"phase", "startedAt", "finishedAt", "progress", "nodes"} <= status.keys()
    assert (status["phase"], status["progress"]) == ("Succeeded", "2/2")
    for node_id, node in status["nodes"].items():
        assert node["id"] == node_id
        assert {"id", "name", "displayName", "type", "phase", "startedAt", "finishedAt"} <= node.keys()
    pods = {n["displayName"]: n for n in status["nodes"].values() if n["type"] == "Pod"}
    assert pods["produce"]["outputs"]["parameters"] == [
        {"name": "word", "value": "hello", "valueFrom": {"path": "/tmp/word.txt"}}]


def test_submit_dry_run_prints_yaml_and_creates_nothing(cli: Cli) -> None:
    result = cli("submit", manifest("steps.yaml"), "--dry-run", "-o", "yaml", "-p", "greeting=hi")
    assert result.returncode == 0, result.stderr
    name = re.search(r"^  name: (\S+)$", result.stdout, re.MULTILINE)
    assert name and GENERATED.fullmatch(name.group(1))
    assert_golden("submit-dry-run.yaml", normalize.text(result.stdout, {name.group(1): "steps-XXXXX"}))
    assert cli.ok("list", "-o", "name") == "No workflows found\n"  # as argo prints it
    needs_output = cli("submit", manifest("steps.yaml"), "--dry-run")
    assert needs_output.returncode == 2
    assert needs_output.stderr == "error: --dry-run needs -o name|json|yaml\n"


def test_submit_parameters_entrypoint_and_labels(cli: Cli, tmp_path: object) -> None:
    params = cli.write("params.yaml", "greeting: from-file\n")
    result = json.loads(cli.ok("submit", manifest("steps.yaml"), "--dry-run", "-o", "json", "--parameter-file",
                               params, "--entrypoint", "print", "-l", "team=a,tier=b", "--name", "fixed"))
    assert result["metadata"]["name"] == "fixed"
    assert result["spec"]["entrypoint"] == "print"
    assert result["spec"]["arguments"]["parameters"] == [{"name": "greeting", "value": "from-file"}]
    assert {"suite": "cli", "team": "a", "tier": "b"}.items() <= result["metadata"]["labels"].items()
    override = json.loads(cli.ok("submit", manifest("steps.yaml"), "--dry-run", "-o", "json", "-f", params,
                                 "-p", "greeting=flag"))
    assert override["spec"]["arguments"]["parameters"] == [{"name": "greeting", "value": "flag"}]


def test_submit_from_stdin(cli: Cli) -> None:
    with open(manifest("steps.yaml")) as source:
        text = source.read()
    result = cli("submit", "-", "--name", "from-stdin", "--wait", "-o", "name", stdin=text)
    assert (result.returncode, result.stdout) == (0, "from-stdin\n"), result.stderr
    logs = cli.ok("logs", "from-stdin")
    assert re.fullmatch(r"from-stdin-print-\d+: got hello\n", logs)


def test_submit_watch_without_a_terminal_ends_with_the_get_view(cli: Cli) -> None:
    result = cli("submit", manifest("dag.yaml"), "--name", "diamond-watch", "--watch")
    assert result.returncode == 0, result.stderr
    assert_golden("submit-watch.txt", normalize.text(result.stdout))
    assert "diamond-watch" in result.stderr  # plain progress lines go to stderr
    failed = cli("submit", manifest("fail.yaml"), "--name", "fail-watch", "--watch")
    assert failed.returncode == 1
