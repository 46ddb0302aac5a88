"""Sprig string, regex, encoding and path functions."""

from __future__ import annotations

import base64
import binascii
import hashlib
import posixpath
import re
import string
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from argoctl.expr.exprlang.runtime import compile_regex
from argoctl.expr.gofmt import go_quote
from argoctl.expr.sources import current as current_sources
from argoctl.expr.sprig.convert import strval, to_int64, typed


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", text)


def _snake(text: str) -> str:
    return "_".join(word.lower() for word in _words(text))


def _kebab(text: str) -> str:
    return "-".join(word.lower() for word in _words(text))


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\s-]+", text) if part)


def _title(text: str) -> str:
    return re.sub(r"(^|[^\w'])(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


def _untitle(text: str) -> str:
    return re.sub(r"(^|\s)(\w)", lambda m: m.group(1) + m.group(2).lower(), text)


def _swapcase(text: str) -> str:
    return text.swapcase()


def _substr(start: int, end: int, text: str) -> str:
    if start < 0:
        return text[:end]
    if end < 0 or end > len(text):
        return text[start:]
    return text[start:end] if start <= end else ""


def _trunc(count: int, text: str) -> str:
    if count < 0 and len(text) + count > 0:
        return text[len(text) + count :]
    if count >= 0 and len(text) > count:
        return text[:count]
    return text


def _abbrev(width: int, text: str) -> str:
    if width < 4 or len(text) <= width:
        return text
    return text[: width - 3] + "..."


def _abbrevboth(left: int, right: int, text: str) -> str:
    if right < 4 or (left > 0 and right < 7) or len(text) <= right:
        return text
    if left <= 4:
        return _abbrev(right, text)
    start = min(left, len(text)) - 3 if left > 4 else 0
    middle = text[start:]
    return "..." + _abbrev(right - 3, middle) if len(middle) > right - 3 else "..." + middle


def _initials(text: str) -> str:
    return "".join(word[0] for word in text.split())


def _wrap_with(width: int, sep: str, text: str) -> str:
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return sep.join(lines)


def _indent(spaces: int, text: str) -> str:
    pad = " " * spaces
    return pad + text.replace("\n", "\n" + pad)


def _plural(one: str, many: str, count: Any) -> str:
    return one if to_int64(count) == 1 else many


def _split_map(sep: str, text: str) -> dict[str, Any]:
    return {f"_{i}": part for i, part in enumerate(text.split(sep) if sep else list(text))}


def _splitn(sep: str, count: int, text: str) -> dict[str, Any]:
    parts = text.split(sep, count - 1) if count > 0 else ([] if count == 0 else text.split(sep))
    return {f"_{i}": part for i, part in enumerate(parts)}


def _join(sep: str, value: Any) -> str:
    items = value if isinstance(value, list) else [] if value is None else [value]
    return sep.join(strval(item) for item in items if item is not None)


def _b64dec(text: str) -> str:
    try:
        return base64.b64decode(text, validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        return f"illegal base64 data: {exc}"


def _b32dec(text: str) -> str:
    try:
        return base64.b32decode(text).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        return f"illegal base32 data: {exc}"


def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return compile_regex(pattern)
    except Exception:
        return None


def _go_replacement(replacement: str) -> str:
    """Go's ``$1``/``${name}`` expansion syntax for Python's ``re.sub``."""
    out = replacement.replace("\\", "\\\\")
    return re.sub(r"\$(\w+)|\$\{(\w+)\}", lambda m: "\\g<" + (m.group(1) or m.group(2)) + ">", out)


def _regex_find_all(pattern: str, text: str, count: int) -> list[Any]:
    compiled = _regex(pattern)
    if compiled is None:
        return []
    found = [m.group(0) for m in compiled.finditer(text)]
    return found if count < 0 else found[:count]


def _regex_split(pattern: str, text: str, count: int) -> list[Any]:
    compiled = _regex(pattern)
    if compiled is None or count == 0:
        return []
    return list(compiled.split(text, maxsplit=max(count - 1, 0)))


def _rand(alphabet: str) -> Callable[[int], str]:
    return lambda count: "".join(current_sources().choice(alphabet) for _ in range(max(min(count, 100_000), 0)))


def _url_parse(text: str) -> dict[str, Any]:
    parts = urlsplit(text)
    return {"scheme": parts.scheme, "host": parts.netloc.rpartition("@")[2], "hostname": parts.hostname or "",
            "path": parts.path, "query": parts.query, "opaque": "", "fragment": parts.fragment,
            "userinfo": parts.netloc.rpartition("@")[0]}


STRING_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "hello": lambda: "Hello!",
    "trim": typed("s", str.strip), "trimAll": typed("ss", lambda cut, s: s.strip(cut)),
    "trimall": typed("ss", lambda cut, s: s.strip(cut)),
    "trimPrefix": typed("ss", lambda p, s: s[len(p):] if p and s.startswith(p) else s),
    "trimSuffix": typed("ss", lambda p, s: s[: -len(p)] if p and s.endswith(p) else s),
    "upper": typed("s", str.upper), "lower": typed("s", str.lower), "title": typed("s", _title),
    "untitle": typed("s", _untitle), "repeat": typed("is", lambda n, s: s * max(min(n, 1_000_000), 0)),
    "substr": typed("iis", _substr), "nospace": typed("s", lambda s: "".join(s.split())),
    "trunc": typed("is", _trunc), "abbrev": typed("is", _abbrev), "abbrevboth": typed("iis", _abbrevboth),
    "initials": typed("s", _initials), "swapcase": typed("s", _swapcase),
    "shuffle": typed("s", lambda s: "".join(current_sources().shuffled(s))), "snakecase": typed("s", _snake),
    "camelcase": typed("s", _camel), "kebabcase": typed("s", _kebab),
    "wrap": typed("is", lambda w, s: _wrap_with(w, "\n", s)), "wrapWith": typed("iss", _wrap_with),
    "contains": typed("ss", lambda sub, s: sub in s), "hasPrefix": typed("ss", lambda p, s: s.startswith(p)),
    "hasSuffix": typed("ss", lambda p, s: s.endswith(p)),
    "quote": lambda *args: " ".join(go_quote(strval(a)) for a in args if a is not None),
    "squote": lambda *args: " ".join(f"'{strval(a)}'" for a in args if a is not None),
    "cat": lambda *args: " ".join(strval(a) for a in args if a is not None),
    "indent": typed("is", _indent), "nindent": typed("is", lambda n, s: "\n" + _indent(n, s)),
    "replace": typed("sss", lambda old, new, s: s.replace(old, new)), "plural": typed("ssa", _plural),
    "toString": strval, "split": typed("ss", _split_map), "splitList": typed("ss", lambda sep, s: list(
        s.split(sep) if sep else list(s))), "splitn": typed("sis", _splitn), "join": typed("sa", _join),
    "sortAlpha": lambda v: sorted(strval(x) for x in (v if isinstance(v, list) else [v])),
    "toStrings": lambda v: [strval(x) for x in (v if isinstance(v, list) else [v])],
    "sha1sum": typed("s", lambda s: hashlib.sha1(s.encode()).hexdigest()),
    "sha256sum": typed("s", lambda s: hashlib.sha256(s.encode()).hexdigest()),
    "sha512sum": typed("s", lambda s: hashlib.sha512(s.encode()).hexdigest()),
    "adler32sum": typed("s", lambda s: str(zlib.adler32(s.encode()))),
    "b64enc": typed("s", lambda s: base64.b64encode(s.encode()).decode()), "b64dec": typed("s", _b64dec),
    "b32enc": typed("s", lambda s: base64.b32encode(s.encode()).decode()), "b32dec": typed("s", _b32dec),
    "regexMatch": typed("ss", lambda p, s: bool((r := _regex(p)) and r.search(s))),
    "regexFindAll": typed("ssi", _regex_find_all),
    "regexFind": typed("ss", lambda p, s: (m.group(0) if (r := _regex(p)) and (m := r.search(s)) else "")),
    "regexReplaceAll": typed("sss", lambda p, s, rep: (r.sub(_go_replacement(rep), s) if (r := _regex(p)) else s)),
    "regexReplaceAllLiteral": typed("sss", lambda p, s, rep: (r.sub(lambda _m: rep, s) if (r := _regex(p)) else s)),
    "regexSplit": typed("ssi", _regex_split), "regexQuoteMeta": typed("s", re.escape),
    "randAlphaNum": typed("i", _rand(string.ascii_letters + string.digits)),
    "randAlpha": typed("i", _rand(string.ascii_letters)), "randNumeric": typed("i", _rand(string.digits)),
    "randAscii": typed("i", _rand("".join(chr(c) for c in range(32, 127)))),
    "uuidv4": lambda: current_sources().uuid4(),
    "base": typed("s", lambda p: posixpath.basename(p.rstrip("/")) or ("/" if p.startswith("/") else ".")),
    "dir": typed("s", lambda p: posixpath.dirname(p.rstrip("/") or p) or "."),
    "clean": typed("s", lambda p: posixpath.normpath(p) if p else "."),
    "ext": typed("s", lambda p: posixpath.splitext(p)[1]), "isAbs": typed("s", lambda p: p.startswith("/")),
    "urlParse": typed("s", _url_parse),
    "urlJoin": typed("m", lambda m: urljoin(f"{m.get('scheme', '')}://{m.get('host', '')}", str(m.get("path", "")))),
}
for _name in ("osBase", "osClean", "osDir", "osExt", "osIsAbs"):
    STRING_FUNCTIONS[_name] = STRING_FUNCTIONS[_name[2].lower() + _name[3:]]


def _must(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The ``must`` variant: a bad pattern is an error instead of a zero value."""

    def run(pattern: Any, *args: Any) -> Any:
        compile_regex(pattern if isinstance(pattern, str) else "")
        return fn(pattern, *args)

    return run


for _name in ("regexMatch", "regexFindAll", "regexFind", "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit"):
    STRING_FUNCTIONS["must" + _name[0].upper() + _name[1:]] = _must(STRING_FUNCTIONS[_name])
STRING_FUNCTIONS["randBytes"] = typed("i", lambda n: base64.b64encode(current_sources().random.bytes(max(min(n, 1_000_000), 0))).decode())
