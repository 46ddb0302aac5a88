"""The per-step memos (issue 11 item 2) answer as the uncached code would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from argoctl.engine.globals import global_variables
from argoctl.model.ids import node_id, pod_name, pod_name_of_id
from argoctl.model.records import replace


def _metadata(labels: dict[str, str]) -> dict[str, object]:
    return {"name": "memo-wf", "namespace": "argo", "uid": "u", "creationTimestamp": "2024-01-01T00:00:00Z",
            "labels": labels}


SPEC = {"entrypoint": "main", "arguments": {"parameters": [{"name": "p", "value": "one"}]}}


def test_global_variables_follow_a_changed_label_and_parameter() -> None:
    memo: dict[str, Any] = {}
    first = global_variables(_metadata({"a": "1"}), SPEC, None, {}, memo)
    second = global_variables(_metadata({"a": "2"}), SPEC, None, {}, memo)
    assert first["workflow.labels.a"] == "1"
    assert second["workflow.labels.a"] == "2"
    spec = {**SPEC, "arguments": {"parameters": [{"name": "p", "value": "two"}]}}
    assert global_variables(_metadata({"a": "2"}), spec, None, {}, memo)["workflow.parameters.p"] == "two"
    outputs = {"parameters": [{"name": "o", "value": "x"}]}
    assert global_variables(_metadata({"a": "2"}), spec, outputs, {}, memo)["workflow.outputs.parameters.o"] == "x"
    assert set(memo) == {"memo-wf"}


def test_a_caller_changing_its_globals_does_not_change_the_next_answer() -> None:
    memo: dict[str, Any] = {}
    first = global_variables(_metadata({}), SPEC, None, {}, memo)
    first["workflow.status"] = "Running"
    first["workflow.parameters.p"] = "changed"
    again = global_variables(_metadata({}), SPEC, None, {}, memo)
    assert "workflow.status" not in again
    assert again["workflow.parameters.p"] == "one"


@dataclass(frozen=True, slots=True)
class _Pair:
    left: int
    right: tuple[int, ...] = ()


def test_replace_copies_every_field_and_names_an_unknown_one() -> None:
    pair = _Pair(1, (2,))
    assert replace(pair, left=3) == _Pair(3, (2,))
    assert pair == _Pair(1, (2,))
    with pytest.raises(TypeError, match="no field"):
        replace(pair, middle=1)


def test_replace_refuses_a_dataclass_with_post_init() -> None:
    @dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="plain dataclass"):
        replace(Checked(1), value=-1)


@pytest.mark.parametrize(("node_name", "template"), [
    ("memo-wf", "main"), ("memo-wf.t0", "noop"), ("memo-wf[0].a(1)", ""), ("memo-wf.t1", "x" * 300),
])
def test_a_pod_name_from_the_node_id_is_the_pod_name_from_the_node_name(node_name: str, template: str) -> None:
    nid = node_id("memo-wf", node_name)
    assert pod_name_of_id("memo-wf", nid, template) == pod_name("memo-wf", node_name, template)
