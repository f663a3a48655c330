"""The seed loader: the slides' people, figures and communes, exactly; idempotence, reset,
export round trip, and the rejection of bad documents (in French, without touching the DB)."""

from __future__ import annotations

import copy
import re
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import models
from knowledge.seed import (
    MAX_DOCUMENT_BYTES,
    SeedError,
    dump_document,
    dump_yaml,
    ensure_seeded,
    french_error,
    parse_document,
    read_seed_text,
    write_document,
)
from knowledge.store import make_engine, transaction

# ----------------------------------------------------------------------------- oracles

SOURCE_NAME = "seminaire-des-elus-2021.txt"

# name → (title, role, axis under which the slide lists the person)
PEOPLE: dict[str, tuple[str, models.Role, int]] = {
    "Michel LEPRÊTRE": ("Président", models.Role.PRESIDENT, 1),
    "Nathalie LALLIER": (
        "vice-présidente déléguée à l'économie sociale et solidaire",
        models.Role.VICE_PRESIDENT, 1),
    "Camille VIELHESCAZE": (
        "vice-président délégué à l'urbanisme et au PLUi", models.Role.VICE_PRESIDENT, 1),
    "Sophie LABROUSSE": (
        "vice-présidente déléguée au renouvellement urbain et à la politique de la ville",
        models.Role.VICE_PRESIDENT, 2),
    "Jean-Luc LAURENT": (
        "vice-président délégué aux équipements culturels", models.Role.VICE_PRESIDENT, 2),
    "Jean-Marie VILAIN": (
        "vice-président délégué aux équipements sportifs", models.Role.VICE_PRESIDENT, 2),
    "Imène BEN CHEIKH": (
        "vice-présidente déléguée à l'emploi, à l'insertion et à la formation professionnelle",
        models.Role.VICE_PRESIDENT, 3),
    "Fatah AGGOUNE": (
        "conseiller délégué aux activités productives et à l'immobilier d'entreprise",
        models.Role.DELEGATE, 3),
    "Stéphanie DAUMIN": (
        "vice-présidente déléguée aux finances et à la territorialisation des politiques "
        "publiques", models.Role.VICE_PRESIDENT, 4),
    "Romain MARCHAND": (
        "vice-président délégué au projet de territoire et à l'aménagement",
        models.Role.VICE_PRESIDENT, 4),
    "Lamia BENSARSA-REDA": (
        "vice-présidente déléguée au logement, à la CIL et à l'habitat indigne",
        models.Role.VICE_PRESIDENT, 4),
    "Clément DECROUY": (
        "vice-président au patrimoine et aux équipements intercommunaux",
        models.Role.VICE_PRESIDENT, 4),
}

# (value as displayed, words that must be in the unit/label/context)
KEY_FIGURES: list[tuple[str, list[str]]] = [
    ("593 434", ["heures", "ligne 14"]),
    ("308 770", ["heures", "ligne 15"]),
    ("891", ["habitants", "beneficiaires", "2017"]),
    ("83", ["grands projets urbains"]),
    ("11", ["npru"]),
    ("215", ["elus"]),
    ("8,9", ["m€", "feder", "iti"]),
    ("0,9", ["m€", "audits energetiques"]),
    ("1,4", ["m€", "plan de relance"]),
    ("56 %", ["deplacements", "territoire"]),
    ("13", ["gares"]),
    ("10", ["gares"]),
    ("12", ["conservatoires"]),
    ("5", ["ans", "plui"]),
    ("5", ["podcast"]),
    ("12", ["cahiers de contributions"]),
    ("4", ["dossiers de synthese"]),
    ("2", ["tables rondes"]),
    ("4", ["ateliers"]),
    ("3M", ["m2", "foncier"]),
]

COMMUNES = [
    "Ablon-sur-Seine", "Arcueil", "Athis-Mons", "Cachan", "Chevilly-Larue", "Choisy-le-Roi",
    "Fresnes", "Gentilly", "L'Haÿ-les-Roses", "Ivry-sur-Seine", "Juvisy-sur-Orge",
    "Le Kremlin-Bicêtre", "Morangis", "Orly", "Paray-Vieille-Poste", "Rungis",
    "Savigny-sur-Orge", "Thiais", "Valenton", "Villejuif", "Villeneuve-le-Roi",
    "Villeneuve-Saint-Georges", "Viry-Châtillon", "Vitry-sur-Seine",
]

