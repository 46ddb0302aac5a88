"""``argoctl.yamlseed``: PyYAML's printable-character pattern replaced by a cheap equivalent that
gives every code point the same answer, and PyYAML's own errors unchanged."""

from __future__ import annotations

import re
import subprocess
import sys

from argoctl import yamlseed
from tests.cli.conftest import REPO


def test_the_seeded_pattern_matches_exactly_what_pyyamls_does() -> None:
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    theirs = re.compile(yamlseed.YAML_TEXT, re.UNICODE)  # another cache key: a real compilation
    ours = re.compile(yamlseed.SAME_SET)
    assert [m.start() for m in ours.finditer(everything)] == [m.start() for m in theirs.finditer(everything)]


def test_the_pattern_text_is_pyyamls() -> None:
    """If PyYAML changes its text the seed goes unused (harmless): this says so."""
    import yaml.reader

    assert yaml.reader.Reader.NON_PRINTABLE.pattern in (yamlseed.YAML_TEXT, yamlseed.SAME_SET)


PROBE = """
import sys
from argoctl import yamlseed
if sys.argv[1] == "seed":
    yamlseed.seed()
import yaml
print(yaml.reader.Reader.NON_PRINTABLE.pattern == yamlseed.SAME_SET)
for text in ("a: \\x01", "b: \\ufffe", "ok: \\u00e9", "c: \\x85x"):
    try:
        print(repr(yaml.safe_load(text)))
    except yaml.YAMLError as err:
        print(str(err).replace("\\n", " | "))
"""


def test_pyyaml_reports_the_same_with_and_without_the_seed() -> None:
    outputs = []
    for mode in ("seed", "plain"):
        done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, cwd=REPO,
                              check=False, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.splitlines())
    seeded, plain = outputs
    assert seeded[0] == "True" and plain[0] == "False"
    assert seeded[1:] == plain[1:] and "special characters are not allowed" in seeded[1]
