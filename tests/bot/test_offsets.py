"""Reminder delays as officials type them: compact units or natural French."""

from __future__ import annotations

import pytest

from bot.settings import parse_offsets

DAY, HOUR = 86_400, 3_600


@pytest.mark.parametrize(("text", "expected"), [
    ("7j 1j 2h", [7 * DAY, DAY, 2 * HOUR]),
    ("7j,1j;2h", [7 * DAY, DAY, 2 * HOUR]),
    ("1j2h", [DAY, 2 * HOUR]),
    ("30m 30s", [1800, 30]),
    ("1 semaine", [7 * DAY]),
    ("la veille", [DAY]),
    ("2 jours", [2 * DAY]),
    ("3 heures avant", [3 * HOUR]),
    ("Une semaine, la veille et 2 heures avant", [7 * DAY, DAY, 2 * HOUR]),
    ("l’avant-veille", [2 * DAY]),
    ("1 jour avant, 15 minutes avant", [DAY, 900]),
    ("2 Semaines", [14 * DAY]),
])
def test_compact_and_natural_french_delays(text: str, expected: list[int]) -> None:
    assert parse_offsets(text) == expected


@pytest.mark.parametrize(("text", "shown"), [
    ("demain", "« demain »"),
    ("2 ans", "« 2 ans »"),
    ("7x", "« 7x »"),
    ("h", "« h »"),  # a unit letter alone is a typo, not "1 h"
    ("la semaine prochaine", "« prochaine »"),
    ("0j", "délai nul"),
    ("400 jours", "un an au plus"),
    ("   ", "aucun délai"),
])
def test_bad_delays_are_refused_with_a_french_message_naming_them(text: str, shown: str) -> None:
    with pytest.raises(ValueError, match=shown):
        parse_offsets(text)