# Slide 34, "Clauses d'insertion": the [N] after each commune, per line. None = cut off.
SLIDE_34: dict[int, dict[str, int | None]] = {
    15: {
        "Arcueil": 5, "Athis-Mons": 19, "Cachan": 8, "Chevilly-Larue": 12,
        "Choisy-le-Roi": 17, "Fresnes": 9, "Gentilly": 4, "Ivry-sur-Seine": 18,
        "Juvisy-sur-Orge": 11, "Le Kremlin-Bicêtre": 6, "L'Haÿ-les-Roses": 9, "Morangis": 1,
        "Orly": 12, "Paray-Vieille-Poste": 16, "Thiais": 14, "Savigny-sur-Orge": 8,
        "Valenton": 2, "Villejuif": 25, "Villeneuve-le-Roi": 4, "Villeneuve-Saint-Georges": 24,
        "Viry-Châtillon": 6, "Vitry-sur-Seine": 28,
    },
    14: {
        "Arcueil": 11, "Athis-Mons": 3, "Cachan": 17, "Chevilly-Larue": 5,
        "Choisy-le-Roi": 22, "Fresnes": 11, "Gentilly": 10, "Ivry-sur-Seine": 24,
        "Juvisy-sur-Orge": 1, "Le Kremlin-Bicêtre": None, "L'Haÿ-les-Roses": 24, "Orly": 13,
        "Paray-Vieille-Poste": 1, "Savigny-sur-Orge": 1, "Thiais": 12, "Valenton": 3,
        "Villejuif": 27, "Villeneuve-le-Roi": 1, "Villeneuve-Saint-Georges": None,
        "Viry-Châtillon": 4, "Vitry-sur-Seine": 54,
    },
}
CUT_OFF = {("Le Kremlin-Bicêtre", 14), ("Villeneuve-Saint-Georges", 14)}

ENGLISH_MARKERS = (
    "input should", "extra inputs", "not permitted", "field required", "unable to parse",
    "value error", "expected", "found", "should be", "valid integer", "valid list",
    "invalid", "unknown", "duplicate", "is not", "must be", "' or '",
    # Python's own parsers (datetime, int)
    "out of range", "does not match", "unconverted", "literal", "time data",
)
FRENCH_MARKERS = (
    "document", "ligne", "inconnu", "invalide", "attendu", "clé", "double", "octets",
    "alias", "n'est pas", "ne sont pas", "doit", "élu", "axe", "champ", "autorisé",
    "entier", "liste", "volumineux", "utf-8",
)


