"""Questions that hold two asks ('qui suit le logement, et que prévoit-on ?'): where to cut
them, and how to tell both answers in one short reply, each with its source.

The engine answers each half itself (knowledge/engine.py); this module only knows the
shape of French two-part questions and of a combined reply.
"""

from __future__ import annotations

import re

from knowledge.answers import IN_CHARGE, Answer, AnswerKind, fit, shorten
from knowledge.text import fold, normalize
from knowledge.tuning import MAX_ANSWER_CHARS

# Ways to cut one question that are tried, first first: each costs two answers, so a question
# repeated with '?' ten times stays a few answers' work (genuine ones hold one or two cuts).
MAX_CUTS = 3
# what may stand between 'et' and the second ask: 'et savoir qui', 'et me dire quand'
_FILLERS = (r"(?:(?:savoir|me dire|dites moi|aussi|egalement|enfin|puis|surtout|d\W?autre part"
            r"|me (?:preciser|donner|rappeler)|m\W?indiquer)\s+)?")
_SECOND_ASK = re.compile(
    r"\s*(?:[;?]|,?\s+et\s+" + _FILLERS + r"(?=(?:qui|quel|quelle|quels|quelles|quand|combien"
    r"|comment|ou|que|qu|c\W?est|son|sa|ses|leur|a quoi|en quoi"
    r"|(?:pour|a|dans|en|sur|depuis) (?:quel\w*|qui|combien))\b)"
    r"|,?\s+ainsi que\s+(?:celui|celle|ceux|celles)?\s*)\s*",
    re.IGNORECASE)
_SAME_KIND = re.compile(r"\s+et\s+", re.IGNORECASE)
# 'combien de podcasts et de cahiers': two things counted, each its own ask
_COUNTED_PAIR = re.compile(r"\b(?:combien|nombre)\s+(?:de|d|des)\s*'?\s*\w+[^,;?]*?"
                           r"(\s+et\s+(?:de|d|des)\s*'?\s*)(?=\w)")


def two_asks(text: str, who: bool = False) -> list[tuple[str, str, bool]]:
    """Ways to cut a question into two asks (at most MAX_CUTS): at '; ', '?' or ', et
    (savoir) qui/quand/…'; a 'qui' question also at ' et ' ('culture et sport, quels élus ?':
    both ask 'qui')."""
    folded = fold(text)
    cuts = [(m, False) for m in _SECOND_ASK.finditer(folded)
            if 0 < m.start() and m.end() < len(folded)]
    if who and not cuts:
        cuts = [(m, True) for m in _SAME_KIND.finditer(folded) if 0 < m.start()]
    asks = [(text[: m.start()], text[m.end():], same) for m, same in cuts
            if len(normalize(text[m.end():]).split()) >= 2]
    pair = _COUNTED_PAIR.search(folded)
    if pair and not asks:
        start, end = pair.span(1)
        asks.append((text[:start], "combien de " + text[end:], False))
    return asks[:MAX_CUTS]


def combine(question: str, normalized: str, answers: list[Answer]) -> Answer:
    """Both answers in one reply: each half told whole if it fits its share of the room,
    else its lines shortened evenly, and dropped only with a line saying so."""
    sources = _shared_prefix_once(list(dict.fromkeys(
        [a.sources[0] for a in answers if a.sources]
        + [s for a in answers for s in a.sources]))[:len(answers)])
    room = MAX_ANSWER_CHARS - len("Source : " + " ; ".join(sources)) - len(answers)
    parts: list[list[str]] = []
    for answer in answers:
        told = "\n".join(line for part in parts for line in part)
        part = [answer.headline, *[line for line in answer.body if not (  # already named
            line.startswith(IN_CHARGE) and line[len(IN_CHARGE):].split(" (")[0] in told)]]
        parts.append(part)
    sizes = [len("\n".join(part)) for part in parts]
    lines, matches, ids = [], [], []
    for i, (answer, part) in enumerate(zip(answers, parts, strict=True)):
        others = sum(min(size, room // len(answers)) for j, size in enumerate(sizes) if j != i)
        lines += shorten(part, room - others)  # what the other half leaves, at least half
        matches += answer.matches[:1]
        ids += answer.milestone_ids
    combined = Answer(kind=AnswerKind.ANSWER, question=question, headline=lines[0],
                      body=lines[1:], sources=sources, matches=matches, milestone_ids=ids,
                      normalized=normalized)
    return fit(combined)


def _shared_prefix_once(sources: list[str]) -> list[str]:
    """'doc, diapositive 40 « … »' and 'doc, diapositive 41 « … »': the document named once."""
    if len(sources) < 2:
        return sources
    head = sources[0].split(", ")[0] + ", "
    return [sources[0], *[s[len(head):] if s.startswith(head) else s for s in sources[1:]]]
