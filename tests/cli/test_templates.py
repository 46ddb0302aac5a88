"""apply, template create/get/list/delete/lint, submit --from, version and completion."""

from __future__ import annotations

import json
import platform
import re

from argoctl import __version__
from tests.cli.conftest import REPO, Cli, assert_golden, manifest, normalize


def test_apply_then_submit_from_the_stored_template(cli: Cli) -> None:
    assert cli.ok("apply", "-f", manifest("template.yaml")) == "workflowtemplate.argoproj.io/greeter created\n"
    assert cli.ok("apply", "-f", manifest("template.yaml")) == "workflowtemplate.argoproj.io/greeter configured\n"
    result = cli("submit", "--from", "workflowtemplate/greeter", "-p", "who=cli", "--wait", "-o", "json")
    assert result.returncode == 0, result.stderr
    wf = json.loads(result.stdout)
    assert wf["spec"]["workflowTemplateRef"] == {"name": "greeter"}
    assert wf["metadata"]["generateName"] == "greeter-"
    assert wf["metadata"]["labels"]["workflows.argoproj.io/workflow-template"] == "greeter"
    assert wf["status"]["phase"] == "Succeeded"
    name = wf["metadata"]["name"]
    assert cli.ok("logs", name, "--no-prefix") == "hello cli\n"
    default = cli("submit", "--from", "wftmpl/greeter", "--wait", "-o", "name")
    assert default.returncode == 0, default.stderr
    assert cli.ok("logs", default.stdout.strip(), "--no-prefix") == "hello world\n"


def test_template_verbs(cli: Cli) -> None:
    assert cli.ok("template", "list") == "No workflow templates found\n"
    assert cli.ok("template", "create", manifest("template.yaml")) == "workflowtemplate.argoproj.io/greeter created\n"
    assert cli.ok("template", "list", "-o", "name") == "greeter\n"
    assert cli.ok("template", "list") == "NAME   \ngreeter\n"
    shown = cli.ok("template", "get", "greeter")
    assert_golden("template-get.yaml", normalize.text(shown))
    assert json.loads(cli.ok("template", "get", "greeter", "-o", "json", "--query", "spec.entrypoint")) == "greet"
    assert cli.ok("template", "lint", manifest("template.yaml")) == "no linting errors found!\n"
    assert cli.ok("template", "delete", "greeter") == 'WorkflowTemplate "greeter" deleted\n'
    assert cli.ok("template", "delete", "greeter") == 'WorkflowTemplate "greeter" not found\n'
    gone = cli("submit", "--from", "workflowtemplate/greeter")
    assert gone.returncode == 2
    assert gone.stderr.startswith('error: WorkflowTemplate.argoproj.io "greeter" not found\n')
    missing = cli("template", "get", "greeter")
    assert missing.returncode == 2 and 'not found' in missing.stderr


def test_template_create_rejects_what_is_not_a_valid_template(cli: Cli) -> None:
    workflow = cli("template", "create", manifest("steps.yaml"))
    assert (workflow.returncode, workflow.stdout) == (2, "")
    assert workflow.stderr.startswith(f"error: {manifest('steps.yaml')}: document 1 is a Workflow\n")
    broken = cli.write("bad-template.yaml", """apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: bad
spec:
  entrypoint: missing
  templates:
    - name: t
      container: {image: alpine:3.23, command: ["true"]}
""")
    rejected = cli("template", "create", broken)
    assert rejected.returncode == 2 and rejected.stdout == ""
    assert re.search(rf"^(error: )?{re.escape(broken)}:6: spec.entrypoint: ", rejected.stderr, re.MULTILINE)
    assert cli.ok("template", "list") == "No workflow templates found\n"


def test_version(cli: Cli) -> None:
    assert cli.ok("version", "--short") == f"argoctl: v{__version__}\n"
    lines = cli.ok("version").splitlines()
    assert lines == [f"argoctl: v{__version__}", f"  Platform: {platform.system().lower()}/{platform.machine()}",
                     f"  Python: {platform.python_version()}"]


def test_completion_prints_the_committed_scripts(cli: Cli) -> None:
    for shell, file_name in (("bash", "argoctl.bash"), ("zsh", "_argoctl"), ("fish", "argoctl.fish")):
        assert cli.ok("completion", shell) == (REPO / "completions" / file_name).read_text(), shell
    unknown = cli("completion", "pwsh")
    assert unknown.returncode == 2 and unknown.stderr.startswith("error: unknown shell 'pwsh'\n")
