"""Machine formats: ``-o json``, ``-o yaml``, ``-o name``, ``--query JMESPATH``, the ``wait`` line.

Objects are printed in the key order they are given (the model's ``to_wire()`` fixes Argo's
order); nothing is sorted or reordered here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import UTC, tzinfo
from typing import Any

from argoctl.errors import UsageError
from argoctl.render import humanize, style

JSON = Mapping[str, Any]


def render_json(obj: Any, *, indent: int = 2) -> str:
    """Indented JSON, keys in the given order, non-ASCII kept, one trailing newline."""
    return json.dumps(obj, indent=indent, ensure_ascii=False) + "\n"


@functools.cache
def _dumper() -> type[Any]:
    """A SafeDumper subclass (built on first use) that writes multi-line strings as ``|`` blocks."""
    import yaml

    class BlockDumper(yaml.SafeDumper):
        pass

    def represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
        # the emitter falls back to a quoted style by itself when a block cannot hold the text
        block_style = "|" if "\n" in text else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=block_style)

    BlockDumper.add_representer(str, represent_text)
    return BlockDumper


def render_yaml(obj: Any) -> str:
    """Block-style YAML (safe dumper), keys in the given order, no line folding."""
    import yaml

    text: str = yaml.dump(
        obj, Dumper=_dumper(), sort_keys=False, default_flow_style=False, allow_unicode=True,
        width=2**31 - 1,
    )
    return text


def render_name(wf: JSON) -> str:
    """``-o name``: the workflow's name and a newline."""
    return f"{style.name(wf)}\n"


def apply_query(obj: Any, expression: str) -> Any:
    """Evaluate a JMESPath ``expression`` over ``obj``; a bad expression is a ``UsageError``."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.search(expression, obj)
    except JMESPathError as err:
        reason = " ".join(str(err).split())
        raise UsageError(
            f"invalid --query expression {expression!r}: {reason}",
            hint="write a JMESPath expression, e.g. --query 'status.phase' or "
            "--query 'status.nodes.*.{name: displayName, phase: phase}'",
        ) from None


def render_wait_line(wf: JSON, *, zone: tzinfo | None = UTC) -> str:
    """``<name> <Phase> at <finishedAt>`` with Go's time format (no trailing newline)."""
    wf_status = style.status(wf)
    finished = humanize.parse_time(wf_status.get("finishedAt"))
    moment = humanize.go_time_string(finished, zone=zone)
    return f"{style.name(wf)} {wf_status.get('phase') or ''} at {moment}"
