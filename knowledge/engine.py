"""The answer engine: a question in French (typos, SMS style, paraphrase) → a typed Answer.

Pipeline: parse (knowledge/query.py: intent, communes, lines, people, synonyms) → rank
every entry (knowledge/ranking.py over the FuzzyIndex) → pick the answer for the intent
→ render it short with its source (knowledge/render.py), or say honestly that the base
does not hold it. Weights and thresholds live in knowledge/tuning.py.

Over 500 lines because every way of answering (lists, communes, people, two asks, the
honest "not said") reads the same ranking and view; splitting them would scatter one flow.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import simplemma
from rapidfuzz import fuzz
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import models
from knowledge.answers import (
    IN_CHARGE,
    Answer,
    AnswerKind,
    EntryKind,
    Intent,
    Match,
    More,
    Suggestion,
    fit,
)
from knowledge.asks import combine, two_asks
from knowledge.grammar import of, quantity
from knowledge.index import Doc, FuzzyIndex, Position
from knowledge.lexicon import load_lexicon
from knowledge.models import Precision, utcnow
from knowledge.query import (
    AXIS_NAMED,
    COMMUNE_WORDS,
    COUNTING_VERBS,
    KIND_WORDS,
    PRESIDENT_TITLES,
    YEAR,
    YES_NO,
    Query,
    Vocabulary,
    close_to_any,
    proper_nouns,
)
from knowledge.ranking import Hit, Ranker
from knowledge.render import KnowledgeView, Rendered, source_of
from knowledge.text import (
    ADDRESS_WORDS,
    MONTHS,
    NAMING_VERBS,
    RELATION_WORDS,
    ROLE_WORDS,
    STOP_WORDS,
    TIME_UNIT,
    UNEXPLAINED_SIGLE,
    WHOLE_MANDATE_WORDS,
    fold,
    french_number,
    normalize,
    stem,
)
from knowledge.tuning import (
    ALTERNATIVE_SHARE,
    ANSWER_THRESHOLD,
    AXIS_TOPIC_THRESHOLD,
    COMMUNE_TOPIC_SHARE,
    CONFIDENT,
    CONTEXT_WEIGHT,
    INTENT_THRESHOLD,
    LEAD_FLOOR,
    LEAD_MARGIN,
    MAX_ANSWER_CHARS,
    PERSON_FUZZY,
    PLAN_SHARE,
    RELATED_SHARE,
    RIVAL_SHARE,
    SIBLING_SHARE,
    SLIDE_RIVAL_SHARE,
    SUPERLATIVE_SHARE,
    THEME_WEIGHT,
    TWO_LEADS_SHARE,
    WEAK_LEAD,
    WEAK_LEAD_MARGIN,
    WHEN_THRESHOLD,
    WHO_TOPIC_SHARE,
)

__all__ = ["Answer", "AnswerEngine", "AnswerKind", "CONFIDENT", "EntryKind", "Intent", "Match",
           "Suggestion"]

Clock = Callable[[], datetime]
THRESHOLDS = {Intent.WHEN: WHEN_THRESHOLD, **dict.fromkeys(
    (Intent.WHO, Intent.HOW, Intent.PRIORITY, Intent.FIGURE), INTENT_THRESHOLD)}
GREETINGS = {"bonjour", "bonsoir", "salut", "hello", "hi", "coucou", "hey", "bjr", "slt"}
THANKS = {"merci", "thanks", "thx", "thks", "tks", "ty", "mrc", "mci", "ok", "okay", "super",
          "parfait", "cool", "top", "bravo", "beaucoup", "bcp", "bien", "tres", "genial", "nickel",
          "infiniment", "mille"}
# what may follow a thanks or a greeting and still ask nothing ('merci pour votre aide !')
COURTESY_FILLERS = {"pour", "votre", "vos", "ton", "ta", "tes", "l", "la", "le", "les", "de", "du",
                    "des", "aide", "reponse", "reponses", "info", "infos", "information",
                    "informations", "tout", "vous", "te", "fois", "encore", "a", "monde"}


_MONTH = "|".join(MONTHS)
_DATE = re.compile(rf"\b(?:{_MONTH}|\d{{1,2}}/\d{{1,2}}|(?:19|20)\d\d)\b")
PERIOD_WORDS = {"periode", "periodes", "horizon", "annees", "period", "years"}
_DAY_DATE = re.compile(rf"\b\d{{1,2}}(?:er)? (?:{_MONTH})\b|\b\d{{1,2}}/\d{{1,2}}\b")
# what 'que se passe-t-il en mars 2022 ?' says besides the month: nothing of a subject
HAPPEN_WORDS = {"passe", "passera", "arrive", "programme", "programmes", "rendez", "vous",
                "calendrier", "agenda", *MONTHS}
# the mandate named ('pendant ce mandat', 'd'ici 2026'), and the words of a plan for it
MANDATE_NAMED = {"mandat", "mandats", "mandature", "mandate", "2026"}
PLAN_WORDS = {"chantiers", "feuille", "route", "programme", "strategie", "cap", "plan",
              "projet", "ambition", "ambitions", "roadmap", "strategy", "mandate", "six",
              "ans"}
SPAN_VERBS = {"termine", "terminent", "finit", "finissent", "commence", "commencent", "debute",
              "debutent", "court", "courent", "dure", "durent", "acheve", "achevent", "demarre",
              "demarrent"}
_PERIOD = re.compile(r"\b(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d\b")
PLURAL_ROLES = {"elus", "vps", "vicepresidents", "vicepresidentes", "delegues", "executif"}
# 'c'est vrai que …', 'vrai ou faux', 'il paraît que …', 'est-ce que …': a fact to check
_CLAIM = re.compile(r"\b(?:est vrai|est il vrai|vrai ou faux|il parait|on a dit|on m a dit"
                    r"|je crois|confirmez vous|confirmes tu|est bien ca|est exact|je me trompe"
                    r"|me semble|(?<=\w) non$|(?<=\w) (?:exact|vrai|juste|correct)$"
                    r"|est ce pas|bien(?=(?: \w+){0,2} \d)"
                    r"|(?<=\w) (?:est|etait|sont|etaient|fait|font|faisait) (?=\d)"
                    r"|^ce (?:est|etait) pas|(?<=\w) est ca$"  # 'ce n'est pas à X', 'c'est ça ?'
                    r"|(?:est|sont|a|ont|etait|etaient|avait|avaient|concerne|concernent|va|vont|fait"
                    r"|font) bien)\b"
                    r"|^est ce que\b")
_WHICH_TOWN = re.compile(r"\bquelle (?:commune|ville)\b")
# 'quels grands chantiers …': the noun a list question asks for
_WHICH_NOUN = re.compile(r"\bquel(?:le)?s (?:grands |grandes |principaux |principales )?(\w+)")
# 'qui d'autre, à côté de X ?', 'ses collègues': the officials on X's axis
_OTHERS = re.compile(r"\bqui (?:d ?)?autres?\b|\bles autres (?:elus|vicepresidents?|vp|membres)\b"
                     r"|\bcollegues\b|\bwho else\b|\bother (?:officials|vps)\b")
_PAY = re.compile(r"\bcombien (?:gagne|gagnent|touche|touchent|percoit|percoivent)\b"
                  r"|\bhow much does \w+ (?:earn|make)\b")
_SENTENCE_END = re.compile(r"[.!?]\s+\w")
# 'lequel vient d'abord ?', 'avant ou après ?': the order of two things asked
_ORDER_ASKED = re.compile(r"\b(?:en premier|le premier|la premiere|d abord|le plus tot|plus tot"
                          r"|en dernier|le dernier|la derniere|le plus tard|plus tard"
                          r"|avant ou apres|apres ou avant|dans quel ordre)\b")
# 'le premier vice-président', 'la 2e adjointe': an office's rank
_RANKED_OFFICE = re.compile(r"\b(premier|premiere|1er|1ere|1re|deuxieme|second|seconde|2e|2eme"
                            r"|troisieme|3e|3eme) (?:vicepresidente?|vp|adjointe?|conseillere?)\b")
# two things compared ('plus d'heures sur la 15 que sur la 16', 'autant que')
_COMPARED = re.compile(r"\b(?:plus|moins|autant|davantage|mieux)\b.*\bque?\b|\bcompar")
# a step of a project asked, and how its milestones would name it: none named, no date
_STEPS = {
    "approbation": (re.compile(r"\b(?:app?rouv\w*|adopt\w*|approbation|votee?s?|voter)\b"),
                    re.compile(r"\b(?:approb|adopt|vote)")),
    "ouverture": (re.compile(r"\b(?:ouvr\w*|ouvert\w*|inaugur\w*|mise en service)\b"),
                  re.compile(r"\b(?:ouverture|inaugur|mise en service)")),
    "l'enquête publique": (re.compile(r"\benquetes? publiques?\b"), re.compile(r"\benquete")),
    "début des travaux": (re.compile(r"\b(?:debut|lancement|demarrage) des (?:travaux|chantiers)"
                                     r"\b|\b(?:travaux|chantiers)(?: \w+){0,4} (?:commence|debute"
                                     r"|demarre)|\b(?:commence|debute|demarre)\w* (?:les )?"
                                     r"(?:travaux|chantiers)\b"),
                          re.compile(r"\b(?:travaux|chantier)")),
    "signature": (re.compile(r"\b(?:signature|signee?s?|signer)\b"), re.compile(r"\bsign")),
    "livraison": (re.compile(r"\b(?:livraison|livree?s?)\b"), re.compile(r"\blivr")),
}
_IN_FRENCH = {"companies": "entreprises", "schools": "ecoles", "streets": "rues",
              "members": "membres", "partners": "partenaires", "pools": "piscines"}
_NAME_INSIDE = re.compile(r"(?<![.:;!?•]\s)(?<!^)(?<!\n)\b[A-ZÀ-Ý][a-zà-ÿ][\wà-ÿ'-]*")
_HELD_AT = re.compile(r"\b(?:tenue?s?|deroulee?s?|organisee?s?|passee?s?|lieu)\b")  # events
# 'Sachant que …, ', 'Comme …, ', 'Vu que …, ': what the asker takes for granted
_PREMISE = re.compile(r"^\s*(?:sachant qu|comme|vu qu|puisqu|etant donne qu|alors qu)e?\b"
                      r"\s*'?\s*([^,;?]{8,}),", re.IGNORECASE)
_CLAIMED_UNIT = re.compile(r"\b(\d+(?:[ .,]\d+)*)\s+(?:de |d )?([a-z]\w+)")
_WHICH_MEMBER = re.compile(r"\b(?:quel|quelle|lequel|laquelle)(?: est| sont)?(?: le| la| l)? "
                           r"(?!est\b|sont\b)(\w+)")  # the kind of member asked
_AMONG = re.compile(r"\b(?:parmi|entre|ces|mentionne\w*|cite\w*|liste\w*)\b")  # items compared
_ANY_NUMBER = {"chiffre", "chiffres", "nombre", "nombres", "valeur", "figure", "number"}
_MONEY = re.compile(r"€|%|euros?\b|pour ?cent")  # amounts and shares: no count to compare
CLAIM_FLOOR = 0.2  # a figure matching less than this is not the one the claim is about
# ordinal ranks of a commune among the others on a figure (-1: the last)
RANKS = {"premier": 1, "premiere": 1, "1er": 1, "1re": 1, "deuxieme": 2, "second": 2,
         "seconde": 2, "2e": 2, "troisieme": 3, "3e": 3, "quatrieme": 4, "4e": 4,
         "cinquieme": 5, "5e": 5, "dernier": -1, "derniere": -1}
RANK_FOLLOWERS = {"", "sur", "place", "position", "rang", "commune", "communes", "ville",
                  "villes", "derriere", "avec", "de", "du", "des", "la", "le", "les", "en", "et",
                  "pour", "a", "au", "dans"}
_SAME_AS = re.compile(r"\b(?:meme|memes) (?:chiffre|nombre|valeur|score|resultat)s?\b"
                      r"|\bautant que\b")  # 'qu'' before a vowel is gone once normalised
_BEHIND = re.compile(r"\b(?:derriere|juste apres|arrive apres|suit)\b")
_WHO_IS = re.compile(r"\b(?:qui (?:est|sont|etait|sera)|est qui|" + "|".join(NAMING_VERBS)
                     + r") (?:le |la |l |les )?(\w+)")  # 'comment s'appelle le DGS ?' too
# words that name the executive's offices, singular or plural ('la délégation logement')
OFFICIAL_WORDS = PLURAL_ROLES | {"delegation", "delegations", "delegue", "deleguee",
                                 "vicepresident", "vicepresidente", "elu", "elue", "conseiller",
                                 "conseillere", "vp", "referents", "referentes", "officials",
                                 "membres"}
COUNTED_ROLES = (PLURAL_ROLES - {"elus"}) | {"vp"}  # 'combien d'élus' may count attendees
_ASKING = re.compile(r"\b(?:qui|quel|quelle|quels|quelles|quand|combien|comment|lequel"
                     r"|laquelle|ou|quoi)\b")  # an ask of its own ('que' may only relate)
_SAME_ONE = re.compile(r"\b(?:le|la|du|de la) meme\b|\bthe same\b")
_EACH_OF_TWO = re.compile(_SAME_ONE.pattern + r"|\b(?:les deux|chacun|chacune|respectivement"
                                               r"|deux elus|both|each)\b")
_PLURAL_VP = re.compile(r"\b(?:les|des|tous les|toutes les) vp\b")
_LEADING_AND = re.compile(r"^et\s+", re.IGNORECASE)  # '…? Et qui …': the half asks 'qui …'
# 'quand a lieu la prochaine réunion ?' with no subject: the calendar's next dates
CALENDAR_NOUNS = {"calendrier", "agenda", "rendez", "echeance", "echeances", "jalons",
                  "calendar", "timeline", "schedule"}
CALENDAR_WORDS = CALENDAR_NOUNS | {"prochain", "prochaine", "prochains", "prochaines"}
# nouns counting people: a bare "nombre d'habitants de l'EPT ?" asks for all
# of them, which a figure counting only some ("habitants … bénéficiaires") does not give
_PEOPLE = {stem(w) for w in
           "habitants population personnes gens residents administres elus".split()}
_DWELL = {"habitent", "habite", "vivent", "vit", "resident", "reside", "peuplent"}  # a census
_ANY_PEOPLE = _PEOPLE | {stem(w) for w in "beneficiaires salaries agents jeunes demandeurs"
                         " participants actifs licencies usagers".split()}
# 'le président du département': the body whose head is asked (see _heads_another_body)
_HEAD_OF = re.compile(r"\b(?:presid\w* (?:de la|de|du|des)|preside (?:la|le|les)) "
                      r"(?!quoi\b)(\w+(?: \w+){0,3})")
_TERRITORY = {"territoire", "ept"}  # the whole the count is of, not a restriction
_OWN_BODY = _TERRITORY | {"territorial", "territoriale"}  # 'le conseil de territoire'
_FUTURE = {"prochain", "prochaine", "aura", "auront", "sera", "seront", "futur", "future"}
def _number(value: str) -> float | None:
    """'8,9' → 8.9, '308 770' → 308770; None for words ('deux fois plus vite')."""
    cleaned = re.sub(r"[\s\u202f\u00a0]", "", value).replace(",", ".")
    match = re.fullmatch(r"[+]?(\d+(?:\.\d+)?)\D{0,3}", cleaned)
    return float(match.group(1)) if match else None


def _counted_words(figure: models.Figure) -> str:
    """What a figure counts: its unit, or its label's head noun ('Ateliers élus …' counts
    ateliers, not élus)."""
    return f"{' '.join(figure.label.split()[:2])} {figure.unit}"


def _as_typed(query: Query, word: str) -> str:
    """A normalised word of the question as the user typed it ('age' → 'âge'; an elided
    article is not part of it: 'l'aéronautique' → 'aéronautique')."""
    typed = {normalize(w): w for w in re.findall(r"[\w-]+", query.text)}
    return typed.get(word, word)


def _courtesy(text: str) -> str | None:
    """A reply to 'bonjour' or 'merci' alone: not a question, but worth a kind word."""
    words = set(re.findall(r"[a-z]+", fold(text)))
    if not words & (GREETINGS | THANKS) or not words <= GREETINGS | THANKS | COURTESY_FILLERS:
        return None
    if words & GREETINGS:
        return "Bonjour 👋 Je réponds aux questions sur le mandat 2021-2026."
    return "Avec plaisir ! Une autre question sur le mandat ?"


def _passage_search(session: Session):  # noqa: ANN202 - knowledge.passages.PassageSearch
    """The documents' passages, searchable (imported here: knowledge.passages uses the
    learned engine's lemmas, whose module imports this one)."""
    from knowledge.passages import PassageSearch

    return PassageSearch.load(session)


def _with_verdict(verdict: str, rendered: Rendered) -> Rendered:
    """« Oui » or « Non, pas 8 » first, then what the seminar says (its headline a line)."""
    return replace(rendered, headline=f"{verdict}, d'après le séminaire :",
                   body=[rendered.headline, *rendered.body])


def _naming_words(name: str) -> str:
    """The words of a commune's name that name it alone: 'Paray' of Paray-Vieille-Poste, not
    'vieille' nor 'poste' (« la poste ferme » is no question about Paray), nor 'roses'."""
    words = normalize(name).split()
    return " ".join(w for w in words if not simplemma.is_known(w, lang="fr")) or " ".join(words)


class AnswerEngine:
    """Answers questions from the knowledge base; `reload()` after the data changes.

    `clock` gives the current time (aware); tests pass a fixed one.
    """

    def __init__(self, db: Engine, tz: ZoneInfo | str = "Europe/Paris",
                 clock: Clock = utcnow, lexicon: dict[str, str] | None = None) -> None:
        self.db = db
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.clock = clock
        self.lexicon = load_lexicon() if lexicon is None else lexicon
        self.reload()

    # ------------------------------------------------------------------ building
    def reload(self) -> None:
        """Read the data again (after an admin change) and rebuild what answers from it."""
        self._read()
        self.learned = self._with_lexicon()

    def _read(self) -> None:
        with Session(self.db) as session:
            self.view = KnowledgeView.load(session, self.tz)
            synonyms = list(session.exec(select(models.Synonym)))
            self.documents = _passage_search(session)
        self.index = FuzzyIndex(self._docs())
        self.vocabulary = Vocabulary(self.view, synonyms, self.index)
        self.ranker = Ranker(self.vocabulary)
        # each project's name as questions say it ('eclairage public', without '2023')
        self.project_names = [" ".join(w for w in normalize(p.name).split() if not w.isdigit())
                              for p in self.view.projects]

    def use_lexicon(self, lexicon: dict[str, str]) -> None:
        """Read these learned words from now on (bench/train.py tries several)."""
        self.lexicon = lexicon
        self.learned = self._with_lexicon()

    def _with_lexicon(self) -> AnswerEngine | None:
        """This engine reading the learned words too (knowledge/lexicon.py): a copy sharing
        the data, the index and the documents, with its own vocabulary and ranker."""
        if not self.lexicon:
            return None
        learned = copy.copy(self)
        learned.vocabulary = self.vocabulary.with_learned(self.lexicon)
        learned.ranker = Ranker(learned.vocabulary)
        learned.learned = None
        return learned

    def now(self) -> datetime:
        return self.clock()

    def _docs(self) -> list[Doc]:
        view = self.view
        docs: list[Doc] = []
        for person in view.people.values():  # topics they lead reach them via the ranker
            docs.append(Doc(EntryKind.PERSON, person.id, 0, [
                (person.name, 3.0), (person.delegation, 3.0), (person.title, 2.0),
                (" ".join(person.keywords), 2.5)]))
        for priority in view.priorities.values():
            common = [(priority.theme, THEME_WEIGHT), (" ".join(priority.keywords), 1.5)]
            snippets = [*priority.items, *priority.findings]
            if priority.highlight:
                snippets.append(priority.highlight)
            for part, snippet in enumerate(snippets):
                docs.append(Doc(EntryKind.PRIORITY, priority.id, part, [(snippet, 3.0), *common]))
        for figure in view.figures.values():
            docs.append(Doc(EntryKind.FIGURE, figure.id, 0, [
                (figure.label, 3.0), (figure.unit, 1.5), (figure.context, 2.0),
                (" ".join(figure.keywords), 2.5)]))
        for commune in view.communes.values():
            labels = " ".join(fig["label"] for fig in commune.figures)
            docs.append(Doc(EntryKind.COMMUNE, commune.id, 0, [
                (_naming_words(commune.name), 3.0),
                (_naming_words(" ".join(commune.variants)), 3.0), (labels, 1.0)]))
        for project_id, project in enumerate(view.projects):
            fields = [(project.name, 3.0), (" ".join(project.keywords), 2.5)]
            for milestone in project.milestones:
                fields += [(milestone.phase, 2.0), (milestone.title, 2.0),
                           (milestone.description, 0.8), (milestone.location or "", 1.0)]
            docs.append(Doc(EntryKind.PROJECT, project_id, 0, fields))
        for fact in view.facts.values():
            docs.append(Doc(EntryKind.FACT, fact.id, 0, [
                (fact.title, 3.0), (" ".join(fact.keywords), 2.5), (fact.text, 2.0)]))
        for axis in view.axes.values():
            themes = " ".join(p.theme for p in view.priorities.values()
                              if p.axis_number == axis.number)
            docs.append(Doc(EntryKind.AXIS, axis.id, 0, [
                (axis.title, 3.0), (axis.short_title, 3.0), (" ".join(axis.keywords), 2.5),
                (themes, 0.8)]))
        return docs

    # ------------------------------------------------------------------ answering
    def ask(self, question: str, previous: Query | None = None) -> Answer:
        """The answer to `question`; `previous` is the query of the conversation's last
        answer, so that a fragment ('et pour Orly ?') can be completed from it."""
        query = self.parse(question, previous)
        answer = self.decide(query)
        # a document may say what the entries do not (nor a list of none: « 0 axes »)
        if (answer.kind is AnswerKind.UNKNOWN or not answer.matches) and not answer.small_talk:
            answer = self.documents.answer(query, self.vocabulary) or answer
        query, answer = self._with_learned_words(question, previous, query, answer)
        query.answered = [(m.kind, m.entry_id) for m in answer.matches[:1]
                          if answer.kind is AnswerKind.ANSWER]
        answer.query = replace(query, followed=None)
        answer.question = question  # as typed, not as read ('logemnt', not 'logement')
        return answer

    def _with_learned_words(self, question: str, previous: Query | None, query: Query,
                            answer: Answer) -> tuple[Query, Answer]:
        """« Je ne sais pas »: the question read again with the words learned from
        labelled questions (knowledge/lexicon.py), kept if it answers. Read as one ask (not
        cut in two again): the second reading costs one answer, not two or three. An
        answer, even unsure, is never replaced: it may tell two asks that one reading would
        not."""
        if (answer.kind is not AnswerKind.UNKNOWN or answer.small_talk
                or not self._says_learned_words(question)):
            return query, answer
        learned = self.learned.parse(question, previous)
        retried = self.learned._respond(learned, cut=False)
        return (learned, retried) if retried.kind is AnswerKind.ANSWER else (query, answer)

    def _says_learned_words(self, question: str) -> bool:
        """Whether the learned words read a word of the question otherwise ('gribouillon'
        as its learned plural 'gribouillons', too), beside a word the base knows: learned
        words complete a question, they never make one alone (« mes abonnements » names
        the bot's command, not the swimming pools' pass)."""
        if self.learned is None:
            return False
        words = [w for w in normalize(question).split() if w not in STOP_WORDS]
        learned = [w for w in words if self.learned.vocabulary.expansions_of(w)
                   != self.vocabulary.expansions_of(w)]
        return bool(learned) and any(w not in learned and not self.vocabulary.unheard(w)
                                     for w in words)

    def decide(self, query: Query) -> Answer:
        """How a parsed question is answered: the rules, in their order (the learned
        engine, knowledge/selector.py, chooses among every way instead)."""
        return self._respond(query)

    def parse(self, question: str, previous: Query | None = None) -> Query:
        return self.vocabulary.parse(question, previous)

    def _respond(self, query: Query, ranked: list[Hit] | None = None, *,
                 cut: bool = True) -> Answer:
        """The answer to a parsed question; `cut=False` for a half of a two-ask question,
        answered as one ask: cutting the halves again made the work triple with each '?'."""
        courtesy = _courtesy(query.text)
        if courtesy:
            return replace(self._unknown(query, courtesy), small_talk=True)
        if not query.normalized.strip():
            return self._unknown(query, "Je n'ai pas compris la question : elle est vide.")
        if query.future_year:
            after = "l'après-" if query.future_year <= self.vocabulary.latest_year else ""
            return self._unknown(query, f"Je n'ai pas trouvé cette information : le séminaire "
                                        f"ne dit rien de {after}{query.future_year}.")
        if query.request:
            return self._unknown(query, "Je ne sais pas le faire : je réponds aux questions sur "
                                        "le mandat (élus, priorités, chiffres, calendrier), "
                                        "sans rien réserver ni inscrire.")
        if query.elsewhere:
            return self._unknown(query, f"Je n'ai pas trouvé cette information : le séminaire "
                                        f"porte sur Grand-Orly Seine Bièvre, pas sur "
                                        f"{query.elsewhere}.")
        unheld = [n for n in query.lines if n not in self.vocabulary.line_numbers]
        if unheld and self.vocabulary.line_numbers and (
                len(unheld) == len(query.lines) or query.superlative
                or _COMPARED.search(query.normalized)):  # 'la 15 a-t-elle plus que la 16 ?'
            held = " et ".join(sorted(self.vocabulary.line_numbers, key=int))
            return self._unknown(query, f"Je n'ai pas trouvé de chiffre pour la ligne {unheld[0]} "
                                        f": le séminaire en donne pour les lignes {held}.")
        answer = (
            self._answer_claim(query)
            or self._answer_comparator(query)
            or self._answer_compared_figure(query)
            or self._answer_rank(query)
            or self._answer_same_figure(query)
            or self._answer_commune_and_more(query, cut)
            or self._answer_commune(query)
            or self._answer_superlative(query)
            or self._members_unranked(query, ranked)
            or (self._answer_two_asks(query, cut) if query.person_ids else None)
            or self._answer_people(query)
            or self._answer_lists(query)
            or (None if query.person_ids else self._answer_two_asks(query, cut))  # tried above
            or self._answer_ranked(query, ranked)
        )
        return self._premise_corrected(query, answer)

    def _answer_claim(self, query: Query) -> Answer | None:
        """'C'est vrai que 300 élus ont participé ?': « Oui » or « Non », then the figure."""
        if not _CLAIM.search(query.normalized):
            return None
        checked = self._checked_number(query)
        if checked is None:
            return None
        hit, agrees, ranked = checked
        known = self._render(hit, replace(query, numbers=[]), ranked)
        verdict = "Oui" if agrees else "Non"
        rendered = _with_verdict(verdict, known)
        return self._build(AnswerKind.ANSWER, query, rendered, self._matches(ranked),
                           self._alternatives(ranked[1:], exclude=hit))

    def _checked_number(self, query: Query) -> tuple[Hit, bool, list[Hit]] | None:
        """The figure a number stated in `query` is about, whether it says that number, and
        the figures ranked with it first. The figure is found without the number (which
        would pull any figure holding it); None when no figure clearly is the one meant."""
        if not query.numbers or query.commune_ids:
            return None
        claimed = query.numbers[0]
        unit = next((m.group(2) for m in _CLAIMED_UNIT.finditer(query.normalized)
                     if _number(m.group(1)) == claimed  # '593 434 heures', not 'ligne 15'
                     and m.group(2) not in STOP_WORDS), None)  # nor '250 je crois'
        positions = query.positions
        if unit:  # the figure is found by the noun it counts ('215 élus, c'est bien ça ?':
            # 'élus' asks no official here), not by the number's token
            positions = [p for p in positions if not any(c.isdigit() for c in p.candidates)]
            if not any(unit in p.candidates for p in positions):
                positions.append(Position((unit,)))
        ranked = self.ranker.ranked(replace(query, numbers=[], intent=Intent.FIGURE,
                                            positions=positions))
        figures = [h for h in ranked[:5] if h.kind == "figure" and h.score >= CLAIM_FLOOR]
        same_unit = [h for h in figures if unit and stem(unit)[:4] in normalize(
            self.view.title("figure", h.entry_id))]
        if unit and not same_unit:  # '12 médiathèques' is not checked against 12 conservatoires
            return None

        def said(h: Hit) -> float | None:
            return _number(self.view.figures[h.entry_id].value)

        def other_line(h: Hit) -> bool:  # 'la ligne 15 … 593 434 heures' (line 14's figure)
            return not self.ranker.of_line_asked(h.entry_id, query)

        agreeing = [h for h in same_unit if said(h) == claimed and not other_line(h)]
        hit = (agreeing or [h for h in same_unit if not other_line(h)] or same_unit
               or [h for h in figures if h is ranked[0]] or [None])[0]
        if hit is None or said(hit) is None:
            return None
        return hit, said(hit) == claimed, [hit, *[h for h in ranked if h is not hit]]

    def _premise_corrected(self, query: Query, answer: Answer) -> Answer:
        """'Vu que le réseau a 20 conservatoires, qui les suit ?': the ask is
        answered, and a number the premise gets wrong is corrected first."""
        premise = _PREMISE.match(fold(query.text))
        if answer.kind is not AnswerKind.ANSWER or premise is None:
            return answer
        checked = self._checked_number(self.vocabulary.parse(premise.group(1)))
        if checked is None or checked[1]:
            return answer
        figure = self.view.figures[checked[0].entry_id]
        note = (f"Attention, d'après le séminaire : {quantity(figure.value, figure.unit)} "
                f"({figure.label}).")
        return fit(replace(answer, body=[note, *answer.body]))

    def describe(self, kind: str, entry_id: int) -> Answer | None:
        """The answer for one known entry (a button pressed on a suggestion)."""
        if not self.view.has(kind, entry_id):
            return None
        hit = Hit(kind, entry_id, 1.0)
        query = self.parse(self.view.query_for(kind, entry_id))
        return self._build(AnswerKind.ANSWER, query, self._render(hit, query, [hit]),
                           self._matches([hit]), [])

    def search(self, text: str, limit: int = 10) -> list[Answer]:
        """Several candidate answers, best first (for /chercher and inline mode)."""
        query = self.parse(text)
        if not query.normalized:
            return []
        ranked = self.ranker.ranked(query)  # once: the best answer and the others share it
        best = self._respond(query, ranked)
        results = [best] if best.kind is AnswerKind.ANSWER else []
        seen = {(m.kind, m.entry_id) for m in best.matches[:1]} if results else set()
        for hit in ranked:
            if len(results) >= limit or hit.score < ANSWER_THRESHOLD * ALTERNATIVE_SHARE:
                break
            if hit.key in seen:
                continue
            seen.add(hit.key)
            results.append(self._build(AnswerKind.ANSWER, query, self._render(hit, query, [hit]),
                                       self._matches([hit]), []))
        return results

    def _answer_ranked(self, query: Query, ranked: list[Hit] | None = None) -> Answer:
        query, ranked = self._commune_searched(query, ranked)
        if query.excluded:  # "qui d'autre ?": not the entry just answered
            ranked = [h for h in ranked if h.key not in query.excluded]
        if ranked and self._names_the_territory_only(query, ranked[0]):
            return self._unknown(query, ranked=ranked[1:])
        intent = query.intent
        if query.axis_number is not None or (intent == Intent.AXIS and ranked):
            return self._answer_axis(query, ranked)
        if not ranked or not (self._sure_enough(query, ranked) or self._calendar_named(
                query, ranked)) or self._beyond_base(query, ranked[0]):
            return self._unknown(query, ranked=ranked)
        if (named := self._project_named_in_overview(query, ranked)) is not None:
            ranked = [named, *[h for h in ranked if h is not named]]
        best = ranked[0]
        if query.counted and not self._counts_any(best, query):
            # "combien de gares": the figure (or the text: '24 communes') that counts gares
            ranked = self._close_one(ranked, lambda h: self._counts_any(h, query),
                                     len(ranked), ANSWER_THRESHOLD) or ranked
            best = ranked[0]
        if query.where and not self.ranker.names_a_place(best):  # "où …": a place answers
            placed = self._close_one(ranked, self.ranker.names_a_place)
            if placed is None:
                return self._unknown(query, "Je n'ai pas trouvé de lieu pour cela dans le "
                                            "séminaire.", ranked=ranked)
            best, ranked = placed[0], placed
        if (query.per_commune and best.kind == "figure" and not self.ranker.names_a_place(best)
                and not self._counted_by_commune(query)):
            # 'la population de chaque commune': the figure is the territory's, not split
            return self._not_recorded(query, ["chiffre commune par commune"],
                                      self._render(best, query, ranked), self._matches(ranked))
        if query.communes_asked and not query.lines and not self.ranker.names_a_place(best):
            # 'quelles villes ont un conservatoire ?': the base counts them, not which
            return self._not_recorded(query, ["communes concernées"],
                                      self._render(best, query, ranked), self._matches(ranked))
        if query.members_asked and best.kind != "person" and not self._names_things(
                best, query.members_asked):
            # 'quelles piscines sont dans le Pass-Piscine ?': the entry names none
            return self._not_recorded(query, [f"noms des {query.members_asked}"],
                                      self._render(best, query, ranked), self._matches(ranked))
        if intent == Intent.WHEN and best.kind != "project":
            best, ranked = self._calendar_of(best, ranked)
            if best.kind != "project" and (dated := self._dated(ranked)):
                best, ranked = dated[0], dated  # 'depuis quelle année …': its text says
        if intent == Intent.WHEN and best.kind == "person":  # an official has no date
            return self._unknown(query, ranked=ranked)
        if intent == Intent.WHEN and query.day_asked and not self._gives_a_day(best):
            return self._not_recorded(query, ["jour exact"], self._render(best, query, ranked),
                                      self._matches(ranked))  # 'quel jour ?': month only
        if query.wants_duration and not self._states_duration(best):
            lasting = self._close_one(ranked, self._states_duration)
            if lasting is not None:  # 'combien de temps …': the figure in years answers
                best, ranked = lasting[0], lasting
        if (query.wants_cost or query.wants_rate or query.wants_number) and not (
                best.kind == "figure" and self._is_quantity(best, query)):
            held = [w for w in query.topic  # an amount is of the best's topic: 'vélo' too
                    if (query.wants_cost or query.wants_number)
                    and self.index.holds(best.kind, best.entry_id, w)]
            quantity = self._close_one(ranked, lambda h: h.kind == "figure"
                                       and self._is_quantity(h, query)
                                       and all(self.index.holds(h.kind, h.entry_id, w)
                                               for w in held),
                                       floor=ANSWER_THRESHOLD if held else 1.0)
            if quantity is not None:  # 'quel pourcentage': a figure in % answers …
                best, ranked = quantity[0], quantity  # chosen for its kind
            elif not self._is_quantity(best, query):  # … or a text that states one
                return self._unknown(query, ranked=ranked)
        if (query.commune_ids and _CLAIM.search(query.normalized)
                and not self.ranker.names_a_place(best)):  # 'tenu à Ivry, c'est bien ça ?'
            placed = self._close_one(ranked, self.ranker.names_a_place)
            if placed is None and _HELD_AT.search(query.normalized):  # where it took place
                held = self.ranker.ranked(replace(query, where=True))
                placed = held if held and self.ranker.names_a_place(held[0]) else (
                    self._close_one(held, self.ranker.names_a_place) if held else None)
            if placed and self.ranker.names_a_place(placed[0]):
                best, ranked = placed[0], placed
        if query.meaning_asked and best.kind == "fact" and UNEXPLAINED_SIGLE in fold(
                self._text_of(best)):  # the slides use the sigle without spelling it out
            return self._not_recorded(query, ["sens du sigle"], self._render(best, query, ranked),
                                      self._matches(ranked))
        not_said = self._not_said(query, best)
        if not_said:
            return self._unknown(query, not_said, ranked=ranked)
        if (query.total or query.counted) and best.kind == "figure" and _number(
                self.view.figures[best.entry_id].value) is None:  # 'deux fois plus vite'
            headline = ("Je n'ai pas trouvé ce nombre : le séminaire n'en donne pas pour cela. "
                        "Ce qu'il en dit :")
            return self._not_recorded(query, [], self._render(best, query, [best]),
                                      self._matches(ranked), headline)
        unlisted = self._list_not_given(query, ranked[:3]) if query.listing else None
        if unlisted:
            hit, named = unlisted
            headline = (f"Je n'ai pas trouvé la liste des {named} : le séminaire en donne "
                        "le nombre, pas le détail. Ce qu'il en dit :")
            return self._not_recorded(query, [], self._render(hit, query, ranked),
                                      self._matches(ranked), headline)
        if intent in (Intent.HOW, Intent.PRIORITY) and best.kind == "project":
            planned = self._plan_with_calendar(query, best, ranked)
            if planned is not None:
                return planned
        if intent in (Intent.HOW, Intent.PRIORITY) and best.kind == "fact":
            planned = self._plan_over_definition(query, best, ranked)
            if planned is not None:
                return planned
        if intent in (Intent.HOW, Intent.PRIORITY) and best.kind == "person":
            planned = self._plans_over_person(query, best, ranked)
            if planned is not None:
                return planned
        unheld = self._delegation_unheld(query, best) if intent == Intent.WHO else None
        if unheld and not query.unknown_subject and not self._role_unheld(query):
            return self._nobody_delegated(query, unheld, best, ranked)
        if intent == Intent.WHO and (query.unknown_subject or self._role_unheld(query)
                                     or self._role_at_another_time(query)
                                     or self._heads_another_body(query)
                                     or self._led_by_chance(query, best)):
            return self._unknown(query, ranked=ranked)
        if intent == Intent.WHO and best.kind != "person":
            return self._who_from_topic(query, best, ranked)
        also = self._also_leading(query, best, ranked)
        if also is None:
            rendered = self._render(best, query, ranked)
        else:  # two officials, each with the priority that covers the topic
            rendered = self.view.render_person(best.entry_id, best.via_priority, False).extend(
                self.view.render_person(also.entry_id, also.via_priority, False))
        return self._build(AnswerKind.ANSWER, query, rendered, self._matches(ranked),
                           self._alternatives(ranked[1:], exclude=best))

    def _calendar_of(self, best: Hit, ranked: list[Hit]) -> tuple[Hit, list[Hit]]:
        """'Le plan climat air énergie, c'est quand ?' whose best match defines « PCAET »: the
        calendar of the project so named answers (a 'when' wants dates, not a definition)."""
        named = {normalize(self.view.title(h.kind, h.entry_id)) for h in ranked[:2]}
        dated = [h for h in ranked[1:5] if h.kind == "project"
                 and normalize(self.view.projects[h.entry_id].name) in named]
        if not dated:
            return best, ranked
        return dated[0], [dated[0], *[h for h in ranked if h is not dated[0]]]

    @staticmethod
    def _close_one(ranked: list[Hit], fits: Callable[[Hit], bool], window: int = 6,
                   floor: float = 1.0) -> list[Hit] | None:
        """The ranking with the first hit after the best, among `window`, that `fits` and
        scores close to the best (SUPERLATIVE_SHARE) or above `floor`, moved to the front;
        None if none does."""
        bar = min(ranked[0].score * SUPERLATIVE_SHARE, floor)
        found = next((h for h in ranked[1:window] if h.score >= bar and fits(h)), None)
        return None if found is None else [found, *[h for h in ranked if h is not found]]

    def _project_named_in_overview(self, query: Query, ranked: list[Hit]) -> Hit | None:
        """'Le plan vélo, ses échéances ?' whose best match is a text listing the projects
        in passing ('… déchets, éclairage public, …'): the project the question names."""
        best = ranked[0]
        if best.kind != "fact":
            return None
        said = f" {query.normalized} "
        listed = f" {normalize(self.view.facts[best.entry_id].text)} "
        named = next((h for h in ranked[1:4] if h.kind == "project"
                      and len((name := self._project_name(h.entry_id)).split()) > 1
                      and f" {name} " in said and f" {name} " in listed), None)
        if named is None or sum(f" {self._project_name(p)} " in listed
                                for p in range(len(self.view.projects))) < 3:
            return None  # a text that tells one project does not list them
        return named

    def _project_name(self, project_id: int) -> str:
        """A project's name as questions say it ('eclairage public', without '2023')."""
        return self.project_names[project_id]

    def _projects_said(self, query: Query) -> list[int]:
        """The calendar projects the question names by their whole name."""
        said = f" {query.normalized} "
        return [p for p, name in enumerate(self.project_names) if f" {name} " in said]

    def _calendar_named(self, query: Query, ranked: list[Hit]) -> bool:
        """'Le plan climat air énergie, on en est où ?': a 'when' whose best match, sure by
        the common bar, is the definition of a project's name: that project's calendar is
        as sure (its own entry, titled with the acronym, shares no word with the question)."""
        best = ranked[0]
        return (query.intent == Intent.WHEN and best.kind != "project"
                and best.score >= ANSWER_THRESHOLD
                and self._calendar_of(best, ranked)[0] is not best)

    def _plans_over_person(self, query: Query, best: Hit, ranked: list[Hit]) -> Answer | None:
        """'Que prévoit-on pour X ?' whose best match is the official in charge of X: the
        priorities of X answer it (the one that official leads first), and the official
        is told in one line."""
        person = self.view.people[best.entry_id]
        close = [h for h in ranked[1:8] if h.kind == "priority"
                 and h.score >= best.score * PLAN_SHARE]
        if not close:
            return None
        led = [h for h in close if person.key in self.view.priorities[h.entry_id].leads]
        plan = (led or close)[0]
        rest = [plan, *[h for h in ranked if h is not plan and h is not best]]
        official = f"{IN_CHARGE}{self.view.title('person', best.entry_id)}"
        rendered = self._render(plan, query, rest, MAX_ANSWER_CHARS - len(official) - 1)
        rendered = Rendered(rendered.headline, [official, *rendered.body], rendered.sources,
                            rendered.milestone_ids, more=rendered.more)
        return self._build(AnswerKind.ANSWER, query, rendered, self._matches(rest),
                           self._alternatives(rest[1:], exclude=plan))

    def _plan_over_definition(self, query: Query, best: Hit,
                              ranked: list[Hit]) -> Answer | None:
        """A plan asked whose best match defines a term ('PLUi', 'PCAET'): the priority
        whose text names that term says what is planned; the definition stays a button."""
        term = f" {normalize(self.view.facts[best.entry_id].title)} "
        for plan in (h for h in ranked[1:8] if h.kind == "priority"):
            priority = self.view.priorities[plan.entry_id]
            if term in f" {normalize(' '.join([*priority.items, *priority.findings]))} ":
                rest = [plan, *[h for h in ranked if h is not plan]]
                return self._build(AnswerKind.ANSWER, query, self._render(plan, query, rest),
                                   self._matches(rest), self._alternatives(rest[1:], exclude=plan))
        return None

    def _plan_with_calendar(self, query: Query, best: Hit, ranked: list[Hit]) -> Answer | None:
        """A plan asked whose best match is a project's calendar (« Schéma logistique
        territorial »): the priority item that names the project says what is planned, and
        the project's dates follow in one line."""
        name = f" {self._project_name(best.entry_id)} "
        for plan in (h for h in ranked[1:] if h.kind == "priority"):
            items = self.view.priorities[plan.entry_id].items
            part = next((i for i, item in enumerate(items)
                         if name in f" {normalize(item)} "), None)
            if part is not None:
                break
        else:
            return None
        dates = self.view.render_projects([best.entry_id])
        told = self.view.render_priority(plan.entry_id, [part])
        rendered = Rendered(told.headline, [
            *told.body, f"Au calendrier : {dates.body[0].removeprefix('• ')}"],
            [*told.sources, *dates.sources], dates.milestone_ids,
            more=More(EntryKind.PRIORITY, plan.entry_id))  # its other items
        rest = [plan, *[h for h in ranked if h is not plan]]
        return self._build(AnswerKind.ANSWER, query, rendered, self._matches(rest),
                           self._alternatives(rest[1:], exclude=plan))

    def _led_by_chance(self, query: Query, best: Hit) -> bool:
        """An official reached only through a priority whose theme and keywords name none
        of the question's topics, nor the words its synonyms stand for ('le VP à la santé' →
        a priority whose text mentions the health crisis once): that priority is not what
        their delegation is about ('potagers' → agriculture urbaine is)."""
        if best.kind != "person" or best.via_priority is None or best.direct > 0:
            return False
        priority = self.view.priorities[best.via_priority]
        said = {stem(w) for w in normalize(f"{priority.theme} {' '.join(priority.keywords)}"
                                           ).split()}
        searched = {c for p in query.positions for c in p.candidates}  # synonyms' words too
        return not any(stem(w) in said for w in searched if self.vocabulary.is_topic(w))

    def _delegation_unheld(self, query: Query, best: Hit) -> str | None:
        """'Qui est délégué au X ?' answered by an official whose entry shares no topic with
        the question, while no official's delegation names X: X, which nobody holds."""
        if best.kind != "person":
            return None
        held = self.vocabulary.delegation_stems
        own = self.vocabulary.person_stems[best.entry_id]
        if any(stem(w) in own for w in [*query.topic, *query.synonym_topics]
               if w not in ROLE_WORDS and w not in OFFICIAL_WORDS):  # 'écoles de musique':
            return None  # the conservatoires, which the official's delegation names
        return next((w for w in query.delegation if w not in STOP_WORDS
                     and w not in ROLE_WORDS and stem(w) not in held
                     and not any(stem(f) in held for f in " ".join(
                         self.vocabulary.expansions_of(w)).split())
                     and not any(term in held for term, _ in self.index.term_matches(w))),
                    None)  # 'logemt' is 'logement' misspelt: held

    def _nobody_delegated(self, query: Query, topic: str, best: Hit,
                          ranked: list[Hit]) -> Answer:
        """No delegation names the topic: said first, then the official whose priority
        speaks of it (their priority named), who is the nearest one to ask."""
        headline = (f"Je n'ai pas trouvé d'élu délégué à « {_as_typed(query, topic)} » dans le "
                    "séminaire. L'élu le plus proche, par une priorité qui en parle :")
        known = self.view.render_person(best.entry_id, via_priority=best.via_priority)
        return self._not_recorded(query, [], known, self._matches(ranked), headline)

    def _role_unheld(self, query: Query) -> bool:
        """'Qui est le directeur général des services ?': an office no official of the base
        holds (the base's offices are read from its officials' titles)."""
        return any(m.group(1) in ROLE_WORDS and stem(m.group(1)) not in self.vocabulary.title_stems
                   for m in _WHO_IS.finditer(query.normalized))

    @staticmethod
    def _role_at_another_time(query: Query) -> bool:
        """'Qui sera le prochain président ?', 'the former VP': an office held by someone
        else at another time (the base knows the officials of 2021 only)."""
        words = query.normalized.split()
        return any(a in RELATION_WORDS and (b in ROLE_WORDS or b == "vp")
                   or (a in ROLE_WORDS or a == "vp") and b in RELATION_WORDS
                   for a, b in zip(words, words[1:], strict=False))

    def _heads_another_body(self, query: Query) -> bool:
        """'Le président de la Région, du département ?': the head of a body that is not
        the territory or its council (the base knows only the EPT's own president)."""
        vocabulary = self.vocabulary
        for body in _HEAD_OF.findall(query.normalized):
            head, *rest = body.split()
            if not (_OWN_BODY & {head, *rest} or any(vocabulary.is_frame(word) for word in [
                    head, *" ".join(vocabulary.expansions_of(head)).split()])):
                return True
        return False

    def _also_leading(self, query: Query, best: Hit, ranked: list[Hit]) -> Hit | None:
        """'Qui …' reaching two officials through two different priorities that both
        cover the topic about as well: the second one, to be told with the first."""
        if query.intent != Intent.WHO or best.kind != "person" or best.via_priority is None:
            return None
        for hit in ranked[1:3]:
            if (hit.kind == "person" and hit.via_priority is not None
                    and hit.via_priority != best.via_priority
                    and hit.score >= best.score * TWO_LEADS_SHARE):
                return hit
        return None

    def _names_the_territory_only(self, query: Query, best: Hit) -> bool:
        """The entry defining the territory itself ('EPT') answers what the EPT is, not
        everything asked of it ('la dette de l'EPT', 'la position de l'EPT sur …')."""
        return (best.kind == "fact" and query.intent != Intent.DEFINE and not query.counted
                and normalize(self.view.title("fact", best.entry_id)) in _TERRITORY
                and any(word not in _TERRITORY for word in query.content))

    def _sure_enough(self, query: Query, ranked: list[Hit], weak_lead: bool = True) -> bool:
        """Above the bar for the intent, or clearly ahead of every other candidate
        (`weak_lead=False`: not on a weak match, however far ahead)."""
        best = ranked[0].score
        if best >= THRESHOLDS.get(query.intent, ANSWER_THRESHOLD):
            return True
        if query.intent == Intent.WHEN and best >= ANSWER_THRESHOLD and self._dated(ranked):
            return True  # 'depuis quand …': an entry that states the year is sure enough
        if best < LEAD_FLOOR or not query.topic:
            return False
        second = ranked[1] if len(ranked) > 1 else None
        if best < WEAK_LEAD:  # most words unknown to the base: only a wide lead answers
            return weak_lead and not query.unknown_subject and best >= WEAK_LEAD_MARGIN * (
                second.score if second else 0.0)
        if query.listing and second and second.kind == ranked[0].kind and (
                second.score >= best * SIBLING_SHARE):
            return True  # a list question: close entries of one kind are the list
        first = ranked[0]
        if (second and first.via_priority is not None
                and first.via_priority == second.via_priority
                and first.direct > 0 and first.direct >= LEAD_MARGIN * second.direct):
            return True  # two officials share the topic: their own delegation decides
        return not query.unknown_subject and best >= LEAD_MARGIN * (
            second.score if second else 0.0)

    def _not_said(self, query: Query, best: Hit) -> str | None:
        """Why the best entry does not answer what is asked, in French (or None): it
        counts something else, it is not about the commune named (unless a claim names the
        wrong place: the entry's own place corrects it), it has no date."""
        view = self.view
        if query.counted and (query.unheard_counted or not self._counts_any(best, query)
                              or self._counts_other_people(best, query)):
            return (f"Je n'ai pas trouvé ce nombre ({_as_typed(query, query.counted)}) : le "
                    "séminaire ne le donne pas.")
        if query.counted and self._counts_some_only(best, query):
            return (f"Je n'ai pas trouvé ce nombre ({_as_typed(query, query.counted)} en "
                    "tout) : le séminaire ne donne qu'une partie d'entre eux.")
        named = [view.communes[c].name for c in query.commune_ids]
        checked = _CLAIM.search(query.normalized)  # 'X, c'est bien à Vitry ?': X answers
        if named and not checked and best.kind not in ("person", "commune") and not any(
                self.index.holds(best.kind, best.entry_id, part)
                for name in named for part in self._own_name_parts(name)):
            return (f"Je n'ai pas trouvé cette information pour {named[0]} : le séminaire "
                    "ne la donne pas commune par commune.")
        if named and not checked and best.kind == "figure" and query.share_asked:
            together = self._places_of(self.view.figures[best.entry_id].context)
            if len(together) > 1:  # '… combien pour Ivry seule ?' of an amount for two
                return (f"Je n'ai pas trouvé la part {of(named[0])} : le séminaire ne donne ce "
                        f"chiffre que pour {' et '.join(together)} ensemble.")
        if query.intent == Intent.WHEN and best.kind == "project":
            project = view.projects[best.entry_id]
            titles = fold(" ".join(m.title for m in project.milestones))
            phases = set(normalize(titles).split()) - set(normalize(project.name).split())
            for step, (asked, told) in _STEPS.items():  # 'PLUi approuvé quand ?' (its PADD
                if (asked.search(query.normalized) and not told.search(titles)  # only)
                        and not phases & set(query.content)):  # 'on vote le PADD quand ?'
                    return f"Je n'ai pas trouvé de date {of(step)} dans le séminaire."
        if (query.intent == Intent.WHEN and best.kind != "project"
                and _FUTURE & set(query.normalized.split())):
            return "Je n'ai pas trouvé de date à venir pour cela dans le séminaire."
        if query.intent == Intent.WHEN and best.kind in ("fact", "figure", "priority"):
            said = fold(view.title(best.kind, best.entry_id) + " " + self._text_of(best))
            for year in re.findall(r"\b(?:19|20)\d\d\b", query.normalized):
                said = said.replace(year, " ")  # a year the question gives is no answer
            if not _DATE.search(said):
                return "Je n'ai pas trouvé de date pour cela dans le séminaire."
        return None

    def _names_things(self, hit: Hit, kind: str) -> bool:
        """Whether the lines of an entry that speak of `kind` ('bailleurs'), or else its whole
        text, name some (a capitalised word inside a sentence: 'l'État', 'Choisy-le-Roi')
        beyond the words of its title."""
        title = set(fold(self.view.title(hit.kind, hit.entry_id)).split())
        stem_ = _IN_FRENCH.get(kind, kind)[:5]
        text = self._text_of(hit)
        lines = [line for line in re.split(r"[•\n;]", text) if stem_ in fold(line)] or [text]
        return any(fold(word) not in title
                   for line in lines for word in _NAME_INSIDE.findall(line.strip()))

    def _places_of(self, text: str) -> list[str]:
        """The communes a text names in full, in its order ('… Choisy-le-Roi et Ivry')."""
        folded = f" {normalize(text)} "
        named = [(folded.find(f" {normalize(c.name)} "), c.name)
                 for c in self.view.communes.values()]
        return [name for at, name in sorted(named) if at >= 0]

    def _list_not_given(self, query: Query, hits: list[Hit]) -> tuple[Hit, str] | None:
        """'Quelles sont les 5 X ?' when an entry found says there are 5 X but lists fewer
        things than that: that entry and what the list would be ('5 X')."""
        asked = [(count, words) for count, words in re.findall(  # 'la 15 et la 14': lines
            r"\b(\d{1,3}) ([a-z]\w+(?: \w+){0,2})", query.normalized)
            if count not in query.lines and words.split()[0] not in STOP_WORDS]
        for hit in hits if asked else []:
            if hit.kind not in ("fact", "figure"):
                continue
            text = self._text_of(hit)
            said = normalize(f"{self.view.title(hit.kind, hit.entry_id)} {text}")
            items = len([part for part in re.split(r"[;•\n]| — ", text) if part.strip()])
            for count, words in asked:
                words = words.split()
                for size in range(len(words), 0, -1):  # as many words as the entry says
                    named = f"{count} {' '.join(words[:size])}"
                    if int(count) > items and re.search(
                            rf"\b{re.escape(named[:-2] if size == 1 else named)}", said):
                        return hit, named
        return None

    def _commune_searched(self, query: Query, ranked: list[Hit] | None
                          ) -> tuple[Query, list[Hit]]:
        """A commune named, beyond its own figures ('Choisy, quels financements
        européens ?'): its name is searched too, so an entry that names it (the credits for
        Choisy-le-Roi and Ivry) ranks first, when one does."""
        ranked = self.ranker.ranked(query) if ranked is None else ranked
        if (not query.commune_ids or query.lines or query.counted or not ranked
                or _CLAIM.search(query.normalized)):  # 'combien de gares à Villejuif': its
            return query, ranked  # own count; 'les ateliers, à Cachan ?': maybe wrong
        territory = {w for name in self.vocabulary.scope_names for w in name.split()}
        named = [Position((part,)) for c in query.commune_ids  # not 'Orly' of Grand-Orly
                 for part in self._own_name_parts(self.view.communes[c].name)
                 if stem(part) in self.index.postings and part not in territory]
        if not named:
            return query, ranked
        searched = replace(query, positions=[*query.positions, *named])
        found = self.ranker.ranked(searched)
        before = next((h.score for h in ranked if h.key == found[0].key), 0.0)
        if before < ranked[0].score * COMMUNE_TOPIC_SHARE:  # the name alone is no topic
            return query, ranked  # ('quel temps demain à Vitry ?' ≠ Vitry's audits)
        return searched, found

    def _own_name_parts(self, name: str) -> list[str]:
        """The words that name a commune itself: 'ablon' for Ablon-sur-Seine, not 'seine',
        which the territory's name and the 'ITI Seine-Amont' share ('orly' stays Orly's)."""
        parts = [part for part in normalize(name).split() if len(part) > 3]
        return [p for p in parts if not self.vocabulary.is_frame(p)] or parts

    def _counts_some_only(self, hit: Hit, query: Query) -> bool:
        """A bare count of people ('combien d'habitants ?', nothing else asked) against a
        figure whose label restricts them to some ('… bénéficiaires depuis 2017')."""
        counted = stem(query.counted or "")
        if hit.kind != "figure" or counted not in _PEOPLE or any(
                stem(w) != counted and w not in COUNTING_VERBS | _TERRITORY | _DWELL
                for w in query.topic):
            return False
        label = normalize(self.view.figures[hit.entry_id].label).split()
        return any(stem(w) != counted and w not in STOP_WORDS | _TERRITORY for w in label)

    def _counts_other_people(self, hit: Hit, query: Query) -> bool:
        """People counted with what they do ('combien de gens y sont employés ?')
        against a figure of people that says none of it (beneficiaries)."""
        counted = stem(query.counted or "")
        if hit.kind != "figure" or counted not in _PEOPLE - {stem("elus")}:  # officials
            return False  # are all one figure's, whatever words the question uses
        said = [w for w in query.topic if stem(w) != counted
                and w not in COUNTING_VERBS | _TERRITORY | _DWELL]
        return bool(said) and not any(self.index.holds(hit.kind, hit.entry_id, w) for w in said)

    def _counts_any(self, hit: Hit, query: Query) -> bool:
        """'Combien d'écoles de musique et conservatoires': either noun may be counted, or
        what a synonym the question says it with names ('écoles de musique': conservatoires)."""
        nouns = [n for n in [query.counted, *query.counted_too] if n]
        return any(self._counts(hit, noun) for noun in [*nouns, *(
            w for n in nouns for w in self.vocabulary.said_for(n, query.normalized))])

    def _counts(self, hit: Hit, noun: str) -> bool:
        """Whether a figure counts `noun` (its label or unit says so, not its context);
        'personnes' are counted by any figure of people."""
        if noun == "personnes" and hit.kind == "figure":
            figure = self.view.figures[hit.entry_id]
            return bool({stem(w) for w in normalize(f"{figure.label} {figure.unit}").split()}
                        & _ANY_PEOPLE)
        wanted = stem(noun)
        if hit.kind not in ("commune", "figure"):  # a text counts it if it gives its number
            said = fold(self.view.title(hit.kind, hit.entry_id) + " " + self._text_of(hit))
            return re.search(rf"\d[\d\s.,]*\s+(?:\w+\s+){{0,2}}{re.escape(wanted[:5])}",
                             said) is not None
        if hit.kind == "commune":
            labels = " ".join(f["label"] for f in self.view.communes[hit.entry_id].figures)
        else:
            labels = _counted_words(self.view.figures[hit.entry_id])
        return any(stem(t) == wanted or (len(wanted) >= 5 and stem(t).startswith(wanted[:5]))
                   for t in normalize(labels).split())

    def _states_a_date(self, hit: Hit) -> bool:
        """A calendar entry, or an entry whose own words give a month or a year."""
        return hit.kind == "project" or _DATE.search(fold(
            f"{self.view.title(hit.kind, hit.entry_id)} {self._text_of(hit)}")) is not None

    def _gives_a_day(self, hit: Hit) -> bool:
        """Whether an entry dates something to the day (not only a month or a year)."""
        if hit.kind == "project":
            return any(m.precision is not Precision.MONTH
                       for m in self.view.projects[hit.entry_id].milestones)
        return _DAY_DATE.search(fold(self._text_of(hit))) is not None

    def _dated(self, ranked: list[Hit]) -> list[Hit] | None:
        """The ranking led by an entry that states a date: the best, or a close one."""
        if self._states_a_date(ranked[0]):
            return ranked
        return self._close_one(ranked, self._states_a_date)

    def _text_of(self, hit: Hit) -> str:
        view = self.view
        if hit.kind == "fact":
            return view.facts[hit.entry_id].text
        if hit.kind == "figure":
            return view.figures[hit.entry_id].context
        if hit.kind == "priority":
            priority = view.priorities[hit.entry_id]
            return " ".join([*priority.items, *priority.findings, priority.highlight or ""])
        if hit.kind == "person":
            return view.people[hit.entry_id].title
        return ""

    def _who_from_topic(self, query: Query, best: Hit, ranked: list[Hit]) -> Answer:
        """'Qui …' whose best match is not a person: the people a close entry names, or
        the officials of its axis when no delegation covers the topic — said as such."""
        view = self.view
        delegates = {pid for pid, own in self.vocabulary.person_stems.items()
                     if query.delegation and all(stem(w) in own for w in query.delegation)}
        if len(delegates) == 1:  # '… l'élu en charge du PLUi : qui est-ce ?': named by it
            pid = delegates.pop()
            return self._build(AnswerKind.ANSWER, query, view.render_person(pid),
                               [Match("person", pid, view.people[pid].name, 1.0)], [])
        whom = self._names_whom(query, best) if best.kind == "priority" else None
        if whom is not None:
            rendered = view.render_priority(best.entry_id, [whom])
            return self._build(AnswerKind.ANSWER, query, rendered, self._matches(ranked),
                               self._alternatives(ranked, exclude=best))
        for hit in ranked[:5]:
            if hit.score < best.score * WHO_TOPIC_SHARE:
                break
            rendered, kind = None, AnswerKind.ANSWER
            if hit.kind == "fact":
                fact = view.facts[hit.entry_id]
                text = f" {normalize(fact.title + ' ' + fact.text)} "
                named = [pid for surname, pid in self.vocabulary.surnames
                         if f" {surname} " in text]
                if named:
                    rendered = view.render_people(list(dict.fromkeys(named))).extend(
                        view.render_fact(hit.entry_id))
            elif hit.kind == "priority":  # nobody's delegation: said, then its axis's officials
                rendered, kind = view.render_axis_people(hit.entry_id), AnswerKind.UNKNOWN
            elif hit.kind == "project":  # a calendar item: the delegate of its domain
                rendered = self._delegate_of_project(hit.entry_id)
            if rendered is not None:
                return self._build(kind, query, rendered, self._matches(ranked),
                                   self._alternatives(ranked, exclude=hit))
        return self._unknown(query, ranked=ranked)

    def _delegate_of_project(self, project_id: int) -> Rendered | None:
        """The official whose delegation covers a calendar item's words ('Habitat :
        convention d'attribution' → the delegate to housing), clearly ahead of any other;
        said as such, since the seminar names no one for the item itself."""
        project = self.view.projects[project_id]
        words = {stem(w) for w in normalize(f"{project.name} {' '.join(project.keywords)}")
                 .split() if w not in STOP_WORDS}
        shared = sorted(((len(words & {stem(w) for w in normalize(
            f"{p.delegation or ''} {' '.join(p.keywords)}").split() if w not in STOP_WORDS}),
            pid) for pid, p in self.view.people.items()), reverse=True)
        if not shared or shared[0][0] < 2 or (len(shared) > 1 and shared[1][0] == shared[0][0]):
            return None
        person = self.view.people[shared[0][1]]
        return self.view.render_person_short(person.id).extend(Rendered(
            f"Le séminaire ne nomme pas d'élu pour « {project.name} » : c'est sa délégation "
            f"({person.delegation}) qui couvre ce sujet.", [],
            [source_of(m) for m in project.milestones[:1]]))

    def _names_whom(self, query: Query, best: Hit) -> int | None:
        """'… on sollicite qui ?': 'qui' is the object of a verb that one of the priority's
        best items uses itself; that item (its index) names who — partners, not an official."""
        words = query.normalized.split()
        if len(words) < 2 or words[-1] != "qui":
            return None
        root = stem(words[-2])[:6]  # 'mobilise' ~ 'mobiliser'
        items = self.view.priorities[best.entry_id].items
        for part in best.best_parts():
            if len(root) >= 5 and 0 <= part < len(items) and any(
                    w.startswith(root) for w in normalize(items[part]).split()):
                return part
        return None

    def _beyond_base(self, query: Query, best: Hit) -> bool:
        """The question is about something the base cannot hold, whatever else matches:
        a named entity it has never heard of ('Tokyo', 'République'), in the sentence that
        asks (a name in the context before it is the asker's), or a detail the entry found
        does not record ('horaires', 'téléphone')."""
        communes = {part for cid in query.commune_ids
                    for part in normalize(self.view.communes[cid].name).split()}
        if any(self.vocabulary.unheard(word) for word in proper_nouns(query.ask or query.text)
               if normalize(word) not in ADDRESS_WORDS
               and not (communes and close_to_any(normalize(word), communes))):
            return True
        return bool(self._details_missing(query, best.kind, best.entry_id)
                    or self._other_year(query, best))

    def _other_year(self, query: Query, hit: Hit) -> bool:
        """A dated figure counted for another year ('combien d'élus au séminaire de 2016 ?'
        of the 2021 one): the base does not give it ('c'est depuis 2015 ?' is a claim)."""
        counted = query.counted or "combien" in query.normalized.split()  # 'nb de …', too
        if hit.kind != "figure" or not query.years or not counted:
            return False
        figure = self.view.figures[hit.entry_id]
        stated = {int(y) for y in YEAR.findall(f"{figure.label} {figure.context}")}
        return bool(stated) and not stated & set(query.years)

    def _details_missing(self, query: Query, kind: str, entry_id: int) -> list[str]:
        """Details asked ('téléphone', 'horaires') that this entry does not record."""
        return [w for w in query.details if not self.index.holds(kind, entry_id, w) and not any(
            self.index.holds(kind, entry_id, form, exact=True)
            for form in " ".join(self.vocabulary.synonyms.get(w, [])).split())]

    def _states_duration(self, hit: Hit) -> bool:
        """A figure counted in years, months or days, or a text stating such a length."""
        if hit.kind == "figure":
            unit = fold(self.view.figures[hit.entry_id].unit)
            return TIME_UNIT.fullmatch(unit) is not None
        stated = rf"\b\d+\s?{TIME_UNIT.pattern}\b"
        return re.search(stated, fold(self._text_of(hit))) is not None

    def _is_quantity(self, hit: Hit, query: Query) -> bool:
        """A cost or rate question is only answered by a figure of that kind, or by a text
        that states one ('… 56 % des déplacements …')."""
        sign = "€" if query.wants_cost else "%" if query.wants_rate else ""
        if hit.kind != "figure":  # a year is no quantity: '\d' alone must not be one
            return re.search(rf"(?<!\d)(?!(?:19|20)\d\d\b)\d[\d,.]*\s?{sign}",
                             self._text_of(hit)) is not None
        figure = self.view.figures[hit.entry_id]
        return sign in f"{figure.value} {figure.unit}"

    def _render(self, hit: Hit, query: Query, ranked: list[Hit],
                budget: int = MAX_ANSWER_CHARS) -> Rendered:
        view = self.view
        if hit.kind == "person":
            return view.render_person(hit.entry_id, via_priority=hit.via_priority)
        if hit.kind == "priority":
            if query.listing or query.intent in (Intent.PRIORITY, Intent.HOW):
                same = [h for h in ranked[1:3] if h.kind == "priority"
                        and view.priorities[h.entry_id].theme
                        == view.priorities[hit.entry_id].theme]
                matched = [(value, h.entry_id, part) for h in [hit, *same]
                           for value, part in h.parts if value >= hit.score * SIBLING_SHARE]
                alone = len(hit.parts) < 2 or hit.parts[1][0] <= hit.parts[0][0] * RIVAL_SHARE
                return view.render_priorities(  # a list question's best item is cut to tell
                    [hit.entry_id, *[h.entry_id for h in same]], budget, matched,  # more,
                    best_whole=not query.listing or alone)  # unless it alone matched well
            return view.render_priority(hit.entry_id, hit.best_parts())
        if hit.kind == "figure":
            return self._render_figures(hit, query, ranked)
        if hit.kind == "commune":
            return view.render_commune(hit.entry_id, query.lines)
        if hit.kind == "project":
            close = [h.entry_id for h in ranked[1:6] if h.kind == "project"
                     and h.score >= hit.score * SIBLING_SHARE]
            if query.listing and close:
                return view.render_projects([hit.entry_id, *close])
            return view.render_project(hit.entry_id, self.now())
        if hit.kind == "fact":
            return view.render_fact(hit.entry_id)
        return view.render_axis(hit.entry_id)

    def _rival_figures(self, hit: Hit, query: Query, ranked: list[Hit],
                       close: list[Hit]) -> list[Hit]:
        """The figures a superlative compares: those close to the best, and, when the
        question compares items it lists or cites ('de FEDER, des audits et de la relance,
        quel montant domine ?'), those of its slide it also reaches; of one unit, or of any
        count when the question names no unit or asks for a number as such (the highest
        'chiffre' of 215 élus, 5 podcasts …)."""
        view = self.view
        best = view.figures[hit.entry_id]
        among = _AMONG.search(query.normalized) or query.text.count(",") >= 2
        slide = [h for h in ranked[:10] if among and h.kind == "figure" and h not in close
                 and h.score >= hit.score * SLIDE_RIVAL_SHARE
                 and view.figures[h.entry_id].source_slide == best.source_slide]
        words = query.normalized.split()
        said = {stem(w) for w in words}
        any_count = bool(_ANY_NUMBER & set(words)) or not any(
            stem(w) in said for h in [*close, *slide]
            for w in normalize(view.figures[h.entry_id].unit).split())
        return [h for h in [*close, *slide] if view.figures[h.entry_id].unit == best.unit
                or any_count and not _MONEY.search(f"{best.unit} {view.figures[h.entry_id].unit}")]

    def _render_figures(self, hit: Hit, query: Query, ranked: list[Hit]) -> Rendered:
        """The best figure and its close siblings; the largest when a superlative is asked
        among figures of one unit; a sum when asked, labelled as computed."""
        view = self.view
        close = [h for h in ranked[:6] if h.kind == "figure"
                 and h.score >= hit.score * (SUPERLATIVE_SHARE if query.superlative
                                             else SIBLING_SHARE)]
        unit = view.figures[hit.entry_id].unit
        if query.superlative:
            same = [h for h in self._rival_figures(hit, query, ranked, close)
                    if _number(view.figures[h.entry_id].value) is not None]
            if len(same) > 1:
                pick = (max if query.superlative == "max" else min)(
                    same, key=lambda h: _number(view.figures[h.entry_id].value))
                close = [pick, *[h for h in same if h is not pick]]
        ids = [h.entry_id for h in close] or [hit.entry_id]
        # "quels montants …" (not "combien …", one quantity): the figures of the best's slide
        listed = query.listing and not query.superlative and query.counted is None and not (
            COMMUNE_WORDS & {stem(w) for w in query.normalized.split()})  # 'quelles villes ?':
        # the best figure's context names them
        if listed:
            best = view.figures[hit.entry_id]
            ids += [f.id for f in view.figures.values() if f.id not in ids and f.source_slide
                    and (f.source_slide, f.source_title)
                    == (best.source_slide, best.source_title)]
        rendered = view.render_figures(ids, context=not listed or len(ids) == 1)
        values = [_number(view.figures[i].value) for i in ids[:3]
                  if view.figures[i].unit == unit]
        if query.total and len(values) > 1 and None not in values:
            total = french_number(round(sum(values)))
            rendered.body.append(f"Total (calculé, pas sur les diapositives) : {total} {unit}")
        return rendered

    def _matches(self, ranked: list[Hit], limit: int = 5) -> list[Match]:
        return [Match(h.kind, h.entry_id, self.view.title(h.kind, h.entry_id), round(h.score, 3))
                for h in ranked[:limit]]

    # ------------------------------------------------------------------ special cases
    def _answer_comparator(self, query: Query) -> Answer | None:
        """Communes over, under or at a value ('plus de 20', 'moins de 5', 'un seul'), or
        every commune with a figure on the line asked ('quelles communes … sur la 14 ?')."""
        comparator = query.comparator or (
            ("gt", 0.0) if query.communes_asked and query.lines else None)
        if not comparator or query.commune_ids or not self._about_communes(query):
            return None
        rendered = self.view.render_commune_filter(*comparator, query.lines)
        if rendered is None:
            return None
        return self._build(AnswerKind.ANSWER, query, rendered,
                           [Match("commune", 0, "communes filtrées", 1.0)], [])

    def _answer_compared_figure(self, query: Query) -> Answer | None:
        """'Plus de 200 élus au séminaire ?': « Oui » or « Non » by the figure the bound is
        of, then the figure (« plus ou moins » asks no side: the figure alone)."""
        if (not query.comparator or query.comparator[0] == "eq" or query.commune_ids
                or self._about_communes(query)):
            return None
        operator, bound = query.comparator  # the bound is masked from the query's numbers
        checked = self._checked_number(replace(query, numbers=[bound]))
        if checked is None:
            return None
        hit, _, ranked = checked
        rendered = self._render(hit, replace(query, numbers=[]), ranked)
        value = _number(self.view.figures[hit.entry_id].value)
        if value is not None and "plus ou moins" not in query.normalized:
            holds = (value > bound if operator == "gt" else value >= bound
                     if operator == "ge" else value < bound)
            rendered = _with_verdict("Oui" if holds else "Non", rendered)
        return self._build(AnswerKind.ANSWER, query, rendered, self._matches(ranked),
                           self._alternatives(ranked[1:], exclude=hit))

    def _about_communes(self, query: Query) -> bool:
        return bool(query.lines) or any(stem(w) in self.vocabulary.ranking_stems
                                        for w in query.content)

    def _answer_commune_and_more(self, query: Query, cut: bool = True) -> Answer | None:
        """'Combien à Gentilly sur la 14, et quelle élue suit l'insertion ?': a commune's
        figures and a second ask of another kind are both answered."""
        if not query.commune_ids or Intent.WHO not in query.intents | {query.intent}:
            return None
        return self._answer_two_asks(query, cut)

    def _answer_commune(self, query: Query) -> Answer | None:
        if not query.commune_ids:
            return None if query.superlative else self._which_commune(query)
        if len(query.commune_ids) > 1 or (query.total and not query.lines) or (
                query.total and len(query.lines) > 1):
            if not self._about_communes(query) and not query.total:
                return None
            rendered = self.view.render_communes(query.commune_ids, query.lines,
                                                 query.superlative, query.total)
            matches = [Match("commune", c, self.view.communes[c].name, 1.0)
                       for c in query.commune_ids]
            kind = AnswerKind.UNKNOWN if rendered.missing else AnswerKind.ANSWER
            return self._build(kind, query, rendered, matches, [])
        if query.superlative and len(query.lines) < 2:  # 'la 14 ou la 15 ?': its own card
            return None
        if query.unheard_counted:  # "combien de lignes de bus à Orly"
            name = self.view.communes[query.commune_ids[0]].name
            return self._unknown(query, f"Je n'ai pas trouvé ce chiffre pour {name} : "
                                        "le séminaire ne le donne pas.")
        stems = self.vocabulary.commune_figure_stems
        figure_words = [w for w in query.content if stem(w) in stems]
        other_words = [w for w in query.content if w not in figure_words]
        about_figures = bool(query.lines or figure_words) or not other_words
        if not about_figures:
            return None
        commune_id = query.commune_ids[0]
        rendered = self.view.render_commune(commune_id, query.lines)
        matches = [Match("commune", commune_id, self.view.communes[commune_id].name, 1.0)]
        if query.counted and self._counted_elsewhere(query.counted, commune_id):
            return self._not_recorded(query, [query.counted], rendered, matches)
        if query.intent == Intent.WHEN:  # 'la gare de Villejuif ouvre quand ?': no date
            return self._not_recorded(query, ["date"], rendered, matches)
        if (verdict := self._commune_verdict(query, commune_id)) is not None:
            rendered = _with_verdict(verdict, rendered)
        kind = AnswerKind.UNKNOWN if rendered.missing else AnswerKind.ANSWER
        return self._build(kind, query, rendered, matches, [])

    def _commune_verdict(self, query: Query, commune_id: int) -> str | None:
        """'Savigny a bien eu 8 bénéficiaires sur la 14 ?': « Oui » or « Non, pas 8 » when
        the commune has one figure on the line asked to check the number against."""
        claimed = [n for n in query.numbers if f"{n:g}" not in query.lines]
        values = [fig["value"] for fig in self.view.communes[commune_id].figures
                  if fig.get("value") is not None and (not query.lines or any(
                      f"ligne {n}" in fig["label"].lower() for n in query.lines))]
        if not _CLAIM.search(query.normalized) or len(claimed) != 1 or len(values) != 1:
            return None
        if claimed[0] == values[0]:
            return "Oui"
        return f"Non, pas {french_number(claimed[0])}"

    def _counted_elsewhere(self, noun: str, commune_id: int) -> bool:
        """'combien d'heures à Vitry ?': what is counted is what other figures count (the
        lines' hours), never a commune's (its beneficiaries, people of any name)."""
        wanted = stem(noun)
        own = {stem(w) for f in self.view.communes[commune_id].figures
               for w in normalize(f"{f['label']} {f.get('unit') or ''}").split()}
        if wanted in own or wanted in _ANY_PEOPLE:
            return False
        return any(wanted in {stem(w) for w in normalize(_counted_words(f)).split()}
                   for f in self.view.figures.values())

    def _which_commune(self, query: Query) -> Answer | None:
        """'villeneuve ligne 15': two communes start so; ask which, with buttons."""
        candidates = self.vocabulary.partial_communes(query)
        if not candidates or not (query.lines or Intent.FIGURE in query.intents):
            return None
        lines = f" ligne {' et '.join(query.lines)}" if query.lines else ""
        alternatives = [Suggestion(label=self.view.communes[c].name,
                                   query=f"{self.view.communes[c].name}{lines}",
                                   kind="commune", entry_id=c) for c in candidates[:3]]
        rendered = Rendered("Plusieurs communes correspondent. Vouliez-vous dire :", [],
                            [self.view.source("commune", candidates[0])])
        return self._build(AnswerKind.AMBIGUOUS, query, rendered,
                           [Match("commune", c, self.view.communes[c].name, 1.0)
                            for c in candidates[:3]], alternatives)

    def _answer_same_figure(self, query: Query) -> Answer | None:
        """'Sur la 15, qui fait autant que Chevilly-Larue ?': the communes with that figure."""
        if len(query.commune_ids) != 1 or not _SAME_AS.search(query.normalized):
            return None
        rendered = self.view.render_commune_equals(query.commune_ids[0], query.lines)
        if rendered is None:
            return None
        return self._build(AnswerKind.ANSWER, query, rendered,
                           [Match("commune", query.commune_ids[0], rendered.headline, 1.0)], [])

    def _answer_rank(self, query: Query) -> Answer | None:
        """'Quelle commune est deuxième sur la 15 ?', 'qui arrive juste derrière Vitry ?':
        the communes at that rank of their figures."""
        words = query.normalized.split()
        ranks = [RANKS[w] for w, after in zip(words, [*words[1:], ""], strict=True)
                 if w in RANKS and after in RANK_FOLLOWERS]  # not 'le dernier recensement'
        behind = bool(_BEHIND.search(query.normalized)) and len(query.commune_ids) == 1
        if not (behind or (ranks and not query.commune_ids)) or not self._about_communes(query):
            return None
        if not behind and not query.lines and not any(  # 'quelle phase précède l'autre ?'
                stem(w) in self.vocabulary.commune_figure_stems for w in query.content):
            return None
        after = query.commune_ids[0] if behind else None
        rendered = self.view.render_commune_rank(ranks[0] if ranks else 0, query.lines, after)
        if rendered is None:
            return None
        return self._build(AnswerKind.ANSWER, query, rendered,
                           [Match("commune", 0, "classement des communes", 1.0)], [])

    def _answer_superlative(self, query: Query) -> Answer | None:
        """The commune that leads a line's figures; and, asked whether one commune named
        is it, « Oui » or « Non » before the leader."""
        if not query.superlative:
            return None
        said = {stem(w) for w in query.normalized.split()}
        claimed = (query.commune_ids[0] if len(query.commune_ids) == 1 and len(query.lines) == 1
                   and COMMUNE_WORDS & said else None)
        if query.commune_ids and claimed is None:
            return None
        if not self._about_communes(query) or (len(query.lines) > 1 and not any(
                stem(w) in self.vocabulary.ranking_stems for w in query.content)):
            return None  # 'sur la 15 ou sur la 14, quel chantier en compte davantage ?'
        if not query.lines and not any(stem(w) in self.vocabulary.commune_figure_stems
                                       for w in query.content):
            return self._unranked(query)  # ranked by what no commune figure counts
        rendered = self.view.render_commune_extreme(query.superlative, query.lines)
        if rendered is None:
            return None
        if claimed is not None:
            head = "Oui" if self.view.communes[claimed].name in rendered.body[0] else "Non"
            rendered = replace(rendered, headline=f"{head}, d'après le séminaire :")
        return self._build(AnswerKind.ANSWER, query, rendered,
                           [Match("commune", 0, "classement des communes", 1.0)], [])

    def _members_unranked(self, query: Query, ranked: list[Hit] | None) -> Answer | None:
        """'Quel conservatoire a davantage d'inscrits que les autres ?': one member of a
        set the base only counts (12 conservatoires), told apart by a superlative on what
        the base never speaks of: no ranking of them is recorded."""
        which = _WHICH_MEMBER.search(query.normalized) if query.superlative else None
        if (which is None or query.commune_ids or query.lines or query.person_ids
                or query.numbers or query.wants_number):  # '10 ou 13 gares ?': a count
            return None
        if not any(self.vocabulary.unheard(w) for w in query.content):
            return None  # told apart by what the base knows (hours, beneficiaries)
        member = stem(which.group(1))
        ranked = self.ranker.ranked(query) if ranked is None else ranked
        counting = next((h for h in ranked[:3] if h.kind == "figure" and member in {
            stem(w) for w in normalize(self.view.figures[h.entry_id].unit).split()[-1:]}),
            None)
        if counting is None:
            return None
        figure = self.view.figures[counting.entry_id]
        return self._unknown(query, f"Je n'ai pas trouvé ce classement : le séminaire compte "
                                    f"{quantity(figure.value, figure.unit)} sans les "
                                    f"départager.", ranked)

    def _unranked(self, query: Query) -> Answer:
        """Communes ranked by what the base gives for none of them: say what it does rank."""
        labels = dict.fromkeys(fig["label"] for c in self.view.communes.values()
                               for fig in c.figures)
        told = (f"ne donne par commune que {' ; '.join(f'« {label} »' for label in labels)}"
                if labels else "ne donne aucun chiffre par commune")
        return self._unknown(query, f"Je n'ai pas trouvé ce classement des communes : le "
                                    f"séminaire {told}.")

    def _answer_people(self, query: Query) -> Answer | None:
        if not query.person_ids:
            return None
        view = self.view
        rendered = view.render_people(query.person_ids)
        matches = [Match("person", pid, view.people[pid].name, 1.0) for pid in query.person_ids]
        missing = self._details_missing(query, "person", query.person_ids[0])
        if query.where and not self.ranker.names_a_place(Hit("person", query.person_ids[0], 1.0)):
            missing = [*missing, "lieu"]  # 'X habite où ?': no place is recorded for X
        if query.intent == Intent.WHEN:
            missing = [*missing, "date"]  # 'X vient quand ?': no official has a date
        if _WHICH_TOWN.search(query.normalized) and not query.commune_ids:
            missing = [*missing, "commune"]  # 'X est élue de quelle ville ?': not recorded
        if _PAY.search(query.normalized):
            missing = [*missing, "rémunération"]  # 'combien gagne X ?': no pay is recorded
        ranked_office = _RANKED_OFFICE.search(query.normalized)
        if ranked_office and stem(ranked_office.group(1)) not in self.vocabulary.title_stems:
            missing = [*missing, "rang"]  # 'X, première vice-présidente ?': no rank recorded
        words = query.normalized.split()
        if {"qui", "who"} & set(words):  # 'qui était avant X': someone else, another time
            missing += [w for w in words if w in RELATION_WORDS]
        if missing:
            return self._not_recorded(query, missing, rendered, matches)
        if len(query.person_ids) == 1 and _OTHERS.search(query.normalized):
            axis_number = view.people[query.person_ids[0]].axis_number
            axis = next((a for a in view.axes.values() if a.number == axis_number), None)
            if axis is not None:
                return self._build(AnswerKind.ANSWER, query,
                                   view.render_axis_people_list(axis.id), matches, [])
        topic = self._topic_person(query)
        if topic and topic not in query.person_ids:
            rendered = rendered.extend(view.render_person_short(topic, prefix="Sur ce sujet : "))
        if (topic and len(query.person_ids) == 1 and YES_NO.search(query.normalized)
                and not self._in_own_axis(query.person_ids[0], query)):
            verdict = "Oui" if topic in query.person_ids else "Non"  # 'X s'occupe-t-il de Y ?'
            rendered = _with_verdict(verdict, rendered)
        return self._build(AnswerKind.ANSWER, query, rendered, matches, [])

    def _mandate_plan_asked(self, query: Query, words: set[str]) -> bool:
        """'Que va faire le territoire pendant ce mandat ?', 'la feuille de route du mandat',
        'quelle stratégie d'ici 2026 ?': the mandate named, and nothing but its plan asked."""
        return bool(words & MANDATE_NAMED and self.view.axes and query.intent in (
            None, Intent.HOW, Intent.DEFINE, Intent.PRIORITY) and Intent.AXIS not in query.intents
            and not query.commune_ids and not query.person_ids and query.axis_number is None
            and not words & (PERIOD_WORDS | SPAN_VERBS)  # 'le mandat couvre quelles années ?'
            and all(w in WHOLE_MANDATE_WORDS or w in PLAN_WORDS for w in query.topic)
            and not any(self.vocabulary.unknown_word(w) or self.vocabulary.expansions_of(w)
                        for w in query.content  # 'épluchures', 'poubelles' (→ déchets)
                        if w not in PLAN_WORDS and w not in WHOLE_MANDATE_WORDS))

    def _answer_lists(self, query: Query) -> Answer | None:
        """Questions whose answer is a list: the axes, an axis's officials or priorities,
        all officials, the calendar at a glance."""
        view = self.view
        words = set(query.normalized.split())
        if (Intent.PRIORITY in query.intents and Intent.AXIS not in query.intents
                and query.intent not in (Intent.WHO, Intent.WHEN) and not query.commune_ids
                and query.axis_number is None and view.axes and not words & PERIOD_WORDS
                and all(w in WHOLE_MANDATE_WORDS or w.isdigit() for w in query.topic)
                and all(w in WHOLE_MANDATE_WORDS for w in query.synonym_topics)
                ) or self._mandate_plan_asked(query, words):
            return self._listed(query, view.render_mandate(MAX_ANSWER_CHARS),
                                [("axis", a) for a in view.axes])  # 'nos grands objectifs ?'
        if (Intent.AXIS in query.intents and query.superlative and query.axis_number is None
                and {self.vocabulary.unelided(w) for w in words} & OFFICIAL_WORDS):
            # 'quel axe compte le plus d'élus ?' (or 'delus', its apostrophe not typed)
            ranked_axes = view.render_axis_by_officials(query.superlative)
            if ranked_axes is not None:
                return self._listed(query, ranked_axes, [("axis", a) for a in view.axes])
        titled = self._axis_by_title(query)
        if Intent.AXIS in query.intents or titled is not None:
            if "axes" in words and query.intent != Intent.WHO and query.axis_number is None:
                return self._listed(query, view.render_axes(), [("axis", a) for a in view.axes])
            axis = self._axis_asked(query) or titled
            placed = self._placed_elsewhere(query, axis, said=query.axis_number is not None
                                            or titled is not None
                                            or axis in query.axes_said
                                            ) if axis is not None else None
            if placed is not None:
                return placed
            if axis is not None and query.intent == Intent.WHO:
                return self._listed(query, view.render_axis_people_list(axis), [("axis", axis)])
            if axis is not None and Intent.PRIORITY in query.intents:
                return self._listed(query, view.render_axis_priorities(axis, MAX_ANSWER_CHARS),
                                    [("axis", axis)])
            if axis is not None and query.intent in (Intent.DEFINE, Intent.AXIS, None) and (
                    Intent.AXIS in query.intents or query.intent == Intent.DEFINE):
                # 'l'axe économie, c'est quoi ?', 'que met-on derrière « <its title> » ?'
                return self._listed(query, view.render_axis(axis), [("axis", axis)])
        if query.where:
            return None
        if query.counted in COUNTED_ROLES:  # 'combien de VP': the executive, counted
            return self._listed(query, view.render_officials(),
                               [("person", p) for p in view.people])
        plural = bool(words & PLURAL_ROLES or _PLURAL_VP.search(query.normalized))
        if query.intent == Intent.WHO and (query.listing or plural) and not (
                query.unknown_subject) and (  # 'quels VP pour la vidéoprotection ?': none
                not query.topic or not self._sure_enough(query, self.ranker.ranked(query),
                                                         weak_lead=False)):
            return self._listed(query, view.render_officials(),
                               [("person", p) for p in view.people])
        span = (view.render_calendar_span() if words & (PERIOD_WORDS | SPAN_VERBS)
                and words & CALENDAR_NOUNS and not self._projects_said(query)
                else None)  # not 'les prochaines années', nor 'le plan vélo démarre quand au
        # calendrier ?' (its own dates answer)
        if span is not None:  # 'le calendrier couvre quelle période ?'
            return self._listed(query, span, [("project", p) for p in range(len(view.projects))])
        # 'le mandat se termine quand ?': the period the base covers
        mandate_end = query.intent == Intent.WHEN and bool(query.topic) and all(
            w in WHOLE_MANDATE_WORDS or w in SPAN_VERBS for w in query.topic)
        period = self._period_entry() if words & PERIOD_WORDS or mandate_end else None
        if period is not None and (mandate_end or all(
                self.index.holds("fact", period, w) for w in query.topic)):
            return self._listed(query, view.render_fact(period), [("fact", period)])  # period
        if _ORDER_ASKED.search(query.normalized) and len(
                named := self._projects_said(query)) > 1:  # 'le plan vélo ou le PCAET,
            return self._listed(query, view.render_project_order(named[:4]),  # lequel
                                [("project", p) for p in named[:4]])  # vient en premier ?'
        if query.intent == Intent.WHEN and query.listing and query.topic:
            named = self._projects_named(query)
            if len(named) > 1:  # "quels rendez-vous pour les déchets ?": each such project
                return self._listed(query, view.render_projects(named[:4]),
                                    [("project", p) for p in named[:4]])
        if (query.month_asked and not query.commune_ids and query.intent in (
                Intent.WHEN, Intent.HOW, None) and set(query.content) <= HAPPEN_WORDS):
            dates = view.render_calendar_in(*query.month_asked)  # 'que se passe-t-il en
            if not dates.body:  # mars 2022 ?': that month's dates
                return self._unknown(query, dates.headline)
            return self._listed(query, dates, [
                ("project", i) for i, project in enumerate(view.projects)
                if any(m.id in dates.milestone_ids for m in project.milestones)])
        if query.intent == Intent.WHEN and not query.topic and not query.commune_ids and (
                query.listing or words & CALENDAR_WORDS):
            return self._listed(query, view.render_calendar(self.now()),
                               [("project", p) for p in range(len(view.projects))])
        return None

    def _period_entry(self) -> int | None:
        """The glossary entry that names the period the base covers ('… 2021-2026')."""
        for fact in self.view.facts.values():
            if _PERIOD.search(fold(fact.title)):
                return fact.id
        return None

    def _projects_named(self, query: Query) -> list[int]:
        """Calendar projects whose name has one of the question's topic words."""
        found = {i for w in query.topic for i in self.vocabulary.projects_by_stem.get(stem(w), ())}
        return sorted(found)

    def _placed_elsewhere(self, query: Query, axis_id: int, said: bool = True
                          ) -> Answer | None:
        """'Les piscines, c'est dans l'axe 3 ?': the topic said beside the axis belongs to
        another axis; where it belongs is the answer (and, if the asker `said` the axis,
        what it is called)."""
        if query.intent != Intent.AXIS or query.intents - {Intent.AXIS, Intent.DEFINE}:
            return None
        asked = _WHICH_NOUN.search(query.normalized)
        if asked and asked.group(1) not in ("axe", "axes"):  # 'l'axe X : quels chantiers ?'
            return None  # what the axis holds is asked, no topic to place
        axis = self.view.axes[axis_id]
        spoken = " ".join(m.group() for m in AXIS_NAMED.finditer(query.normalized))
        named = {stem(w) for w in normalize(
            f"axe {axis.number} {spoken} {axis.title} {axis.short_title}").split()}
        named |= {stem(w) for w in KIND_WORDS}  # 'l'axe prioritaire n°1': no topic
        positions = [p for p in query.positions
                     if not any(stem(c) in named for c in p.candidates)]
        topic = [w for w in query.topic if stem(w) not in named]
        if not topic or not positions:
            return None
        rest = replace(query, positions=positions, topic=topic, axis_number=None)
        ranked = [h for h in self.ranker.ranked(rest) if h.kind != "axis"]
        if not ranked or ranked[0].score < ANSWER_THRESHOLD:
            return None
        answer = self._answer_axis(rest, ranked)
        if answer.kind is not AnswerKind.ANSWER or not answer.matches:
            return None
        found = answer.matches[0]
        where = self.view.axis_of(found.kind, found.entry_id)
        if where is None or (where == axis.number and said):
            return None  # the axis said is the topic's: its card answers
        rendered = self.view.render_axis_of(found.kind, found.entry_id, where)
        if said:
            rendered = rendered.extend(Rendered(
                f"L'axe {axis.number}, lui, s'intitule : {axis.title}.", [], []))
        return self._build(AnswerKind.ANSWER, query, rendered, answer.matches, [])

    def _axis_by_title(self, query: Query) -> int | None:
        """The axis whose whole short title the question says ('quels élus pour l'économie
        productive et l'emploi ?'), without the word 'axe'."""
        said = {stem(w) for w in query.content}
        named = [a.id for a in self.view.axes.values() if (title := {
            stem(w) for w in normalize(a.short_title).split() if len(w) > 2
            and w not in STOP_WORDS}) and len(title) > 1 and title <= said]
        return named[0] if len(named) == 1 else None

    def _axis_asked(self, query: Query) -> int | None:
        """The axis a question names, by number or by its words (None: no single one)."""
        view = self.view
        if query.axis_number is not None:
            axis = view.axes_by_number.get(query.axis_number)
            return axis.id if axis else None
        if len(query.axes_said) == 1:  # 'l'axe solidarités': named by a word of its title
            return query.axes_said[0]
        if not query.topic:
            return None
        topic = replace(query, intent=Intent.AXIS)
        ranked = [h for h in self.ranker.ranked(topic) if h.kind == "axis"]
        best = next(iter(self.ranker.ranked(query)), None)  # 'l'ESS : quel axe, quelle élue ?'
        if best is not None and best.kind != "axis" and best.score >= CONFIDENT and (
                not ranked or best.score >= LEAD_MARGIN * ranked[0].score) and not (
                query.axes_said):
            number = self.view.axis_of(best.kind, best.entry_id)
            if number in self.view.axes_by_number:  # the axis of what is clearly asked about
                return self.view.axes_by_number[number].id
        if ranked and ranked[0].score >= AXIS_TOPIC_THRESHOLD:
            return ranked[0].entry_id
        return None

    def _listed(self, query: Query, rendered: Rendered,
                entries: list[tuple[str, int]]) -> Answer | None:
        """A list answer; its matches are the entries listed (the first five). None for a
        list the base does not hold (« 0 axes »): another way answers, or a document."""
        if not entries:
            return None
        matches = [Match(kind, entry_id, self.view.title(kind, entry_id), 1.0)
                   for kind, entry_id in entries[:5]]
        return self._build(AnswerKind.ANSWER, query, rendered, matches, [])

    def _answer_two_asks(self, query: Query, cut: bool = True) -> Answer | None:
        """'Qui suit le logement et qui l'urbanisme ?': both asks answered, each short.
        The second ask takes what it lacks from the first ('…, et c'est prévu quand ?')."""
        if not cut or query.followed is not None or "issue" in query.details:
            return None  # 'X a-t-il été adopté, et quand ?': both ask what came after
        three_tried = apart_tried = False
        for first_text, second_text, same in two_asks(query.text, query.intent == Intent.WHO):
            first = self.vocabulary.parse(first_text)
            second = self.vocabulary.parse(second_text, first)
            if same:  # both halves ask 'qui'
                first = replace(first, intent=Intent.WHO)
                second = replace(second, intent=Intent.WHO)
            if (second.intent is None and first.intent is not None and second.followed is None
                    and not second.where):  # 'où …' asks a place, whatever the first asked
                second = replace(second, intent=first.intent, intents=first.intents)
            own = second  # the second ask alone, without the first's subject
            if second.followed is None:  # both asks are about one subject: the first's
                second = replace(second, positions=[*second.positions, *(
                    replace(p, weight=p.weight * CONTEXT_WEIGHT) for p in first.positions
                    if any(self.vocabulary.is_topic(c) for c in p.candidates))])
            if not (first.topic or first.person_ids) or not (
                    second.content or second.followed or second.details  # '…, et son mail ?'
                    or self._asks_unheld(second)):  # '…, et qui s'occupe de la police ?'
                continue
            answers = [self._respond(first, cut=False), self._respond(second, cut=False)]
            if not same and not three_tried and answers[0].kind is AnswerKind.ANSWER:
                three_tried = True  # once: a question of many '?' stays a few answers' work
                if (three := self._three_asks(query, answers[0], second)) is not None:
                    return three
            half = None if same else self._half_known(query, answers, [first, second])
            if half is not None:
                return half
            # two explicit asks need two answers; two topics of one 'qui' need sure ones
            both = _EACH_OF_TWO.search(query.normalized)  # 'un seul élu pour ces deux sujets ?'
            if any(a.kind is not AnswerKind.ANSWER or (same and a.score < CONFIDENT and not both)
                   for a in answers):
                continue
            keys = [(a.matches[0].kind, a.matches[0].entry_id) for a in answers]
            if keys[0] == keys[1] and not apart_tried:
                apart_tried = True  # once, too
                answers = self._asked_apart(first, own, second, answers)
                keys = [(a.matches[0].kind, a.matches[0].entry_id) for a in answers]
            if keys[0] == keys[1] or (same and any(k[0] != "person" for k in keys)):
                continue
            told = combine(query.text, query.normalized, answers)
            if same and _SAME_ONE.search(query.normalized):  # 'relèvent-ils du même ?'
                told = fit(replace(told, headline="Non, deux élus différents :",
                                   body=[told.headline, *told.body]))
            return told
        return None

    def _asked_apart(self, first: Query, own: Query, second: Query,
                     answers: list[Answer]) -> list[Answer]:
        """Both halves answered by one entry: the second ask without the first's subject
        (`own`), then the first ask's sentence without the sentences of context before it,
        may each name their own entry ('Une PME s'agrandit. L'élu des activités
        productives, ainsi que celle qui suit l'insertion ?')."""
        answers = list(answers)
        if own is not second:
            alone = self._respond(own, cut=False)
            if alone.kind is AnswerKind.ANSWER:
                answers[1] = alone
        kinds = [(a.matches[0].kind, a.matches[0].entry_id) for a in answers]
        if kinds[0] == kinds[1] and first.ask and _SENTENCE_END.search(first.text):
            asked = self.vocabulary.parse(first.ask)
            alone = self._respond(asked, cut=False) if asked.topic else None
            if alone is not None and alone.kind is AnswerKind.ANSWER:
                answers[0] = alone
        return answers

    def _three_asks(self, query: Query, told: Answer, rest: Query) -> Answer | None:
        """'Qui suit le logement ; combien de NPRU ; quand le PCAET ?': the rest holds two
        asks too (its first cut only); all three answered, or one named as not held."""
        for middle_text, last_text, _ in two_asks(rest.text)[:1]:
            middle = self.vocabulary.parse(middle_text)
            last = self.vocabulary.parse(last_text, middle)
            if not all(half.content or half.followed for half in (middle, last)):
                continue
            answers = [told, self._respond(middle, cut=False), self._respond(last, cut=False)]
            known = [a for a in answers if a.kind is AnswerKind.ANSWER]
            if len({(a.matches[0].kind, a.matches[0].entry_id) for a in known}) < len(known):
                continue
            if len(known) == 3:
                return combine(query.text, query.normalized, answers)
            unknown = [i for i, a in enumerate(answers) if a.kind is not AnswerKind.ANSWER]
            if len(known) == 2 and unknown[0] > 0 and all(a.score >= CONFIDENT for a in known):
                both = combine(query.text, query.normalized, known)  # '… ; quand le PLH ; …'
                return self._half_known(query, [both, answers[unknown[0]]],
                                        [rest, [middle, last][unknown[0] - 1]])
        return None

    def _half_known(self, query: Query, answers: list[Answer],
                    halves: list[Query]) -> Answer | None:
        """Two asks, one answered surely and the other not held by the base: the known half
        is told, then a line saying plainly which half the seminar does not record."""
        known = [a for a in answers if a.kind is AnswerKind.ANSWER and a.score >= CONFIDENT]
        unknown = [(a, h) for a, h in zip(answers, halves, strict=True)
                   if a.kind is AnswerKind.UNKNOWN and not a.small_talk]
        if len(known) != 1 or len(unknown) != 1 or not all(
                _ASKING.search(h.normalized) for h in halves):  # 'J'ai lu que …' asks nothing
            return None
        answer, (_, half) = known[0], unknown[0]
        asked = _LEADING_AND.sub("", " ".join(half.text.strip(" ?!.,;:").split()))
        note = f"En revanche, « {asked} » : le séminaire ne le précise pas."
        told = replace(answer, question=query.text, normalized=query.normalized,
                       body=[*answer.body, note])
        return fit(told)

    def _asks_unheld(self, query: Query) -> bool:
        """It asks about words the base lacks: a half only `_half_known` can tell."""
        return any(self.vocabulary.unknown_word(w) for w in query.content)

    def _counted_by_commune(self, query: Query) -> bool:
        """Whether the communes' own figures are of the topic asked ('les bénéficiaires des
        clauses par commune': they are)."""
        said = {stem(w) for w in query.topic}
        return any(said & {stem(w) for w in normalize(figure["label"]).split()}
                   for commune in self.view.communes.values() for figure in commune.figures)

    def _not_recorded(self, query: Query, missing: list[str], known: Rendered,
                      matches: list[Match], headline: str = "") -> Answer:
        """A detail the base does not hold about an entry it does: say so, then what it knows."""
        missing = [_as_typed(query, word) for word in missing]  # 'âge' as typed, not 'age'
        headline = headline or (f"Je n'ai pas trouvé cette information ({', '.join(missing)}) "
                                ": le séminaire ne la donne pas. Ce que je sais :")
        rendered = Rendered(headline, [known.headline, *known.body], known.sources)
        return self._build(AnswerKind.UNKNOWN, query, rendered, matches, [])

    def _in_own_axis(self, person_id: int, query: Query) -> bool:
        """Whether the topic asked is the title of the official's own axis ('le président
        s'occupe-t-il de la transition écologique ?': his axis is named so): no « Non »."""
        person = self.view.people[person_id]
        axis = self.view.axes_by_number.get(person.axis_number)
        name = normalize(person.name).split()
        if person_id in self.vocabulary.president_ids:
            name += PRESIDENT_TITLES  # named by his office
        said = {stem(w) for w in query.topic if self.vocabulary.is_topic(w) and w not in name}
        return axis is not None and bool(said) and said <= {
            stem(w) for w in normalize(f"{axis.title} {axis.short_title}").split()}

    def _topic_person(self, query: Query) -> int | None:
        """For 'X gère-t-il le logement ?': who does hold the topic asked about."""
        names = {part for pid in query.person_ids
                 for part in normalize(self.view.people[pid].name).split()}
        if set(query.person_ids) & set(self.vocabulary.president_ids):
            names |= PRESIDENT_TITLES  # 'est-ce le président qui …': named by his office
        positions = [p for p in query.positions if not (set(p.candidates) & names)
                     and not any(fuzz.ratio(c, n) >= PERSON_FUZZY
                                 for c in p.candidates for n in names)
                     and any(self.vocabulary.is_topic(c) for c in p.candidates)
                     and not set(p.candidates) <= OFFICIAL_WORDS]  # 'la délégation logement'
        if not positions:
            return None
        held = self._person_ranked_first(query, positions)
        if held is None and len(positions) > 1:  # 'en conseil on raconte que X aurait le
            singles = [self._person_ranked_first(query, [p]) for p in positions]  # PLUi'
            held = max((hit for hit in singles if hit), key=lambda h: h.score, default=None)
        return held.entry_id if held else None

    def _person_ranked_first(self, query: Query, positions: list[Position]) -> Hit | None:
        """The official these words rank first, if sure enough."""
        topic = replace(query, positions=positions, person_ids=[], intents={Intent.WHO},
                        intent=Intent.WHO)
        ranked = self.ranker.ranked(topic)
        if not ranked or ranked[0].kind != "person" or ranked[0].score < CONFIDENT:
            return None
        tied = len(ranked) > 1 and ranked[1].kind == "person" and (
            ranked[1].score >= ranked[0].score)  # three officials via one priority: none
        return None if tied else ranked[0]

    def _answer_axis(self, query: Query, ranked: list) -> Answer:
        view = self.view
        if query.axis_number is not None:
            axis = view.axes_by_number.get(query.axis_number)
            if axis is None:
                return self._unknown(query, f"Je n'ai pas trouvé d'axe {query.axis_number} : "
                                            f"le mandat en compte {len(view.axes)}.")
            placed = self._placed_elsewhere(query, axis.id)
            if placed is not None:
                return placed
            rendered = view.render_axis(axis.id)
            return self._build(AnswerKind.ANSWER, query, rendered,
                               [Match("axis", axis.id, axis.title, 1.0)], [])
        ranked = [h for h in ranked if h.kind in {"axis", "priority", "person"}
                  or view.axis_of(h.kind, h.entry_id) is not None]
        if not ranked or ranked[0].score < AXIS_TOPIC_THRESHOLD:
            return self._unknown(query, ranked=ranked)
        # of entries matching about as well, the first that belongs to an axis ('les déchets':
        # a priority of the inhabitants' has none, its twin of axis 1 does)
        close = [h for h in ranked if h.score >= ranked[0].score * SIBLING_SHARE]
        placed = [h for h in close if view.axis_of(h.kind, h.entry_id) is not None]
        if not placed:
            return self._unknown(query, ranked=ranked)
        ranked = [placed[0], *[h for h in ranked if h is not placed[0]]]
        kind, entry_id = ranked[0].kind, ranked[0].entry_id
        matches = self._matches(ranked, 1)
        if kind == "axis":
            return self._build(AnswerKind.ANSWER, query, view.render_axis(entry_id), matches, [])
        axis_number = view.axis_of(kind, entry_id)
        rendered = view.render_axis_of(kind, entry_id, axis_number)
        return self._build(AnswerKind.ANSWER, query, rendered, matches, [])

    # ------------------------------------------------------------------ outcomes
    def _alternatives(self, ranked: list[Hit], exclude: Hit | None = None) -> list[Suggestion]:
        alternatives: list[Suggestion] = []
        floor = max(ANSWER_THRESHOLD * ALTERNATIVE_SHARE,
                    RELATED_SHARE * max((hit.score for hit in ranked), default=0.0))
        for hit in ranked:
            if hit.score < floor:
                break
            if exclude and hit.key == exclude.key:
                continue
            label = self.view.title(hit.kind, hit.entry_id)
            if label and all(alt.label != label for alt in alternatives):
                alternatives.append(Suggestion(
                    label=label, query=self.view.query_for(hit.kind, hit.entry_id),
                    kind=hit.kind, entry_id=hit.entry_id))
            if len(alternatives) == 3:
                break
        return alternatives

    def _unknown(self, query: Query, headline: str | None = None,
                 ranked: list[Hit] | None = None) -> Answer:
        ranked = ranked or []
        alternatives = self._alternatives(ranked)
        examples = [  # questions the seminar's entries answer, if the base holds them
            "Essayez par exemple : « qui s'occupe du logement ? », « PCAET calendrier », "
            "« bénéficiaires ligne 14 à Vitry »."] if self.view.people else []
        body = ["Vouliez-vous dire :"] if alternatives else examples
        rendered = Rendered(
            headline or "Je n'ai pas trouvé cette information dans la base du mandat.", body, [])
        return self._build(AnswerKind.UNKNOWN, query, rendered, self._matches(ranked, 3),
                           alternatives)

    def _build(self, kind: AnswerKind, query: Query, rendered: Rendered, matches: list[Match],
               alternatives: list[Suggestion]) -> Answer:
        answer = Answer(
            kind=kind, question=query.text, headline=rendered.headline, body=rendered.body,
            sources=rendered.sources, matches=matches, alternatives=alternatives,
            milestone_ids=rendered.milestone_ids, normalized=query.normalized,
            more=rendered.more,
        )
        return fit(answer)


