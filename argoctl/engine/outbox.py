"""``Outbox``: what one engine step asks the world to do (actions: pods to kill, memo entries to
save, when to wake up) and the pod requests and memo entries it has queued."""

from __future__ import annotations

from datetime import datetime

from argoctl.engine.types import Action, KillPod, WakeAt
from argoctl.model.node import Node
from argoctl.model.pods import PodRequest


class Outbox:
    """The actions, wake-up times and queued writes of one engine step."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.actions: list[Action] = []
        self.wake_times: list[datetime] = []
        self.killed: set[str] = set()
        self.outbox: list[PodRequest] = []
        self.pending_memos: dict[tuple[str, str], str] = {}

    def emit(self, action: Action) -> None:
        self.actions.append(action)

    def kill_pod(self, node: Node, pod_name: str, reason: str) -> None:
        if pod_name in self.killed:
            return
        self.killed.add(pod_name)
        self.emit(KillPod(pod_name=pod_name, node_id=node.id, reason=reason))

    def wake_at(self, moment: datetime) -> None:
        self.wake_times.append(moment)

    def requeue(self) -> None:
        """Argo's ``woc.requeue()``: reconcile again at once (something this step decided
        lets other nodes progress only on the next pass)."""
        self.wake_times.append(self.now)

    def finish_actions(self) -> list[Action]:
        actions = list(self.actions)
        if self.wake_times:
            actions.append(WakeAt(at=max(self.now, min(self.wake_times))))
        return actions
