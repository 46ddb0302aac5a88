"""A virtual-clock driver for the pure engine, scripted pod outcomes, and table assertions.

``drive(manifest, pods, commands=..., env=...)`` repeatedly calls ``step(state, events, now=...)``.
Every ``RunPod`` is answered from ``pods`` (a map from a node-name glob to a ``Pod`` outcome, or a
list of outcomes used one per matching pod, the last repeating); a pod with ``duration`` reports
Running first and finishes that many virtual seconds later. ``KillPod`` cancels a pod's pending
reports. ``WakeAt`` moves the clock (a WakeAt at or before the step's own time means "step again",
which happens one virtual second later, as a real clock would have moved on). A step that changed the workflow is followed by another step
at the same time, as Argo's controller reconciles again after each update. ``SaveMemo`` is written into the environment's ConfigMaps,
as the runtime does. The clock only moves when nothing is due now.
"""

from __future__ import annotations

import heapq
import json
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml

from argoctl.backends.outputs import collect_outputs
from argoctl.engine.reconcile import step
from argoctl.engine.simulate import new_workflow
from argoctl.engine.types import EngineEnv, Event, KillPod, RunPod, SaveMemo, WakeAt
from argoctl.model.ids import node_id
from argoctl.model.node import Node
from argoctl.model.pods import PodRequest, PodUpdate
from argoctl.model.timefmt import rfc3339
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]
T0 = datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
WF = "wf"

# Leaf templates every manifest may use without declaring them (added unless redefined).
STANDARD_TEMPLATES = """
- name: c
  container: {image: alpine, command: [sh, -c, "true"]}
- name: p
  inputs: {parameters: [{name: msg}]}
  container: {image: alpine, command: [echo, "{{inputs.parameters.msg}}"]}
- name: out
  outputs: {parameters: [{name: v, valueFrom: {path: /tmp/v}}]}
  container: {image: alpine, command: [sh, -c, "echo hi > /tmp/v"]}
- name: s
  script: {image: python, command: [python], source: "print('x')"}
- name: sus
  suspend: {}
"""


@dataclass(frozen=True)
class Pod:
    """A scripted pod outcome; ``params`` are output parameter file contents by parameter name."""

    exit: int = 0
    phase: str | None = None
    message: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    stdout: str = ""
    duration: float = 0.0
    daemon: bool = False
    artifacts: Sequence[JSON] = ()
    pending: bool = False  # report Pending (not Running) until it finishes


POD_DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"


OK = Pod()
FAIL = Pod(exit=1)
ERROR = Pod(phase="Error", message="pod deleted")


@dataclass(frozen=True)
class At:
    """Send ``event`` once the virtual clock reaches ``seconds`` after the start."""

    seconds: float
    event: Event


@dataclass(frozen=True)
class When:
    """Send ``event`` once ``predicate(state)`` holds."""

    predicate: Callable[[WorkflowState], bool]
    event: Event


Command = At | When


@dataclass
class Run:
    state: WorkflowState
    env: EngineEnv
    now: datetime = T0
    steps: int = 0
    started: list[PodRequest] = field(default_factory=list)
    killed: list[KillPod] = field(default_factory=list)
    memos: list[SaveMemo] = field(default_factory=list)
    wakes: list[datetime] = field(default_factory=list)
    wake_now: bool = False  # the last step asked to be woken at (or before) its own time
    max_outstanding: int = 0
    first_actions: list[Any] = field(default_factory=list)

    def node(self, name: str) -> Node:
        found = self.state.nodes.get(node_id(WF, name))
        assert found is not None, f"no node {name!r}; nodes: {sorted(self.names())}"
        return found

    def maybe(self, name: str) -> Node | None:
        return self.state.nodes.get(node_id(WF, name))

    def names(self) -> set[str]:
        return {n.name for n in self.state.nodes.values()}

    def started_names(self) -> list[str]:
        return [r.node_name for r in self.started]

    def request(self, name: str) -> PodRequest:
        for req in self.started:
            if req.node_name == name:
                return req
        raise AssertionError(f"no pod requested for {name!r}; started: {self.started_names()}")

    def status(self) -> JSON:
        return dict(self.state.to_wire()["status"])


def load(text: str) -> Any:
    return yaml.safe_load(textwrap.dedent(text))


def manifest(spec: JSON | str, *, standard: bool = True) -> JSON:
    """A Workflow manifest from a spec (YAML text or dict); standard leaf templates are added."""
    body = load(spec) if isinstance(spec, str) else json.loads(json.dumps(spec))
    if "workflowTemplateRef" not in body:
        body.setdefault("entrypoint", "main")
    templates = list(body.get("templates") or [])
    if standard and "workflowTemplateRef" not in body:
        names = {t.get("name") for t in templates}
        templates += [t for t in load(STANDARD_TEMPLATES) if t["name"] not in names]
    if templates:
        body["templates"] = templates
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"generateName": "wf-"}, "spec": body}


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


