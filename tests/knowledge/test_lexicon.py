"""Words learned from labelled questions (knowledge/lexicon.py): how they are learned,
and that they only ever answer what the base alone would not."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.judge import contains, is_dont_know
from knowledge.engine import AnswerEngine, AnswerKind
from knowledge.lexicon import LEXICON_PATH, learn, learnable_words, load_lexicon
from knowledge.text import stem
from knowledge.tuning import CONFIDENT


def item(question: str, *expected: str) -> dict:
    return {"question": question, "expect_all": list(expected)} if expected else {
        "question": question, "expect_none": True}


def test_a_word_seen_with_one_answer_is_learned(shared_engine: AnswerEngine) -> None:
    """A word the base lacks, seen twice with the same expected answer, stands for that
    answer's words; once is not enough, nor an answer that is only a number."""
    items = [item("Les gribouillons des écoles, on en fait quoi ?", "natation scolaire"),
             item("Un plan contre les gribouillons ?", "natation scolaire"),
             item("Et les carambars du marché ?", "compostage"),
             item("Combien de tartempions ?", "215"), item("Et les tartempions ?", "215")]
    lexicon = learn(shared_engine.vocabulary, items, purity=0.5, support=2)
    assert lexicon == {stem("gribouillons"): "natation scolaire"}


def test_a_word_of_many_answers_is_not_learned(shared_engine: AnswerEngine) -> None:
    """Below the purity asked, the most frequent answer is not the word's meaning; an
    out-of-scope question counts against it."""
    items = [item("Les gribouillons du quartier ?", "natation scolaire"),
             item("Des gribouillons partout ?", "natation scolaire"),
             item("Gribouillons et loyers ?", "encadrement des loyers"),
             item("Le prix des gribouillons à Tokyo ?")]
    assert learn(shared_engine.vocabulary, items, purity=0.6, support=2) == {}
    assert learn(shared_engine.vocabulary, items, purity=0.5, support=2) == {
        stem("gribouillons"): "natation scolaire"}


def test_words_a_synonym_reads_are_not_learnable(shared_engine: AnswerEngine) -> None:
    """« piscnies » is a typo of a hand-written synonym, « les » a stop word, « 2021 » a
    number: none is learned; « logement », the base's own word, and « gribouillons » are."""
    words = learnable_words(shared_engine.vocabulary, "Le logement, les piscnies, les "
                                                      "gribouillons en 2021 ?")
    assert words == {stem("logement"), stem("gribouillons")}


def test_learned_words_answer_only_what_the_base_does_not(db: Engine, tz: ZoneInfo) -> None:
    """A question the base cannot answer is asked again reading the learned words; one it
    answers keeps its answer, whatever a learned word it holds stands for."""
    plain = AnswerEngine(db, tz, lexicon={})
    learned = AnswerEngine(db, tz, lexicon={stem("gribouillons"): "natation scolaire"})
    question = "gribouillon : que prévoit l'EPT ?"
    assert plain.ask(question).kind is AnswerKind.UNKNOWN
    answer = learned.ask(question)
    assert contains(answer.text(), "natation scolaire"), answer.text()
    held = learned.ask("Qui est délégué au logement, gribouillons compris ?")
    assert contains(held.text(), "BENSARSA"), held.text()


def test_a_word_near_a_learned_word_is_not_read_as_it(db: Engine, tz: ZoneInfo) -> None:
    """A learned word is matched as written: a word one letter off was in the labelled
    questions too, and was not learned (« m'a écrit » is no « je lui écris »)."""
    learned = AnswerEngine(db, tz, lexicon={stem("gribouillons"): "natation scolaire"})
    assert learned.ask("gribouilons : que prévoit l'EPT ?").kind is AnswerKind.UNKNOWN
    assert learned.ask("gribouillons : que prévoit l'EPT ?").kind is AnswerKind.ANSWER


def test_learned_words_alone_make_no_question(db: Engine, tz: ZoneInfo) -> None:
    """« mes gribouillons »: nothing the base knows beside the learned word; it stays
    « je ne sais pas » (« mes abonnements » names the bot's command, not a pass)."""
    learned = AnswerEngine(db, tz, lexicon={stem("gribouillons"): "natation scolaire"})
    assert learned.ask("mes gribouillons").kind is AnswerKind.UNKNOWN


def test_learned_words_survive_a_reload(db: Engine, tz: ZoneInfo) -> None:
    """An admin change reloads the data: the learned words are read again with it, from
    the next question, without retraining."""
    engine = AnswerEngine(db, tz, lexicon={stem("gribouillons"): "natation scolaire"})
    engine.reload()
    answer = engine.ask("gribouillon : que prévoit l'EPT ?")
    assert not is_dont_know(answer.kind is AnswerKind.UNKNOWN, answer.text())


def test_the_shipped_lexicon_points_to_words_of_the_base(shared_engine: AnswerEngine) -> None:
    """knowledge/data/lexicon.json, as bench/train.py writes it: each learned word, one
    lower-case stem, stands for words the seed base holds."""
    words = load_lexicon(LEXICON_PATH)
    assert words, "bench/train.py writes the lexicon"
    index = shared_engine.index
    for word, expansion in words.items():
        assert word == word.lower() and " " not in word, word
        assert any(index.term_matches(term) for term in expansion.split()), (word, expansion)


def test_an_unsure_answer_is_never_replaced(db: Engine, tz: ZoneInfo) -> None:
    """The base answers, without confidence: the learned words, however sure they would
    make another answer, leave it (it may tell two asks one reading would not)."""
    plain = AnswerEngine(db, tz, lexicon={})
    question = "Le gribouillon des enfants, un projet ?"
    weak = plain.ask(question)
    assert weak.kind is AnswerKind.ANSWER and weak.score < CONFIDENT
    learned = AnswerEngine(db, tz, lexicon={stem("gribouillons"): "pass piscine"})
    assert learned.ask(question).text() == weak.text()
