"""Answers from documents: a loaded document answers from the next question, quoted short
with its page; the structured entries still answer first; what no document says stays
« je n'ai pas trouvé »."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.files import pdf_file
from knowledge.admin_store.documents import add_document
from knowledge.answers import AnswerKind
from knowledge.documents import read_document
from knowledge.engine import AnswerEngine
from knowledge.selector import LearnedEngine
from knowledge.store import transaction

FILLER = ("Le territoire compte vingt-quatre communes et plus de sept cent mille habitants. "
          "Les services publics y sont organisés en bassins de vie. ")
MINUTES = [
    "Ouverture de la séance\n\n" + FILLER * 3,
    "Piscines\n\n" + FILLER + "La piscine municipale de Choisy-le-Roi rouvrira ses bassins "
    "en septembre 2027 après dix-huit mois de travaux de rénovation énergétique. " + FILLER,
    "Stationnement\n\nLe conseil adopte une tarification unique du stationnement résidentiel "
    "à quinze euros par mois.",
]


def load(db: Engine, pages: list[str], title: str, name: str = "cr.pdf") -> None:
    read = read_document(pdf_file(pages), name, title)
    with transaction(db) as session:
        add_document(session, read, 1001, "Alice Martin", None)


def test_a_loaded_document_answers_from_the_next_question_with_its_page(
        engine: AnswerEngine, db: Engine) -> None:
    question = "quand rouvre la piscine de Choisy ?"
    assert engine.ask(question).kind is AnswerKind.UNKNOWN
    load(db, MINUTES, "Conseil territorial du 3 février 2027")
    engine.reload()  # what every admin change does
    answer = engine.ask(question)
    assert answer.kind is AnswerKind.ANSWER
    assert "rouvrira ses bassins en septembre 2027" in answer.headline
    assert answer.sources == ["Conseil territorial du 3 février 2027, page 2"]
    assert len(answer.text()) <= 600
    assert "vingt-quatre communes" not in answer.headline  # the sentences that answer only
    typo = engine.ask("piscnie choisy reouverture")  # typed wrong
    assert typo.sources == answer.sources


def test_the_structured_entries_answer_first_and_what_no_document_says_is_not_found(
        engine: AnswerEngine, db: Engine) -> None:
    known = "qui s'occupe du logement ?"
    before = engine.ask(known).text()
    load(db, MINUTES, "Conseil territorial")
    engine.reload()
    assert engine.ask(known).text() == before
    for question in ("combien coûte la cantine scolaire à Orly ?",
                     "quand ouvre la patinoire de Vitry ?", "tarif de la piscine de Thiais"):
        assert engine.ask(question).kind is AnswerKind.UNKNOWN, question


def test_two_documents_say_which_one_is_quoted(engine: AnswerEngine, db: Engine) -> None:
    load(db, MINUTES, "Conseil territorial", "cr.pdf")
    load(db, ["Piscines\n\nLa piscine de Choisy-le-Roi rouvrira en septembre 2027, après "
              "des travaux de rénovation énergétique des bassins."],
         "Lettre aux habitants", "lettre.pdf")
    engine.reload()
    answer = engine.ask("réouverture de la piscine de Choisy après travaux")
    quoted, other = answer.sources[0].split(",")[0], None
    assert quoted in {"Conseil territorial", "Lettre aux habitants"}
    other = ({"Conseil territorial", "Lettre aux habitants"} - {quoted}).pop()
    assert f"Cité : « {quoted} ». « {other} » en parle aussi" in answer.text()


def test_the_learned_engine_answers_from_documents_too(db: Engine, tz: ZoneInfo) -> None:
    load(db, MINUTES, "Conseil territorial")
    answer = LearnedEngine(db, tz).ask("tarif du stationnement résidentiel")
    assert answer.sources == ["Conseil territorial, page 3"]
    assert "quinze euros par mois" in answer.text()
