"""knowledge.admin_store.questions: unanswered questions taught to the engine."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from admin_helpers import (
    ADMIN,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.admin_store import AdminError
from knowledge.engine import AnswerEngine
from knowledge.store import log_unanswered, transaction


def ask_unanswered(db: Engine, engine: AnswerEngine, text: str) -> int:
    answer = engine.ask(text)
    with transaction(db) as session:
        log_unanswered(session, text, answer.normalized, answer.score)
    with Session(db) as session:
        return session.exec(select(models.UnansweredQuestion.id).where(
            models.UnansweredQuestion.text == text)).one()


def test_attaching_a_question_teaches_the_engine(db: Engine, tz: ZoneInfo,
                                                 engine: AnswerEngine) -> None:
    question = "le grand manitou des HLM"
    question_id = ask_unanswered(db, engine, question)
    with Session(db) as session:
        person = session.exec(select(models.Person)).first()
    with transaction(db) as session:
        synonym = store.attach_question(session, question_id, "person", person.id, ADMIN)
    assert (synonym.term, synonym.entity, synonym.entry_id) == (question, "person", person.id)
    engine.reload()
    answer = engine.ask(question)
    assert answer.matches[0].kind == "person" and answer.matches[0].entry_id == person.id
    with Session(db) as session:
        assert store.unanswered(session) == []
    with transaction(db) as session, pytest.raises(AdminError, match="plus en attente"):
        store.attach_question(session, question_id, "person", person.id, ADMIN)


def test_attaching_to_a_milestone_goes_through_its_project(db: Engine, tz: ZoneInfo,
                                                           engine: AnswerEngine) -> None:
    question_id = ask_unanswered(db, engine, "xyzzy quand")
    with Session(db) as session:
        milestone = session.exec(select(models.Milestone)).first()
    with transaction(db) as session:
        synonym = store.attach_question(session, question_id, "milestone", milestone.id, ADMIN)
    assert (synonym.expansion, synonym.entity) == (milestone.project, None)


def test_long_questions_become_a_short_term() -> None:
    question = models.UnansweredQuestion(text="mot " * 100, normalized="mot " * 100)
    term = store.question_term(question)
    assert len(term) <= store.MAX_TERM and term.startswith("mot mot")
