"""The engine's time and randomness are its inputs: ``now`` and ``EngineEnv.random``."""

from __future__ import annotations

import re

from argoctl.engine.types import EngineEnv
from argoctl.expr.sources import SeededRandom
from argoctl.sources import SYSTEM_RANDOM
from tests.engine.harness import T0, arg, check_workflow, drive

RANDOM_ARGS = """
templates:
- name: main
  steps:
  - - name: use
      template: echo
      arguments:
        parameters:
        - {name: token, value: "{{=sprig.randAlphaNum(16)}}"}
        - {name: id, value: "{{=sprig.uuidv4()}}"}
        - {name: year, value: "{{=now().Year()}}"}
        - {name: stamp, value: "{{=sprig.date('2006-01-02T15:04', sprig.now())}}"}
- name: echo
  inputs: {parameters: [{name: token}, {name: id}, {name: year}, {name: stamp}]}
  container: {image: alpine}
"""


def _values(env: EngineEnv | None = None) -> list[str]:
    run = drive(RANDOM_ARGS, env=env)
    check_workflow(run, "Succeeded")
    node = run.node("wf[0].use")
    return [str(arg(node, i)) for i in range(4)]


def test_without_a_random_source_the_same_run_gives_the_same_values() -> None:
    first, again = _values(), _values()
    assert first == again
    token, uuid, year, stamp = first
    assert re.fullmatch(r"[A-Za-z0-9]{16}", token) and re.fullmatch(r"[0-9a-f-]{36}", uuid)
    assert (year, stamp) == (str(T0.year), T0.strftime("%Y-%m-%dT%H:%M"))  # the step's now, not the wall clock


def test_the_given_random_source_is_used() -> None:
    seeded = _values(EngineEnv(random=SeededRandom(42)))
    assert seeded == _values(EngineEnv(random=SeededRandom(42)))
    assert seeded[:2] != _values(EngineEnv(random=SeededRandom(43)))[:2]
    assert _values(EngineEnv(random=SYSTEM_RANDOM))[:2] != _values(EngineEnv(random=SYSTEM_RANDOM))[:2]


def test_the_node_id_cache_lives_in_the_env() -> None:
    env = EngineEnv()
    drive(RANDOM_ARGS, env=env)
    assert env.node_ids["wf"]["wf[0].use"].startswith("wf-")
