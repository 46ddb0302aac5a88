"""Pod logs kept by the ConfigMap store: bounded, and owned by the workflow's record.

The policy (README, "Logs on a cluster"): a pod's log is read from the pod while it exists; before
argoctl deletes a pod (podGC, a stopped step), its driver copies the log's tail here
(``keep_log``: the whole log, so a repeated copy replaces the first) so ``argoctl logs`` still works.
The copy is bounded so a namespace never grows without bound:

- every container log keeps at most its last ``STREAM_LIMIT`` bytes (a first line says how much
  was dropped);
- a workflow's logs share at most ``MAX_BUNDLES`` ConfigMaps ``argoctl-logs-<workflow>-<i>`` of
  at most ``CONFIGMAP_BUDGET`` bytes each (one key ``<pod>.<container>`` per log); once they are
  full, later logs are not copied (counted in an annotation; their keys are kept empty while they
  fit, so ``read`` says why; else it finds nothing and ``argoctl logs`` reads the pod if it is still there);
- each bundle is owned by the workflow's ConfigMap, so deleting the workflow (or Kubernetes'
  garbage collector after it) removes them; ``delete_workflow_logs`` deletes them at once too.

Logs written by earlier argoctl versions (one ConfigMap per append) are still read and deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from argoctl.errors import ConflictError, NotFoundError
from argoctl.kube import paths
from argoctl.stores import cmcodec as codec
from argoctl.stores import records
from argoctl.stores.base import JSON

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient

STREAM_LIMIT = 128 * 1024
MAX_BUNDLES = 4
CONFIGMAP_BUDGET = codec.CONFIGMAP_BUDGET
DROPPED = "argoctl: this log was not kept: the workflow's {limit} MiB of log copies are used up\n"
_BUNDLE_KIND = "logs"
_DROPPED_NOTE = "argoctl.io/dropped-logs"  # how many logs were not copied
_WORKFLOW_NOTE, _POD_NOTE, _CONTAINER_NOTE, _SEQ_NOTE = (
    "argoctl.io/workflow", "argoctl.io/pod", "argoctl.io/container", "argoctl.io/seq")
_ATTEMPTS = 10


def tail(text: str, limit: int | None = None) -> str:
    """The last ``limit`` (default ``STREAM_LIMIT``) UTF-8 bytes of ``text`` from a line start,
    after a line saying what went."""
    limit = STREAM_LIMIT if limit is None else limit
    raw = text.encode()
    if len(raw) <= limit:
        return text
    cut = raw[len(raw) - limit:]
    newline = cut.find(b"\n")
    kept = cut[newline + 1:] if 0 <= newline < len(cut) - 1 else cut
    while kept and (kept[0] & 0xC0) == 0x80:
        kept = kept[1:]
    return f"argoctl: {len(raw) - len(kept)} earlier bytes of this log were dropped\n" + kept.decode()


def _size(cm: JSON) -> int:
    return sum(len(k) + len(str(v).encode()) for k, v in (cm.get("data") or {}).items())


class ConfigMapLogs:
    def __init__(self, client: KubeClient, namespace: str, owner: Callable[[str], JSON | None]) -> None:
        self.client = client
        self._configmaps = paths.collection(namespace, "configmaps")
        self._owner = owner
        # the bundles this process last wrote, per workflow: its driver (the one writer) appends
        # with no LIST; a ConflictError (someone else wrote) drops the copy and reads again
        self._written: dict[str, list[JSON]] = {}

    def _bundles(self, workflow: str) -> list[JSON]:
        selector = f"{codec.KIND_LABEL}={_BUNDLE_KIND},{codec.WORKFLOW_LABEL}={codec.label_value(workflow)}"
        items = self.client.list(self._configmaps, label_selector=selector).get("items") or []
        mine = [i for i in items if _notes(i).get(_WORKFLOW_NOTE) == workflow]
        return sorted(mine, key=lambda i: int(_notes(i).get(_SEQ_NOTE, "0")))

    def append(self, workflow: str, pod: str, container: str, text: str, *, whole: bool = False) -> None:
        """Add ``text`` to the pod's kept log; ``whole``: ``text`` is the entire log, and replaces
        what an earlier copy kept (a driver that died after copying, before deleting the pod)."""
        for what, value in (("workflow", workflow), ("pod", pod), ("container", container)):
            records.check_name(what, value)
        key = f"{pod}.{container}"
        for _ in range(_ATTEMPTS):
            try:
                self._append_once(workflow, key, text, whole)
                return
            except ConflictError:
                self._written.pop(workflow, None)  # another writer changed a bundle: read again
            except Exception:
                self._written.pop(workflow, None)  # the copy may hold what was not written
                raise
        raise ConflictError(f"the log bundles of workflow {workflow!r} kept changing", hint="try again")

    def _append_once(self, workflow: str, key: str, text: str, whole: bool) -> None:
        bundles = self._written.get(workflow)
        if bundles is None:
            bundles = self._bundles(workflow)
        holder = next((b for b in bundles if key in (b.get("data") or {})), None)
        if holder is not None:  # a later piece of the same log: this bundle, within its room
            data = holder.setdefault("data", {})
            room = CONFIGMAP_BUDGET - _size(holder) + len(str(data[key]).encode())
            data[key] = tail(text if whole else str(data[key]) + text, min(STREAM_LIMIT, max(room, 0)))
            self._save(workflow, bundles, holder)
            return
        value = tail(text)
        entry = len(key) + len(value.encode())
        for bundle in bundles:
            if _size(bundle) + entry <= CONFIGMAP_BUDGET:
                bundle.setdefault("data", {})[key] = value
                self._save(workflow, bundles, bundle)
                return
        if len(bundles) < MAX_BUNDLES:
            self._written[workflow] = [*bundles, self._create(workflow, len(bundles), {key: value})]
        else:  # the budget is spent: keep the key empty (so ``read`` can say why) while that fits, and count it
            last = bundles[-1]
            if _size(last) + len(key) <= CONFIGMAP_BUDGET:
                last.setdefault("data", {})[key] = ""
            notes = last["metadata"].setdefault("annotations", {})
            notes[_DROPPED_NOTE] = str(int(notes.get(_DROPPED_NOTE, "0")) + 1)
            self._save(workflow, bundles, last)

    def _save(self, workflow: str, bundles: list[JSON], changed: JSON) -> None:
        """Replace ``changed`` (conditional on its resourceVersion) and remember what was written."""
        written = self.client.replace(f"{self._configmaps}/{changed['metadata']['name']}", changed)
        self._written[workflow] = [written if b is changed else b for b in bundles]

    def _create(self, workflow: str, index: int, data: dict[str, str]) -> JSON:
        labels = {codec.KIND_LABEL: _BUNDLE_KIND, codec.WORKFLOW_LABEL: codec.label_value(workflow)}
        notes = {_WORKFLOW_NOTE: workflow, _SEQ_NOTE: str(index)}
        try:
            owner = self._owner(workflow)
        except NotFoundError:
            owner = None
        body = codec.configmap(codec.configmap_name(_BUNDLE_KIND, f"{workflow}-{index}"), labels, data=data,
                               annotations=notes, owner=owner)
        return self.client.create(self._configmaps, body)  # ConflictError if created meanwhile: read again

    def read(self, workflow: str, pod: str, container: str) -> str:
        """The kept log; ``""`` when nothing was kept."""
        for what, value in (("workflow", workflow), ("pod", pod), ("container", container)):
            records.check_name(what, value)
        key = f"{pod}.{container}"
        for bundle in self._bundles(workflow):
            data = bundle.get("data") or {}
            if key in data:
                kept = str(data[key])
                return kept or DROPPED.format(limit=MAX_BUNDLES * CONFIGMAP_BUDGET // (1024 * 1024))
        return self._read_chunks(workflow, pod, container)

    def _read_chunks(self, workflow: str, pod: str, container: str) -> str:
        """Logs kept by earlier versions: one ConfigMap per append, read in append order."""
        selector = f"{codec.KIND_LABEL}=log,{codec.STREAM_LABEL}={codec.log_stream(workflow, pod, container)}"
        items = self.client.list(self._configmaps, label_selector=selector).get("items") or []
        wanted = {_WORKFLOW_NOTE: workflow, _POD_NOTE: pod, _CONTAINER_NOTE: container}
        chunks = [item for item in items if all(_notes(item).get(k) == v for k, v in wanted.items())]
        chunks.sort(key=lambda item: _notes(item).get(_SEQ_NOTE, ""))
        return "".join(str((item.get("data") or {}).get("log", "")) for item in chunks)

    def delete_workflow_logs(self, workflow: str) -> None:
        self._written.pop(workflow, None)
        label = codec.label_value(workflow)
        for kind in (_BUNDLE_KIND, "log"):
            selector = f"{codec.KIND_LABEL}={kind},{codec.WORKFLOW_LABEL}={label}"
            for item in self.client.list(self._configmaps, label_selector=selector).get("items") or []:
                if _notes(item).get(_WORKFLOW_NOTE) == workflow:
                    self.client.delete(f"{self._configmaps}/{item['metadata']['name']}", missing_ok=True)


def _notes(item: JSON) -> dict[str, str]:
    return dict((item.get("metadata") or {}).get("annotations") or {})
