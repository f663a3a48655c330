"""Counting and comparing the rows of a table a page holds: « quelle ville a le plus de
bénéficiaires », « lesquelles en ont moins de 5 », « combien à Villejuif, en tout ».

A row is a label and its figure in brackets (« Arcueil [5] »), as slides and exported
tables print them. Rows follow the header above them (« Ligne 14 593 434 heures »): the
question's words choose the header, when the page holds several. A passage quoted would
show the rows; only counting them says which is the largest, or sums them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answers import Intent
from knowledge.query import Query
from knowledge.text import fold, french_number

MIN_ROWS = 4  # rows a page must hold to be read as a table
HEADER_WORDS = 3  # fewer words between two rows are a label wrapped, not a new header
HEADER_LINES = 3  # the lines above the rows that title them (« Clauses / Ligne 14 / … »)
HEADER_MAX_WORDS = 12
LABEL_LINKS = frozenset("sur sous le la les de du des en et st".split())
_FIGURE = re.compile(r"\[\s*(\d{1,3}(?:[  ]?\d{3})*|\d+)\s*\]")
_SPLIT_WORD = re.compile(r"\b(\w{3,}) ([b-df-hj-np-tv-xz]|e)\b(?= [A-ZÀ-Ý])")  # « Villeneuv e Le »


# a rank asked: first, second, third (« arrive en tête », « deuxième derrière X »)
_RANK = re.compile(r"\b(?:(en tete|premiere?|1ere?)|(deuxieme|seconde?|2e|2eme)"
                   r"|(troisieme|3e|3eme))\b")
_BEHIND = re.compile(r"\b(?:derriere|apres)\b")
_LINE_NAMED = re.compile(r"\bligne \d{1,2}\b", re.IGNORECASE)  # its number is no figure
_HEADER_FIGURE = re.compile(r"(\d{1,3}(?:[  ]\d{3})+|\d{2,})\s+([^\W\d_]+)")
_SAME = re.compile(r"\bmeme (?:chiffre|nombre|valeur|total|resultat) que\b")


@dataclass
class Row:
    label: str
    value: int
    header: str  # the lines above the rows it follows


def rows(text: str) -> list[Row]:
    """The rows of a page's text, each with the header it follows. A PDF runs a table's
    rows together on one line: a label is the capitalised words before its figure
    (« Ivry sur Seine »), what comes before them a header when it is long enough."""
    found: list[Row] = []
    header, start = "", 0
    for match in _FIGURE.finditer(text):
        before = text[start:match.start()].split("…")[-1]  # « Kremlin … »: a row cut short
        start = match.end()
        words = _SPLIT_WORD.sub(r"\1\2", " ".join(before.split())).split()
        cut = _label_start(words)
        label = " ".join(words[cut:]).strip(" :;,-")
        if cut >= HEADER_WORDS or (not found and cut):
            lines = [" ".join(line.split()) for line in before.split("\n") if line.strip()]
            above = " ".join(lines[-HEADER_LINES - 1:]).split()[:-(len(words) - cut) or None]
            header = " ".join(above[-HEADER_MAX_WORDS:])
        if label:
            found.append(Row(label, int(re.sub(r"\D", "", match.group(1))), header))
    return found if len(found) >= MIN_ROWS else []


def _label_start(words: list[str]) -> int:
    """Where the label ends a run of words: its capitalised words and the small words
    between them (« Ivry sur Seine », « L'Haÿ les Roses »)."""
    index = len(words)
    while index > 0 and (words[index - 1][:1].isupper() or (
            index < len(words) and fold(words[index - 1]) in LABEL_LINKS)):
        index -= 1
    while index < len(words) and fold(words[index]) in LABEL_LINKS:
        index += 1
    return index


def tally(query: Query, text: str, lookup: bool = True) -> list[str] | None:
    """The answer a table gives (its lines), None when the page holds no table or the
    question asks nothing a table answers (`lookup`: a row named may be told alone), and
    no line when the row named is in the table, but not under the header asked (« X sur
    la ligne 14 », X's figure cut off there)."""
    whole = rows(text)
    table = _chosen(whole, query)
    if not table:
        return None
    named = _named(table, query, best_only=True)
    every = _named(table, query, best_only=False)
    if len({fold(row.label).split()[0] for row in every}) > 1:
        named = every  # « Choisy fait-il mieux que Thiais ? »: two rows named, both told
    if lookup and not named and len(table) < len(whole) and _named(whole, query, True):
        return []
    ranked = _ranked(table, query, named)
    if ranked is not None:
        return ranked
    if query.total and not named:
        summed = _headers_summed(table)
        if summed is not None:
            return summed
    if query.superlative:
        among = _named(table, query, best_only=False)  # « X ou Y, lequel a le plus ? »
        among = among if len(among) > 1 else table
        best = (max if query.superlative == "max" else min)(row.value for row in among)
        top = [row for row in among if row.value == best]
        word = "le plus" if query.superlative == "max" else "le moins"
        others = [row for row in among if row not in top] if among is not table else []
        against = " ; face à : " + ", ".join(map(_row, others)) if others else ""
        return [f"{_header(top)} — {word} : " + ", ".join(map(_row, top)) + against]
    if query.comparator and not named:
        kept = [row for row in table if _compares(row.value, *query.comparator)]
        if not kept:
            return None
        return [f"{_header(kept)} — {len(kept)} sur {len(table)} : "
                + ", ".join(_row(row) for row in kept)]
    if not named or not lookup:
        return None
    lines = [f"{_row(row)} ({row.header})" for row in named]
    if len(named) > 1 and (query.total or len({row.label for row in named}) == 1):
        lines.append(f"Total : {french_number(sum(row.value for row in named))}")
    return lines


def asks_tally(query: Query) -> bool:
    """Whether a question asks what counting rows answers: the most, the least, those
    above or below a figure, a rank, or a figure (« combien », « sur la ligne 14 ») of
    something a row may name."""
    return bool(query.superlative or query.comparator or query.total or query.counted
                or query.lines or query.intent is Intent.FIGURE or _RANK.search(query.normalized)
                or _BEHIND.search(query.normalized) or _SAME.search(query.normalized))


def _headers_summed(table: list[Row]) -> list[str] | None:
    """« Les heures des deux lignes, au total ? »: the figures the headers give, summed
    (« Ligne 15 308 770 heures » and « Ligne 14 593 434 heures »)."""
    figures = []
    for header in dict.fromkeys(row.header for row in table):
        found = _HEADER_FIGURE.search(_LINE_NAMED.sub(" ", header))
        if found is None:
            return None
        figures.append((header, int(re.sub(r"\D", "", found.group(1))), found.group(2)))
    if len(figures) < 2 or len({unit for _, _, unit in figures}) > 1:
        return None
    total = french_number(sum(value for _, value, _ in figures))
    return [" ; ".join(header for header, _, _ in figures) + f" — total : {total} {figures[0][2]}"]


def operators(query: Query) -> set[str]:
    """The words that say how to count (« en tête », « derrière », « même chiffre que »),
    not what: the page need not hold them."""
    spans = [m.group(0) for pattern in (_RANK, _BEHIND, _SAME)
             for m in pattern.finditer(query.normalized)]
    return {word for span in spans for word in span.split()}


def _ranked(table: list[Row], query: Query, named: list[Row]) -> list[str] | None:
    """« Quelle commune arrive en tête », « deuxième derrière X », « le même chiffre
    que X »: the rows at that rank, or with that figure."""
    order = sorted({row.value for row in table}, reverse=True)
    if _SAME.search(query.normalized) and named:
        same = [row for row in table if row.value == named[0].value and row not in named]
        return [f"{_header(named)} — {_row(named[0])}, comme : "
                + ", ".join(map(_row, same))] if same else None
    found = _RANK.search(query.normalized)
    behind = _BEHIND.search(query.normalized) and named
    if found is None and not behind:
        return None
    rank = next(n for n, group in enumerate(found.groups(), start=1) if group) if found else 0
    if behind:
        rank = order.index(named[0].value) + 2  # « juste derrière Vitry »
    if rank > len(order):
        return None
    top = [row for row in table if row.value == order[rank - 1]]
    place = "en tête" if rank == 1 else f"{rank}e"
    return [f"{_header(top)} — {place} : " + ", ".join(map(_row, top))]


def _chosen(table: list[Row], query: Query) -> list[Row]:
    """The rows under the headers holding most of the question's words (all, on a tie)."""
    words = set(fold(query.normalized).split())
    lines = {f"ligne {n}" for n in query.lines}

    def held(header: str) -> int:
        folded = fold(header)
        return (sum(1 for w in words if len(w) > 2 and w in folded.split())
                + sum(2 for line in lines if re.search(rf"\b{line}\b", folded)))

    scores = {header: held(header) for header in {row.header for row in table}}
    best = max(scores.values(), default=0)
    return [row for row in table if scores[row.header] == best]


def _named(table: list[Row], query: Query, best_only: bool) -> list[Row]:
    """The rows whose label the question names (« Choisy », « L'Haÿ-les-Roses »): those
    it names best, or all it names."""
    words = set(re.findall(r"\w+", fold(query.text)))

    def score(row: Row) -> int:
        own = [w for w in re.findall(r"\w+", fold(row.label))
               if len(w) >= 2 and w not in LABEL_LINKS]
        if not own or own[0] not in words:  # « Ivry sur Seine » is not named by « Seine »
            return 0
        return sum(1 for w in own if w in words)

    best = max((score(row) for row in table), default=0)
    return [row for row in table if score(row) and (score(row) == best or not best_only)]


def _compares(value: int, operator: str, bound: float) -> bool:
    return {"gt": value > bound, "ge": value >= bound, "lt": value < bound,
            "le": value <= bound, "eq": value == bound}.get(operator, False)


def _header(rows_told: list[Row]) -> str:
    return rows_told[0].header or "Tableau"


def _row(row: Row) -> str:
    return f"{row.label} ({french_number(row.value)})"
