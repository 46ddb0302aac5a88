"""Hera pipeline files run unchanged: ``argoctl submit FILE.py --wait`` gives the same nodes,
phases and outputs as submitting the YAML that Hera itself writes for the same pipeline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli

pytest.importorskip("hera", reason="hera is pinned in the test extra: pip install -e '.[test]'")

PIPELINES = Path(__file__).resolve().parent / "hera_pipelines"
JSON = dict[str, Any]

# writes the YAML Hera produces for one module-level object, as a user would with to_yaml()
HERA_TO_YAML = """
import runpy, sys, yaml
namespace = runpy.run_path(sys.argv[1], run_name="hera_yaml")
print(yaml.safe_dump(namespace[sys.argv[2]].to_dict(), sort_keys=False))
"""


def hera_yaml(cli: Cli, pipeline: str, variable: str) -> str:
    done = subprocess.run([sys.executable, "-c", HERA_TO_YAML, str(PIPELINES / pipeline), variable],
                          capture_output=True, text=True, check=True, env=cli.env)
    return cli.write(pipeline.replace(".py", f"-{variable}.yaml"), done.stdout)


def summary(workflow: JSON) -> dict[str, tuple[str, str, str, tuple[tuple[str, str], ...]]]:
    """display name → (type, phase, result, output parameters), the root under ``<root>``."""
    name = workflow["metadata"]["name"]
    rows = {}
    for node in workflow["status"]["nodes"].values():
        outputs = node.get("outputs") or {}
        parameters = tuple(sorted((p["name"], str(p.get("value"))) for p in outputs.get("parameters") or ()))
        display = "<root>" if node["displayName"] == name else node["displayName"]
        rows[display] = (node["type"], node["phase"], str(outputs.get("result")), parameters)
    return rows


def submit_json(cli: Cli, *args: str) -> JSON:
    result = cli("submit", *args, "--wait", "-o", "json")
    assert result.returncode == 0, result.stderr
    found: JSON = json.loads(result.stdout)
    return found


def printed(cli: Cli, workflow: JSON) -> list[tuple[str, str]]:
    """(template, line) for every line the workflow's pods printed, sorted (pod names differ)."""
    name = workflow["metadata"]["name"]
    lines = []
    for line in cli.ok("logs", name).splitlines():
        match = re.match(rf"^{re.escape(name)}-(?P<template>.+)-[0-9]+: (?P<text>.*)$", line)
        assert match, line
        lines.append((match.group("template"), match.group("text")))
    return sorted(lines)


@pytest.mark.parametrize(("pipeline", "expected"), [
    ("fan_out_fan_in.py", [("square", "9"), ("total", "14")]),
    ("script_outputs.py", [("consume", "produced: 42")]),
    ("dag_conditions.py", [("heads", "it was heads"), ("report", "done")]),
])
def test_a_hera_file_runs_like_the_yaml_hera_writes(
    cli: Cli, pipeline: str, expected: list[tuple[str, str]]
) -> None:
    from_python = submit_json(cli, str(PIPELINES / pipeline))
    from_yaml = submit_json(cli, hera_yaml(cli, pipeline, "w"))
    assert from_python["status"]["phase"] == "Succeeded"
    assert summary(from_python) == summary(from_yaml)
    assert printed(cli, from_python) == printed(cli, from_yaml)
    assert set(expected) <= set(printed(cli, from_python))


def test_conditions_skip_the_branch_not_taken(cli: Cli) -> None:
    workflow = submit_json(cli, str(PIPELINES / "dag_conditions.py"), "-p", "threshold=3")
    rows = summary(workflow)
    assert rows["heads"][1] == "Skipped"
    assert rows["tails"][:2] == ("Pod", "Succeeded")
    assert ("tails", "it was tails") in printed(cli, workflow)


def test_a_workflow_template_from_python_is_applied_and_referenced(cli: Cli) -> None:
    pipeline = str(PIPELINES / "template_ref.py")
    assert cli.ok("apply", "-f", pipeline, "--object", "greeter").strip() == \
        "workflowtemplate.argoproj.io/hera-greeter created"
    from_python = submit_json(cli, pipeline, "--object", "w")
    from_yaml = submit_json(cli, hera_yaml(cli, "template_ref.py", "w"))
    assert summary(from_python) == summary(from_yaml)
    assert printed(cli, from_python) == [("greet", "hello hera")]
    # the template's metadata.name selects it too, and template create reads .py files
    assert cli.ok("template", "create", pipeline, "--object", "hera-greeter").strip() == \
        "workflowtemplate.argoproj.io/hera-greeter configured"


def test_a_file_with_several_objects_needs_object(cli: Cli) -> None:
    result = cli("submit", str(PIPELINES / "template_ref.py"), "--dry-run", "-o", "name")
    assert result.returncode == 2
    assert "is a WorkflowTemplate, not a Workflow" in result.stderr


