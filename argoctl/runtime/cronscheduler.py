"""The local cron scheduler (``argoctl cron run``): one per store (its lease), firing what is due
a second past each minute and reconciling the other crons' status.

The time comes from an injected ``Clock`` (``argoctl.runtime.supervise``'s); ``now`` may pretend
another time for the decisions (``cron run --now``) while leases and creation stamps stay on the
clock. Between ticks the scheduler waits on its ``stopping`` event, so ``stop()`` (which SIGTERM
calls while ``run`` runs) ends the wait at once.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from argoctl.cron import decide as core
from argoctl.errors import ArgoctlError, ConflictError, StoreError
from argoctl.runtime.crons import KIND, Outcome, refresh, trigger
from argoctl.runtime.supervise import Clock, SystemClock

if TYPE_CHECKING:
    from argoctl.runtime.wiring import Wiring

SCHEDULER_LEASE = "argoctl-cron-scheduler"
LEASE_TTL = 30.0
MAX_WAIT = 15.0  # seconds between ticks at the most: half the lease's time to live


def seconds_to_next_minute(now: datetime) -> float:
    """Wake a second past each minute (cron's granularity), at most ``MAX_WAIT`` apart (the lease)."""
    return min(MAX_WAIT, 61.0 - now.second - now.microsecond / 1e6)


class Scheduler:
    """Fires every CronWorkflow of one store when it is due; ``out`` gets one line per decision,
    ``err`` one per cron in trouble (the others go on), ``on_created`` each workflow created."""

    def __init__(self, wiring: Wiring, *, out: Callable[[str], None], err: Callable[[str], None],
                 clock: Clock | None = None, now: Callable[[], datetime] | None = None,
                 on_created: Callable[[str], None] | None = None) -> None:
        from argoctl.runtime.driver import holder_identity

        self.wiring = wiring
        self.out, self.err = out, err
        self.clock = clock or SystemClock()
        self.now: Callable[[], datetime] = now or self.wall
        self.on_created: Callable[[str], None] = on_created or (lambda name: None)
        self.stopping = threading.Event()
        self.holder = holder_identity()

    def wall(self) -> datetime:
        """The clock's time (``now`` may pretend another)."""
        return datetime.fromtimestamp(self.clock.time(), UTC)

    def _lease(self) -> None:
        try:
            self.wiring.store().acquire_lease(SCHEDULER_LEASE, self.holder, LEASE_TTL, self.clock.time())
        except ConflictError as exc:
            raise StoreError(f"another cron scheduler runs over this store ({exc})",
                             hint="one `argoctl cron run` per store; stop the other one first") from exc

    def tick(self) -> list[Outcome]:
        """Fire every CronWorkflow with a run due now; reconcile the others' status."""
        now = self.now()
        outcomes = []
        for cron in self.wiring.store().list_objects(KIND):
            name = str(cron["metadata"]["name"])
            try:
                scheduled = core.due(cron, now)
            except ArgoctlError as exc:
                self.err(f"argoctl: cron {name}: {exc}")
                continue
            if scheduled is None:
                if (cron.get("status") or {}).get("active"):
                    with contextlib.suppress(ArgoctlError, OSError):  # tried again next tick
                        refresh(self.wiring, name)  # finished runs counted, history limits applied
                continue
            try:
                outcome = trigger(self.wiring, name, scheduled, now=now, report=self.err, wall=self.wall())
            except (ArgoctlError, OSError) as exc:  # one cron's trouble does not stop the others
                self.err(f"argoctl: cron {name}: {exc}")
                continue
            outcomes.append(outcome)
            self._report(name, outcome)
        return outcomes

    def _report(self, name: str, outcome: Outcome) -> None:
        if outcome.created:
            self.out(f"{outcome.decision.scheduled and outcome.decision.scheduled.isoformat()} "
                     f"{name}: created workflow {outcome.created}")
            self.on_created(outcome.created)
        else:
            self.out(f"{name}: not run: {outcome.decision.reason}")

    def run(self, *, once: bool = False) -> None:
        """Tick until ``stop()`` or SIGTERM (once with ``once``), holding the store's scheduler lease."""
        self._lease()
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: self.stop())
        try:
            while not self.stopping.is_set():
                self.tick()
                if once:
                    break
                self._lease()
                self.stopping.wait(seconds_to_next_minute(self.now()))
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.wiring.store().release_lease(SCHEDULER_LEASE, self.holder)

    def stop(self) -> None:
        self.stopping.set()
