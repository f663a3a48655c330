"""Dates a document announces (a meeting, a deadline, a vote), found in its passages, to be
offered to the admins as milestones.

Pure text work, no database. A date is proposed when its sentence names an event (« conseil »,
« réunion », « sera voté », « avant le »…); its title is the event's words around the date
(« Conseil de territoire », « Vote du budget primitif », « Date limite : candidatures »),
never the whole sentence; its time and place are those written with it. Dates are read with
the month names and the time format admins type in /ajouter (knowledge.admin_store.dates):
« 12 mars 2027 », « jeudi 4 février 2027 à 9h30 », « le 03/04/2027 à 18 h », « 1er juin »,
« du 3 au 5 mars 2027 » (its first day). A date written without its year takes the year the
document's dates mostly have; in a document that gives none, it is skipped. Dates of texts
cited (« loi du 7 août 2015 ») are not events.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from knowledge.admin_store.dates import MONTHS, parse_time
from knowledge.admin_store.specs import AdminError
from knowledge.documents import sentences
from knowledge.models import YEARS

Day = tuple[int, int, int]  # year, month, day
Time = tuple[int, int]  # hour, minute, local time
TITLE_WORDS = 8  # an event's words kept for its title
TITLE_CHARS = 120
PLACE_CHARS = 120


@dataclass(frozen=True)
class Proposal:
    """A date found in a document, as a milestone to propose."""

    title: str
    day: Day
    at: Time | None  # None: the day only
    place: str  # "" when none is written
    page: int
    sentence: str  # where it was found
    event: str  # the event's head word, folded: two mentions of one event collapse

    def is_past(self, now: datetime) -> bool:
        """Over already (`now`: aware, in local time); a day without a time is not over
        before it ends."""
        if self.at is None:
            return date(*self.day) < now.date()
        return datetime(*self.day, *self.at, tzinfo=now.tzinfo) < now


def find_dates(passages: Iterable[tuple[int, str]]) -> list[Proposal]:
    """Every event date of a document's passages ((page, text), in reading order): one per
    event, sorted by date. The order depends on the text only, so an index into this list
    names one proposal for as long as the document is unchanged."""
    texts = [(page, text) for page, text in passages if _MAYBE_DATE.search(text)]
    year = _context_year(text for _, text in texts)
    found = [proposal for page, text in texts for sentence in _sentences(text)
             for proposal in _in_sentence(sentence, page, year)]
    return sorted(_collapsed(found), key=lambda p: (p.day, p.at or (9, 0), p.page))


def upcoming(proposals: list[Proposal], now: datetime) -> tuple[list[int], int]:
    """The indexes of the proposals still to come, and how many are past."""
    kept = [index for index, proposal in enumerate(proposals) if not proposal.is_past(now)]
    return kept, len(proposals) - len(kept)


# ---------------------------------------------------------------------------- reading dates


def _plain_table() -> dict[int, str]:
    """Latin letters to their lowercase without accent, one character for one."""
    table = {}
    for code in range(0x250):
        char = chr(code)
        lower = char.lower() if len(char.lower()) == 1 else char
        base = unicodedata.normalize("NFD", lower)[0]
        if base != char:
            table[code] = base
    return table | {ord(quote): "'" for quote in "’‘`´"}


_PLAIN = _plain_table()


def plain(text: str) -> str:
    """Lowercase, without accents, plain apostrophes, character for character: a match's
    positions in it are the original text's."""
    return text.translate(_PLAIN)


_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_DATE = re.compile(
    rf"\bdu\s+(?:{_WEEKDAY}\s+)?(?P<rd>{_DAY})(?:er)?(?:\s+(?P<rm>{_MONTH})\b\.?)?"
    rf"(?:\s+(?P<ry>\d{{4}}))?\s+au\s+(?:{_WEEKDAY}\s+)?(?P<rd2>{_DAY})(?:er)?\s+"
    rf"(?P<rm2>{_MONTH})\b\.?(?:\s+(?P<ry2>\d{{4}})\b)?"
    rf"|(?:\b{_WEEKDAY}\s+)?\b(?P<wd>{_DAY})(?:er)?\s+(?P<wm>{_MONTH})\b\.?"
    rf"(?:\s+(?P<wy>\d{{4}})\b)?"
    rf"|\b(?P<nd>{_DAY})[/.](?P<nm>1[0-2]|0?[1-9])[/.](?P<ny>\d{{4}}|\d{{2}})\b"
    r"|\b(?P<iy>\d{4})-(?P<im>1[0-2]|0[1-9])-(?P<id>3[01]|[12]\d|0[1-9])\b")
