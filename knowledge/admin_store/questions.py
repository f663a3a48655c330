"""Unanswered questions: the admins' to-do list, answered by pinning a synonym."""

from __future__ import annotations

from sqlmodel import Session

from knowledge import models
from knowledge.admin_store.audit import audit, snapshot
from knowledge.admin_store.entries import get_entry, refuse_duplicate_synonym
from knowledge.admin_store.specs import ENTITIES, AdminError
from knowledge.store import frequent_unanswered

MAX_TERM = 100


def unanswered(session: Session, limit: int = 10) -> list[models.UnansweredQuestion]:
    return frequent_unanswered(session, limit)


def get_question(session: Session, question_id: int) -> models.UnansweredQuestion:
    question = session.get(models.UnansweredQuestion, question_id)
    if question is None or question.resolved:
        raise AdminError("cette question n'est plus en attente (voir /questions).")
    return question


def question_term(question: models.UnansweredQuestion) -> str:
    """The synonym term for a question: its text, or its normalised start if too long."""
    text = " ".join(question.text.split())
    if len(text) <= MAX_TERM:
        return text
    return question.normalized[:MAX_TERM].rsplit(" ", 1)[0] or question.normalized[:MAX_TERM]


def attach_question(session: Session, question_id: int, kind: str, entry_id: int,
                    user_id: int, by: str = "") -> models.Synonym:
    """Teach the engine: this question means this entry (a pinned synonym); audited.

    A milestone is attached through its project's name (the engine answers by project).
    """
    question = get_question(session, question_id)
    term = question_term(question)
    if kind == "milestone":
        milestone = get_entry(session, ENTITIES["jalon"], entry_id)
        synonym = models.Synonym(term=term, expansion=milestone.project[:300])
        refuse_duplicate_synonym(session, term, None, None)
    else:
        model = models.KNOWLEDGE_MODELS.get(kind)
        if model is None or session.get(model, entry_id) is None:
            raise AdminError("cette entrée n'existe plus (voir /liste).")
        refuse_duplicate_synonym(session, term, kind, entry_id)
        synonym = models.Synonym(term=term, entity=kind, entry_id=entry_id)
    session.add(synonym)
    question.resolved = True
    session.add(question)
    session.flush()
    audit(session, user_id, "create", "synonyme", synonym.id, None, snapshot(synonym), by)
    return synonym


def question_text(session: Session, question_id: int) -> str:
    question = session.get(models.UnansweredQuestion, question_id)
    return question.text if question else ""


def dismiss_question(session: Session, question_id: int) -> None:
    question = get_question(session, question_id)
    question.resolved = True
    session.add(question)
