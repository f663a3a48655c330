"""knowledge.admin_store.dates: French dates and times."""

from __future__ import annotations

import pytest

from knowledge import admin_store as store
from knowledge.admin_store import AdminError


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