# A cheap first look, on the text as written: passages without anything like a date are
# not read further (most of a long report).
_MAYBE_DATE = re.compile(r"\d\s*(?:er\s+)?(?:janv|f[ée]v|mars|avr|mai|juin|juil|ao[uû]t|sept?|"
                         r"oct|nov|d[ée]c)|\d[/.]\d{1,2}[/.]\d\d|\d{4}-\d\d-\d\d",
                         re.IGNORECASE)
_TIME = re.compile(r"\s*,?\s*(?:(?:a|des|de|vers|entre|a partir de)\s+)?"
                   r"(?P<h>2[0-3]|[01]?\d)\s*(?:heures?|h|:)\s*(?P<m>[0-5]\d)?\b")
_CITED = re.compile(r"\b(?:loi|decret|arrete|ordonnance|circulaire|directive|reglement|"
                    r"deliberation|jugement|arret)s?(?:\s+n\s*°?\s*[\w./-]+)?\s+du\s+$")
_DEADLINE = re.compile(r"\b(?:avant(?:\s+le)?|au plus tard(?:\s+le)?|jusqu'(?:au|a)|"
                       r"d'ici(?:\s+(?:le|au))?)\s*$")


def _context_year(texts: Iterable[str]) -> int | None:
    """The year a document's dates mostly have (for « le 12 mars », written without it)."""
    years: Counter[int] = Counter()
    for text in texts:
        for match in _DATE.finditer(plain(text)):
            written = match["ry2"] or match["wy"] or match["ny"] or match["iy"]
            if written:
                years[_year(written)] += 1
    return years.most_common(1)[0][0] if years else None


def _year(written: str) -> int:
    return int(written) + 2000 if len(written) == 2 else int(written)


def _day_of(match: re.Match[str], year: int | None) -> Day | None:
    """The date a match stands for (a range: its first day), None if it is not one."""
    if match["rd"]:
        written = match["ry"] or match["ry2"]
        parts = (written, match["rm"] or match["rm2"], match["rd"])
    elif match["wd"]:
        parts = (match["wy"], match["wm"], match["wd"])
    elif match["nd"]:
        parts = (match["ny"], match["nm"], match["nd"])
    else:
        parts = (match["iy"], match["im"], match["id"])
    written, month, day = parts
    number = _year(written) if written else year
    month_number = int(month) if month.isdigit() else MONTHS[month]
    if number is None or number not in YEARS:
        return None
    try:
        date(number, month_number, int(day))
    except ValueError:
        return None
    return number, month_number, int(day)


def _time_after(folded: str, end: int) -> Time | None:
    found = _TIME.match(folded, end)
    if found is None:
        return None
    try:
        return parse_time(f"{found['h']}h{found['m'] or ''}")
    except AdminError:
        return None


# ---------------------------------------------------------------------------- events

_EVENT_NOUNS = (
    "conseil", "seance", "reunion", "commission", "comite", "bureau", "assemblee", "copil",
    "atelier", "seminaire", "forum", "conference", "rencontre", "visite", "inauguration",
    "ceremonie", "concertation", "consultation", "enquete publique", "audition", "debat",
    "permanence", "lancement", "vote", "election", "scrutin", "signature", "approbation",
    "adoption", "examen", "presentation", "restitution", "journee", "salon", "festival",
    "webinaire", "jury", "colloque", "assises", "congres", "date limite", "echeance",
    "cloture", "ouverture des plis", "depot", "remise", "balade", "fete")
_NOUN = re.compile(rf"\b(?:{'|'.join(_EVENT_NOUNS)})s?\b")
_ACTIONS = {"vot": "Vote", "adopt": "Adoption", "approuv": "Approbation", "examin": "Examen",
            "present": "Présentation", "sign": "Signature", "inaugur": "Inauguration",
            "lanc": "Lancement", "depos": "Dépôt", "install": "Installation", "arret": "Arrêt"}
_DONE = re.compile(r"\b(?P<aux>sera|seront|est|sont|a ete|ont ete|(?:doit|doivent|devra|"
                   r"devront) etre)\s+(?:\w+\s+)?"
                   rf"(?P<stem>{'|'.join(_ACTIONS)})(?:e|ee|es|ees)\b")
_MEETS = re.compile(r"\b(?:se reuni\w*|se tiendr\w*|aur\w* lieu|se deroul\w*)")

