"""Processes racing for driver leases: exactly one wins each lease, the losers are told who won."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.s3.fixtures import S3Endpoint

REPO = Path(__file__).resolve().parents[2]
RACERS = 4
LEASES = 12

_RACER = textwrap.dedent(
    """
    import json, sys
    from argoctl.errors import ConflictError
    from argoctl.stores.factory import open_store

    store = open_store(sys.argv[1], namespace="default")
    holder, count = sys.argv[2], int(sys.argv[3])
    store.get_lease("warm-up")  # connect before the start line
    print("ready", flush=True)
    sys.stdin.readline()
    outcome = {}
    for i in range(count):
        try:
            store.acquire_lease(f"race-{i}", holder, 60, 1000.0)
            outcome[i] = "won"
        except ConflictError as err:
            outcome[i] = err.message
    print(json.dumps(outcome), flush=True)
    """
)


def _race(store_url: str, env: dict[str, str]) -> dict[int, list[tuple[str, str]]]:
    """Start the racers, release them together, and return lease → [(holder, outcome)]."""
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, store_url, f"driver-{n}", str(LEASES)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )
        for n in range(RACERS)
    ]
    try:
        for racer in racers:
            assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        outcomes: dict[int, list[tuple[str, str]]] = {i: [] for i in range(LEASES)}
        for n, racer in enumerate(racers):
            out, _ = racer.communicate(timeout=120)
            assert racer.returncode == 0
            for lease, outcome in json.loads(out).items():
                outcomes[int(lease)].append((f"driver-{n}", outcome))
        return outcomes
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()


def _assert_one_winner_each(outcomes: dict[int, list[tuple[str, str]]]) -> None:
    for lease, results in outcomes.items():
        winners = [holder for holder, outcome in results if outcome == "won"]
        assert len(winners) == 1, f"race-{lease}: winners {winners}"
        for holder, outcome in results:
            if holder != winners[0]:
                assert winners[0] in outcome, f"race-{lease}: {holder} was told {outcome!r}"


def _clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PYTHONPATH=str(REPO), AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
               AWS_EC2_METADATA_DISABLED="true", **extra)
    return env


def test_processes_racing_on_the_local_store(tmp_path: Path) -> None:
    outcomes = _race(f"file://{tmp_path / 'home'}", _clean_env({}))
    _assert_one_winner_each(outcomes)


@pytest.mark.s3
def test_processes_racing_on_the_s3_store(s3_bucket: S3Endpoint) -> None:
    outcomes = _race(s3_bucket.url("race"), _clean_env(s3_bucket.env()))
    _assert_one_winner_each(outcomes)
