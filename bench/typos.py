"""Typo robustness of the answer engine: of the tuned questions it answers right, how many
it still answers right with one typo in their longest word (7+ letters).

Three kinds of typo, each made once per question at a seeded random place inside the word:
a letter dropped, two letters swapped, a letter replaced. Out-of-scope questions are left
out (a typo must not be what makes the engine refuse them). Blind sets are never read.

    .venv/bin/python bench/typos.py [--engine rules|learned] [--questions FILE]...
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.judge import judge, load_questions  # noqa: E402
from knowledge.engine import AnswerEngine, AnswerKind  # noqa: E402
from knowledge.seed import ensure_seeded  # noqa: E402
from knowledge.selector import ENGINES  # noqa: E402
from knowledge.store import make_engine  # noqa: E402

TZ = ZoneInfo("Europe/Paris")
QUESTIONS = ROOT / "bench" / "questions"
_LONG_WORD = re.compile(r"[A-Za-zÀ-ÿ]{7,}")
Typo = Callable[[str, int, random.Random], str]
TYPOS: dict[str, Typo] = {
    "letter dropped": lambda w, i, rng: w[:i] + w[i + 1:],
    "letters swapped": lambda w, i, rng: w[:i] + w[i + 1] + w[i] + w[i + 2:],
    "letter replaced": lambda w, i, rng: w[:i] + rng.choice("aeiourstln") + w[i + 1:],
}


def with_typo(question: str, typo: Typo, rng: random.Random) -> str | None:
    """The question with one typo inside its longest word (never its first two letters,
    nor its last two), or None if it has no word of 7 letters or more."""
    words = _LONG_WORD.findall(question)
    if not words:
        return None
    word = max(words, key=len)
    return question.replace(word, typo(word, rng.randrange(2, len(word) - 2), rng), 1)


def answered(engine: AnswerEngine, item: dict, question: str) -> bool:
    answer = engine.ask(question)
    return judge(item, answer.kind is AnswerKind.UNKNOWN, answer.text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=sorted(ENGINES), default="rules")
    parser.add_argument("--questions", action="append", type=Path, default=[],
                        help="the sets to read (default: every own*.yaml)")
    args = parser.parse_args()
    sets = args.questions or sorted(QUESTIONS.glob("own*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{tmp}/seed.db")
        ensure_seeded(db, TZ)
        engine = ENGINES[args.engine](db, TZ)
        items = [item for path in sets for item in load_questions(path)
                 if not item.get("expect_none") and answered(engine, item, item["question"])]
        print(f"Engine: {args.engine}; {len(items)} in-scope questions answered right "
              f"in {len(sets)} sets")
        for name, typo in TYPOS.items():
            rng = random.Random(3)
            pairs = [(item, typed) for item in items
                     if (typed := with_typo(item["question"], typo, rng)) is not None]
            kept = sum(answered(engine, item, typed) for item, typed in pairs)
            print(f"  one {name:<16} {kept:>5}/{len(pairs):<5} {kept / len(pairs):6.1%}")


if __name__ == "__main__":
    main()