_TOKEN = re.compile(r"[^\W\d_]+['’]|[^\W\d_]+(?:-[^\W\d_]+)*|\d+|\S")
_LINKS = {"de", "du", "des", "d'", "la", "le", "les", "l'", "sur", "au", "aux"}
_STOPS = {
    "se", "s'", "sera", "seront", "est", "sont", "a", "ont", "aura", "auront", "doit",
    "doivent", "devra", "devront", "etait", "qui", "que", "qu'", "dont", "ou", "en", "avant",
    "apres", "dans", "lors", "pendant", "depuis", "jusqu'", "par", "avec", "afin", "pour",
    "vers", "et", "puis", "prochain", "prochaine", "prevu", "prevue", "prevus", "prevues",
    "fixe", "fixee", "organise", "organisee", "programme", "programmee", "convoque",
    "convoquee", "ouvert", "ouverte", "lieu", "ce", "cette", "il", "elle", "ils", "elles",
    "on", "nous", "vous", "y", "ne", "n'", "pas", *MONTHS,
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}


@dataclass(frozen=True)
class _Token:
    text: str
    plain: str
    start: int


def _tokens(sentence: str) -> list[_Token]:
    return [_Token(m.group(), plain(m.group()), m.start()) for m in _TOKEN.finditer(sentence)]


_VERB_ENDINGS = ("era", "eront", "ira", "iront", "ait", "aient")  # votera, réunira, était


def _is_word(token: _Token) -> bool:
    return token.plain[:1].isalpha() and token.plain not in _STOPS \
        and token.plain not in _LINKS and not token.plain.endswith(_VERB_ENDINGS)


def _phrase(tokens: list[_Token], start: int) -> list[_Token]:
    """The words of a noun phrase from `start`: words, and the little words between them
    (« de », « du », « la »…), up to a verb, a date, a punctuation mark."""
    taken: list[_Token] = []
    waiting: list[_Token] = []
    for token in tokens[start:]:
        if len(taken) + len(waiting) >= TITLE_WORDS:
            break
        if token.plain in _LINKS:
            waiting.append(token)
        elif _is_word(token):
            taken += [*waiting, token]
            waiting = []
        else:
            break
    return taken


def _joined(tokens: list[_Token]) -> str:
    text = ""
    for token in tokens:
        text += token.text if not text or text.endswith(("'", "’")) else " " + token.text
    return text


def _capital(text: str) -> str:
    """A capital first letter; a phrase written in capitals written as a sentence."""
    if text.isupper() and len(text.split()) > 1:
        text = text.lower()
    return text[:1].upper() + text[1:]


