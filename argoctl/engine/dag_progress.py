"""``DagProgress``: which tasks of one DAG invocation a step acts on, kept as nodes change.

A task is acted on (``dag_walk.tasks_to_visit``) when it has no node yet and every dependency's
node is fulfilled, when its node is not fulfilled, or when it has hooks or an exit handler and a
node. Rather than checking every task on every step, the record keeps, per task, how many of its
dependencies are not fulfilled, and the set of tasks acted on; a node's status change (absent,
not fulfilled, fulfilled) updates only that task and the tasks depending on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from argoctl.engine.nodeindex import ABSENT, FULFILLED, UNFULFILLED


class DagProgress:
    """One DAG invocation's progress (``key``: the template and targets it was built for)."""

    def __init__(self, order: list[str], always: Iterable[str], deps: Mapping[str, Sequence[str]],
                 status: Callable[[str], int]) -> None:
        """``order``: the walk order; ``deps``: each ordered task's dependencies (names, repeats
        kept); ``status``: a name's node status now (``nodeindex.status_of``)."""
        self.position = {task: index for index, task in enumerate(order)}
        self.always = frozenset(always)
        self.deps = {task: deps[task] for task in order}  # immutable (``DagContext.dependencies``)
        self.dependents: dict[str, list[str]] = {}
        self.status: dict[str, int] = {}
        self.missing: dict[str, int] = {}
        self.acted_on: set[str] = set()
        for task in order:
            self.status[task] = status(task)
            for dep in self.deps[task]:
                self.dependents.setdefault(dep, []).append(task)
                if dep not in self.status:
                    self.status[dep] = status(dep)
        for task in order:
            self.missing[task] = sum(1 for dep in self.deps[task] if self.status[dep] != FULFILLED)
            self._refresh(task)

    def _refresh(self, task: str) -> None:
        status = self.status[task]
        if status == UNFULFILLED or (status == ABSENT and self.missing[task] == 0) or (
            status == FULFILLED and task in self.always
        ):
            self.acted_on.add(task)
        else:
            self.acted_on.discard(task)

    def node_changed(self, key: str, status: int) -> None:
        """The node named ``<boundary>.<key>`` now has ``status``."""
        old = self.status.get(key)
        if old is None or old == status:
            return
        self.status[key] = status
        if (old == FULFILLED) != (status == FULFILLED):
            delta = -1 if status == FULFILLED else 1
            for task in self.dependents.get(key, ()):
                self.missing[task] += delta
                self._refresh(task)
        if key in self.position:
            self._refresh(key)

    def to_visit(self) -> list[str]:
        """The tasks acted on, in the walk's order: sorted when they are few, else picked from
        the order (``position`` keeps it), which costs O(tasks) rather than O(n log n)."""
        if len(self.acted_on) * 16 < len(self.position):
            return sorted(self.acted_on, key=self.position.__getitem__)
        acted_on = self.acted_on
        return [task for task in self.position if task in acted_on]
