"""knowledge.admin_store.dates: French dates and times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from knowledge import admin_store as store
from knowledge.admin_store import AdminError
from knowledge.models import repeated_time


@pytest.mark.parametrize(("text", "expected"), [
    ("15/03/2027", (2027, 3, 15)), ("2027-03-15", (2027, 3, 15)), ("15.03.2027", (2027, 3, 15)),
    ("15 mars 2027", (2027, 3, 15)), ("mardi 16 mars 2027", (2027, 3, 16)),
    ("1er février 2027", (2027, 2, 1)), ("15 MARS 2027", (2027, 3, 15)),
    ("mars 2027", (2027, 3, None)), ("03/2027", (2027, 3, None)), ("2027-03", (2027, 3, None)),
])
def test_dates_in_french_formats(text: str, expected: tuple) -> None:
    assert store.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2027", "32/01/2027", "15 floréal 2027", "demain",
                                  "15/03/27", "15/03/1850"])
def test_bad_dates_name_the_field_with_an_example(text: str) -> None:
    with pytest.raises(AdminError, match=r"« date » .*exemple : date=15/03/2027"):
        store.parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("10h", (10, 0)), ("10h30", (10, 30)), ("10:00", (10, 0)), ("10 h 30", (10, 30)),
    ("9H05", (9, 5)), ("18 heures", (18, 0)),
])
def test_times(text: str, expected: tuple) -> None:
    assert store.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25h", "10h75", "midi", "10"])
def test_bad_times(text: str) -> None:
    with pytest.raises(AdminError, match="« heure »"):
        store.parse_time(text)


def test_a_time_skipped_by_the_change_to_summer_time_is_refused(tz: ZoneInfo) -> None:
    """Issue #18.3b: 28/03/2027 2 h 30 does not exist in Paris; it was moved to 3 h 30."""
    with pytest.raises(AdminError) as refused:
        store.milestone_start((2027, 3, 28), (2, 30), tz)
    assert str(refused.value) == (
        "« heure » : 2 h 30 n'existe pas le 28/03/2027 : cette nuit-là, on passe à l'heure "
        "d'été et les montres sautent de 2 h à 3 h (exemple : heure=3h).")
    assert store.milestone_start((2027, 3, 28), (3, 0), tz)[0] == datetime(2027, 3, 28, 1,
                                                                            tzinfo=UTC)
    assert store.milestone_start((2027, 3, 28), (1, 59), tz)[0] == datetime(2027, 3, 28, 0, 59,
                                                                             tzinfo=UTC)


def test_a_time_that_happens_twice_is_its_first_occurrence(tz: ZoneInfo) -> None:
    """31/10/2027 2 h 30 happens twice in Paris: the first time, in summer time (as RFC 5545
    reads such a time, so the .ics files agree), and it is told apart from other times."""
    start, _ = store.milestone_start((2027, 10, 31), (2, 30), tz)
    assert start == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert repeated_time(start, tz)
    assert repeated_time(datetime(2027, 10, 31, 1, 30, tzinfo=UTC), tz)  # the second
    for hour, minute in [(1, 59), (3, 0), (10, 0)]:
        other, _ = store.milestone_start((2027, 10, 31), (hour, minute), tz)
        assert not repeated_time(other, tz)
    assert not repeated_time(store.milestone_start((2027, 3, 28), None, tz)[0], tz)
