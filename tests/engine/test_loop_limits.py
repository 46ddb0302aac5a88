"""Loops are capped (``EngineEnv.max_loop_items``): a huge templated sequence is refused, not built."""

from __future__ import annotations

import pytest

from argoctl.engine import loops
from argoctl.engine.types import EngineEnv
from tests.engine.harness import N, check_nodes, check_workflow, drive
from tests.engine.test_when_loops import loop

GLOBAL_N = "arguments: {parameters: [{name: n, value: '100000000'}]}\n"


def test_a_templated_sequence_over_the_cap_errors_the_step_group() -> None:
    run = drive(loop("withSequence", "{count: '{{workflow.parameters.n}}'}", GLOBAL_N))
    message = "withSequence expands to 100,000,000 items, more than the limit of 100,000 " \
              "(set ARGOCTL_MAX_LOOP_ITEMS to change it)"
    check_nodes(run, {"wf[0]": N("StepGroup", "Error", message)})
    check_workflow(run, "Failed")


def test_the_cap_comes_from_the_engine_environment() -> None:
    spec = loop("withParam", "'[1, 2, 3]'")
    check_workflow(drive(spec, env=EngineEnv(max_loop_items=3)), "Succeeded")
    run = drive(spec, env=EngineEnv(max_loop_items=2))
    check_nodes(run, {"wf[0]": N("StepGroup", "Error", "withParam expands to 3 items, more than the limit of 2 "
                                                       "(set ARGOCTL_MAX_LOOP_ITEMS to change it)")})


def test_dag_loops_are_capped_too() -> None:
    run = drive("""
templates:
- name: main
  dag:
    tasks:
    - {name: A, template: c, withSequence: {start: '1', end: '5'}}
""", env=EngineEnv(max_loop_items=4))
    assert "withSequence expands to 5 items" in run.node("wf.A").message
    check_workflow(run, "Error")  # as for any other loop that cannot expand in a DAG


@pytest.mark.parametrize("count", ["100000000", "1000000000000"])
def test_a_sequence_is_refused_before_it_is_built(count: str) -> None:
    with pytest.raises(loops.LoopError, match="more than the limit of 10"):
        loops.sequence_items({"count": count}, limit=10)
