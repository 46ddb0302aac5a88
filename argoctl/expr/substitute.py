"""``{{...}}`` substitution with Argo's rules (``util/template``): simple and ``{{= }}`` tags, a single
pass (a substituted value is never scanned again), unresolved tags kept for a later pass unless strict."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from argoctl.errors import ExpressionError
from argoctl.expr import diagnostics
from argoctl.expr.exprlang import ExprError, compile_program
from argoctl.expr.gofmt import JSONMarshalError, json_escape, marshal

# ``argoctl.expr.env`` (the function tables) and the expr-lang parser are imported by the first
# ``{{= }}`` tag: text with simple tags only never loads them (start-up time)

T = TypeVar("T")
PLACEHOLDER_PREFIX = "__argo__internal__placeholder-"
# variables bound late (loop items, retries, exit-handler status): an expression that needs one of them
# is left for the pass that has them
LATE_BOUND = frozenset({
    "item", "retries", "lastRetry.exitCode", "lastRetry.status", "lastRetry.duration", "lastRetry.message",
    "workflow.status", "workflow.failures",
})
Segments = tuple[tuple[str, str | None], ...]


@lru_cache(maxsize=2048)
def _segments(text: str) -> Segments:
    """``text`` split into (literal, tag) pairs the way fasttemplate finds ``{{`` ... ``}}``."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            out.append((text[pos:], None))
            return tuple(out)
        end = text.find("}}", start + 2)
        if end < 0:
            raise ExpressionError(
                f'cannot find end tag "}}}}" in the template starting from "{_clip(text[start:])}"',
                expression=text, language=diagnostics.LANG_EXPR, position=start)
        out.append((text[pos:start], text[start + 2 : end]))
        pos = end + 2


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


@lru_cache(maxsize=32)
def _strict_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    if not prefixes:
        return None
    if "" in prefixes:
        return re.compile("")
    return re.compile("^(" + "|".join(re.escape(p) for p in prefixes) + r")(\.|$)")


