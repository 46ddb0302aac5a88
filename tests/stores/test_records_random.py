"""``records.random_uid`` and ``random_suffix``: drawn from ``os.urandom`` without ``uuid`` and
``secrets`` (start-up time), in the same forms as those give."""

from __future__ import annotations

import uuid
from collections import Counter

from argoctl.stores import records


def test_a_uid_is_a_version_4_uuid_in_its_usual_text() -> None:
    uids = {records.random_uid() for _ in range(200)}
    assert len(uids) == 200
    for text in uids:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)


def test_a_suffix_uses_the_whole_alphabet_evenly() -> None:
    drawn = "".join(records.random_suffix(40) for _ in range(500))
    assert len(drawn) == 20_000 and set(drawn) == set(records._GENERATED_ALPHABET)
    counts = Counter(drawn).values()
    expected = len(drawn) / len(records._GENERATED_ALPHABET)
    assert max(abs(c - expected) for c in counts) < expected * 0.2  # ~741 each, standard deviation ~27
    assert len(records.random_suffix()) == 5
