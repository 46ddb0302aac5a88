"""PyYAML's printable-character check without its start-up cost.

``yaml.reader`` compiles ``Reader.NON_PRINTABLE`` when it is imported: a negated class whose
printable ranges hold about 1.1 million code points, which ``re`` walks one by one in pure Python
(about 58 million instructions, 15 ms: a tenth of a one-step ``submit --wait``). ``seed`` compiles
the same set written as what it matches, seven short ranges (the complement within U+0000 to
U+10FFFF, so every code point gets the same answer), and puts it in ``re``'s cache under PyYAML's
own text and flags, where ``re.compile`` looks first: PyYAML then gets that pattern. Called before
anything imports ``yaml``; where ``re``'s cache is not the dict this expects, or ``yaml`` is
already loaded, nothing happens and PyYAML compiles its own. Imports only ``re`` and ``sys``.
"""

from __future__ import annotations

import re
import sys

YAML_TEXT = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"  # yaml/reader.py's
SAME_SET = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"


def seed() -> None:
    """Place the cheap equivalent of PyYAML's pattern in ``re``'s cache (see the module)."""
    cache = getattr(re, "_cache", None)
    if "yaml" in sys.modules or not isinstance(cache, dict):
        return
    cache.setdefault((str, YAML_TEXT, 0), re.compile(SAME_SET))
