"""knowledge.admin_store.imports: imports diffed by natural key, hostile documents refused."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from admin_helpers import (
    ADMIN,
    JALON,
    MILESTONE,
    OTHER,
    as_bytes,
    audits,
    create,
    exported,
    state,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.admin_store import AdminError, imports
from knowledge.seed import MAX_BACKUP_BYTES, SeedError, read_seed_text
from knowledge.store import transaction


def test_export_then_import_changes_nothing(db: Engine, tz: ZoneInfo) -> None:
    create(db, tz, JALON, MILESTONE)
    before = state(db, tz)
    document = store.parse_import(as_bytes(exported(db, tz)))
    with transaction(db) as session:
        plan = store.apply_import(session, document, tz, ADMIN)
    assert plan.empty
    assert state(db, tz) == before


def test_import_adds_changes_and_removes_in_place_keeping_ids(db: Engine, tz: ZoneInfo) -> None:
    data = exported(db, tz)
    data["elus"][0]["fonction"] = "Président du territoire"
    data["jalons"][0].update(date="2027-01-12", heure="18:00")
    data["jalons"].append({"cle": "vote-budget-2027", "projet": "Budget",
                           "titre": "Vote du budget", "date": "2027-04-01"})
    removed = data["faits"].pop()["cle"]
    data["synonymes"][0]["expansion"] = "vice-président vice-présidente"
    with Session(db) as session:
        ids = {m.key: m.id for m in session.exec(select(models.Milestone))}
        fact_count = len(list(session.exec(select(models.Fact))))
    document = store.parse_import(as_bytes(data))
    with Session(db) as session:
        plan = store.plan_import(session, document, tz)
    summary = {d.entity: (d.added, d.changed, d.removed) for d in plan.diffs if d.count}
    assert summary == {
        "elu": ([], [(data["elus"][0]["cle"], ["fonction"])], []),
        "jalon": (["vote-budget-2027"], [(data["jalons"][0]["cle"], ["date", "précision"])],
                  []),
        "fait": ([], [], [removed]),
        "synonyme": ([], [(data["synonymes"][0]["terme"], ["expansion"])], []),
    }
    with transaction(db) as session:
        store.apply_import(session, document, tz, ADMIN, plan.version)
    with Session(db) as session:
        after = {m.key: m.id for m in session.exec(select(models.Milestone))}
        assert len(list(session.exec(select(models.Fact)))) == fact_count - 1
        assert store.plan_import(session, document, tz).empty
    assert {k: v for k, v in after.items() if k in ids} == ids  # ids are stable
    assert [a.action for a in audits(db)] == ["import"] * 5


def test_an_import_confirmed_after_a_change_is_refused(db: Engine, tz: ZoneInfo) -> None:
    data = exported(db, tz)
    data["elus"][0]["fonction"] = "Président du territoire"
    document = store.parse_import(as_bytes(data))
    with Session(db) as session:
        seen = store.plan_import(session, document, tz).version
    create(db, tz, JALON, MILESTONE, user=OTHER)
    before = state(db, tz)
    with transaction(db) as session, pytest.raises(AdminError, match="a changé depuis"):
        store.apply_import(session, document, tz, ADMIN, seen)
    assert state(db, tz) == before


def deep(levels: int) -> bytes:
    return b"axes: " + b"[" * levels + b"]" * levels


@pytest.mark.parametrize(("payload", "message"), [
    (b"axes:\n  - number: un\n    title: T\n    short_title: T\n",
     r"ligne 2 \(axes.0.number\) : nombre entier attendu"),
    (b"people:\n  - key: x\n    name: Xavier\n    role: roi\n    title: T\n    age: 3\n",
     r"ligne 4 \(people.0.role\).*\nligne 6 \(people.0.age\) : clé inconnue"),
    (b"bogus: 1\n", r"ligne 1 \(bogus\) : clé inconnue"),
    (b"a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\n", "alias YAML"),
    (b"axes: [1, 2", "YAML"),
    (b"- 1\n- 2\n", "doit être un dictionnaire"),
    (b"\xff\xfe\x00", "UTF-8"),
    (deep(50_000), "imbriqué|YAML invalide|trop volumineux"),
    (b"x" * (MAX_BACKUP_BYTES + 1), "trop volumineux"),
    (b"axes: []\npeople: []\npriorities: []\nfigures: []\ncommunes: []\nmilestones: []\n"
     b"facts: []\nsynonyms:\n  - term: boss\n    entity: person\n    key: personne\n",
     "inconnue"),
    (b"version: 1\n", "section\\(s\\) absente\\(s\\) du document : axes, elus, priorites, "
                     "chiffres, communes, jalons, synonymes, faits"),
])
def test_hostile_documents_are_refused_and_change_nothing(
        db: Engine, tz: ZoneInfo, payload: bytes, message: str) -> None:
    before = state(db, tz)
    with pytest.raises(SeedError, match=message):
        document = store.parse_import(payload)
        with transaction(db) as session:
            store.apply_import(session, document, tz, ADMIN)
    assert state(db, tz) == before


def test_a_cut_short_export_is_refused_not_read_as_deleting_its_missing_sections(
        db: Engine, tz: ZoneInfo) -> None:
    with Session(db) as session:
        text = store.export_document(session, tz)
    lines = text.splitlines(keepends=True)
    cut = "".join(lines[:lines.index("synonymes:\n")])  # valid YAML, the last two sections gone
    before = state(db, tz)
    with pytest.raises(SeedError, match=r"absente\(s\) du document : synonymes, faits\. "
                                        r"Un import remplace toute la base"):
        store.parse_import(cut.encode())
    assert state(db, tz) == before


def test_a_section_written_empty_is_read_as_empty(db: Engine, tz: ZoneInfo) -> None:
    data = exported(db, tz)
    data["synonymes"] = []
    document = store.parse_import(as_bytes(data))
    with Session(db) as session:
        plan = store.plan_import(session, document, tz)
    [synonyms] = [diff for diff in plan.diffs if diff.entity == "synonyme"]
    assert synonyms.removed and len(synonyms.removed) == len(exported(db, tz)["synonymes"])


def emptied(data: dict) -> dict:
    """An export whose every section is written empty."""
    return {name: [] if isinstance(value, list) else value for name, value in data.items()}


def test_an_import_emptying_the_base_needs_deletions_allowed(db: Engine, tz: ZoneInfo) -> None:
    data = exported(db, tz)
    total = sum(len(value) for value in data.values() if isinstance(value, list))
    document = store.parse_import(as_bytes(emptied(data)))
    before = state(db, tz)
    with Session(db) as session:
        plan = store.plan_import(session, document, tz)
    assert [(d.entity, len(d.removed), d.total) for d in plan.mass_deletions] == [
        (d.entity, d.total, d.total) for d in plan.diffs]
    assert store.mass_deletion_warning(plan).startswith(
        f"cet import supprimerait la plus grande partie de la base : {total} entrées sur "
        f"{total} (axe {len(data['axes'])} sur {len(data['axes'])}, elu ")
    with transaction(db) as session, pytest.raises(AdminError, match=(
            r"plus grande partie de la base.*jalon (\d+) sur \1.* : rien n'a été appliqué")):
        store.apply_import(session, document, tz, ADMIN, plan.version)
    assert state(db, tz) == before
    with transaction(db) as session:
        store.apply_import(session, document, tz, ADMIN, plan.version, allow_deletions=True)
    assert exported(db, tz) == emptied(data)


def test_an_import_deleting_most_of_one_section_needs_deletions_allowed(
        db: Engine, tz: ZoneInfo) -> None:
    data = exported(db, tz)
    facts, total = len(data["faits"]), sum(len(v) for v in data.values() if isinstance(v, list))
    kept = facts // 2  # one more than half of the facts go
    data["faits"] = data["faits"][:kept]
    document = store.parse_import(as_bytes(data))
    before = state(db, tz)
    with transaction(db) as session, pytest.raises(AdminError) as refused:
        store.apply_import(session, document, tz, ADMIN)
    assert str(refused.value) == (
        f"cet import supprimerait la plupart des entrées de : fait {facts - kept} sur {facts} "
        f"(en tout {facts - kept} entrées sur {total}) : rien n'a été appliqué.")
    assert state(db, tz) == before
    data["faits"] = exported(db, tz)["faits"][:kept + 1]  # half of them: an ordinary import
    with transaction(db) as session:
        store.apply_import(session, store.parse_import(as_bytes(data)), tz, ADMIN)
    assert len(exported(db, tz)["faits"]) == kept + 1


def test_an_import_that_fails_midway_is_rolled_back(db: Engine, tz: ZoneInfo,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = exported(db, tz)
    data["elus"][0]["fonction"] = "Président du territoire"
    data["faits"].pop()
    document = store.parse_import(as_bytes(data))
    before = state(db, tz)

    def explode(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_apply_synonyms", explode)
    with pytest.raises(RuntimeError), transaction(db) as session:
        store.apply_import(session, document, tz, ADMIN)
    assert state(db, tz) == before


def test_an_imported_time_skipped_by_summer_time_is_refused(db: Engine, tz: ZoneInfo) -> None:
    """The same rule as typed times: no silent move to 3 h 30."""
    data = exported(db, tz)
    data["jalons"].append({"cle": "nuit", "projet": "PCAET", "titre": "Nuit blanche",
                           "date": "2027-03-28", "heure": "02:30"})
    before = state(db, tz)
    with pytest.raises(SeedError, match=r"jalon « nuit » : 2 h 30 n'existe pas le 28/03/2027"):
        with transaction(db) as session:
            store.apply_import(session, store.parse_import(as_bytes(data)), tz, ADMIN)
    assert state(db, tz) == before


def test_the_export_writes_the_field_names_admins_type(db: Engine, tz: ZoneInfo) -> None:
    """Issue #19.5: the export wrote `title`, `start`, `people`… while admins type
    `/modifier jalon 3 titre=… heure=…`: every field of /champs is a key of its section."""
    create(db, tz, JALON, MILESTONE)
    data = exported(db, tz)
    for spec in store.ENTITIES.values():
        section = data[f"{spec.name}s"]
        assert {f.name for f in spec.fields} <= set(section[-1]), spec.name
    [vote] = [m for m in data["jalons"] if m["titre"] == "Approbation du PCAET"]
    assert (vote["date"], vote["heure"]) == ("2027-03-15", "10:00")
    english = {"key", "title", "start", "name", "keywords", "source_document", "people",
               "milestones", "facts", "slide", "label", "number", "term", "axis"}

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        return {k for v in value for k in keys(v)} if isinstance(value, list) else set()

    assert not keys(data) & english


def test_a_french_document_is_read_with_its_lines_and_an_old_one_still_is(
        db: Engine, tz: ZoneInfo) -> None:
    text = exported_text(db, tz)
    document = store.parse_import(text.encode())
    with Session(db) as session:
        assert store.plan_import(session, document, tz).empty
    assert "  date: 2022-06\n" in text
    unquoted = text.replace("  date: 2022-06\n", "  date: 2022-06-03\n  heure: 10:30\n", 1)
    changed = store.parse_import(unquoted.encode())  # YAML reads 10:30 as 630, 2022-06-03 a date
    assert "2022-06-03T10:30" in [m.start for m in changed.milestones]
    broken = text.replace("axe: 1\n", "axe: 9\n", 1)
    with pytest.raises(SeedError, match=r"ligne (\d+) \(elus\.\d+\.axe\) : axe 9 inconnu"):
        store.parse_import(broken.encode())
    with pytest.raises(SeedError, match=r"\(jalons\.0\.heure\) : clé inconnue"):
        store.parse_import(text.replace("  date: ", "  heure: '10:00'\n  start: ", 1).encode())
    with Session(db) as session:  # the seed itself is written with the former names
        old = store.parse_import(read_seed_text().encode())
        assert store.plan_import(session, old, tz).empty


def exported_text(db: Engine, tz: ZoneInfo) -> str:
    with Session(db) as session:
        return store.export_document(session, tz)
