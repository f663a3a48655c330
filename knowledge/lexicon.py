"""Words learned from labelled questions: what an asker's own word points to.

Officials name things in words the slides never use (« épluchures » for the biowaste
sector, « plateaux jetés » for food waste), or use the base's words for something else.
`bench/train.py` reads the labelled questions and, for each word no hand-written synonym
reads, counts which expected answer the questions holding it have. A word seen with one
answer in at least `support` questions, that answer being at least a share `purity` of all
the word's questions (both chosen by cross-validation), is learned as standing for that
answer's words. The lexicon is a small JSON file (knowledge/data/lexicon.json: word stem →
expansion), read like the hand-written synonyms, but only when the base and the documents
would say « je ne sais pas » (AnswerEngine.ask): a learned word never changes an answer.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.text import INTENT_WORDS, STOP_WORDS, fold, normalize, stem

if TYPE_CHECKING:
    from knowledge.query import Vocabulary

# what a question asks ('s'occupe', 'combien'), not what it is about: never learned (a
# typo of it would be read as the learned word: 'ocupe' as 'occupe')
ASKING_STEMS = frozenset(stem(word) for phrase in INTENT_WORDS for word in phrase.split())
LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.json"
MIN_LETTERS = 4  # shorter words are abbreviations or grammar, not topics


def learnable_words(vocabulary: Vocabulary, question: str) -> set[str]:
    """The stems of the question's words, but those a hand-written synonym reads already
    (the base's own words too: « école » may stand for what its askers mean by it)."""
    return {stem(word) for word in normalize(question).split()
            if len(word) >= MIN_LETTERS and word not in STOP_WORDS and not word.isdigit()
            and stem(word) not in ASKING_STEMS and not vocabulary.expansions_of(word)}


def expected(item: dict) -> tuple[str, ...]:
    """What a labelled question expects (its expected strings, folded); () out of scope."""
    if item.get("expect_none"):
        return ()
    return tuple(sorted(fold(text) for text in item.get("expect_all") or (
        item.get("expect_any") or [])[:1]))


def expansion(answer: tuple[str, ...]) -> str:
    """The words of an expected answer a question can be matched by (a figure by its
    words, not its number)."""
    return " ".join(word for text in answer for word in normalize(text).split()
                    if len(word) >= 3 and not any(ch.isdigit() for ch in word))


def learn(vocabulary: Vocabulary, items: list[dict], purity: float,
          support: int) -> dict[str, str]:
    """Word stem → expansion, from labelled questions (see the module docstring)."""
    seen: Counter[str] = Counter()
    answers: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for item in items:
        answer = expected(item)
        for word in learnable_words(vocabulary, item["question"]):
            seen[word] += 1
            answers[word][answer] += 1
    lexicon = {}
    for word in sorted(answers):
        answer, count = min(answers[word].items(), key=lambda pair: (-pair[1], pair[0]))
        words = expansion(answer)
        if (words and count >= support and count / seen[word] >= purity
                and any(vocabulary.index.term_matches(w) for w in words.split())):
            lexicon[word] = words
    return lexicon


@lru_cache(maxsize=2)
def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, str]:
    """The learned words (read once per process); empty before the first training."""
    if not path.exists():
        return {}
    return json.loads(path.read_text("utf-8"))["words"]
