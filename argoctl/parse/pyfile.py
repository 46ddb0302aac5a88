"""Hera pipeline files (``*.py``) as manifests: run the file in a child process, read its objects.

The child (``hera_child.py``, run with this interpreter, ``sys.executable``, and the caller's
environment and working directory) imports the user's ``hera``; argoctl never does. It prints
JSON: each Hera ``Workflow`` / ``WorkflowTemplate`` / ``ClusterWorkflowTemplate`` /
``CronWorkflow`` bound at module level, serialised with Hera's own ``to_dict()``. Each becomes a
``Document`` whose line is where its variable was bound, so later problems read
``pipeline.py:12: spec.templates[1]: ...``.

``--object NAME`` (a variable name, or the object's ``metadata.name`` or ``generateName``) keeps only that object: the
CLI sets it once per command with ``select_object`` (a context variable, so the many commands that
read files need no extra argument).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextvars import ContextVar
from typing import Any

from argoctl.errors import ManifestError
from argoctl.parse.document import Document

PYTHON_SUFFIX = ".py"
CHILD_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hera_child.py")
_SELECTED: ContextVar[str] = ContextVar("argoctl_hera_object", default="")


def select_object(name: str) -> str:
    """Keep only the object ``name`` of Python files read from now on (``--object NAME``)."""
    _SELECTED.set(name or "")
    return name


def is_python_file(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIX)


def load_python_documents(path: str, *, object_name: str | None = None) -> list[Document]:
    """The Hera objects of the Python file ``path`` as documents (see the module docstring).

    Raises ``ManifestError`` (exit 2) for a missing file, an exception in the file (its last
    frame), a file with no Hera workflow object, an unknown ``--object``, or hera not installed.
    """
    if not os.path.isfile(path):
        raise ManifestError("no such file", file=path, hint="check the path")
    wanted = _SELECTED.get() if object_name is None else object_name
    answer = _run_child(path, wanted)
    error = answer.get("error")
    if isinstance(error, dict):
        raise _error(path, error, wanted)
    documents = []
    for index, item in enumerate(answer.get("objects") or ()):
        manifest = item.get("manifest")
        if not isinstance(manifest, dict):
            raise ManifestError(f"object {item.get('variable')!r} did not serialise to a mapping", file=path)
        line = int(item.get("line") or 1)
        documents.append(Document(obj=manifest, file=path, index=index, lines={(): line}))
    return documents


def _run_child(path: str, wanted: str) -> dict[str, Any]:
    command = [sys.executable, CHILD_SCRIPT, path, *([wanted] if wanted else [])]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=None, text=True, check=False)
    except OSError as exc:
        raise ManifestError(f"cannot run {sys.executable}: {exc.strerror}", file=path) from None
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict):
        raise ManifestError(
            f"running the file ended with exit code {done.returncode} and no Hera objects",
            file=path, hint="its own errors are printed above",
        )
    return answer


def _error(path: str, error: dict[str, Any], wanted: str) -> ManifestError:
    kind = error.get("kind")
    if kind == "hera-missing":
        return ManifestError(
            f"hera is not installed for {error.get('python')} ({error.get('message')})", file=path,
            hint="install it in this environment: pip install hera",
        )
    if kind == "none":
        return ManifestError(
            "defines no Hera Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow "
            "at module level", file=path,
            hint="bind the object to a module-level name, e.g. `with Workflow(...) as w:`",
        )
    if kind == "no-such-object":
        return ManifestError(
            f"no Hera workflow object named {wanted!r}", file=path,
            hint="--object takes a module-level variable name, or the object's metadata.name or generateName",
        )
    where = str(error.get("file") or path)
    code = str(error.get("code") or "")
    function = str(error.get("function") or "")
    hint = f"in {function}: {code}" if function and function != "<module>" and code else code
    if error.get("from"):
        hint = f"raised from {error['from']}" + (f" ({hint})" if hint else "")
    failure = ManifestError(str(error.get("message") or "the file raised an exception"), file=where,
                            line=error.get("line"), hint=hint)
    if error.get("traceback"):  # shown by ``argoctl -v`` as the cause
        failure.__cause__ = PipelineTraceback(f"the pipeline file's traceback:\n{error['traceback']}")
    return failure


class PipelineTraceback(Exception):
    """The child's traceback text, attached as the cause of a ``ManifestError`` (``-v``)."""
