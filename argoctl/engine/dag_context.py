"""A DAG template invocation's context: its tasks, their dependency logic (Argo's
``GetTaskDependencies``: bare names expanded with continueOn), and task node lookups. Facts
derived from a template alone are kept per template object across engine steps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from argoctl.engine.operation import Operation
from argoctl.engine.templates import TemplateContext
from argoctl.model.node import Node

JSON = dict[str, Any]

_TASK_NAME = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")
_TASK_IDS: dict[tuple[str, str], dict[str, str]] = {}


class DagContext:
    """One DAG template invocation: its tasks, their dependency logic, and node lookups."""

    def __init__(self, op: Operation, boundary: Node, tmpl: JSON, ctx: TemplateContext, on_exit: bool) -> None:
        self.op = op
        self.boundary_name = boundary.name
        self.boundary_id = boundary.id
        self.tmpl = tmpl
        self.ctx = ctx
        self.on_exit = on_exit
        self.tasks, self._deps, self.facts = _shape(tmpl)
        ids = _TASK_IDS.get((op.wf_name, boundary.name))
        if ids is None or len(ids) > 100_000:
            ids = _TASK_IDS[(op.wf_name, boundary.name)] = {}
            if len(_TASK_IDS) > 1024:
                _TASK_IDS.clear()
        self._ids = ids
        self.visited: set[str] = set()
        self.groups_to_complete: dict[str, str] = {}

    def node_name(self, task: str) -> str:
        return f"{self.boundary_name}.{task}"

    def task_node(self, task: str) -> Node | None:
        nid = self._ids.get(task)
        if nid is None:
            nid = self._ids[task] = self.op.node_id(self.node_name(task))
        return self.op.by_id(nid)

    def dependencies(self, task: str) -> tuple[tuple[str, ...], str]:
        """The tasks a task depends on and its full ``depends`` logic (bare names expanded)."""
        if task not in self._deps:
            self._deps[task] = _dependencies(self.tasks, self.tasks[task])
        return self._deps[task]

    def hooked(self) -> frozenset[str]:
        """The tasks with hooks or an exit handler (``onExit``), kept per template."""
        found: frozenset[str] | None = self.facts.get("hooked")
        if found is None:
            found = self.facts["hooked"] = frozenset(
                name for name, task in self.tasks.items() if task.get("hooks") or task.get("onExit"))
        return found

    def ancestry(self, task: str) -> list[str]:
        ancestries: dict[str, list[str]] = self.facts.setdefault("ancestry", {})
        if task not in ancestries:
            ancestries[task] = self._ancestry(task)
        return ancestries[task]

    def _ancestry(self, task: str) -> list[str]:
        seen: list[str] = []
        found: set[str] = set()
        stack = list(self.dependencies(task)[0])
        while stack:
            current = stack.pop()
            if current in found or current not in self.tasks:
                continue
            found.add(current)
            seen.append(current)
            stack.extend(self.dependencies(current)[0])
        return seen

Dependencies = tuple[tuple[str, ...], str]  # the tasks a task depends on, its full ``depends`` logic
_NO_DEPENDENCIES: Dependencies = ((), "")
_SHAPES: dict[int, tuple[Mapping[str, Any], dict[str, JSON], dict[str, Dependencies], dict[str, Any]]] = {}

def _shape(tmpl: Mapping[str, Any]) -> tuple[dict[str, JSON], dict[str, Dependencies], dict[str, Any]]:
    """A DAG template's tasks by name, its (lazily filled) dependency table and other facts
    derived from the template alone (leaves, ancestries), kept across engine steps for the same
    template object: they are a pure function of it."""
    cached = _SHAPES.get(id(tmpl))
    if cached is not None and cached[0] is tmpl:
        return cached[1], cached[2], cached[3]
    tasks = {str(t.get("name")): t for t in (tmpl.get("dag") or {}).get("tasks") or []}
    if len(_SHAPES) > 256:
        _SHAPES.clear()
    _SHAPES[id(tmpl)] = (tmpl, tasks, {}, {})
    return tasks, _SHAPES[id(tmpl)][2], _SHAPES[id(tmpl)][3]

def _expand_dependency(name: str, task: Mapping[str, Any] | None) -> str:
    results = [f"{name}.Succeeded", f"{name}.Skipped", f"{name}.Daemoned"]
    cont = (task or {}).get("continueOn") or {}
    if cont.get("error"):
        results.append(f"{name}.Errored")
    if cont.get("failed"):
        results.append(f"{name}.Failed")
    return "(" + " || ".join(results) + ")"

def _dependencies(tasks: Mapping[str, JSON], task: Mapping[str, Any]) -> Dependencies:
    """Immutable, and one shared value for the many tasks of a fan-out that depend on nothing:
    the table is kept per template, so it costs no container per task for the collector."""
    depends = str(task.get("depends") or "")
    if not depends:
        if not task.get("dependencies"):
            return _NO_DEPENDENCIES
        deps = tuple(str(d) for d in task["dependencies"])
        return deps, " && ".join(_expand_dependency(d, tasks.get(d)) for d in deps)
    names: list[str] = []
    pieces: list[str] = []
    pos = 0
    for match in _TASK_NAME.finditer(depends):
        if match.group(1):
            dep = match.group(1).split(".")[0]
        else:
            dep = match.group(2)
            pieces.append(depends[pos:match.start()])
            pieces.append(_expand_dependency(dep, tasks.get(dep)))
            pos = match.end()
        if dep not in names:
            names.append(dep)
    pieces.append(depends[pos:])
    return tuple(names), "".join(pieces)

def leaf_tasks(dctx: DagContext) -> list[str]:
    if "leaves" not in dctx.facts:
        dctx.facts["leaves"] = _leaf_tasks(dctx)
    return list(dctx.facts["leaves"])

def _leaf_tasks(dctx: DagContext) -> list[str]:
    is_leaf = {name: True for name in dctx.tasks}
    for name in dctx.tasks:
        for dep in dctx.dependencies(name)[0]:
            is_leaf[dep] = False
    return sorted(name for name, leaf in is_leaf.items() if leaf)
