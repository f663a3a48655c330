"""knowledge.admin_store: French field parsing, audited changes, undo, imports by natural key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.admin_store import AdminError
from knowledge.engine import AnswerEngine
from knowledge.models import Precision, Role
from knowledge.seed import MAX_DOCUMENT_BYTES, SeedError, dump_document, dump_yaml, parse_document
from knowledge.store import knowledge_version, log_unanswered, transaction

ADMIN, OTHER = 1001, 1002
JALON = store.ENTITIES["jalon"]
ELU = store.ENTITIES["elu"]


def raw(spec: store.EntitySpec, command: str) -> dict[str, str]:
    return store.parse_assignments(spec, store.split_words(command))


def create(db: Engine, tz: ZoneInfo, spec: store.EntitySpec, command: str,
           user: int = ADMIN) -> int:
    with transaction(db) as session:
        return store.create_entry(session, spec, raw(spec, command), user, tz).id


def update(db: Engine, tz: ZoneInfo, spec: store.EntitySpec, entry_id: int, command: str,
           user: int = ADMIN) -> None:
    with transaction(db) as session:
        store.update_entry(session, spec, entry_id, raw(spec, command), user, tz)


def get(db: Engine, model: type, entry_id: int):  # noqa: ANN202 - any model row
    with Session(db) as session:
        return session.get(model, entry_id)


def state(db: Engine, tz: ZoneInfo) -> tuple:
    """Everything an admin operation may change: the whole base and the audit trail."""
    with Session(db) as session:
        audits = session.exec(select(func.count()).select_from(models.AuditEntry)).one()
        return (dump_yaml(dump_document(session, tz)), knowledge_version(session), audits)


def audits(db: Engine) -> list[models.AuditEntry]:
    with Session(db) as session:
        return list(session.exec(select(models.AuditEntry).order_by(models.AuditEntry.id)))


MILESTONE = ('titre="Approbation du PCAET" projet=PCAET date=15/03/2027 heure=10h '
             'lieu="Conseil territorial, Vitry-sur-Seine"')


# --------------------------------------------------------------------------- parsing


def test_assignments_accept_quotes_typographic_quotes_apostrophes_and_bare_words() -> None:
    assert raw(JALON, MILESTONE) == {
        "titre": "Approbation du PCAET", "projet": "PCAET", "date": "15/03/2027",
        "heure": "10h", "lieu": "Conseil territorial, Vitry-sur-Seine"}
    assert raw(JALON, "titre=«Vote du budget» lieu=“Salle d'honneur”") == {
        "titre": "Vote du budget", "lieu": "Salle d'honneur"}
    assert raw(JALON, "titre=Vote de l'EPT projet=Budget") == {
        "titre": "Vote de l'EPT", "projet": "Budget"}
    assert raw(JALON, "Étape=Vote mots-clés=a,b") == {"etape": "Vote", "mots_cles": "a,b"}


@pytest.mark.parametrize(("command", "message"), [
    ('titre="Approbation du PCAET', "guillemets non refermés"),
    ("lieux=Vitry", "champ « lieux » inconnu pour un jalon"),
    ("titre=a titre=b", "donné deux fois"),
    ("Approbation", "écrivez champ=valeur"),
])
def test_assignment_mistakes_are_told_in_french(command: str, message: str) -> None:
    with pytest.raises(AdminError, match=message):
        raw(JALON, command)


def test_a_huge_value_is_refused_naming_the_field() -> None:
    with pytest.raises(AdminError) as caught:
        raw(JALON, "description=" + "x" * 100_000)
    assert "« description » est trop long" in str(caught.value)
    assert "100\u202f000 caractères, 1\u202f000 au maximum" in str(caught.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("15/03/2027", (2027, 3, 15)), ("2027-03-15", (2027, 3, 15)), ("15.03.2027", (2027, 3, 15)),
    ("15 mars 2027", (2027, 3, 15)), ("mardi 16 mars 2027", (2027, 3, 16)),
    ("1er février 2027", (2027, 2, 1)), ("15 MARS 2027", (2027, 3, 15)),
    ("mars 2027", (2027, 3, None)), ("03/2027", (2027, 3, None)), ("2027-03", (2027, 3, None)),
])
def test_dates_in_french_formats(text: str, expected: tuple) -> None:
    assert store.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2027", "32/01/2027", "15 floréal 2027", "demain",
                                  "15/03/27", "15/03/1850"])
def test_bad_dates_name_the_field_with_an_example(text: str) -> None:
    with pytest.raises(AdminError, match=r"« date » .*exemple : date=15/03/2027"):
        store.parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("10h", (10, 0)), ("10h30", (10, 30)), ("10:00", (10, 0)), ("10 h 30", (10, 30)),
    ("9H05", (9, 5)), ("18 heures", (18, 0)),
])
def test_times(text: str, expected: tuple) -> None:
    assert store.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25h", "10h75", "midi", "10"])
def test_bad_times(text: str) -> None:
    with pytest.raises(AdminError, match="« heure »"):
        store.parse_time(text)


def test_entity_names_are_forgiving_but_unknown_ones_are_refused() -> None:
    assert store.entity_spec("Élus") is ELU
    assert store.entity_spec("priorités").name == "priorite"
    with pytest.raises(AdminError, match="entité « commune » inconnue"):
        store.entity_spec("commune")


# --------------------------------------------------------------------------- create


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


# --------------------------------------------------------------------------- delete, undo


def test_delete_takes_pinned_synonyms_and_referents_along_and_undo_restores(
        db: Engine, tz: ZoneInfo) -> None:
    with Session(db) as session:
        priority = session.exec(select(models.Priority).where(models.Priority.leads != [])).first()
        person = session.exec(select(models.Person).where(
            models.Person.key == priority.leads[0])).one()
    with transaction(db) as session:
        session.add(models.Synonym(term="le boss", entity="person", entry_id=person.id))
    before = state(db, tz)[0]
    with transaction(db) as session:
        store.delete_entry(session, ELU, person.id, ADMIN)
    assert person.key not in get(db, models.Priority, priority.id).leads
    with Session(db) as session:  # still a valid document: nothing points at the gone entry
        parse_document(store.export_document(session, tz))
    with transaction(db) as session:
        assert store.undo_last(session, ADMIN, tz).action == "delete"
    assert state(db, tz)[0] == before
    assert get(db, models.Person, person.id).name == person.name  # same id again


def test_undo_create_and_update_then_nothing_left(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "lieu=Ivry")
    with transaction(db) as session:
        assert store.undo_last(session, ADMIN, tz).action == "update"
    assert get(db, models.Milestone, entry_id).location.startswith("Conseil territorial")
    with transaction(db) as session:
        assert store.undo_last(session, ADMIN, tz).action == "create"
    assert get(db, models.Milestone, entry_id) is None
    with transaction(db) as session, pytest.raises(AdminError, match="aucune modification"):
        store.undo_last(session, ADMIN, tz)
    assert [a.action for a in audits(db)] == ["create", "update", "undo", "undo"]


def test_undo_is_only_for_my_own_change_and_refused_after_someone_elses(
        db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "lieu=Ivry", user=OTHER)
    with transaction(db) as session, pytest.raises(AdminError, match="modifié depuis"):
        store.undo_last(session, ADMIN, tz)
    assert get(db, models.Milestone, entry_id).location == "Ivry"


# --------------------------------------------------------------------------- two admins


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
        (OTHER, [("description", "∅", "Séance publique")]),
        (OTHER, [("lieu", "Ivry", "Vitry")]),
    ]


def test_a_deletion_confirmed_after_another_admins_change_is_refused(
        db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    with Session(db) as session:
        seen = store.stamp(session.get(models.Milestone, entry_id))
    update(db, tz, JALON, entry_id, "lieu=Ivry", user=OTHER)
    with transaction(db) as session, pytest.raises(AdminError, match="modifié entre-temps"):
        store.delete_entry(session, JALON, entry_id, ADMIN, expected_stamp=seen)
    assert get(db, models.Milestone, entry_id) is not None


# --------------------------------------------------------------------------- import


def exported(db: Engine, tz: ZoneInfo) -> dict:
    with Session(db) as session:
        return yaml.safe_load(store.export_document(session, tz))


def as_bytes(data: dict) -> bytes:
    return dump_yaml(data).encode()


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
    (b"synonyms:\n  - term: boss\n    entity: person\n    key: personne\n", "inconnue"),
])
def test_hostile_documents_are_refused_and_change_nothing(
        db: Engine, tz: ZoneInfo, payload: bytes, message: str) -> None:
    before = state(db, tz)
    with pytest.raises(SeedError, match=message):
        document = store.parse_import(payload)
        with transaction(db) as session:
            store.apply_import(session, document, tz, ADMIN)
    assert state(db, tz) == before


def test_an_import_that_fails_midway_is_rolled_back(db: Engine, tz: ZoneInfo,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = exported(db, tz)
    data["people"][0]["title"] = "Président du territoire"
    data["facts"].pop()
    document = store.parse_import(as_bytes(data))
    before = state(db, tz)

    def explode(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_apply_synonyms", explode)
    with pytest.raises(RuntimeError), transaction(db) as session:
        store.apply_import(session, document, tz, ADMIN)
    assert state(db, tz) == before


# --------------------------------------------------------------------------- questions, admins


def ask_unanswered(db: Engine, engine: AnswerEngine, text: str) -> int:
    answer = engine.ask(text)
    with transaction(db) as session:
        log_unanswered(session, text, answer.normalized, answer.score)
    with Session(db) as session:
        return session.exec(select(models.UnansweredQuestion.id).where(
            models.UnansweredQuestion.text == text)).one()


def test_attaching_a_question_teaches_the_engine(db: Engine, tz: ZoneInfo,
                                                 engine: AnswerEngine) -> None:
    question = "le grand manitou des HLM"
    question_id = ask_unanswered(db, engine, question)
    with Session(db) as session:
        person = session.exec(select(models.Person)).first()
    with transaction(db) as session:
        synonym = store.attach_question(session, question_id, "person", person.id, ADMIN)
    assert (synonym.term, synonym.entity, synonym.entry_id) == (question, "person", person.id)
    engine.reload()
    answer = engine.ask(question)
    assert answer.matches[0].kind == "person" and answer.matches[0].entry_id == person.id
    with Session(db) as session:
        assert store.unanswered(session) == []
    with transaction(db) as session, pytest.raises(AdminError, match="plus en attente"):
        store.attach_question(session, question_id, "person", person.id, ADMIN)


def test_attaching_to_a_milestone_goes_through_its_project(db: Engine, tz: ZoneInfo,
                                                           engine: AnswerEngine) -> None:
    question_id = ask_unanswered(db, engine, "xyzzy quand")
    with Session(db) as session:
        milestone = session.exec(select(models.Milestone)).first()
    with transaction(db) as session:
        synonym = store.attach_question(session, question_id, "milestone", milestone.id, ADMIN)
    assert (synonym.expansion, synonym.entity) == (milestone.project, None)


def test_long_questions_become_a_short_term() -> None:
    question = models.UnansweredQuestion(text="mot " * 100, normalized="mot " * 100)
    term = store.question_term(question)
    assert len(term) <= store.MAX_TERM and term.startswith("mot mot")


def test_admins_from_settings_and_from_the_database(db: Engine) -> None:
    with transaction(db) as session:
        assert store.add_admin(session, [ADMIN], OTHER, ADMIN) is True
        assert store.add_admin(session, [ADMIN], OTHER, ADMIN) is False
    with Session(db) as session:
        assert store.admin_ids(session, [ADMIN]) == {ADMIN, OTHER}
        assert store.is_admin(session, [ADMIN], OTHER)
        assert not store.is_admin(session, [ADMIN], 3003)
    with transaction(db) as session:
        with pytest.raises(AdminError, match="ADMIN_IDS"):
            store.remove_admin(session, [ADMIN], ADMIN, OTHER)
        with pytest.raises(AdminError, match="vous-même"):
            store.remove_admin(session, [ADMIN], OTHER, OTHER)
        store.remove_admin(session, [ADMIN], OTHER, ADMIN)
    with Session(db) as session:
        assert not store.is_admin(session, [ADMIN], OTHER)
    assert [a.action for a in audits(db)] == ["admin_add", "admin_remove"]


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
    ("jalon", "titre=Vote projet=PCAET date=15/03/2101", "milestones", "start", "2101-03-15"),
    ("elu", "nom=Xavier fonction=F role=delegue mots_cles=" + "m" * 101, "people", "keywords",
     ["m" * 101]),
    ("priorite", "theme=T elements=" + " | ".join(["x"] * 51), "priorities", "items",
     ["x"] * 51),
    ("chiffre", "libelle=L valeur=" + "9" * 61, "figures", "value", "9" * 61),
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
