"""stop, terminate, suspend, resume, node set, wait and logs on running workflows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.conftest import Cli, assert_golden, manifest, normalize


def _running_nap(cli: Cli, name: str) -> None:
    cli.ok("submit", manifest("sleepy.yaml"), "--name", name, "-o", "name")
    cli.until_node(name, "nap", "Running")


def test_stop_kills_running_steps_and_runs_the_exit_handler(cli: Cli) -> None:
    _running_nap(cli, "stopped")
    assert cli.ok("stop", "stopped") == "workflow stopped stopped\n"
    waited = cli("wait", "stopped")
    assert (waited.returncode, normalize.text(waited.stdout)) == (1, "stopped Failed at <TIME>\n")
    assert_golden("stop-get.txt", normalize.text(cli.ok("get", "stopped")))
    assert re.fullmatch(r"stopped-goodbye-\d+: goodbye\n", cli.ok("logs", "stopped"))


def test_terminate_skips_the_exit_handler(cli: Cli) -> None:
    _running_nap(cli, "terminated")
    assert cli.ok("terminate", "terminated") == "workflow terminated terminated\n"
    assert cli("wait", "terminated").returncode == 1
    assert_golden("terminate-get.txt", normalize.text(cli.ok("get", "terminated")))
    wf = cli.workflow("terminated")
    assert wf["status"]["message"] == "Stopped with strategy 'Terminate'"
    assert not [n for n in wf["status"]["nodes"].values() if n["displayName"] == "terminated.onExit"]


def test_suspend_holds_new_steps_until_resume(cli: Cli, host_dir: Path) -> None:
    gated = cli.write("gated.yaml", Path(manifest("gated.yaml")).read_text().replace("GATE_DIR", str(host_dir)))
    cli.ok("submit", gated, "--name", "gated", "-o", "name")
    cli.until_node("gated", "gate", "Running")
    assert cli.ok("suspend", "gated") == "workflow gated suspended\n"
    cli.until(lambda: cli.workflow("gated")["spec"].get("suspend") is True, "the driver to apply suspend")
    (host_dir / "open").touch()
    cli.until_node("gated", "gate", "Succeeded")
    held = cli.workflow("gated")
    assert held["spec"]["suspend"] is True and held["status"]["phase"] == "Running"
    assert "after" not in {n["displayName"] for n in held["status"]["nodes"].values()}
    assert re.search(r"^gated +Running \(Suspended\) ", cli.ok("list"), re.MULTILINE)
    assert cli.ok("resume", "gated") == "workflow gated resumed\n"
    assert normalize.text(cli.ok("wait", "gated")) == "gated Succeeded at <TIME>\n"
    assert cli.node("gated", "after") is not None
    assert "suspend" not in cli.workflow("gated")["spec"]


def test_node_set_supplies_a_suspend_output_and_resume_continues(cli: Cli) -> None:
    cli.ok("submit", manifest("approval.yaml"), "--name", "approval", "-o", "name")
    cli.until_node("approval", "approve", "Running")
    assert_golden("approval-waiting.txt", normalize.text(cli.ok("get", "approval")))
    set_output = cli.ok("node", "set", "approval", "--output-parameter", "answer=YES",
                        "--node-field-selector", "displayName=approve")
    assert set_output == "workflow values set\n"
    assert cli.ok("resume", "approval", "--node-field-selector", "displayName=approve") == "workflow approval resumed\n"
    assert normalize.text(cli.ok("wait", "approval")) == "approval Succeeded at <TIME>\n"
    assert re.fullmatch(r"approval-release-\d+: answer was YES\n", cli.ok("logs", "approval"))
    approve = cli.node("approval", "approve")
    assert approve is not None and approve["outputs"]["parameters"][0]["value"] == "YES"
    assert_golden("approval-done.txt", normalize.text(cli.ok("get", "approval")))


def test_node_set_needs_a_selector(cli: Cli) -> None:
    result = cli("node", "set", "x", "--output-parameter", "a=b")
    assert result.returncode == 2 and result.stderr.startswith("error: --node-field-selector is required\n")


def test_control_verbs_on_finished_or_missing_workflows(cli: Cli) -> None:
    cli.ok("submit", manifest("steps.yaml"), "--name", "done", "--wait")
    suspend = cli("suspend", "done")
    assert (suspend.returncode, suspend.stderr) == (2, "error: cannot suspend completed workflows\n")
    resume = cli("resume", "done")
    assert (resume.returncode, resume.stderr) == (2, "error: cannot resume completed workflow done\n")
    missing = cli("stop", "missing")
    assert missing.returncode == 2 and missing.stderr.startswith('error: workflows.argoproj.io "missing" not found')


def test_wait_several_and_logs_options(cli: Cli) -> None:
    first = cli.ok("submit", manifest("dag.yaml"), "--name", "wait-a", "-o", "name").strip()
    second = cli.ok("submit", manifest("fail.yaml"), "--name", "wait-b", "-o", "name").strip()
    waited = cli("wait", first, second)
    assert waited.returncode == 1
    assert normalize.text(waited.stdout) == "wait-a Succeeded at <TIME>\nwait-b Failed at <TIME>\n"
    assert_golden("logs-dag.txt", cli.ok("logs", "wait-a"))
    assert re.fullmatch(r"wait-a-say-\d+: D\n", cli.ok("logs", "wait-a", "d"))
    assert cli.ok("logs", "wait-a", "--no-prefix") == "A\nB\nC\nD\n"
    assert cli.ok("logs", "wait-a", "--tail", "0") == ""
    followed = cli.ok("logs", "wait-a", "-f")
    assert followed == cli.ok("logs", "wait-a")
    missing = cli("wait", "nope", "--ignore-not-found")
    assert (missing.returncode, missing.stdout) == (0, "")


def test_logs_follow_streams_until_the_end(cli: Cli) -> None:
    name = cli.ok("submit", manifest("steps.yaml"), "-o", "name").strip()
    followed = cli.ok("logs", name, "-f")
    assert followed.endswith(": got hello\n")
    assert json.loads(cli.ok("get", name, "-o", "json", "--query", "status.phase")) == "Succeeded"
