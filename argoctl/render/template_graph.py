"""A manifest's template graph before it runs (``lint -o dot|mermaid``).

The templates reachable from the entrypoint are expanded into a node map shaped like
``status.nodes`` (what Argo would create if every step ran once), so ``argoctl.render.graph``
draws it exactly as it draws a run: Steps → StepGroup points → steps, DAG → root tasks, each
dependency an edge from the dependency's outbound nodes, the workflow's ``onExit`` joined by a
dashed edge. Nothing has a phase. A looped step or task is one node labelled with its loop
(``name (withItems)``), a conditional one carries its ``when``, a ``templateRef`` is a leaf naming
the referenced template, a leaf with a ``retryStrategy`` is a Retry node, a step's or task's
exit hook hangs off it by a dashed edge, and a template that calls itself is expanded once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from argoctl.model import phases
from argoctl.render.graph import EXIT_SUFFIX, Graph, build_graph

JSON = Mapping[str, Any]
Node = dict[str, Any]
MAX_NODES: Final = 2000
_LOOPS: Final = ("withItems", "withParam", "withSequence")
_DEPENDS_NAME: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_DEPENDS_RESULT: Final = re.compile(r"\.(?:Succeeded|Failed|Errored|Skipped|Omitted|Daemoned|AnySucceeded|AllFailed)\b")


class _Expander:
    def __init__(self, spec: JSON) -> None:
        templates = spec.get("templates") or []
        self.templates: dict[str, JSON] = {str(t.get("name")): t for t in templates if isinstance(t, dict)}
        self.nodes: dict[str, Node] = {}

    def add(self, name: str, display: str, node_type: str, boundary: str) -> Node:
        node: Node = {"name": name, "displayName": display, "type": node_type, "children": [],
                      "boundaryID": boundary}
        self.nodes[name] = node
        return node

    def expand(self, template_name: str, name: str, display: str, boundary: str,
               stack: tuple[str, ...]) -> Node:
        """Add the node of one invocation (and what it contains); return it (outbound set)."""
        template = self.templates.get(template_name)
        if template is None or template_name in stack or len(self.nodes) >= MAX_NODES:
            suffix = " (recursive)" if template_name in stack else ""
            node = self.add(name, display + suffix, phases.POD, boundary)
            node["outboundNodes"] = [name]
            return node
        if isinstance(template.get("steps"), list):
            return self._steps(template, name, display, boundary, (*stack, template_name))
        if isinstance(template.get("dag"), dict):
            return self._dag(template, name, display, boundary, (*stack, template_name))
        node_type = phases.SUSPEND if "suspend" in template else phases.POD
        if template.get("retryStrategy"):
            node_type = phases.RETRY  # drawn as the UI's Retry node; its attempts exist only once run
        node = self.add(name, display, node_type, boundary)
        node["outboundNodes"] = [name]
        return node

    def _call(self, item: JSON, name: str, boundary: str, stack: tuple[str, ...]) -> Node:
        display = str(item.get("name") or "")
        loop = next((key for key in _LOOPS if key in item), "")
        if loop:
            display += f" ({loop})"
        if item.get("when"):
            display += f" [when {item['when']}]"
        ref = item.get("templateRef")
        if isinstance(ref, dict):
            node = self.add(name, f"{display} → {ref.get('name')}/{ref.get('template')}", phases.POD, boundary)
            node["outboundNodes"] = [name]
            return node
        node = self.expand(str(item.get("template") or ""), name, display, boundary, stack)
        on_exit = item.get("onExit") or _exit_hook(item)
        if on_exit:  # joined to the node by a dashed onExit edge (argoctl.render.graph)
            self.expand(str(on_exit), name + EXIT_SUFFIX, node["displayName"] + EXIT_SUFFIX, boundary, stack)
        return node

    def _steps(self, template: JSON, name: str, display: str, boundary: str, stack: tuple[str, ...]) -> Node:
        node = self.add(name, display, phases.STEPS, boundary)
        previous: list[str] = [name]
        for index, group in enumerate(template.get("steps") or ()):
            group_name = f"{name}[{index}]"
            self.add(group_name, f"[{index}]", phases.STEP_GROUP, name)
            for source in previous:
                self.nodes[source]["children"].append(group_name)
            outbound: list[str] = []
            for step in group if isinstance(group, list) else ():
                if isinstance(step, dict):
                    called = self._call(step, f"{group_name}.{step.get('name')}", name, stack)
                    self.nodes[group_name]["children"].append(called["name"])
                    outbound.extend(called.get("outboundNodes") or [called["name"]])
            previous = outbound or [group_name]
        node["outboundNodes"] = [p for p in previous if p != name]
        return node

    def _dag(self, template: JSON, name: str, display: str, boundary: str, stack: tuple[str, ...]) -> Node:
        node = self.add(name, display, phases.DAG, boundary)
        tasks = [t for t in (template.get("dag") or {}).get("tasks") or () if isinstance(t, dict)]
        called: dict[str, Node] = {}
        for task in tasks:
            called[str(task.get("name"))] = self._call(task, f"{name}.{task.get('name')}", name, stack)
        depended: set[str] = set()
        for task in tasks:
            task_node = called[str(task.get("name"))]
            dependencies = [d for d in _dependencies(task) if d in called]
            depended.update(dependencies)
            if not dependencies:
                node["children"].append(task_node["name"])
            for dependency in dependencies:
                for source in called[dependency].get("outboundNodes") or [called[dependency]["name"]]:
                    self.nodes[source]["children"].append(task_node["name"])
        leaves = [called[t] for t in called if t not in depended]
        node["outboundNodes"] = [o for leaf in leaves for o in leaf.get("outboundNodes") or [leaf["name"]]]
        return node


def _exit_hook(item: JSON) -> str:
    """The template of a step's or task's ``hooks.exit``, or ``""``."""
    hooks = item.get("hooks")
    exit_hook = hooks.get("exit") if isinstance(hooks, dict) else None
    return str(exit_hook.get("template") or "") if isinstance(exit_hook, dict) else ""


def _dependencies(task: JSON) -> list[str]:
    """Task names a DAG task waits for (``dependencies``, or the names in ``depends``)."""
    if isinstance(task.get("depends"), str):
        text = _DEPENDS_RESULT.sub("", task["depends"])
        return list(dict.fromkeys(_DEPENDS_NAME.findall(text)))
    return [str(d) for d in task.get("dependencies") or ()]


def template_nodes(manifest: JSON) -> dict[str, Node]:
    """The ``status.nodes``-shaped map of ``manifest``'s templates (see the module docstring)."""
    spec = manifest.get("spec") or {}
    if manifest.get("kind") == "CronWorkflow":
        spec = spec.get("workflowSpec") or {}
    metadata = manifest.get("metadata") or {}
    title = str(metadata.get("name") or metadata.get("generateName") or manifest.get("kind") or "workflow")
    expander = _Expander(spec)
    entrypoint = str(spec.get("entrypoint") or "")
    if entrypoint:
        expander.expand(entrypoint, title, title, "", ())
    on_exit = spec.get("onExit")
    if on_exit:
        expander.expand(str(on_exit), title + EXIT_SUFFIX, title + EXIT_SUFFIX, "", ())
    return expander.nodes


def template_graph(manifest: JSON) -> Graph:
    """The drawable template graph of one manifest (Workflow, template or CronWorkflow)."""
    metadata = manifest.get("metadata") or {}
    title = str(metadata.get("name") or metadata.get("generateName") or manifest.get("kind") or "workflow")
    return build_graph(title, template_nodes(manifest))