class Script:
    """Outcomes by node-name glob (``*`` is the only wildcard); unmatched pods succeed."""

    def __init__(self, pods: Mapping[str, Pod | Sequence[Pod]] | None) -> None:
        self.rules = [(_glob(k), [v] if isinstance(v, Pod) else list(v)) for k, v in (pods or {}).items()]
        self.used: dict[int, int] = {}

    def outcome(self, node_name: str) -> Pod:
        for index, (pattern, outcomes) in enumerate(self.rules):
            if pattern.match(node_name):
                count = self.used.get(index, 0)
                self.used[index] = count + 1
                return outcomes[min(count, len(outcomes) - 1)]
        return OK


def _final_update(request: PodRequest, pod: Pod, at: datetime) -> PodUpdate:
    params_by_path = {}
    for param in (request.template.get("outputs") or {}).get("parameters") or ():
        path = (param.get("valueFrom") or {}).get("path")
        if path is not None and param.get("name") in pod.params:
            params_by_path[path] = pod.params[param["name"]].encode()
    outputs, error = collect_outputs(request.template, read_file=params_by_path.get,
                                     stdout=pod.stdout.encode(), exit_code=pod.exit,
                                     capture_result=request.capture_result)
    if pod.artifacts:
        outputs["artifacts"] = list(pod.artifacts)
    if pod.phase is not None:
        phase, message = pod.phase, pod.message or ""
    elif pod.exit != 0:
        phase, message = "Failed", pod.message or f"main: Error (exit code {pod.exit})"
    elif error is not None:
        phase, message = "Error", error
    else:
        phase, message = "Succeeded", pod.message or ""
    return PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase=phase, message=message,
                     outputs=outputs, started_at=rfc3339(at), finished_at=rfc3339(at))


class _Queue:
    def __init__(self) -> None:
        self.heap: list[tuple[datetime, int, PodUpdate]] = []
        self.seq = 0
        self.cancelled: set[str] = set()

    def push(self, at: datetime, update: PodUpdate) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (at, self.seq, update))

    def pop_due(self, now: datetime) -> list[PodUpdate]:
        out = []
        while self.heap and self.heap[0][0] <= now:
            update = heapq.heappop(self.heap)[2]
            if update.pod_name not in self.cancelled:
                out.append(update)
        return out

    def next_time(self) -> datetime | None:
        live = [t for t, _, u in self.heap if u.pod_name not in self.cancelled]
        return min(live) if live else None


def _schedule(queue: _Queue, request: PodRequest, pod: Pod, now: datetime, backend_deadlines: bool) -> None:
    first = "Pending" if pod.pending else "Running"
    if pod.daemon:
        queue.push(now, PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase="Running",
                                  started_at=rfc3339(now), pod_ip="10.0.0.1", daemoned=True))
        if pod.duration:
            queue.push(now + timedelta(seconds=pod.duration), _final_update(request, pod, now))
        return
    finish = now + timedelta(seconds=pod.duration)
    if backend_deadlines and request.deadline:
        deadline = datetime.fromisoformat(request.deadline.replace("Z", "+00:00"))
        if deadline < finish:
            finish, pod = deadline, Pod(phase="Failed", message=POD_DEADLINE_MESSAGE, exit=143)
    if finish > now:
        queue.push(now, PodUpdate(node_id=request.node_id, pod_name=request.pod_name, phase=first,
                                  started_at=rfc3339(now)))
    queue.push(finish, _final_update(request, pod, finish))


def drive(
    spec: JSON | str,
    pods: Mapping[str, Pod | Sequence[Pod]] | None = None,
    *,
    commands: Iterable[Command] = (),
    env: EngineEnv | None = None,
    state: WorkflowState | None = None,
    start: datetime = T0,
    max_steps: int = 2000,
    max_seconds: float = 7200,
    standard: bool = True,
    backend_deadlines: bool = False,
    wake_slack: float = 0.0,
    restep_on_change: bool = True,
) -> Run:
    """Run a workflow to completion (or until nothing more can happen within ``max_seconds``).

    ``backend_deadlines`` makes pods fail at their request's deadline as a backend would;
    ``wake_slack`` delays every WakeAt by that many seconds (a real clock is never exactly on time);
    ``restep_on_change=False`` steps again only for events and WakeAt (the engine's own contract).
    """
    if state is None:
        state = new_workflow(manifest(spec, standard=standard), name=WF, created=rfc3339(start))
    run = Run(state=state, env=env or EngineEnv(), now=start)
    script, queue = Script(pods), _Queue()
    pending = list(commands)
    outstanding: set[str] = set()
    limit = start + timedelta(seconds=max_seconds)
    while run.steps < max_steps:
        events: list[Event] = []
        for command in list(pending):
            due = (command.seconds <= (run.now - start).total_seconds() if isinstance(command, At)
                   else command.predicate(run.state))
            if due:
                events.append(command.event)
                pending.remove(command)
        updates = queue.pop_due(run.now)
        for update in updates:
            if update.phase in ("Succeeded", "Failed", "Error"):
                outstanding.discard(update.pod_name)
        events.extend(updates)
        before = run.state
        run.state, actions = step(run.state, events, now=run.now, env=run.env)
        run.state = run.state.with_(outbox=())
        changed = (before.phase, before.message, before.nodes) != (run.state.phase, run.state.message,
                                                                  run.state.nodes)
        run.steps += 1
        if run.steps == 1:
            run.first_actions = list(actions)
        _apply_actions(run, actions, script, queue, outstanding, backend_deadlines, wake_slack)
        run.max_outstanding = max(run.max_outstanding, len(outstanding))
        if run.state.completed:
            return run
        next_time = _next_time(run, queue, pending, start)
        if next_time is None and changed and restep_on_change:
            next_time = run.now  # Argo reconciles again after every update of the workflow
        if next_time is None or next_time > limit:
            return run
        run.now = next_time
    return run


