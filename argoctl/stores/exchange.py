"""Swap a new file into place without ext4's replace-over-rename flush.

``os.replace(temp, path)`` over an existing file makes ext4 (``auto_da_alloc``, on by default)
allocate and start writing back the new file's blocks inside the rename, which cost 1-3 ms per
checkpoint of a running workflow, more than the rest of its save. ``renameat2(RENAME_EXCHANGE)``
swaps the two names just as atomically (a reader opening ``path`` sees the old or the new bytes,
never neither nor a mix) without that flush; the old bytes, now under the temp name, are then
unlinked. Used only for writes that are not fsynced anyway. Where the call is missing (no libc
symbol, another OS, a file system without the flag) or ``path`` does not exist yet, it is
``os.replace``. Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
from collections.abc import Callable

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_FALLBACK = (errno.ENOENT, errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV)


def _load() -> Callable[..., int] | None:
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    return function


_renameat2 = _load()


def swap_into_place(temp: str, path: str) -> None:
    """Put ``temp``'s file at ``path`` atomically and remove the name ``temp`` (old bytes or none)."""
    if _renameat2 is not None:
        if _renameat2(_AT_FDCWD, os.fsencode(temp), _AT_FDCWD, os.fsencode(path), _RENAME_EXCHANGE) == 0:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            return
        err = ctypes.get_errno()
        if err not in _FALLBACK:
            raise OSError(err, os.strerror(err), path)
    os.replace(temp, path)