def test_lint_reads_python_files_and_names_the_binding_line(cli: Cli) -> None:
    assert cli.ok("lint", str(PIPELINES / "fan_out_fan_in.py")).strip() == "no linting errors found!"
    drawn = cli.ok("lint", str(PIPELINES / "fan_out_fan_in.py"), "-o", "mermaid")
    assert 'n2("square (withParam)")' in drawn and "n2 --> n3" in drawn
    bad = cli.write("bad_entry.py", (
        "from hera.workflows import Container, Workflow\n"
        "\n"
        "with Workflow(name='bad-entry', entrypoint='missing') as w:\n"
        "    Container(name='c', image='alpine:3.19', command=['true'])\n"
    ))
    result = cli("lint", bad)
    assert result.returncode == 2
    assert f"{bad}:3: spec.entrypoint" in result.stderr + result.stdout


def test_an_exception_in_the_file_names_its_frame_and_exits_2(cli: Cli) -> None:
    bad = cli.write("raises.py", "import hera.workflows\n\nratio = 1 / 0\n")
    result = cli("submit", bad)
    assert result.returncode == 2
    assert f"error: {bad}:3: ZeroDivisionError: division by zero" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_exception_inside_hera_points_back_at_the_users_line(cli: Cli) -> None:
    bad = cli.write("hera_raises.py", (
        "from hera.workflows import DAG, Workflow, script\n"
        "@script()\n"
        "def a() -> None:\n"
        "    print(1)\n"
        "with Workflow(name='x', entrypoint='main') as w:\n"
        "    with DAG(name='main'):\n"
        "        x = a(name='x')\n"
        "        y = a(name='y', depends='x')\n"
        "        x >> y\n"
    ))
    result = cli("lint", bad)
    assert result.returncode == 2
    assert "ValueError: x already in y's depends" in result.stderr
    assert f"raised from {bad}:9: x >> y" in result.stderr


def test_a_file_without_hera_objects_says_so(cli: Cli) -> None:
    empty = cli.write("empty.py", "import hera.workflows\nanswer = 42\n")
    result = cli("submit", empty)
    assert result.returncode == 2
    assert "defines no Hera Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow" in result.stderr


def test_an_unknown_object_name_is_reported(cli: Cli) -> None:
    result = cli("lint", str(PIPELINES / "template_ref.py"), "--object", "nope")
    assert result.returncode == 2
    assert "no Hera workflow object named 'nope'" in result.stderr + result.stdout


def test_missing_hera_is_a_clear_error(cli: Cli) -> None:
    shadow = cli.work / "no-hera" / "hera"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'hera'\", name='hera')\n")
    result = cli("submit", str(PIPELINES / "fan_out_fan_in.py"), env={"PYTHONPATH": str(shadow.parent)})
    assert result.returncode == 2
    assert "hera is not installed for" in result.stderr
    assert "pip install hera" in result.stderr


def test_the_files_own_output_and_main_block_stay_out(cli: Cli) -> None:
    noisy = cli.write("noisy.py", (
        "from hera.workflows import Container, Workflow\n"
        "print('building the pipeline')\n"
        "with Workflow(name='noisy', entrypoint='c') as w:\n"
        "    Container(name='c', image='alpine:3.19', command=['true'])\n"
        "if __name__ == '__main__':\n"
        "    raise SystemExit('would submit to a cluster')\n"
    ))
    result = cli("submit", noisy, "--dry-run", "-o", "name")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "noisy"
    assert "building the pipeline" in result.stderr


def test_verbose_shows_the_files_own_traceback(cli: Cli) -> None:
    bad = cli.write("raises.py", "import hera.workflows\n\n\ndef f():\n    return 1 / 0\n\n\nf()\n")
    result = cli("-v", "submit", bad)
    assert result.returncode == 2
    assert "the pipeline file's traceback:" in result.stderr
    assert f'File "{bad}", line 5, in f' in result.stderr


def test_cron_workflows_and_cluster_templates_from_python(cli: Cli) -> None:
    path = cli.write("scheduled.py", (
        "from hera.workflows import ClusterWorkflowTemplate, Container, CronWorkflow\n"
        "with CronWorkflow(name='nightly', schedule='0 1 * * *', entrypoint='c') as cron:\n"
        "    Container(name='c', image='alpine:3.19', command=['echo', 'nightly'])\n"
        "with ClusterWorkflowTemplate(name='shared-echo', entrypoint='c') as shared:\n"
        "    Container(name='c', image='alpine:3.19', command=['echo', 'shared'])\n"
    ))
    assert cli.ok("cron", "create", path, "--object", "cron", "-o", "name").strip() == "nightly"
    assert cli.ok("cluster-template", "create", path, "--object", "shared-echo").strip() == \
        "clusterworkflowtemplate.argoproj.io/shared-echo created"
    assert cli.ok("cron", "get", "nightly", "-o", "name").strip() == "nightly"
