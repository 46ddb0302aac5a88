"""The child process of ``argoctl.parse.hera``: run a Hera pipeline file, print its manifests.

Run as a script with the user's interpreter (``python hera_child.py FILE [OBJECT]``), never
imported by argoctl: it imports ``hera``, the user's library. It runs FILE like a script but
under the module name ``__argoctl_hera__`` (so an ``if __name__ == "__main__": w.create()`` block
does not submit to a cluster), then collects the Hera ``Workflow`` objects (and its subclasses:
``WorkflowTemplate``, ``ClusterWorkflowTemplate``, ``CronWorkflow``) bound at module level, in
definition order, and prints one JSON object on standard output::

    {"objects": [{"variable": "w", "line": 12, "manifest": {...Hera's to_dict()...}}]}
    {"error": {"kind": "raised|hera-missing|none|no-such-object", "message": ..., ...}}

Whatever FILE writes to standard output goes to standard error, so it never mixes with the
JSON. Only the standard library and hera are imported here.
"""

from __future__ import annotations

import ast
import json
import os
import runpy
import sys
import traceback
from typing import Any

RUN_NAME = "__argoctl_hera__"


def _binding_lines(path: str) -> dict[str, int]:
    """The line of the last module-level statement binding each name (``x = ...``, ``with ... as x``)."""
    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return {}
    lines: dict[str, int] = {}
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = list(statement.targets)
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        elif isinstance(statement, ast.With):
            targets = [item.optional_vars for item in statement.items if item.optional_vars is not None]
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id] = statement.lineno
    return lines


def _last_frame(exc: BaseException, path: str) -> dict[str, Any]:
    """Where ``exc`` was raised: the last frame of its traceback (a SyntaxError's own position),
    and, when that frame is not in ``path``, the deepest line of ``path`` that led there."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
    message = text[-1] if text else type(exc).__name__
    full = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, SyntaxError) and exc.filename:
        return {"message": message, "file": exc.filename, "line": exc.lineno or 1,
                "code": (exc.text or "").strip(), "traceback": full}
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename != __file__ and "runpy" not in os.path.basename(f.filename)]
    if not frames:
        return {"message": message, "file": path, "line": None, "code": ""}
    last = frames[-1]
    answer: dict[str, Any] = {"message": message, "file": last.filename, "line": last.lineno,
                              "function": last.name, "code": (last.line or "").strip(), "traceback": full}
    mine = [f for f in frames if os.path.abspath(f.filename) == os.path.abspath(path)]
    if mine and mine[-1] is not last:
        answer["from"] = f"{path}:{mine[-1].lineno}: {(mine[-1].line or '').strip()}"
    return answer


def collect(path: str, wanted: str) -> dict[str, Any]:
    """The JSON answer for ``path`` (see the module docstring)."""
    try:
        from hera.workflows import Workflow
    except ImportError as exc:
        return {"error": {"kind": "hera-missing", "message": str(exc), "python": sys.executable}}
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        namespace = runpy.run_path(path, run_name=RUN_NAME)
    except BaseException as exc:  # the user's code: report any failure, SystemExit included
        return {"error": {"kind": "raised", **_last_frame(exc, path)}}
    lines = _binding_lines(path)
    found: list[tuple[str, Any]] = []
    seen: set[int] = set()
    for variable, value in namespace.items():
        if isinstance(value, Workflow) and id(value) not in seen:
            seen.add(id(value))
            found.append((variable, value))
    if wanted:
        found = [(v, o) for v, o in found
                 if wanted in (v, getattr(o, "name", None), getattr(o, "generate_name", None))]
        if not found:
            return {"error": {"kind": "no-such-object", "message": wanted}}
    if not found:
        return {"error": {"kind": "none", "message": ""}}
    objects = []
    for variable, value in found:
        try:
            manifest = value.to_dict()
        except Exception as exc:
            return {"error": {"kind": "raised", **_last_frame(exc, path)}}
        objects.append({"variable": variable, "line": lines.get(variable, 1), "manifest": manifest})
    return {"objects": objects}


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # argoctl's modules are not the user's
    path = sys.argv[1]
    wanted = sys.argv[2] if len(sys.argv) > 2 else ""
    real_stdout = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the pipeline's own prints (and its C extensions') go to standard error
    sys.stdout = sys.stderr
    answer = collect(path, wanted)
    real_stdout.write(json.dumps(answer, default=str))
    real_stdout.flush()


if __name__ == "__main__":
    main()
