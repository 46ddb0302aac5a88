"""Golden tests for ``-o dot`` and ``-o mermaid``: the seed's training pipeline (a DAG with a
quality gate) and its hyper-parameter fan-out, drawn after a real run (``get``) and before it
(``lint``). Node ids follow node names, so the goldens hold whatever the run's timing."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.cli.conftest import REPO, Cli, assert_golden
from tests.render.test_render_graph import check_mermaid

EXAMPLES = {"training": REPO / "examples" / "training-pipeline.yaml",
            "fanout": REPO / "examples" / "hyperparameter-search.yaml"}


def check_dot(text: str) -> None:
    if shutil.which("dot") is None:  # the golden still pins the text; graphviz checks the syntax
        return
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_get_draws_the_run(cli: Cli, example: str) -> None:
    name = f"{example}-golden"
    cli.ok("submit", str(EXAMPLES[example]), "--name", name, "--wait")
    dot = cli.ok("get", name, "-o", "dot")
    mermaid = cli.ok("get", name, "-o", "mermaid")
    check_dot(dot)
    check_mermaid(mermaid)
    assert_golden(f"graph-{example}-run.dot", dot)
    assert_golden(f"graph-{example}-run.mmd", mermaid)


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_lint_draws_the_templates(cli: Cli, example: str) -> None:
    dot = cli.ok("lint", str(EXAMPLES[example]), "-o", "dot")
    mermaid = cli.ok("lint", str(EXAMPLES[example]), "-o", "mermaid")
    check_dot(dot)
    check_mermaid(mermaid)
    assert_golden(f"graph-{example}-lint.dot", dot)
    assert_golden(f"graph-{example}-lint.mmd", mermaid)


def test_lint_draws_nothing_for_an_invalid_manifest(cli: Cli) -> None:
    bad = cli.write("bad.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\n"
                    "spec: {entrypoint: missing, templates: [{name: a, container: {image: alpine}}]}\n")
    result = cli("lint", bad, "-o", "dot")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "spec.entrypoint" in result.stderr


def test_an_unknown_graph_format_is_refused(cli: Cli) -> None:
    result = cli("lint", str(EXAMPLES["training"]), "-o", "svg")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
