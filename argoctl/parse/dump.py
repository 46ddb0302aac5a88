"""Plain values → YAML or JSON text, keys in the order given (never sorted)."""

from __future__ import annotations

import json
from typing import Any

import yaml

# No line folding: long commands and URLs stay on one line.
_NO_WRAP = 2**31 - 1


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as literal blocks (``|``), like kubectl."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(obj: Any) -> str:
    """YAML text ending in one newline; mapping keys keep their order."""
    text: str = yaml.dump(
        obj, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
        width=_NO_WRAP,
    )
    return text


def dump_json(obj: Any) -> str:
    """JSON indented by 2 like ``argo get -o json``, ending in one newline; keys keep their order."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
