"""Node field selectors: ``--node-field-selector`` of get, retry, node set, stop and resume.

Argo matches a Kubernetes field selector against a fixed set of node fields (WU
``SelectorMatchesNode``): ``displayName``, ``templateName`` (``templateRef.template`` when the node
has a templateRef), ``phase``, ``name``, ``id``, ``templateRef.name``, ``templateRef.template``
(only for templateRef nodes) and ``inputs.parameters.<p>.value``. Terms are ``FIELD=VALUE``,
``FIELD==VALUE`` or ``FIELD!=VALUE``, joined by ``,`` (AND). Values may escape ``\\``, ``,`` and
``=`` with a backslash. A field the node does not have reads as ``""`` (so ``x!=v`` matches), as
in Kubernetes. The empty selector matches every node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, NamedTuple

from argoctl.errors import UsageError

Operator = Literal["=", "==", "!="]

# checked in this order so that "a==b" is not read as "a" "=" "=b"
_OPERATORS: Final[tuple[Operator, ...]] = ("!=", "==", "=")
_ESCAPABLE: Final = frozenset("\\,=")
_FIELDS_HINT: Final = (
    "terms are FIELD=VALUE, FIELD==VALUE or FIELD!=VALUE joined by ','; fields: displayName, "
    "templateName, phase, name, id, templateRef.name, templateRef.template, "
    "inputs.parameters.<name>.value"
)


class Requirement(NamedTuple):  # not a dataclass: ``get`` imports this module
    """One term of a selector: ``field`` compared with ``value``."""

    field: str
    operator: Operator
    value: str

    def matches(self, fields: Mapping[str, str]) -> bool:
        actual = fields.get(self.field, "")
        return actual != self.value if self.operator == "!=" else actual == self.value

    def __str__(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")
        return f"{self.field}{self.operator}{escaped}"


def parse_node_field_selector(text: str) -> list[Requirement]:
    """Parse ``displayName=a,phase!=Failed``; raises ``UsageError`` naming the bad term."""
    requirements: list[Requirement] = []
    for term in _split_terms(text):
        if not term:
            continue
        field, operator, raw_value = _split_term(text, term)
        requirements.append(Requirement(field, operator, _unescape(text, raw_value)))
    return requirements


def node_fields(node: Mapping[str, Any]) -> dict[str, str]:
    """The field set a selector sees for one NodeStatus dict."""
    ref = node.get("templateRef") or None
    fields = {
        "displayName": _text(node.get("displayName")),
        "templateName": _text(ref.get("template")) if ref else _text(node.get("templateName")),
        "phase": _text(node.get("phase")),
        "name": _text(node.get("name")),
        "id": _text(node.get("id")),
    }
    if ref:
        fields["templateRef.name"] = _text(ref.get("name"))
        fields["templateRef.template"] = _text(ref.get("template"))
    for parameter in (node.get("inputs") or {}).get("parameters") or ():
        fields[f"inputs.parameters.{parameter.get('name', '')}.value"] = _text(parameter.get("value"))
    return fields


def node_matches(node: Mapping[str, Any], requirements: Iterable[Requirement]) -> bool:
    """Whether ``node`` satisfies every requirement (AND); no requirements match everything."""
    fields = node_fields(node)
    return all(requirement.matches(fields) for requirement in requirements)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _split_terms(text: str) -> list[str]:
    """Split on commas that are not escaped; the backslashes stay for ``_unescape``."""
    if not text:
        return []
    terms: list[str] = []
    start = 0
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            terms.append(text[start:index])
            start = index + 1
    terms.append(text[start:])
    return terms


def _split_term(selector: str, term: str) -> tuple[str, Operator, str]:
    """The first operator occurrence splits the term; the field part takes no escapes."""
    for index in range(len(term)):
        for operator in _OPERATORS:
            if term.startswith(operator, index):
                return term[:index], operator, term[index + len(operator):]
    raise UsageError(
        f"invalid node field selector {selector!r}: cannot understand {term!r}", hint=_FIELDS_HINT
    )


def _unescape(selector: str, raw: str) -> str:
    if not any(char in _ESCAPABLE for char in raw):
        return raw
    out: list[str] = []
    escaped = False
    for char in raw:
        if escaped:
            if char not in _ESCAPABLE:
                raise UsageError(
                    f"invalid node field selector {selector!r}: invalid escape sequence '\\{char}'",
                    hint="only \\\\, \\, and \\= are escapes in a selector value",
                )
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",=":
            raise UsageError(
                f"invalid node field selector {selector!r}: unescaped {char!r} in value {raw!r}",
                hint="escape it with a backslash, e.g. 'inputs.parameters.x.value=a\\=b'",
            )
        else:
            out.append(char)
    if escaped:
        raise UsageError(
            f"invalid node field selector {selector!r}: value {raw!r} ends in a lone backslash",
            hint="write \\\\ for a literal backslash",
        )
    return "".join(out)
