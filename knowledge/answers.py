"""What the engine returns: a typed Answer (answer / ambiguous / unknown) and its parts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from knowledge.tuning import MAX_ANSWER_CHARS, MIN_LINE_CHARS

IN_CHARGE = "En charge : "  # the line naming the official of a topic, told with its plans


class AnswerKind(StrEnum):
    ANSWER = "answer"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


class EntryKind(StrEnum):
    """The kinds of knowledge entries an answer can be about."""

    PERSON = "person"
    PRIORITY = "priority"
    FIGURE = "figure"
    COMMUNE = "commune"
    PROJECT = "project"  # milestones grouped by project
    FACT = "fact"
    AXIS = "axis"


class Intent(StrEnum):
    """The kind of answer a question wants."""

    WHO = "who"
    WHEN = "when"
    FIGURE = "figure"
    DEFINE = "define"
    AXIS = "axis"
    HOW = "how"
    PRIORITY = "priority"  # "priorités logement": the priorities are the answer


@dataclass
class Match:
    kind: str
    entry_id: int
    title: str
    score: float


@dataclass
class Suggestion:
    """An alternative the user may have meant: `query` re-asks the engine precisely, and
    (kind, entry_id) names the entry for a button."""

    label: str
    query: str
    kind: str = ""
    entry_id: int = 0


@dataclass(frozen=True)
class More:
    """A list answer told in part: where it is told whole, so nothing is silently dropped.
    `kind` is EntryKind.AXIS (key: the axis number) or EntryKind.PRIORITY (key: its id)."""

    kind: str
    key: int


@dataclass
class Answer:
    kind: AnswerKind
    question: str
    headline: str
    body: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    alternatives: list[Suggestion] = field(default_factory=list)
    milestone_ids: list[int] = field(default_factory=list)
    normalized: str = ""
    small_talk: bool = False  # "bonjour", "merci": nothing to log for the admins
    more: More | None = None  # where the whole of a list cut to fit is told
    query: Any = field(default=None, repr=False, compare=False)  # what was understood

    @property
    def score(self) -> float:
        return self.matches[0].score if self.matches else 0.0

    def source_line(self) -> str:
        return ("Source : " + " ; ".join(self.sources)) if self.sources else ""

    def text(self) -> str:
        """The plain-text reply: what the bot says, without markup."""
        parts = [self.headline, *self.body]
        if self.alternatives and self.kind is not AnswerKind.ANSWER:
            parts.extend(f"• {alt.label}" for alt in self.alternatives)
        if self.sources:
            parts.append(self.source_line())
        return "\n".join(part for part in parts if part)

    def to_dict(self) -> dict:
        data = asdict(replace(self, query=None))
        data.pop("query")
        data["kind"] = str(self.kind)
        data["text"] = self.text()
        return data


def fit(answer: Answer) -> Answer:
    """Keep the whole reply short (an answer, not a slide dump): its lines are shortened,
    and lines that still do not fit are dropped with a line saying so (never silently)."""
    if len(answer.text()) <= MAX_ANSWER_CHARS:
        return answer
    lines = [answer.headline, *answer.body]
    fixed = len(answer.text()) - len("\n".join(lines))  # suggestions, source
    lines = shorten(lines, MAX_ANSWER_CHARS - fixed)
    answer.headline, answer.body = lines[0], lines[1:]
    if len(answer.text()) > MAX_ANSWER_CHARS:  # a source line too long for any answer
        answer.headline = answer.headline[:300].rstrip() + "…"
    return answer


def shorten(lines: list[str], budget: int) -> list[str]:
    """`lines` in at most `budget` characters: the longest lines cut at a word first (never
    below MIN_LINE_CHARS), then the last lines dropped and counted in a closing line."""
    lines = list(lines)

    def size(candidate: list[str]) -> int:
        return len("\n".join(candidate))

    while size(lines) > budget:
        order = sorted(range(len(lines)), key=lambda k: -len(lines[k]))
        i, line = order[0], lines[order[0]]
        runner_up = len(lines[order[1]]) if len(order) > 1 else 0  # long lines cut evenly
        target = max(MIN_LINE_CHARS, len(line) - (size(lines) - budget) - 1, runner_up - 10)
        cut = _cut(line, target)
        if len(cut) >= len(line):
            break
        lines[i] = cut
    dropped = 0
    while size(lines) > budget and len(lines) > 1:
        if dropped:
            lines.pop()  # the closing line, recounted below
        lines.pop()
        dropped += 1
        lines.append(f"(et {_points(dropped)} de plus : voir la source)")
    if size(lines) > budget:  # one huge line, or the marker itself does not fit
        lines[0] = _cut(lines[0], max(budget - size(lines[1:]) - 2, 1))
    return lines


def _cut(line: str, limit: int) -> str:
    """`line` cut at its last word before `limit` characters, marked with '…'; never
    ending on an opening « or (."""
    if len(line) <= limit:
        return line
    space = line.rfind(" ", limit // 2, limit)
    kept = line[: space if space > 0 else limit].rstrip(" ,;:«(")
    return kept + "…"


def _points(count: int) -> str:
    return f"{count} point" + ("s" if count > 1 else "")
