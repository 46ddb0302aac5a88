"""Compiled dataclass methods kept between runs, beside argoctl's own bytecode.

``dataclasses`` writes each generated method (``__init__``, ``__repr__``, ``__eq__``, a frozen
class's ``__setattr__``...) as source text and ``exec``\\ s it: the text is parsed and compiled
again in every process. For ``argoctl submit --wait`` that was about 360 compilations of 135 kB of
text, a third of the command's own CPU time. ``install`` gives the ``dataclasses`` module an
``exec`` of its own (a module global shadows the builtin; nothing else changes) that compiles
each text once and keeps the code object, and, at exit, stores the code objects this process
compiled in argoctl's ``__pycache__`` (``sys.pycache_prefix`` respected) for the next run. The
text is the key: the same text compiles to the same code whatever the run, and the values it
refers to (defaults, types) still come from the namespace ``dataclasses`` passes at each call.

The file is trusted exactly as the ``.pyc`` files beside it are: it is read only when it is a
regular file owned by this user (or root) and not writable by group or others, and when its header
is this interpreter's bytecode magic number; anything else (damaged, foreign, from another Python)
is ignored and compiled afresh. Nothing is written when bytecode writing is off
(``PYTHONDONTWRITEBYTECODE``, ``-B``). ``ARGOCTL_DATACLASS_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: this runs before every command
if TYPE_CHECKING:
    from types import CodeType
    from typing import Any

CACHE_ENV = "ARGOCTL_DATACLASS_CACHE"  # 0 / false / no / off: compile every time
MAX_ENTRIES = 4096  # a cache grown past this (many source versions) is rewritten with this run's only
_HEADER_SIZE = 4 + 8  # the magic number, then the body's length


class _Cache:
    def __init__(self, path: str | None) -> None:
        self.path = path
        self.known: dict[str, CodeType] = _read(path) if path else {}
        self.used: dict[str, CodeType] = {}
        self.new = False

    def code(self, text: str) -> CodeType:
        found = self.known.get(text)
        if found is None:
            # as ``exec(text)`` in ``dataclasses`` compiles it: file "<string>", no future flags
            found = self.known[text] = compile(text, "<string>", "exec", dont_inherit=True)
            self.new = True
        self.used[text] = found
        return found

    def save(self) -> None:
        if not self.new or self.path is None or sys.dont_write_bytecode:
            return
        keep = self.known if len(self.known) <= MAX_ENTRIES else self.used
        _write(self.path, keep)


def _cache_path() -> str | None:
    try:
        from importlib.util import cache_from_source

        package_init = sys.modules["argoctl"].__file__ or ""
        directory = os.path.dirname(cache_from_source(package_init))
    except (KeyError, NotImplementedError, ValueError, TypeError):
        return None
    return os.path.join(directory, f"dataclasses.{sys.implementation.cache_tag}.bin")


def _magic() -> bytes:
    from importlib.util import MAGIC_NUMBER

    return MAGIC_NUMBER


def _read(path: str) -> dict[str, CodeType]:
    import marshal
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return {}
    try:
        st = os.fstat(fd)
        trusted = (stat.S_ISREG(st.st_mode) and st.st_uid in (os.geteuid(), 0)
                   and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
        data = _read_all(fd, st.st_size) if trusted else b""
    except OSError:
        return {}
    finally:
        os.close(fd)
    if len(data) < _HEADER_SIZE or data[:4] != _magic() or int.from_bytes(data[4:12], "little") != len(data) - 12:
        return {}
    try:
        table = marshal.loads(data[_HEADER_SIZE:])
    except (EOFError, ValueError, TypeError):
        return {}
    code_type = type(_read.__code__)
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, code_type)}


def _read_all(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write(path: str, table: dict[str, CodeType]) -> None:
    import marshal

    body = marshal.dumps(table)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            os.write(fd, _magic() + len(body).to_bytes(8, "little") + body)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temp)


def install() -> None:
    """Compile dataclass methods through the cache from now on (once per process)."""
    if os.environ.get(CACHE_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return
    import atexit
    import dataclasses

    if "exec" in vars(dataclasses):
        return  # installed already (or another tool's): leave it
    cache = _Cache(_cache_path())

    def cached_exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
        code = cache.code(source) if isinstance(source, str) else source
        exec(code, globals, locals)

    dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    atexit.register(cache.save)
