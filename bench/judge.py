"""The judge of question-set answers (dev.yaml's rules), shared by bench/ and the tests.

An item is a dict from a question file: `expect_all`, `expect_any`, `expect_none`.
Strings match after folding (lowercase, no accents, hyphens as spaces, spaces collapsed),
from the start of a word; a number never touches other digits; answers over 600
characters are wrong (a slide dump is not an answer).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

MAX_CHARS = 600
DONT_KNOW = ("je n'ai pas trouve", "je ne sais pas", "je n'ai pas cette information",
             "je ne dispose pas")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[-‐‑‒–—―]", " ", text).replace("’", "'")
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def contains(answer: str, expected: str) -> bool:
    """From the start of a word; numbers never touch other digits; 308 770 = 308770."""
    pattern = re.escape(fold(expected))
    pattern = re.sub(r"(?<=\d)\\ (?=\d)", "[ ]?", pattern)
    pattern = re.sub(r"(?<=\d),(?=\d)", "[,.]", pattern)
    end = r"(?!\d)" if re.search(r"\d$", expected) else ""
    return re.search(r"(?<![a-z0-9])" + pattern + end, fold(answer)) is not None


def is_dont_know(unknown: bool, text: str) -> bool:
    """'Je ne sais pas': the engine said so, or the first line starts with a known phrase."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return unknown or fold(first).startswith(DONT_KNOW)


def judge(item: dict, unknown: bool, text: str) -> bool:
    """Whether a reply (`unknown`: the engine's own 'I don't know' flag) passes `item`."""
    if item.get("expect_none"):
        return is_dont_know(unknown, text)
    if is_dont_know(unknown, text) or len(text) > MAX_CHARS:
        return False
    if not all(contains(text, s) for s in item.get("expect_all", [])):
        return False
    anys = item.get("expect_any")
    return not anys or any(contains(text, s) for s in anys)


def load_questions(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text("utf-8"))