class _Substitution:
    def __init__(self, variables: Mapping[str, Any], strict_prefixes: Sequence[str], json_mode: bool) -> None:
        self.variables = variables
        self.strict = _strict_pattern(tuple(strict_prefixes))
        self.match_all = "" in strict_prefixes
        self.json_mode = json_mode
        self._env: dict[str, Any] | None = None

    @property
    def env(self) -> dict[str, Any]:
        if self._env is None:
            from argoctl.expr.env import build_env

            self._env = build_env(self.variables)
        return self._env

    def escape(self, text: str) -> str:
        return json_escape(text) if self.json_mode else text

    def run(self, text: str) -> str:
        if "{{" not in text:
            return text
        out: list[str] = []
        for literal, tag in _segments(text):
            out.append(literal)
            if tag is not None:
                out.append(self.expression(tag) if tag.startswith("=") else self.simple(tag))
        return "".join(out)

    # -- simple tags -------------------------------------------------------------------------------------
    def simple(self, tag: str) -> str:
        key = tag.strip()
        if key in self.variables:
            return self.escape(self._string_value(tag, self.variables[key]))
        nested_at = tag.rfind("{{")
        if nested_at > 0 and tag[nested_at + 2 :] in self.variables:
            nested = tag[nested_at + 2 :]
            value = self.variables[nested]
            if value is None:
                raise ExpressionError(
                    f'unable to substitute nested tag {{{{{tag}}}}}: "{nested}" is an absent optional',
                    expression=tag, language=diagnostics.LANG_EXPR)
            if isinstance(value, str):
                return "{{" + tag[:nested_at] + self.escape(value)
        if self.strict is not None and self.strict.match(key) and (
                self.match_all or ".outputs.artifacts." not in key):
            raise ExpressionError(f"failed to resolve {{{{{tag}}}}}", expression=tag, language=diagnostics.LANG_EXPR)
        return "{{" + tag + "}}"

    @staticmethod
    def _string_value(tag: str, value: Any) -> str:
        if value is None:
            raise ExpressionError(
                f"unable to substitute {{{{{tag}}}}}: output is an absent optional (skipped/omitted node with no default)",
                expression=tag, language=diagnostics.LANG_EXPR)
        if not isinstance(value, str):
            raise ExpressionError(f"failed to resolve {{{{{tag}}}}} to string", expression=tag,
                                  language=diagnostics.LANG_EXPR)
        return value

    # -- expression tags ---------------------------------------------------------------------------------
    def expression(self, tag: str) -> str:
        fixed = tag[1:].replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
        verbatim = "{{=" + fixed + "}}"
        source = self._unescape(fixed)
        from argoctl.expr.env import has_var
        from argoctl.expr.exprlang.identifiers import referenced_names

        try:
            names = referenced_names(source)
        except ExprError as exc:
            if self._placeholders_present():
                return verbatim
            raise diagnostics.from_expr_error(exc, source, prefix="failed to evaluate expression: ") from None
        missing = [name for name in names if not has_var(self.env, name)]
        for name in missing:
            if self.strict is not None and self.strict.match(name):
                raise ExpressionError(f"failed to evaluate expression: {name} is missing", expression=source,
                                      language=diagnostics.LANG_EXPR, hint=f"{name} is not available yet")
        allow = bool(missing) or self.strict is None or self._placeholders_present()
        if allow and any(name in LATE_BOUND for name in missing):
            return verbatim
        result = self._evaluate(source, allow)
        if result is None:
            return verbatim
        return self.escape(result)

    def _unescape(self, fixed: str) -> str:
        if not self.json_mode:
            return fixed
        try:
            value = json.loads('"' + fixed + '"')
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ExpressionError(f"failed to unmarshall JSON expression: {exc}", expression=fixed,
                                  language=diagnostics.LANG_EXPR) from None
        return str(value)

    def _evaluate(self, source: str, allow: bool) -> str | None:
        """The text of the result, or None to leave the tag for a later pass."""
        try:
            value = compile_program(source).run(self.env)
        except ExprError as exc:
            if allow:
                return None
            raise diagnostics.from_expr_error(exc, source, prefix="failed to evaluate expression: ") from None
        except RecursionError:
            if allow:
                return None
            raise diagnostics.error("failed to evaluate expression: too deeply nested", source,
                                    language=diagnostics.LANG_EXPR) from None
        if value is None:
            if allow:
                return None
            raise ExpressionError(f'failed to evaluate expression "{source}"', expression=source,
                                  language=diagnostics.LANG_EXPR,
                                  hint="the expression evaluated to nil; use ?? to give a fallback")
        if isinstance(value, str):
            return value
        try:
            return marshal(value)
        except JSONMarshalError as exc:
            if allow:
                return None
            raise ExpressionError(f"failed to marshal evaluated expression: {exc}", expression=source,
                                  language=diagnostics.LANG_EXPR) from None

    def _placeholders_present(self) -> bool:
        return any(isinstance(v, str) and v.startswith(PLACEHOLDER_PREFIX) for v in self.variables.values())


@diagnostics.never_raw(diagnostics.LANG_EXPR)
def substitute(text: str, variables: Mapping[str, Any], *, strict_prefixes: Sequence[str] = (),
               json_escape: bool = False) -> str:
    """Replace ``{{name}}`` and ``{{= expr }}`` tags in ``text`` (see the package docstring)."""
    return _Substitution(variables, strict_prefixes, json_escape).run(text)


@diagnostics.never_raw(diagnostics.LANG_EXPR)
def substitute_object(obj: T, variables: Mapping[str, Any], *, strict_prefixes: Sequence[str] = ()) -> T:
    """Substitute every string of a JSON-like object at once, as Argo does on a serialized template."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if "{{" not in text:
        return obj  # nothing to substitute (what ``run`` would find, without building the substitution)
    replaced = _Substitution(variables, strict_prefixes, True).run(text)
    if replaced == text:
        return obj
    try:
        result: T = json.loads(replaced)
    except json.JSONDecodeError:
        raise ExpressionError("cannot finish template replacement because the result was invalid JSON",
                              expression=_clip(replaced, 200), language=diagnostics.LANG_EXPR) from None
    return result


@diagnostics.never_raw("withParam")
def parse_with_param(text: str) -> list[Any]:
    """A ``withParam`` value as a list (JSON ``null`` is an empty list, as Go unmarshals it)."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        value = _NOT_A_LIST
    if value is None:
        return []
    if not isinstance(value, list):
        raise ExpressionError(
            f"withParam value could not be parsed as a JSON list: {text.strip()[:200]}", expression=text[:200],
            language="withParam", hint="withParam needs a JSON array, e.g. [\"a\", \"b\"] or the output of toJson(...)")
    return value


_NOT_A_LIST = object()
