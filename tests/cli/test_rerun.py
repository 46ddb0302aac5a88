"""retry (failed steps run again, finished ones are kept), resubmit --memoized, delete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, assert_golden, manifest, normalize


@pytest.fixture
def failed(cli: Cli, host_dir: Path) -> Path:
    """Workflow ``fixable`` Failed at ``check``; ``count`` ran once and wrote ``count.log``."""
    text = Path(manifest("fixable.yaml")).read_text().replace("COUNTS_DIR", str(host_dir))
    path = cli.write("fixable.yaml", text)
    result = cli("submit", path, "--name", "fixable", "--wait")
    assert result.returncode == 1, result.stderr
    assert (host_dir / "count.log").read_text() == "ran\n"
    return host_dir / "count.log"


def test_retry_with_a_fixing_parameter_keeps_the_succeeded_step(cli: Cli, failed: Path) -> None:
    assert_golden("retry-before.txt", normalize.text(cli.ok("get", "fixable")))
    assert cli.ok("retry", "fixable", "-p", "fix=yes", "-o", "name") == "fixable\n"
    assert normalize.text(cli.ok("wait", "fixable")) == "fixable Succeeded at <TIME>\n"
    assert failed.read_text() == "ran\n", "the succeeded step ran twice"
    assert_golden("retry-after.txt", normalize.text(cli.ok("get", "fixable")))
    wf = cli.workflow("fixable")
    assert wf["spec"]["arguments"]["parameters"] == [{"name": "fix", "value": "yes"}]
    assert wf["metadata"]["labels"]["workflows.argoproj.io/completed"] == "true"
    logs = cli.ok("logs", "fixable", "check", "--no-prefix")
    assert logs.splitlines()[-1] == "fix=yes"


def test_retry_wait_exits_by_phase(cli: Cli, failed: Path) -> None:
    still_failing = cli("retry", "fixable", "--wait")
    assert still_failing.returncode == 1, still_failing.stderr
    assert "fixable" in still_failing.stdout and "Failed" in still_failing.stdout
    assert failed.read_text() == "ran\n"
    fixed = cli("retry", "fixable", "-p", "fix=yes", "--wait", "-o", "json")
    assert fixed.returncode == 0, fixed.stderr
    assert json.loads(fixed.stdout)["status"]["phase"] == "Succeeded"
    assert failed.read_text() == "ran\n"


def test_retry_of_a_succeeded_workflow_is_refused(cli: Cli) -> None:
    cli.ok("submit", manifest("steps.yaml"), "--name", "fine", "--wait")
    result = cli("retry", "fine")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("error: To retry a succeeded workflow, set the options restartSuccessful and "
                             "nodeFieldSelector\n")


def test_resubmit_memoized_reuses_succeeded_steps(cli: Cli, failed: Path) -> None:
    result = cli("resubmit", "fixable", "--memoized", "-p", "fix=yes", "--wait", "-o", "json")
    assert result.returncode == 0, result.stderr
    wf = json.loads(result.stdout)
    new_name = wf["metadata"]["name"]
    assert new_name.startswith("fixable-") and len(new_name) == len("fixable-") + 5
    assert wf["metadata"]["labels"]["workflows.argoproj.io/resubmitted-from-workflow"] == "fixable"
    nodes = {n["displayName"]: n for n in wf["status"]["nodes"].values()}
    assert (nodes["count"]["type"], nodes["count"]["phase"]) == ("Skipped", "Skipped")
    assert nodes["count"]["message"].startswith("original pod: fixable-")
    assert nodes["check"]["phase"] == "Succeeded"
    assert failed.read_text() == "ran\n", "a memoized step ran again"
    assert cli.workflow("fixable")["status"]["phase"] == "Failed"  # the original is left alone


def test_resubmit_runs_everything_again(cli: Cli, failed: Path) -> None:
    name = cli.ok("resubmit", "fixable", "-p", "fix=yes", "-o", "name").strip()
    assert name.startswith("fixable-") and name != "fixable"
    assert normalize.text(cli.ok("wait", name), {name: "fixable-XXXXX"}) == "fixable-XXXXX Succeeded at <TIME>\n"
    assert failed.read_text() == "ran\nran\n"


def test_delete(cli: Cli) -> None:
    cli.ok("submit", manifest("steps.yaml"), "--name", "first", "--wait")
    cli.ok("submit", manifest("steps.yaml"), "--name", "second", "--wait")
    cli.ok("submit", manifest("fail.yaml"), "--name", "third")
    assert cli("wait", "third").returncode == 1
    assert cli.ok("delete", "first", "missing") == "Workflow 'first' deleted\nWorkflow 'missing' not found\n"
    assert cli.ok("delete", "--completed", "--dry-run").splitlines() == [
        "Workflow 'second' deleted (dry-run)", "Workflow 'third' deleted (dry-run)"]
    # both finished within the same second (finishedAt has whole seconds): either order is Argo's
    assert sorted(cli.ok("list", "-o", "name").split()) == ["second", "third"]
    assert cli.ok("delete", "--all").splitlines() == ["Workflow 'second' deleted", "Workflow 'third' deleted"]
    assert cli.ok("list") == "No workflows found\n"
    assert cli.ok("delete", "--all") == "No resources found\n"
    nothing = cli("delete")
    assert nothing.returncode == 2 and nothing.stderr.startswith("error: give workflow names")


def test_delete_terminates_a_running_workflow(cli: Cli) -> None:
    cli.ok("submit", manifest("sleepy.yaml"), "--name", "busy", "-o", "name")
    cli.until_node("busy", "nap", "Running")
    pod = cli.node("busy", "nap")
    assert pod is not None
    assert cli.ok("delete", "busy") == "Workflow 'busy' deleted\n"
    assert cli.ok("list") == "No workflows found\n"
    pod_dir = cli.home / "namespaces" / "default" / "pods" / f"busy-nap-{pod['id'].rsplit('-', 1)[1]}"
    if pod_dir.is_dir():  # the killed pod has a final status (no process left running)
        cli.until(lambda: (pod_dir / "status.json").exists() or not pod_dir.exists(), "the pod to be killed")
