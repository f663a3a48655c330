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
from knowledge.seed import MAX_DOCUMENT_BYTES, SeedError
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
    data["people"][0]["title"] = "Président du territoire"
    data["milestones"][0]["start"] = "2027-01-12T18:00"
    data["milestones"].append({"key": "vote-budget-2027", "project": "Budget",
                               "title": "Vote du budget", "start": "2027-04-01"})
    removed = data["facts"].pop()["key"]
    data["synonyms"][0]["expansion"] = "vice-président vice-présidente"
    with Session(db) as session:
        ids = {m.key: m.id for m in session.exec(select(models.Milestone))}
        fact_count = len(list(session.exec(select(models.Fact))))
    document = store.parse_import(as_bytes(data))
    with Session(db) as session:
        plan = store.plan_import(session, document, tz)
    summary = {d.entity: (d.added, d.changed, d.removed) for d in plan.diffs if d.count}
    assert summary == {
        "elu": ([], [(data["people"][0]["key"], ["fonction"])], []),
        "jalon": (["vote-budget-2027"], [(data["milestones"][0]["key"], ["date", "précision"])],
                  []),
        "fait": ([], [], [removed]),
        "synonyme": ([], [(data["synonyms"][0]["term"], ["expansion"])], []),
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
    data["people"][0]["title"] = "Président du territoire"
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
    (b"x" * (MAX_DOCUMENT_BYTES + 1), "trop volumineux"),
    (b"axes: []\npeople: []\npriorities: []\nfigures: []\ncommunes: []\nmilestones: []\n"
     b"facts: []\nsynonyms:\n  - term: boss\n    entity: person\n    key: personne\n",
     "inconnue"),
    (b"version: 1\n", "section\\(s\\) absente\\(s\\) du document : axes, people, priorities, "
                     "figures, communes, milestones, synonyms, facts"),
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
    cut = "".join(lines[:lines.index("synonyms:\n")])  # valid YAML, the last two sections gone
    before = state(db, tz)
    with pytest.raises(SeedError, match=r"absente\(s\) du document : synonyms, facts\. "
                                        r"Un import remplace toute la base"):
        store.parse_import(cut.encode())
    assert state(db, tz) == before


def test_a_section_written_empty_is_read_as_empty(db: Engine, tz: ZoneInfo) -> None:
    data = exported(db, tz)
    data["synonyms"] = []
    document = store.parse_import(as_bytes(data))
    with Session(db) as session:
        plan = store.plan_import(session, document, tz)
    [synonyms] = [diff for diff in plan.diffs if diff.entity == "synonyme"]
    assert synonyms.removed and len(synonyms.removed) == len(exported(db, tz)["synonyms"])


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
    facts, total = len(data["facts"]), sum(len(v) for v in data.values() if isinstance(v, list))
    kept = facts // 2  # one more than half of the facts go
    data["facts"] = data["facts"][:kept]
    document = store.parse_import(as_bytes(data))
    before = state(db, tz)
    with transaction(db) as session, pytest.raises(AdminError) as refused:
        store.apply_import(session, document, tz, ADMIN)
    assert str(refused.value) == (
        f"cet import supprimerait la plupart des entrées de : fait {facts - kept} sur {facts} "
        f"(en tout {facts - kept} entrées sur {total}) : rien n'a été appliqué.")
    assert state(db, tz) == before
    data["facts"] = exported(db, tz)["facts"][:kept + 1]  # half of them: an ordinary import
    with transaction(db) as session:
        store.apply_import(session, store.parse_import(as_bytes(data)), tz, ADMIN)
    assert len(exported(db, tz)["facts"]) == kept + 1


def test_an_import_that_fails_midway_is_rolled_back(db: Engine, tz: ZoneInfo,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = exported(db, tz)
    data["people"][0]["title"] = "Président du territoire"
    data["facts"].pop()
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
    data["milestones"].append({"key": "nuit", "project": "PCAET", "title": "Nuit blanche",
                               "start": "2027-03-28T02:30"})
    before = state(db, tz)
    with pytest.raises(SeedError, match=r"jalon « nuit » : 2 h 30 n'existe pas le 28/03/2027"):
        with transaction(db) as session:
            store.apply_import(session, store.parse_import(as_bytes(data)), tz, ADMIN)
    assert state(db, tz) == before