def _lower_start(text: str) -> str:
    """« Vote du budget » → « vote du budget », but « PCAET » stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _index_at(tokens: list[_Token], position: int) -> int:
    return next((i for i, token in enumerate(tokens) if token.start >= position), len(tokens))


def _subject(tokens: list[_Token], before: int) -> list[_Token]:
    """The phrase a sentence starts with (after its last comma before `before`)."""
    commas = [i for i, token in enumerate(tokens[:before]) if token.text == ","]
    return _phrase(tokens, commas[-1] + 1 if commas else 0)


def _of(head: str, subject: list[_Token]) -> str:
    """« Vote » + « Le budget » → « Vote du budget »; without an article: « Vote : budget »."""
    first = subject[0].plain if subject else ""
    rest = _joined(subject[1:])
    linked = {"le": f"du {rest}", "la": f"de la {rest}", "les": f"des {rest}",
              "l'": f"de l'{rest}"}.get(first)
    return f"{head} {linked}" if linked else f"{head} : {_joined(subject)}"


def _title(sentence: str, folded: str, span: tuple[int, int], deadline: bool
           ) -> tuple[str, str] | None:
    """(title, event head word) of the event dated at `span`, None if the sentence names no
    event. A deadline (« avant le ») takes its event from the words before its date."""
    tokens = _tokens(sentence)
    done = _DONE.search(folded)
    if done is not None:
        subject = _subject(tokens, _index_at(tokens, done.start()))
        if subject:
            head = _ACTIONS[done["stem"]]
            return _of(head, subject), plain(head)
    named = _event_named(tokens, folded, span, deadline)
    if named is not None:
        words, noun = named
        return _capital(_joined(words)), noun
    meets = _MEETS.search(folded)
    if meets is not None:
        subject = [t for t in _subject(tokens, _index_at(tokens, meets.start()))
                   if t.plain not in ("le", "la", "les", "l'")]
        if subject:
            return _capital(_joined(subject)), subject[-1].plain
    if deadline:
        subject = _phrase(tokens, 0)
        while subject and subject[0].plain in _LINKS:
            subject = subject[1:]
        return ("Date limite : " + _joined(subject) if subject else "Date limite"), "limite"
    return None


def _event_named(tokens: list[_Token], folded: str, span: tuple[int, int], deadline: bool
                 ) -> tuple[list[_Token], str] | None:
    """The event noun's phrase and its head word: the last one before the date that is not
    part of an earlier one's phrase (« date limite de dépôt », not « dépôt »); else, but for
    a deadline, the first one after it."""
    before = list(_NOUN.finditer(folded, 0, span[0]))
    after = [] if deadline else list(_NOUN.finditer(folded, span[1]))
    chosen: tuple[list[_Token], str] | None = None
    covered = -1
    for noun in before or after[:1]:
        if noun.start() < covered:
            continue
        words = _phrase(tokens, _index_at(tokens, noun.start()))
        if words:
            chosen = words, noun.group().split()[0].rstrip("s")
            last = words[-1]
            covered = last.start + len(last.text)
    return chosen


# ---------------------------------------------------------------------------- places

_PLACE_WORDS = (
    "salle", "mairie", "hotel de ville", "hotel du territoire", "maison", "siege", "gymnase",
    "centre", "espace", "auditorium", "mediatheque", "bibliotheque", "ecole", "college",
    "lycee", "theatre", "cinema", "parc", "prefecture", "conservatoire", "batiment",
    "locaux", "halle", "foyer", "visioconference", "stade", "piscine", "palais", "chateau",
    "musee", "hall", "square", "place")
_PLACE = re.compile(r"\b(?:en|a|au|aux|dans)\s+(?:la\s+|le\s+|les\s+|l')?"
                    rf"(?=(?:{'|'.join(_PLACE_WORDS)})s?\b)|\blieu\s*:\s*")
_TOWN = re.compile(r"\ba\s+(?=[^\W\d_])")


def _place(sentence: str, folded: str, after: int) -> str:
    """Where the event is, when the sentence says it (preferably after its date)."""
    tokens = _tokens(sentence)
    for region in (slice(after, None), slice(0, after)):
        for found in _PLACE.finditer(folded, region.start or 0, region.stop or len(folded)):
            words = _phrase(tokens, _index_at(tokens, found.end()))
            if words:
                return _capital(_joined(words))[:PLACE_CHARS]
        for found in _TOWN.finditer(folded, region.start or 0, region.stop or len(folded)):
            index = _index_at(tokens, found.end())
            if index < len(tokens) and tokens[index].text[:1].isupper() \
                    and tokens[index].plain not in _STOPS:
                return tokens[index].text[:PLACE_CHARS]
    return ""


# ---------------------------------------------------------------------------- sentences


_ABBREVIATED = re.compile(rf"\b(?:{_MONTH})\.$")


_ITEM = re.compile(r"\s+(?=[•▪◦●○■□➢►✓]\s)")  # list items run together on one line


def _sentences(text: str) -> list[str]:
    """A passage's sentences, each line (a list item, a table row) apart, not cut after a
    month's abbreviation (« le 9 sept. 2027 »)."""
    joined: list[str] = []
    pieces = [s for line in text.split("\n") for item in _ITEM.split(line)
              for s in sentences(item)]
    for sentence in pieces:
        if joined and _ABBREVIATED.search(plain(joined[-1])):
            joined[-1] += " " + sentence
        else:
            joined.append(sentence)
    return joined


def _in_sentence(sentence: str, page: int, year: int | None) -> list[Proposal]:
    folded = plain(sentence)
    found = []
    for match in _DATE.finditer(folded):
        if _CITED.search(folded[:match.start()]):
            continue
        day = _day_of(match, year)
        deadline = _DEADLINE.search(folded[:match.start()]) is not None
        titled = _title(sentence, folded, match.span(), deadline) if day else None
        if day is None or titled is None:
            continue
        title, event = titled
        if deadline and not plain(title).startswith(("date limite", "echeance", "cloture")):
            title = f"Date limite : {_lower_start(title)}"
        found.append(Proposal(
            title=title[:TITLE_CHARS], day=day, at=_time_after(folded, match.end()),
            place=_place(sentence, folded, match.end()), page=page,
            sentence=" ".join(sentence.split()), event=event))
    return found


def _collapsed(found: list[Proposal]) -> list[Proposal]:
    """One proposal per event: the same event on the same day is kept once per time it is
    given (a mention without a time adds nothing to one with), from its first page, with
    the place any mention gives."""
    events: dict[tuple[Day, str], list[Proposal]] = {}
    for proposal in found:
        events.setdefault((proposal.day, proposal.event), []).append(proposal)
    kept = []
    for mentions in events.values():
        place = next((p.place for p in mentions if p.place), "")
        times: dict[Time | None, Proposal] = {}
        for proposal in [p for p in mentions if p.at is not None] or mentions:
            times.setdefault(proposal.at, proposal)
        kept += [replace(p, place=p.place or place) for p in times.values()]
    return kept