def _apply_actions(run: Run, actions: Sequence[Any], script: Script, queue: _Queue, outstanding: set[str],
                   backend_deadlines: bool, wake_slack: float) -> None:
    run.wake_now = False
    for action in actions:
        if isinstance(action, RunPod):
            run.started.append(action.request)
            outstanding.add(action.request.pod_name)
            _schedule(queue, action.request, script.outcome(action.request.node_name), run.now,
                      backend_deadlines)
        elif isinstance(action, KillPod):
            run.killed.append(action)
            queue.cancelled.add(action.pod_name)
            outstanding.discard(action.pod_name)
        elif isinstance(action, SaveMemo):
            run.memos.append(action)
            maps = {k: dict(v) for k, v in run.env.config_maps.items()}
            maps.setdefault(action.config_map, {})[action.key] = json.dumps(action.entry)
            run.env = replace(run.env, config_maps=maps)
        elif isinstance(action, WakeAt):
            run.wakes.append(action.at + timedelta(seconds=wake_slack))
            run.wake_now = run.wake_now or action.at <= run.now


def _next_time(run: Run, queue: _Queue, pending: list[Command], start: datetime) -> datetime | None:
    candidates = [t for t in (queue.next_time(),) if t is not None]
    candidates += [w for w in run.wakes if w > run.now]
    candidates += [start + timedelta(seconds=c.seconds) for c in pending if isinstance(c, At)]
    due_now = [t for t in candidates if t <= run.now]
    if due_now:
        return run.now
    if run.wake_now or any(isinstance(c, When) for c in pending):
        # a real clock has moved on by the time the runtime steps again
        candidates.append(run.now + timedelta(seconds=1))
    later = [t for t in candidates if t > run.now]
    return min(later) if later else None


# ---- table assertions -------------------------------------------------------------------


@dataclass(frozen=True)
class N:
    """An expected node: type, phase, and optionally message/display name/children/outbound."""

    type: str
    phase: str
    message: str | None = None
    display: str | None = None
    children: Sequence[str] | None = None
    outbound: Sequence[str] | None = None


def ids(*names: str) -> list[str]:
    return [node_id(WF, n) for n in names]


def check_nodes(run: Run, expected: Mapping[str, N], *, exact: bool = False) -> None:
    problems = []
    for name, want in expected.items():
        node = run.maybe(name)
        if node is None:
            problems.append(f"missing node {name!r}")
            continue
        got = (node.type, node.phase)
        if got != (want.type, want.phase):
            problems.append(f"{name}: type/phase {got} != {(want.type, want.phase)} (message {node.message!r})")
        if want.message is not None and node.message != want.message:
            problems.append(f"{name}: message {node.message!r} != {want.message!r}")
        if want.display is not None and node.display_name != want.display:
            problems.append(f"{name}: displayName {node.display_name!r} != {want.display!r}")
        if want.children is not None and sorted(node.children) != sorted(ids(*want.children)):
            problems.append(f"{name}: children {_names(run, node.children)} != {sorted(want.children)}")
        if want.outbound is not None and sorted(node.outbound_nodes) != sorted(ids(*want.outbound)):
            problems.append(f"{name}: outbound {_names(run, node.outbound_nodes)} != {sorted(want.outbound)}")
    if exact:
        extra = run.names() - set(expected)
        if extra:
            problems.append(f"unexpected nodes {sorted(extra)}")
    assert not problems, "\n".join(problems)


def _names(run: Run, node_ids: Iterable[str]) -> list[str]:
    return sorted(run.state.nodes[i].name if i in run.state.nodes else i for i in node_ids)


def check_workflow(run: Run, phase: str, message: str | None = None) -> None:
    assert run.state.phase == phase, (
        f"workflow phase {run.state.phase!r} != {phase!r} (message {run.state.message!r})"
    )
    if message is not None:
        assert run.state.message == message, f"workflow message {run.state.message!r} != {message!r}"


def param(node: Node, name: str) -> Any:
    for p in (node.outputs or {}).get("parameters") or ():
        if p.get("name") == name:
            return p.get("value")
    raise AssertionError(f"{node.name} has no output parameter {name!r}: {node.outputs}")


def arg(node: Node, index: int = 0) -> Any:
    """The value of a node's ``index``-th input parameter."""
    assert node.inputs is not None, f"{node.name} has no inputs"
    return node.inputs["parameters"][index]["value"]


def outputs(node: Node) -> JSON:
    assert node.outputs is not None, f"{node.name} has no outputs"
    return node.outputs


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(reason=f"engine: {reason}", strict=True)
