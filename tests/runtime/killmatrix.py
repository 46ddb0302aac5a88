"""The kill matrix: SIGKILL a workflow's driver at many points of the twelve-step ledger workflow
(``ledger.twelve_step_workflow``), let ``argoctl wait`` take over (and at some points SIGKILL that
taker too, then ``wait`` again), and check that every step ran exactly once and every passed
output arrived. Shared by the local (``tests/runtime``) and pod mode (``tests/kube``) suites.

A kill point is (ledger lines written before the kill, a further delay, kill the taker too): the
full matrix crosses 13 line counts, 2 delays and both taker choices (52 points per mode).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.runtime.ledger import TWELVE_STEP_LEDGER, twelve_step_workflow

Holder = Callable[[str], str | None]  # workflow name -> the lease holder ("host:pid"), if any
EXECUTIONS = len(TWELVE_STEP_LEDGER)
REPORT_ENV = "KILLMATRIX_REPORT"


@dataclass(frozen=True)
class KillPoint:
    after: int  # ledger lines written when the driver is killed
    delay: float  # seconds after that line
    kill_taker: bool  # also SIGKILL the `wait` that took over, two ledger lines later

    @property
    def id(self) -> str:
        return f"after{self.after}+{self.delay:g}s{'-taker' if self.kill_taker else ''}"


FULL_MATRIX = [KillPoint(after, delay, taker) for after in range(EXECUTIONS) for delay in (0.0, 0.35)
               for taker in (False, True)]
SHORT_MATRIX = [KillPoint(1, 0.0, False), KillPoint(6, 0.35, True), KillPoint(10, 0.0, True)]


@dataclass
class Outcome:
    point: KillPoint
    killed: list[str] = field(default_factory=list)  # "driver", "taker": what was really killed
    ledger: list[str] = field(default_factory=list)
    phase: str = ""
    errors: list[str] = field(default_factory=list)


def cli(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "argoctl", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def lines(runs: Path) -> list[str]:
    try:
        return runs.read_text().split()
    except OSError:
        return []


def until(condition: Callable[[], object], timeout: float, poll: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(poll)
    return True


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


def kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return until(lambda: gone(pid), 10)


def pid_of(holder: str | None) -> int | None:
    if not holder or ":" not in holder:
        return None
    pid = holder.rsplit(":", 1)[1]
    return int(pid) if pid.isdigit() else None


def run_trial(point: KillPoint, *, name: str, env: dict[str, str], ledger: Path, holder: Holder,
              sleep: float = 0.2) -> Outcome:
    """Submit, kill as ``point`` says, wait again as often as needed; return what happened."""
    outcome = Outcome(point)
    manifest = ledger / f"{name}.yaml"
    manifest.write_text(twelve_step_workflow(name, ledger, sleep=sleep))
    runs = ledger / "runs"
    submitted = cli(env, "submit", str(manifest), "-o", "name")
    if submitted.returncode != 0:
        outcome.errors.append(f"submit: {submitted.stderr.strip()}")
        return outcome
    until(lambda: holder(name) is not None, 60)
    until(lambda: len(lines(runs)) >= point.after, 120)
    time.sleep(point.delay)
    driver = pid_of(holder(name))
    if driver is not None and kill(driver):
        outcome.killed.append("driver")
    if point.kill_taker:
        _kill_the_taker(outcome, name, env, runs, holder)
    waited = cli(env, "wait", name)
    if waited.returncode != 0:
        outcome.errors.append(f"wait exited {waited.returncode}: {waited.stderr.strip()[-400:]}")
    _check(outcome, name, env, runs)
    record(outcome)
    return outcome


def record(outcome: Outcome) -> None:
    """Append the outcome to ``$KILLMATRIX_REPORT`` (JSON lines), when set: the README's figures."""
    report = os.environ.get(REPORT_ENV)
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.write(json.dumps({"point": outcome.point.id, "killed": outcome.killed, "phase": outcome.phase,
                                  "errors": outcome.errors}) + "\n")


def _kill_the_taker(outcome: Outcome, name: str, env: dict[str, str], runs: Path, holder: Holder) -> None:
    target = len(lines(runs)) + 2
    taker = subprocess.Popen([sys.executable, "-m", "argoctl", "wait", name], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        until(lambda: taker.poll() is not None or pid_of(holder(name)) == taker.pid, 60)
        until(lambda: taker.poll() is not None or len(lines(runs)) >= target, 120)
        if taker.poll() is None:
            taker.kill()
            outcome.killed.append("taker")
    finally:
        taker.wait(timeout=30)


def _check(outcome: Outcome, name: str, env: dict[str, str], runs: Path) -> None:
    outcome.ledger = lines(runs)
    if sorted(outcome.ledger) != TWELVE_STEP_LEDGER:
        extra = Counter(outcome.ledger) - Counter(TWELVE_STEP_LEDGER)
        missing = Counter(TWELVE_STEP_LEDGER) - Counter(outcome.ledger)
        outcome.errors.append(f"ledger: ran more than once {dict(extra)}, never ran {dict(missing)}")
    got = cli(env, "get", name, "-o", "json")
    try:
        status = json.loads(got.stdout)["status"]
    except (ValueError, KeyError):
        outcome.errors.append(f"get: {got.stderr.strip()}")
        return
    outcome.phase = str(status.get("phase"))
    if outcome.phase != "Succeeded":
        outcome.errors.append(f"phase {outcome.phase}: {status.get('message')}")
    outputs = {n["displayName"]: (n.get("outputs") or {}).get("parameters") or [] for n in status["nodes"].values()}
    joined = [p.get("value") for p in outputs.get("graph", []) if p.get("name") == "joined"]
    if joined != ["out-w:out-y:out-x+out-z"]:
        outcome.errors.append(f"the DAG's passed output is {joined}")


def summary(report: Path) -> str:
    """``python -m tests.runtime.killmatrix REPORT``: one line for the README's reliability section."""
    rows = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    drivers = sum("driver" in r["killed"] for r in rows)
    takers = sum("taker" in r["killed"] for r in rows)
    bad = [r for r in rows if r["errors"]]
    return (f"{len(rows)} kill points: {drivers} drivers and {takers} takers SIGKILLed; "
            f"{len(rows) - len(bad)} ended Succeeded with every step run exactly once, {len(bad)} did not")


if __name__ == "__main__":
    print(summary(Path(sys.argv[1])))
