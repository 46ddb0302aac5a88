"""``argoctl get`` and ``argoctl list`` over one home holding finished, failed and running workflows."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, assert_golden, manifest, normalize, stop_all


def _next_second() -> None:
    """Let the clock reach the next whole second, so finish times (argo's list order) differ."""
    start = int(time.time())
    while int(time.time()) == start:
        time.sleep(0.05)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """steps-one and diamond-one Succeeded, fail-one Failed, sleepy-one Running."""
    cli = Cli(Path(tmp_path_factory.mktemp("home")))
    for name, file, code in (("steps-one", "steps.yaml", 0), ("diamond-one", "dag.yaml", 0),
                             ("fail-one", "fail.yaml", 1)):
        result = cli("submit", manifest(file), "--name", name, "--wait")
        assert result.returncode == code, result.stderr
        _next_second()
    cli.ok("submit", manifest("sleepy.yaml"), "--name", "sleepy-one", "-p", "seconds=900", "-o", "name")
    cli.until_node("sleepy-one", "nap", "Running")
    yield cli
    stop_all(cli)


def test_get_prints_the_argo_tree(home: Cli) -> None:
    assert_golden("get-steps.txt", normalize.text(home.ok("get", "steps-one")))
    assert_golden("get-failed.txt", normalize.text(home.ok("get", "fail-one")))


def test_get_wide_adds_artifacts_resources_and_node_columns(home: Cli) -> None:
    assert_golden("get-dag-wide.txt", normalize.text(home.ok("get", "diamond-one", "-o", "wide")))


def test_get_filters_nodes(home: Cli) -> None:
    only_b = home.ok("get", "diamond-one", "--node-field-selector", "displayName=b")
    assert_golden("get-dag-selector.txt", normalize.text(only_b))
    assert_golden("get-failed-status.txt", normalize.text(home.ok("get", "fail-one", "--status", "Failed")))


def test_get_json_with_query(home: Cli) -> None:
    names = home.ok("get", "steps-one", "-o", "json", "--query", "status.nodes.*.displayName")
    assert json.loads(names) == ["steps-one", "[0]", "produce", "[1]", "consume"]
    assert names.startswith("[\n    ")  # the Workflow JSON is indented by 4, as argo prints it
    phase = home.ok("get", "fail-one", "-o", "json", "--query", "{phase: status.phase, message: status.message}")
    assert json.loads(phase) == {"phase": "Failed", "message": "child 'fail-one-3041628915' failed"}
    assert home.ok("get", "steps-one", "-o", "yaml", "--query", "status.progress") == "2/2\n...\n"
    assert home.ok("get", "steps-one", "-o", "name") == "steps-one\n"
    whole = json.loads(home.ok("get", "diamond-one", "-o", "json"))
    assert whole["status"]["phase"] == "Succeeded" and len(whole["status"]["nodes"]) == 5


def test_get_rejects_bad_requests(home: Cli) -> None:
    missing = home("get", "nope")
    assert missing.returncode != 0 and missing.stdout == ""
    assert missing.stderr.startswith('error: workflows.argoproj.io "nope" not found\n')
    bad_output = home("get", "steps-one", "-o", "xml")
    assert bad_output.returncode == 2 and bad_output.stderr.startswith("error: unknown output format 'xml'\n")


def test_list_table(home: Cli) -> None:
    assert_golden("list.txt", normalize.text(home.ok("list")))
    table = normalize.text(home.ok("list")).splitlines()
    bare = normalize.text(home.ok("list", "--no-headers")).splitlines()
    # without the header the columns are as wide as their widest age or duration: compare cells
    assert [line.split() for line in bare] == [line.split() for line in table[1:]]


def test_list_names_and_json(home: Cli) -> None:
    assert home.ok("list", "-o", "name") == "sleepy-one\nfail-one\ndiamond-one\nsteps-one\n"
    assert_golden("list.json", normalize.json_text(home.ok("list", "-o", "json")))
    query = home.ok("list", "-o", "json", "--query", "[].{name: metadata.name, phase: status.phase}")
    assert json.loads(query) == [{"name": "sleepy-one", "phase": "Running"}, {"name": "fail-one", "phase": "Failed"},
                                 {"name": "diamond-one", "phase": "Succeeded"},
                                 {"name": "steps-one", "phase": "Succeeded"}]


@pytest.mark.parametrize(("flags", "names"), [
    (("--running",), ["sleepy-one"]),
    (("--completed",), ["fail-one", "diamond-one", "steps-one"]),
    (("--status", "Failed"), ["fail-one"]),
    (("--status", "Succeeded,Failed"), ["fail-one", "diamond-one", "steps-one"]),
    (("--prefix", "diamond"), ["diamond-one"]),
    (("-l", "suite=cli"), ["steps-one"]),
    (("--completed", "--prefix", "s"), ["steps-one"]),
    (("--since", "1h"), ["sleepy-one", "fail-one", "diamond-one", "steps-one"]),
    (("--prefix", "none-"), []),
])
def test_list_filters(home: Cli, flags: tuple[str, ...], names: list[str]) -> None:
    shown = home.ok("list", *flags, "-o", "name")
    assert shown.splitlines() == (names or ["No workflows found"])


def test_list_rejects_running_with_completed(home: Cli) -> None:
    both = home("list", "--running", "--completed")
    assert (both.returncode, both.stdout) == (2, "")
    assert both.stderr == "error: --running and --completed are mutually exclusive\n"


def test_list_empty(cli: Cli) -> None:
    assert cli.ok("list") == "No workflows found\n"
    assert cli.ok("list", "-o", "json") == "[]\n"
