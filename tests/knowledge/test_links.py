"""Questions an admin linked (/questions → 🔗) get their entry, with either engine."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store as store
from knowledge import links, models
from knowledge.answers import AnswerKind
from knowledge.selector import ENGINES

QUESTION = "Quand a lieu la prochaine réunion ?"


def _link(db: Engine, kind: str, entry_id: int) -> None:
    with Session(db) as session:
        row = models.UnansweredQuestion(normalized="quand a lieu la prochaine reunion",
                                        text=QUESTION, best_score=0.0)
        session.add(row)
        session.flush()
        store.attach_question(session, row.id, kind, entry_id, user_id=1)
        session.commit()


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_question_linked_to_an_official_answers_with_them(db: Engine, tz: ZoneInfo,
                                                            engine_name: str) -> None:
    with Session(db) as session:
        person = session.exec(select(models.Person)).first()
    _link(db, "person", person.id)
    engine = ENGINES[engine_name](db, tz)
    answer = links.ask(engine, "quand a lieu la prochaine reunion")  # typed another way
    assert answer.kind is AnswerKind.ANSWER and person.name in answer.text()
    assert answer.question == "quand a lieu la prochaine reunion"
    assert links.linked_answer(engine, "Quand a lieu la réunion ?") is None  # other words


def test_a_question_linked_to_a_milestone_answers_with_its_project(db: Engine,
                                                                   tz: ZoneInfo) -> None:
    with Session(db) as session:
        milestone = session.exec(select(models.Milestone).where(
            models.Milestone.project == "Plan vélo")).first()
    _link(db, "milestone", milestone.id)
    answer = links.ask(ENGINES["rules"](db, tz), QUESTION)
    assert answer.kind is AnswerKind.ANSWER and "Plan vélo" in answer.text()