def _fold(text: str) -> str:
    """Oracle-side folding: lower case, no accents, plain apostrophes, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[’‘`´]", "'", text)
    return " ".join(text.split())


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", _fold(text))


def _source_text() -> str | None:
    here = Path(__file__).resolve()
    candidates = [
        here.parents[3] / "shared" / "seed" / SOURCE_NAME,
        Path("/work/shared/seed") / SOURCE_NAME,
    ]
    for path in candidates:
        if path.is_file():
            return path.read_text("utf-8")
    return None


@pytest.fixture(scope="module")
def source_text() -> str:
    text = _source_text()
    if text is None:
        pytest.skip("diaporama source (shared/seed) absent sur cette machine")
    return text


def _rows(db: Engine, model: Any) -> list[Any]:
    with Session(db) as session:
        key = list(model.__table__.primary_key.columns)
        return list(session.exec(select(model).order_by(*key)))


def _counts(db: Engine) -> dict[str, int]:
    tables = {**models.KNOWLEDGE_MODELS, "synonym": models.Synonym,
              "subscriber": models.Subscriber, "subscription": models.Subscription,
              "admin": models.AdminUser}
    with Session(db) as session:
        return {
            name: session.exec(select(func.count()).select_from(model)).one()
            for name, model in tables.items()
        }


def _snapshot(db: Engine, tz: ZoneInfo) -> str:
    with Session(db) as session:
        return dump_yaml(dump_document(session, tz))


def _line_of(label: str) -> int:
    found = re.search(r"ligne\s*(\d+)", _fold(label))
    assert found, f"figure de commune sans ligne de métro : {label!r}"
    return int(found.group(1))


# ----------------------------------------------------------------------------- people


def test_every_person_of_the_slides_is_there_exactly(db: Engine) -> None:
    people = {p.name: p for p in _rows(db, models.Person)}
    assert set(people) == set(PEOPLE)
    for name, (title, role, axis) in PEOPLE.items():
        person = people[name]
        assert person.title == title, name
        assert person.role == role, name
        assert person.axis_number == axis, name
        assert person.source_slide is not None, name


def test_there_is_one_president(db: Engine) -> None:
    presidents = [p for p in _rows(db, models.Person) if p.role == models.Role.PRESIDENT]
    assert [p.name for p in presidents] == ["Michel LEPRÊTRE"]


def test_people_names_and_titles_come_from_the_slides(db: Engine, source_text: str) -> None:
    slides = _fold(source_text)
    for person in _rows(db, models.Person):
        assert _fold(person.name) in slides, person.name
        assert _fold(person.title) in slides, person.title


def test_priority_leads_and_axes_are_consistent(db: Engine) -> None:
    keys = {p.key for p in _rows(db, models.Person)}
    axes = {a.number for a in _rows(db, models.Axis)}
    assert axes == {1, 2, 3, 4}
    for priority in _rows(db, models.Priority):
        assert set(priority.leads) <= keys, priority.key
        assert priority.axis_number is None or priority.axis_number in axes


# ----------------------------------------------------------------------------- figures


@pytest.mark.parametrize(("value", "words"), KEY_FIGURES, ids=[f"{v}-{w[0]}" for v, w in
                                                               KEY_FIGURES])
def test_key_figure_is_present_and_exact(db: Engine, value: str, words: list[str]) -> None:
    figures = _rows(db, models.Figure)
    matching = [
        f for f in figures
        if f.value.replace("\u00a0", " ").replace("\u202f", " ") == value
        and all(w in _fold(f"{f.unit} {f.label} {f.context}") for w in words)
    ]
    assert matching, f"chiffre {value} ({', '.join(words)}) absent ou inexact"
    assert all(f.source_slide for f in matching)


def test_every_figure_value_is_written_on_the_slides(db: Engine, source_text: str) -> None:
    slides = _nospace(source_text)
    for figure in _rows(db, models.Figure):
        assert _nospace(figure.value) in slides, f"{figure.key} = {figure.value!r} inventé ?"


# ----------------------------------------------------------------------------- communes


def test_the_24_communes_are_there(db: Engine) -> None:
    names = [c.name for c in _rows(db, models.Commune)]
    assert sorted(names) == sorted(COMMUNES)
    assert len(names) == 24


def test_slide_34_numbers_per_commune(db: Engine) -> None:
    communes = {c.name: c for c in _rows(db, models.Commune)}
    for name in COMMUNES:
        stored = {_line_of(f["label"]): f for f in communes[name].figures}
        expected = {line: table[name] for line, table in SLIDE_34.items() if name in table}
        assert set(stored) == set(expected), f"{name} : lignes {sorted(stored)}"
        for line, value in expected.items():
            figure = stored[line]
            assert figure["value"] == value, f"{name}, ligne {line}"
            if value is None:
                assert figure.get("note"), f"{name}, ligne {line} : valeur coupée sans note"


def test_cut_off_values_are_none_with_a_note(db: Engine) -> None:
    cut = set()
    for commune in _rows(db, models.Commune):
        for figure in commune.figures:
            if figure["value"] is None:
                cut.add((commune.name, _line_of(figure["label"])))
                assert figure.get("note") and "source" in _fold(figure["note"])
    assert cut == CUT_OFF


def test_communes_outside_slide_34_have_no_numbers(db: Engine) -> None:
    listed = set(SLIDE_34[14]) | set(SLIDE_34[15])
    for commune in _rows(db, models.Commune):
        if commune.name not in listed:
            assert commune.figures == [], commune.name


def _commune_key(text: str) -> str:
    text = _fold(text).replace("saint", "st")
    text = re.sub(r"^l'", "l", text)
    return re.sub(r"[^a-z]", "", text)


def _match_commune(raw: str) -> str:
    key = _commune_key(raw)
    found = [name for name in COMMUNES if _commune_key(name) == key]
    found = found or [name for name in COMMUNES if _commune_key(name).startswith(key)]
    assert len(found) == 1, f"commune illisible dans la source : {raw!r} → {found}"
    return found[0]


_NAME = r"([A-Za-zÀ-ÿ'’\- \n]+?)"


def _parse_slide_34_line(source: str, line: int) -> tuple[dict[str, int], set[str]]:
    """The [N] numbers of one metro line, and the communes whose number is cut off (…)."""
    start = source.index(f"Ligne {line}")
    ends = [source.find(marker, start + 1) for marker in ("Ligne 1", "891 habitants")]
    end = min(e for e in ends if e > 0)
    segment = source[start:end]
    segment = segment[segment.index("heures") + len("heures"):]
    numbers = {}
    for raw, value in re.findall(_NAME + r"\s*\[(\d+)\]", segment):
        name = _match_commune(raw.strip())
        assert name not in numbers
        numbers[name] = int(value)
    cut = {_match_commune(raw.strip()) for raw in re.findall(_NAME + r"\s*…", segment)}
    return numbers, cut


def test_oracle_table_matches_the_slide_text(source_text: str) -> None:
    for line, table in SLIDE_34.items():
        numbers, cut = _parse_slide_34_line(source_text, line)
        assert numbers == {k: v for k, v in table.items() if v is not None}
        assert cut == {k for k, v in table.items() if v is None}
    assert len(SLIDE_34[15]) == 22 and len(SLIDE_34[14]) == 21


def test_line_15_numbers_parsed_from_the_slides_are_in_the_db(
    db: Engine, source_text: str
) -> None:
    numbers, cut = _parse_slide_34_line(source_text, 15)
    assert len(numbers) == 22 and not cut
    communes = {c.name: c for c in _rows(db, models.Commune)}
    for name, value in numbers.items():
        stored = {_line_of(f["label"]): f["value"] for f in communes[name].figures}
        assert stored.get(15) == value, name


def test_milestones_are_approximate_and_inside_the_slide_calendar(
    db: Engine, tz: ZoneInfo
) -> None:
    milestones = _rows(db, models.Milestone)
    assert milestones
    for milestone in milestones:
        assert milestone.approximate, milestone.key
        assert milestone.start.tzinfo is not None
        local = milestone.start.astimezone(tz)
        assert datetime(2021, 10, 1, tzinfo=tz) <= local < datetime(2023, 1, 1, tzinfo=tz)


# ----------------------------------------------------------------------------- loading


def test_fresh_database_is_seeded(new_database_url: str, tz: ZoneInfo) -> None:
    fresh = make_engine(new_database_url)
    try:
        assert ensure_seeded(fresh, tz) is True
        assert _counts(fresh)["person"] == 12
    finally:
        fresh.dispose()


def test_second_seeding_does_nothing(db: Engine, tz: ZoneInfo) -> None:
    before, snapshot = _counts(db), _state(db, tz)
    assert ensure_seeded(db, tz) is False
    assert ensure_seeded(db, tz) is False
    assert _counts(db) == before
    assert _state(db, tz) == snapshot
    names = [p.name for p in _rows(db, models.Person)]
    assert len(names) == len(set(names)) == 12


def test_reset_rebuilds_the_knowledge_and_keeps_subscribers(db: Engine, tz: ZoneInfo) -> None:
    pristine = _state(db, tz)
    with transaction(db) as session:
        person = session.exec(select(models.Person).where(models.Person.key == "lepretre")).one()
        person.title = "Titre modifié"
        session.add(person)
        figure = session.exec(select(models.Figure)).first()
        session.delete(figure)
        session.add(models.Fact(key="ajout-admin", title="Ajout", text="Ajouté par un admin"))
        subscriber = models.Subscriber(chat_id=4242, name="Élue test", offsets=[86400])
        session.add(subscriber)
        session.add(models.AdminUser(user_id=7, added_by=1))
        session.flush()
        session.add(models.Subscription(subscriber_id=subscriber.id, topic="PCAET"))
    assert _state(db, tz) != pristine

    assert ensure_seeded(db, tz, reset=True) is True

    assert _state(db, tz) == pristine
    subscribers = _rows(db, models.Subscriber)
    assert [(s.chat_id, s.name, s.offsets) for s in subscribers] == [(4242, "Élue test", [86400])]
    assert [s.topic for s in _rows(db, models.Subscription)] == ["PCAET"]
    assert [a.user_id for a in _rows(db, models.AdminUser)] == [7]


# ----------------------------------------------------------------------------- round trip


def test_export_parse_write_round_trip_is_identical(db: Engine, tz: ZoneInfo) -> None:
    first = _snapshot(db, tz)
    document = parse_document(first)
    with transaction(db) as session:
        write_document(session, document, tz)
    assert _snapshot(db, tz) == first


def test_export_equals_the_seed_document(db: Engine, tz: ZoneInfo) -> None:
    exported = parse_document(_snapshot(db, tz))
    assert exported.model_dump() == parse_document(read_seed_text()).model_dump()


def test_export_accepts_bytes(db: Engine, tz: ZoneInfo) -> None:
    text = _snapshot(db, tz)
    assert parse_document(text.encode("utf-8")) == parse_document(text)


# ----------------------------------------------------------------------------- rejections


MINIMAL: dict[str, Any] = {
    "version": 1,
    "source_document": "Document de test",
    "axes": [{"number": 1, "title": "Premier axe", "short_title": "Axe un"}],
    "people": [{"key": "dupont", "name": "Marie DUPONT", "role": "vice_president",
                "title": "vice-présidente déléguée aux tests", "axis": 1}],
    "priorities": [{"key": "tests", "axis": 1, "theme": "Des tests", "leads": ["dupont"]}],
    "figures": [{"key": "douze", "label": "Douze choses", "value": "12"}],
    "communes": [{"name": "Arcueil", "figures": [
        {"label": "Bénéficiaires, ligne 14", "value": 11, "unit": "habitants"}]}],
    "milestones": [{"key": "etape", "project": "Projet", "title": "Étape", "start": "2022-01"}],
    "synonyms": [{"term": "essai", "expansion": "tests"}],
    "facts": [{"key": "sigle", "title": "SIGLE", "text": "Un sigle de test."}],
}


def _minimal() -> dict[str, Any]:
    """A small valid document (fast to parse): each bad case breaks exactly one thing."""
    return copy.deepcopy(MINIMAL)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _state(db: Engine, tz: ZoneInfo) -> dict[str, Any]:
    with Session(db) as session:
        return dump_document(session, tz)


def test_the_minimal_document_is_valid(db: Engine, tz: ZoneInfo) -> None:
    document = parse_document(_dump(_minimal()))
    with transaction(db) as session:
        write_document(session, document, tz)
    assert [p.name for p in _rows(db, models.Person)] == ["Marie DUPONT"]


def _with_unknown_key() -> str:
    data = _minimal()
    data["people"][0]["email"] = "marie@example.org"
    return _dump(data)


def _with_unknown_top_key() -> str:
    data = _minimal()
    data["elus"] = []
    return _dump(data)


def _with_wrong_type() -> str:
    data = _minimal()
    data["axes"][0]["number"] = "premier"
    return _dump(data)


def _with_wrong_list() -> str:
    data = _minimal()
    data["people"] = "Marie, Paul"
    return _dump(data)


def _with_bad_role() -> str:
    data = _minimal()
    data["people"][0]["role"] = "roi"
    return _dump(data)


def _with_unknown_axis() -> str:
    data = _minimal()
    data["people"][0]["axis"] = 9
    return _dump(data)


def _with_unknown_lead() -> str:
    data = _minimal()
    data["priorities"][0]["leads"] = ["personne-inconnue"]
    return _dump(data)


def _with_duplicate_person() -> str:
    data = _minimal()
    data["people"].append(dict(data["people"][0]))
    return _dump(data)


def _with_bad_date() -> str:
    data = _minimal()
    data["milestones"][0]["start"] = "bientôt"
    return _dump(data)


def _with_start(start: str) -> Callable[[], str]:
    def build() -> str:
        data = _minimal()
        data["milestones"][0]["start"] = start
        return _dump(data)
    return build


def _with_text(section: str, field: str, value: Any) -> Callable[[], str]:
    def build() -> str:
        data = _minimal()
        data[section][0][field] = value
        return _dump(data)
    return build


def _with_huge_number() -> str:
    return _dump(_minimal()).replace("number: 1\n", "number: " + "9" * 5000 + "\n", 1)


def _with_big_commune_figure() -> str:
    data = _minimal()
    data["communes"][0]["figures"][0]["value"] = 10**30
    return _dump(data)


def _with_big_slide() -> str:
    data = _minimal()
    data["people"][0]["source"] = {"slide": 10**20, "title": "Diapo"}
    return _dump(data)


def _with_long_list() -> str:
    data = _minimal()
    data["people"][0]["keywords"] = [f"mot{n}" for n in range(500)]
    return _dump(data)


def _with_duplicate_axis() -> str:
    data = _minimal()
    data["axes"].append(dict(data["axes"][0], title="Un autre premier axe"))
    return _dump(data)


SET_KEY = "version: 1\naxes:\n  - ? !!set {a, b}\n    : 1\n"
IMPOSSIBLE_DATE = "version: 1\nmilestones:\n  - key: x\n    start: 2027-13-45\n"

DUPLICATE_YAML_KEY = """\
version: 1
axes:
  - number: 1
    title: "Premier axe"
    title: "Autre titre"
    short_title: "Axe"
