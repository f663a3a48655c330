"""What a careful reader checks in every text the bot shows (shared by the e2e tests of
lengths, cuts and typography, and by the screen walk of test_screens_e2e)."""

from __future__ import annotations

import re

NBSP = "\u00a0"  # the bot's one space before : ; ? ! and inside « » (bot.typography)
# A quote that starts inside its sentence: '…12 conservatoires', '• …déchets', ': …emplois'.
OPENING_CUT = re.compile(r"(^|[\s(«:;•])…|…(?=[\w«(])", re.MULTILINE)
# A plain (breakable) space where French puts a non-breaking one.
BREAKABLE = re.compile(r"[ \t](?=[:;?!»])|«[ \t]")


def opening_cuts(text: str) -> list[str]:
    """The places where `text` quotes something from the middle of a sentence."""
    return [text[max(m.start() - 20, 0):m.end() + 20] for m in OPENING_CUT.finditer(text)]


def breakable_spaces(text: str, entities: list[dict] | None = None) -> list[str]:
    """The places where a line could break before : ; ? ! » or after « (code and pre
    blocks, shown as typed, excepted)."""
    verbatim = [(e["offset"], e["offset"] + e["length"]) for e in entities or []
                if e.get("type") in ("code", "pre")]
    return [text[max(m.start() - 20, 0):m.end() + 20] for m in BREAKABLE.finditer(text)
            if not any(start <= _utf16(text, m.start()) < end for start, end in verbatim)]


def _utf16(text: str, index: int) -> int:
    """Telegram's entity offsets count UTF-16 code units."""
    return len(text[:index].encode("utf-16-le")) // 2


def source_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Source")]
