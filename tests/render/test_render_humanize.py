"""Go-compatible humanized durations and timestamps (util/humanize + go-humanize tables)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from argoctl.render import humanize

from .builders import T0, at


@pytest.mark.parametrize(("seconds", "short", "long"), [
    (0, "0s", "0 seconds"),
    (0.5, "0s", "0 seconds"),
    (1, "1s", "1 second"),
    (1.9, "1s", "1 second"),
    (5, "5s", "5 seconds"),
    (59, "59s", "59 seconds"),
    (60, "1m", "1 minute 0 seconds"),
    (90, "1m", "1 minute 30 seconds"),
    (120, "2m", "2 minutes 0 seconds"),
    (3599, "59m", "59 minutes 59 seconds"),
    (3600, "1h", "1 hour 0 minutes"),
    (3661, "1h", "1 hour 1 minutes"),
    (7200, "2h", "2 hours 0 minutes"),
    (86399, "23h", "23 hours 59 minutes"),
    (86400, "1d", "1 day 0 hours"),
    (90000, "1d", "1 day 1 hours"),
    (3 * 86400, "3d", "3 days 0 hours"),
    (7 * 86400, "7d", "1 week 0 hours"),
    (10 * 86400 + 5 * 3600, "10d", "1 week 5 hours"),
    (15 * 86400, "15d", "2 weeks 0 hours"),
    (40 * 86400, "40d", "1 month 0 hours"),
    (400 * 86400, "400d", "1 year 0 hours"),
])
def test_short_and_long_durations(seconds: float, short: str, long: str) -> None:
    assert humanize.duration_short(seconds) == short
    assert humanize.duration_long(seconds) == long
    assert humanize.duration_short(timedelta(seconds=seconds)) == short


@pytest.mark.parametrize(("offset", "text"), [
    (0, "now"),
    (0.4, "now"),
    (1, "1 second ago"),
    (45, "45 seconds ago"),
    (60, "1 minute ago"),
    (300, "5 minutes ago"),
    (3600 * 5, "5 hours ago"),
    (86400 * 1.5, "1 day ago"),
    (86400 * 9, "1 week ago"),
    (86400 * 21, "3 weeks ago"),
    (86400 * 65, "2 months ago"),
    (86400 * 500, "1 year ago"),
    (86400 * 700, "2 years ago"),
    (86400 * 365 * 5, "5 years ago"),
    (-3, "3 seconds from now"),
])
def test_time_ago(offset: float, text: str) -> None:
    assert humanize.time_ago(T0, now=T0 + timedelta(seconds=offset)) == text


def test_zero_time_is_a_long_while_ago() -> None:
    assert humanize.time_ago(None, now=T0) == "a long while ago"


def test_relative_spans() -> None:
    assert humanize.relative_short(None, None, now=at(100)) == "0s"
    assert humanize.relative_short(at(0), None, now=at(100)) == "1m"
    assert humanize.relative_short(at(0), at(30), now=at(100)) == "30s"
    assert humanize.relative_long(at(0), None, now=at(100)) == "1 minute 40 seconds"
    # Go's Sub saturates: an unset start against a real finish is ~292 years
    assert humanize.relative_short(None, at(0), now=at(0)) == "106751d"


def test_go_timestamp() -> None:
    assert humanize.go_timestamp(at(0), now=at(300)) == "Wed May 01 10:00:00 +0000 (5 minutes ago)"
    plus_two = at(300).astimezone(timezone(timedelta(hours=2)))
    assert humanize.go_timestamp(at(0), now=plus_two) == "Wed May 01 12:00:00 +0200 (5 minutes ago)"
    minus = at(300).astimezone(timezone(-timedelta(hours=3, minutes=30)))
    assert humanize.go_timestamp(at(0), now=minus) == "Wed May 01 06:30:00 -0330 (5 minutes ago)"
    naive_now = datetime(2024, 5, 1, 10, 5)
    assert humanize.go_timestamp(at(0), now=naive_now) == "Wed May 01 10:00:00 +0000 (5 minutes ago)"


def test_go_time_string() -> None:
    assert humanize.go_time_string(at(0)) == "2024-05-01 10:00:00 +0000 UTC"
    assert humanize.go_time_string(T0 + timedelta(microseconds=250000)) == "2024-05-01 10:00:00.25 +0000 UTC"
    assert humanize.go_time_string(None) == "0001-01-01 00:00:00 +0000 UTC"
    assert humanize.go_time_string(at(0), zone=timezone(timedelta(hours=5, minutes=30))) == (
        "2024-05-01 15:30:00 +0530 +0530"
    )


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (12, "12s"), (60, "1m0s"), (75, "1m15s"), (3600, "1h0m0s"), (3723, "1h2m3s"),
])
def test_go_duration(seconds: int, text: str) -> None:
    assert humanize.go_duration(seconds) == text


def test_parse_time() -> None:
    assert humanize.parse_time("2024-05-01T10:00:00Z") == T0
    assert humanize.parse_time("2024-05-01T12:00:00+02:00") == T0
    assert humanize.parse_time("2024-05-01T10:00:00.5Z") == T0 + timedelta(milliseconds=500)
    assert humanize.parse_time("2024-05-01T10:00:00") == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert humanize.parse_time(None) is None
    assert humanize.parse_time("") is None
    assert humanize.parse_time("yesterday") is None
