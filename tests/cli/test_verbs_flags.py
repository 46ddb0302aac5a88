"""Flags of issue 8 that run no workflow: lint ``-o``/``--kinds``/``--offline``, ``submit
--server-dry-run``, and the selection flags of ``delete``/``logs`` over a finished workflow."""

from __future__ import annotations

from tests.cli.conftest import Cli, manifest

REF = """apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: ref-}
spec:
  workflowTemplateRef: {name: greeter}
"""


def test_lint_kinds_offline_and_pretty(cli: Cli) -> None:
    ref = cli.write("ref.yaml", REF)
    cli.ok("apply", "-f", manifest("template.yaml"))
    assert cli.ok("lint", ref) == "no linting errors found!\n"  # the stored template resolves it
    offline = cli("lint", ref, "--offline")
    assert offline.returncode == 2 and "greeter" in offline.stderr
    pretty = cli("lint", ref, "--offline", "-o", "pretty")
    assert pretty.returncode == 2 and pretty.stderr.rstrip().endswith("✖ 1 linting errors found!")
    only_templates = cli("lint", ref, manifest("template.yaml"), "--offline", "--kinds", "workflowtemplates")
    assert (only_templates.returncode, only_templates.stdout) == (0, "no linting errors found!\n")
    bad = cli("lint", ref, "--kinds", "pods")
    assert bad.returncode == 2 and bad.stderr.startswith("error: unknown --kinds pods")


def test_submit_server_dry_run_checks_without_creating(cli: Cli) -> None:
    assert cli.ok("submit", manifest("steps.yaml"), "--name", "dry", "--server-dry-run", "-o", "name") == "dry\n"
    assert cli.ok("list") == "No workflows found\n"
    cli.ok("submit", manifest("steps.yaml"), "--name", "dry", "--wait")
    taken = cli("submit", manifest("steps.yaml"), "--name", "dry", "--server-dry-run", "-o", "name")
    assert taken.returncode == 2 and 'workflows.argoproj.io "dry" already exists' in taken.stderr
    needs_output = cli("submit", manifest("steps.yaml"), "--server-dry-run")
    assert needs_output.returncode == 2 and "--server-dry-run needs -o" in needs_output.stderr


def test_logs_and_delete_select(cli: Cli) -> None:
    cli.ok("submit", manifest("steps.yaml"), "--name", "sel-a", "--wait")
    cli.ok("-n", "other", "submit", manifest("steps.yaml"), "--name", "sel-b", "--wait")
    both = cli.ok("logs", "sel-a", "-l", "workflows.argoproj.io/workflow=sel-a", "--no-prefix")
    assert both.endswith("got hello\n")
    assert cli.ok("logs", "sel-a", "-l", "app=none") == ""
    assert cli.ok("logs", "sel-a", "--since-time", "2999-01-01T00:00:00Z") == ""
    assert cli.ok("logs", "sel-a", "--tail", "1", "--no-prefix") == "got hello\n"
    assert cli.ok("delete", "--all", "--prefix", "nope") == "No resources found\n"
    assert cli.ok("delete", "--dry-run", "--status", "Succeeded") == "Workflow 'sel-a' deleted (dry-run)\n"
    assert cli.ok("delete", "--all", "-A") == "Workflow 'sel-a' deleted\nWorkflow 'sel-b' deleted\n"
    assert cli.ok("list", "-A") == "No workflows found\n"
    assert sorted(cli.ok("archive", "list", "-o", "name").split()) == ["sel-a"]  # this namespace's archive


KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: "t0ken"}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
"""


def test_auth_token_prints_the_contexts_bearer_token(cli: Cli) -> None:
    with_token = cli.write("kc.yaml", KUBECONFIG)
    assert cli.ok("--kubeconfig", with_token, "auth", "token") == "Bearer t0ken\n"
    without = cli.write("kc2.yaml", KUBECONFIG.replace('token: "t0ken"', 'client-certificate-data: ""'))
    result = cli("--kubeconfig", without, "auth", "token")
    assert result.returncode == 2 and result.stderr.startswith("error: the current kubeconfig context has no token")


def test_get_no_utf8_prints_ascii_only(cli: Cli) -> None:
    cli.ok("submit", manifest("steps.yaml"), "--name", "ascii", "--wait")
    assert "├" in cli.ok("get", "ascii")
    assert cli.ok("get", "ascii", "--no-utf8").isascii()
