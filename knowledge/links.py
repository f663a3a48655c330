"""Questions an admin linked to an entry (/questions → 🔗): asked again, they get that entry.

Linking stores the whole question as a synonym term: pinned to the entry, or expanded into
a milestone's project name. For the engine a pin is only a score boost on its ranked path,
which the other ways of answering (lists, people, communes…) and the intent's priors can
pass by: « Quand a lieu la prochaine réunion ? » pinned to an official still got « Je n'ai
pas trouvé ». An admin's link is explicit, so the question asked in those very words (as
normalised) answers with the linked entry, whichever engine is in use.
"""

from __future__ import annotations

from dataclasses import replace

from knowledge.answers import Answer
from knowledge.engine import AnswerEngine
from knowledge.query import Query
from knowledge.text import normalize


def ask(engine: AnswerEngine, question: str, previous: Query | None = None) -> Answer:
    """The answer to `question`: the linked entry if an admin linked these words, else the
    engine's."""
    return linked_answer(engine, question) or engine.ask(question, previous)


def linked_answer(engine: AnswerEngine, question: str) -> Answer | None:
    """The answer of the entry an admin linked this whole question to, if any."""
    term = normalize(question)
    vocabulary = engine.vocabulary
    if not term or (term not in vocabulary.pinned and term not in vocabulary.synonyms):
        return None
    for kind, entry_id in [*vocabulary.pinned.get(term, ()), *_projects_named(
            engine, vocabulary.synonyms.get(term, ()))]:
        answer = engine.describe(*_shown_as(engine, kind, entry_id))
        if answer is not None:
            return replace(answer, question=question, normalized=term)
    return None


def _projects_named(engine: AnswerEngine, expansions: list[str]) -> list[tuple[str, int]]:
    """The projects whose name a whole-question synonym expands into (a linked milestone)."""
    wanted = set(expansions)
    return [("project", index) for index, project in enumerate(engine.view.projects)
            if normalize(project.name) in wanted]


def _shown_as(engine: AnswerEngine, kind: str, entry_id: int) -> tuple[str, int]:
    """A milestone is told with its project (the engine answers by project)."""
    if kind != "milestone":
        return kind, entry_id
    for index, project in enumerate(engine.view.projects):
        if any(milestone.id == entry_id for milestone in project.milestones):
            return "project", index
    return kind, entry_id