"""

DUPLICATE_SECTION = """\
version: 1
axes: []
people: []
axes: []
"""

BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8)
    )
)

BAD_DOCUMENTS: dict[str, Any] = {
    "alias-bomb": lambda: BILLION_LAUGHS,
    "unknown-key": _with_unknown_key,
    "unknown-top-level-key": _with_unknown_top_key,
    "wrong-type": _with_wrong_type,
    "wrong-list": _with_wrong_list,
    "bad-role": _with_bad_role,
    "duplicate-yaml-key": lambda: DUPLICATE_YAML_KEY,
    "duplicate-yaml-section": lambda: DUPLICATE_SECTION,
    "duplicate-entry-key": _with_duplicate_person,
    "unknown-axis": _with_unknown_axis,
    "unknown-lead": _with_unknown_lead,
    "bad-date": _with_bad_date,
    "year-9999": _with_start("9999-12-31T23:30"),
    "year-0001": _with_start("0001-01-01"),
    "year-0001-midnight": _with_start("0001-01-01T00:00"),
    "year-2101": _with_start("2101-01"),
    "impossible-yaml-date": lambda: IMPOSSIBLE_DATE,
    "day-out-of-range": _with_start("2027-02-30"),
    "month-13": _with_start("2027-13"),
    "hour-25": _with_start("2027-03-15T25:00"),
    "minute-60": _with_start("2027-03-15 10:60"),
    "nul-in-text": _with_text("facts", "text", "avant\x00après"),
    "bell-in-keyword": _with_text("people", "keywords", ["logement", "cloche\x07"]),
    "escape-in-source-title": _with_text("axes", "source", {"title": "\x1b[31mrouge"}),
    "c1-control-in-synonym": _with_text("synonyms", "term", "essai\x9b"),
    "5000-digit-integer": _with_huge_number,
    "huge-commune-figure": _with_big_commune_figure,
    "huge-slide-number": _with_big_slide,
    "500-keywords": _with_long_list,
    "set-as-key": lambda: SET_KEY,
    "duplicate-axis-number": _with_duplicate_axis,
    "too-big-bytes": lambda: b"#" * (MAX_DOCUMENT_BYTES + 1),
    "too-big-text": lambda: "#" * (MAX_DOCUMENT_BYTES + 1),
    "too-big-multibyte": lambda: _dump(_minimal()) + "\n# " + "é" * (MAX_DOCUMENT_BYTES // 2),
    "invalid-utf8": lambda: b"version: 1\naxes: []\n# caf\xe9 \xff\xfe\n",
    "not-a-mapping": lambda: "- axes\n- people\n",
    "yaml-syntax": lambda: "axes: [1, 2\npeople: {",
}


def _is_french(message: str) -> bool:
    folded = message.lower()
    return any(m in folded for m in FRENCH_MARKERS) and not any(
        re.search(rf"\b{re.escape(m)}\b", folded) for m in ENGLISH_MARKERS
    )


@pytest.mark.parametrize("case", list(BAD_DOCUMENTS))
def test_bad_document_is_rejected_and_db_untouched(db: Engine, tz: ZoneInfo, case: str) -> None:
    bad = BAD_DOCUMENTS[case]()
    before, state = _counts(db), _state(db, tz)
    started = time.monotonic()
    with pytest.raises(SeedError) as caught:
        with transaction(db) as session:
            write_document(session, parse_document(bad), tz)
    assert time.monotonic() - started < 2.0, "rejet trop lent"
    assert str(caught.value).strip()
    assert _counts(db) == before
    assert _state(db, tz) == state


@pytest.mark.parametrize("case", list(BAD_DOCUMENTS))
def test_rejection_message_is_french(case: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_document(BAD_DOCUMENTS[case]())
    message = str(caught.value)
    assert _is_french(message), f"message non français : {message!r}"


LINED_CASES = ["year-9999", "year-0001", "year-0001-midnight", "impossible-yaml-date",
               "5000-digit-integer", "huge-commune-figure", "huge-slide-number",
               "500-keywords", "set-as-key"]


@pytest.mark.parametrize("case", LINED_CASES)
def test_out_of_bounds_values_are_refused_with_their_line(case: str) -> None:
    bad = BAD_DOCUMENTS[case]()
    with pytest.raises(SeedError) as caught:
        parse_document(bad)
    found = re.search(r"ligne (\d+)", str(caught.value))
    assert found, str(caught.value)
    number = int(found.group(1))
    line = " ".join(bad.splitlines()[max(number - 2, 0):number])  # a list starts a line below
    assert any(word in line for word in ("start", "number", "value", "slide", "keywords",
                                         "!!set")), (str(caught.value), line)


@pytest.mark.parametrize(("case", "told"), [
    ("day-out-of-range", "(milestones.0.start) : date de début « 2027-02-30 » : cette date ou "
                         "cette heure n'existe pas"),
    ("hour-25", "(milestones.0.start) : date de début « 2027-03-15T25:00 » : cette date ou "
                "cette heure n'existe pas"),
    ("nul-in-text", "(facts.0.text) : caractère de contrôle interdit (U+0000)"),
    ("bell-in-keyword", "(people.0.keywords) : caractère de contrôle interdit (U+0007)"),
    ("escape-in-source-title", "(axes.0.source.title) : caractère de contrôle interdit "
                               "(U+001B)"),
    ("c1-control-in-synonym", "(synonyms.0.term) : caractère de contrôle interdit (U+009B)"),
])
def test_impossible_dates_and_control_characters_are_told_in_french(case: str, told: str
                                                                    ) -> None:
    with pytest.raises(SeedError, match=r"ligne \d+ " + re.escape(told)):
        parse_document(BAD_DOCUMENTS[case]())


def test_a_control_character_in_an_unknown_key_is_not_echoed() -> None:
    text = _dump(_minimal()).replace("  text:", '  "te\\0\\ex\\at":', 1)
    with pytest.raises(SeedError) as caught:
        parse_document(text)
    assert "(facts.0.teU+0000U+001BxU+0007t) : clé inconnue" in str(caught.value)


def test_tabs_and_line_breaks_are_text() -> None:
    data = _minimal()
    data["facts"][0]["text"] = text = "Première ligne\n\tseconde ligne\r\nfin."
    assert parse_document(_dump(data)).facts[0].text == text


def test_a_python_error_met_while_validating_is_not_shown_in_english() -> None:
    error = {"type": "value_error", "loc": ("start",), "msg": "Value error, day is out of "
             "range for month", "ctx": {"error": ValueError("day is out of range for month")}}
    assert french_error(error) == "valeur invalide"


def test_alias_bomb_is_refused_quickly_and_says_so() -> None:
    started = time.monotonic()
    with pytest.raises(SeedError, match="alias"):
        parse_document(BILLION_LAUGHS)
    assert time.monotonic() - started < 0.5


def test_even_a_single_alias_is_refused() -> None:
    with pytest.raises(SeedError, match="alias"):
        parse_document("version: 1\nsource_document: &s 'x'\naxes: []\nfacts: []\nx: *s\n")


def test_size_limit_message_names_the_limit() -> None:
    with pytest.raises(SeedError, match="volumineux"):
        parse_document(b" " * (MAX_DOCUMENT_BYTES + 1))


def test_reference_errors_name_the_culprit() -> None:
    with pytest.raises(SeedError, match="personne-inconnue"):
        parse_document(_with_unknown_lead())
    with pytest.raises(SeedError, match="axe 9"):
        parse_document(_with_unknown_axis())


@pytest.mark.parametrize(("case", "where"), [
    ("unknown-axis", "(people.0.axis) : axe 9 inconnu"),
    ("unknown-lead", "(priorities.0.leads.0) : élu 'personne-inconnue' inconnu"),
    ("duplicate-entry-key", "(people.1) : « dupont » en double"),
    ("duplicate-axis-number", "(axes.1) : « 1 » en double"),
])
def test_inconsistencies_are_told_with_their_line(case: str, where: str) -> None:
    bad = BAD_DOCUMENTS[case]()
    with pytest.raises(SeedError) as caught:
        parse_document(bad)
    found = re.search(r"ligne (\d+) (\(.*)", str(caught.value))
    assert found and found.group(2) == where, str(caught.value)
    line = bad.splitlines()[int(found.group(1)) - 1]
    assert any(word in line for word in ("axis", "personne-inconnue", "dupont", "number")), line


def _large(facts: int) -> dict[str, Any]:
    data = _minimal()
    data["facts"] += [{"key": f"fait-{n}", "title": f"Fait {n}", "text": "Du texte. " * 40}
                      for n in range(facts)]
    return data


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of PyYAML's reading functions called from now on, one per call."""
    calls: list[str] = []
    for name in ("compose", "compose_all", "load", "load_all", "safe_load", "parse", "scan"):
        real = getattr(yaml, name)
        monkeypatch.setattr(yaml, name, lambda *a, _real=real, _name=name, **k: (
            calls.append(_name), _real(*a, **k))[1])
    return calls


