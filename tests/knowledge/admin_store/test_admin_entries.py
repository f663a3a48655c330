"""knowledge.admin_store.entries: adding, changing, deleting; one validation with imports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from admin_helpers import (
    ADMIN,
    ELU,
    JALON,
    MILESTONE,
    OTHER,
    as_bytes,
    audits,
    create,
    exported,
    get,
    state,
    update,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.admin_store import AdminError
from knowledge.models import Precision, Role
from knowledge.seed import SeedError
from knowledge.store import transaction


def test_create_a_milestone_with_time_is_exact_in_local_time(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    row = get(db, models.Milestone, entry_id)
    assert row.start == datetime(2027, 3, 15, 9, 0, tzinfo=UTC)  # 10:00 in Paris (winter)
    assert row.precision is Precision.EXACT
    assert (row.key, row.location) == ("approbation-du-pcaet", "Conseil territorial, "
                                                               "Vitry-sur-Seine")
    assert row.source_slide is None
    assert row.source_title.startswith("ajouté par un administrateur le ")
    [entry] = audits(db)
    assert (entry.user_id, entry.action, entry.entity, entry.entry_id) == (
        ADMIN, "create", "jalon", entry_id)
    assert entry.before is None and entry.after["title"] == "Approbation du PCAET"


def test_day_and_month_precisions_and_unique_keys(db: Engine, tz: ZoneInfo) -> None:
    day = create(db, tz, JALON, 'titre="Approbation du PCAET" projet=PCAET date=2027-07-01')
    month = create(db, tz, JALON, 'titre="Approbation du PCAET" projet=PCAET date="mars 2028"')
    day_row, month_row = get(db, models.Milestone, day), get(db, models.Milestone, month)
    assert (day_row.precision, day_row.start) == (Precision.DAY,
                                                  datetime(2027, 7, 1, 7, tzinfo=UTC))
    assert (month_row.precision, month_row.start) == (Precision.MONTH,
                                                      datetime(2028, 3, 1, 8, tzinfo=UTC))
    assert (day_row.key, month_row.key) == ("approbation-du-pcaet", "approbation-du-pcaet-2")


def test_create_needs_the_required_fields(db: Engine, tz: ZoneInfo) -> None:
    with pytest.raises(AdminError, match="« date » : ce champ est obligatoire"):
        create(db, tz, JALON, "titre=Vote projet=PCAET")
    with pytest.raises(AdminError, match="« heure » : une heure demande un jour précis"):
        create(db, tz, JALON, "titre=Vote projet=PCAET date=03/2027 heure=10h")
    assert audits(db) == []


def test_every_entity_can_be_created_and_stays_exportable(db: Engine, tz: ZoneInfo) -> None:
    person = create(db, tz, ELU, 'nom="Marie DUPONT" fonction="Conseillère déléguée au vélo" '
                                 "role=déléguée axe=1 mots_cles=vélo,pistes")
    create(db, tz, store.ENTITIES["priorite"],
           'theme="Un territoire cyclable" axe=1 elements="Relier | Sécuriser"')
    create(db, tz, store.ENTITIES["chiffre"], 'libelle="pistes cyclables" valeur="120" unite=km')
    create(db, tz, store.ENTITIES["synonyme"], "terme=velo expansion=vélo")
    row = get(db, models.Person, person)
    assert (row.role, row.axis_number, row.keywords) == (Role.DELEGATE, 1, ["vélo", "pistes"])
    with Session(db) as session:
        document = store.parse_import(store.export_document(session, tz).encode())
        assert store.plan_import(session, document, tz).empty


@pytest.mark.parametrize(("command", "message"), [
    ("nom=X fonction=F role=roi", "« role » : valeur attendue"),
    ("nom=X fonction=F role=delegue axe=9", "« axe » : axe inconnu"),
    ("nom=X fonction=F role=delegue", "« nom » : texte trop court"),
    ("nom=Xavier fonction=F\x07 role=delegue",
     "« fonction » : caractère de contrôle interdit \\(U\\+0007\\)"),
    ("nom=Xavier fonction=F role=delegue mots_cles=a,b\x1b",
     "« mots_cles » : caractère de contrôle interdit \\(U\\+001B\\)"),
])
def test_bad_person_fields(db: Engine, tz: ZoneInfo, command: str, message: str) -> None:
    with pytest.raises(AdminError, match=message):
        create(db, tz, ELU, command)


def test_duplicate_synonym_is_refused(db: Engine, tz: ZoneInfo) -> None:
    create(db, tz, store.ENTITIES["synonyme"], "terme=logt expansion=logement")
    with pytest.raises(AdminError, match="existe déjà"):
        create(db, tz, store.ENTITIES["synonyme"], "terme=logt expansion=logements")


def test_html_and_script_are_stored_verbatim(db: Engine, tz: ZoneInfo) -> None:
    title = "<script>alert('x')</script> & <b>gras</b>"
    entry_id = create(db, tz, JALON, f'titre="{title}" projet=PCAET date=15/03/2027')
    assert get(db, models.Milestone, entry_id).title == title


# --------------------------------------------------------------------------- update


def test_update_changes_only_the_given_fields(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "heure=14h30")
    row = get(db, models.Milestone, entry_id)
    assert row.start == datetime(2027, 3, 15, 13, 30, tzinfo=UTC)
    assert row.location == "Conseil territorial, Vitry-sur-Seine"
    update(db, tz, JALON, entry_id, "date=16/03/2027")  # the time is kept
    assert get(db, models.Milestone, entry_id).start == datetime(2027, 3, 16, 13, 30, tzinfo=UTC)
    update(db, tz, JALON, entry_id, "heure=")  # the time is removed: a day
    assert get(db, models.Milestone, entry_id).precision is Precision.DAY
    last = audits(db)[-1]
    assert store.changes_between("jalon", last.before, last.after, tz) == [
        ("date", "mardi 16 mars 2027 à 14 h 30", "mardi 16 mars 2027")]


def test_an_update_that_changes_nothing_writes_nothing(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "projet=PCAET heure=10:00")
    assert len(audits(db)) == 1


def test_update_of_a_missing_entry(db: Engine, tz: ZoneInfo) -> None:
    with pytest.raises(AdminError, match="aucun jalon n'a l'identifiant 9999"):
        update(db, tz, JALON, 9999, "titre=x")


def test_two_admins_on_one_entry_last_writer_wins_both_audited(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "lieu=Ivry")
    update(db, tz, JALON, entry_id, "description=Séance publique", user=OTHER)
    update(db, tz, JALON, entry_id, "lieu=Vitry", user=OTHER)
    row = get(db, models.Milestone, entry_id)
    assert (row.location, row.description) == ("Vitry", "Séance publique")  # field-level merge
    changes = [(a.user_id, store.changes_between("jalon", a.before, a.after, tz))
               for a in audits(db)[1:]]
    assert changes == [
        (ADMIN, [("lieu", "Conseil territorial, Vitry-sur-Seine", "Ivry")]),
        (OTHER, [("description", "(vide)", "Séance publique")]),
        (OTHER, [("lieu", "Ivry", "Vitry")]),
    ]


def test_audited_entries_of_every_kind_are_told_with_french_names_and_values(
        db: Engine, tz: ZoneInfo) -> None:
    """Issue #19.5: /journal showed « ∅ », model keys (source_title) and raw values
    (vice_president, {'label': …}); each field now has its French name and text."""
    typed = {f.name for spec in store.ENTITIES.values() for f in spec.fields}
    english = {attr for model in [*models.KNOWLEDGE_MODELS.values(), models.Synonym]
               for attr in model.model_fields} - typed
    told: dict[str, str] = {}
    with Session(db) as session:
        rows = {kind: session.exec(select(model)).first()
                for kind, model in models.KNOWLEDGE_MODELS.items()}
        rows["person"] = session.exec(select(models.Person).where(
            models.Person.role == Role.VICE_PRESIDENT)).first()
        rows["commune"] = next(c for c in session.exec(select(models.Commune)) if c.figures)
        rows["synonym"] = models.Synonym(id=1, term="boss", entity="person", entry_id=1)
    for kind, row in rows.items():
        for name, before, after in store.changes_between(
                store.KIND_NAMES[kind], None, store.snapshot(row), tz):
            assert name not in english and before == "(vide)", (kind, name)
            told[f"{kind}.{name}"] = after
    assert not [v for v in told.values() if "∅" in v or "{" in v or "_" in v], told
    assert told["person.rôle"] == "vice-president"
    assert told["synonym.entrée"] == "elu"
    assert told["commune.chiffres"].startswith(
        rows["commune"].figures[0]["label"] + " : ")
    assert told["milestone.mots-clés"] == ", ".join(rows["milestone"].keywords)


def test_a_deletion_confirmed_after_another_admins_change_is_refused(
        db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    with Session(db) as session:
        seen = store.stamp(session.get(models.Milestone, entry_id))
    update(db, tz, JALON, entry_id, "lieu=Ivry", user=OTHER)
    with transaction(db) as session, pytest.raises(AdminError, match="modifié entre-temps"):
        store.delete_entry(session, JALON, entry_id, ADMIN, expected_stamp=seen)
    assert get(db, models.Milestone, entry_id) is not None


def test_list_entries_filters_without_accents(db: Engine, tz: ZoneInfo) -> None:
    create(db, tz, JALON, 'titre="Réunion publique" projet=Écoles date=15/03/2027')
    with Session(db) as session:
        found = store.list_entries(session, JALON, "ecoles", tz)
    assert [title for _, title in found] == ["Réunion publique — Écoles — lundi 15 mars 2027"]


def test_stamp_changes_with_every_update(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    first = store.stamp(get(db, models.Milestone, entry_id))
    update(db, tz, JALON, entry_id, "lieu=Ivry")
    assert store.stamp(get(db, models.Milestone, entry_id)) != first
    assert datetime.now(UTC) - get(db, models.Milestone, entry_id).updated_at < timedelta(
        minutes=1)


@pytest.mark.parametrize(("entity", "command", "section", "field", "value"), [
    ("jalon", "titre=Vote projet=PCAET date=15/03/2101", "jalons", "date", "2101-03-15"),
    ("elu", "nom=Xavier fonction=F role=delegue mots_cles=" + "m" * 101, "elus", "mots_cles",
     ["m" * 101]),
    ("priorite", "theme=T elements=" + " | ".join(["x"] * 51), "priorites", "elements",
     ["x"] * 51),
    ("chiffre", "libelle=L valeur=" + "9" * 61, "chiffres", "valeur", "9" * 61),
])
def test_admin_entries_and_imports_share_one_validation(
        db: Engine, tz: ZoneInfo, entity: str, command: str, section: str, field: str,
        value: object) -> None:
    before = state(db, tz)
    with pytest.raises(AdminError):
        create(db, tz, store.ENTITIES[entity], command)
    data = exported(db, tz)
    data[section][0][field] = value
    with pytest.raises(SeedError, match=r"ligne \d+"):
        store.parse_import(as_bytes(data))
    assert state(db, tz) == before