@pytest.mark.parametrize(("where", "breaks", "told"), [
    (("facts", 1234), lambda item: item.update(key="INVALIDE !"),
     "(facts.1234.key) : format incorrect (minuscules, chiffres et tirets)"),
    (("people", 0), lambda item: item.update(axis=9), "(people.0.axis) : axe 9 inconnu"),
])
def test_a_large_document_is_read_once_and_its_problems_named_by_line(
        monkeypatch: pytest.MonkeyPatch, where: tuple[str, int], breaks: Callable,
        told: str) -> None:
    """A problem deep in a large import is told with its line, taken from the one parse
    (reading it again to find lines doubled the time of a refused import)."""
    data = _large(2000)
    section, index = where
    breaks(data[section][index])
    text = _dump(data)
    parses = _count_parses(monkeypatch)
    with pytest.raises(SeedError) as caught:
        parse_document(text)
    assert parses == ["compose"]
    found = re.search(r"ligne (\d+) (\(.*)", str(caught.value))
    assert found and found.group(2) == told, str(caught.value)
    line = text.splitlines()[int(found.group(1)) - 1]
    assert "INVALIDE !" in line or "axis: 9" in line, line


def test_a_large_valid_document_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _dump(_large(2000))
    parses = _count_parses(monkeypatch)
    assert len(parse_document(text).facts) == 2001
    assert parses == ["compose"]


def test_failed_write_rolls_back_everything(db: Engine, tz: ZoneInfo) -> None:
    """A document that parses but fails mid-write (synonym → missing entry) changes nothing."""
    data = _minimal()
    data["synonyms"].append({"term": "cassé", "entity": "person", "key": "personne-absente"})
    document = parse_document(_dump(data))
    before, state = _counts(db), _state(db, tz)
    with pytest.raises(SeedError, match="personne-absente"):
        with transaction(db) as session:
            write_document(session, document, tz)
    assert _counts(db) == before
    assert _state(db, tz) == state


def test_timestamps_are_aware_utc(db: Engine) -> None:
    person = _rows(db, models.Person)[0]
    assert person.created_at.tzinfo is not None
    assert person.created_at.utcoffset() == UTC.utcoffset(None)
