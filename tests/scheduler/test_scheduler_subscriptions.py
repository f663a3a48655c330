"""Subscriptions and topics, reminder and digest texts, the weekly digest."""

from __future__ import annotations

import pytest
from scheduler_helpers import DAY, HOUR, PARIS, add_milestone, add_subscriber, make_service, paris
from sqlmodel import Session

from knowledge.models import Milestone, Precision
from knowledge.store import transaction
from scheduler import reminders, texts
from scheduler.notifier import CalendarButton


def _milestone(**fields) -> Milestone:
    values = {
        "key": "m",
        "project": "Conseil",
        "title": "Séance",
        "start": paris("2027-03-15T10:00"),
        "precision": Precision.EXACT,
    } | fields
    return Milestone(**values)


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("pcaet", True),
        ("PCAET", True),
        ("plan climat", True),
        ("Plan-Climat", True),
        ("climat", True),
        ("plui", False),
        ("transport", False),
        ("sport", False),
        (None, True),
    ],
)
def test_topic_matching(topic, expected):
    pcaet = _milestone(
        project="PCAET",
        title="Adoption du plan climat",
        keywords=["PCAET", "plan climat", "énergie"],
    )
    assert reminders.topic_matches(topic, pcaet) is expected


def test_topic_does_not_match_inside_a_word():
    transport = _milestone(project="Transports", title="Comité des transports")
    assert reminders.topic_matches("transport", transport)
    assert not reminders.topic_matches("sport", transport)
    assert reminders.topic_matches("port", _milestone(title="Port de Bonneuil")) is True


def test_subscribe_helpers(db):
    with transaction(db) as session:
        first, created = reminders.subscribe(session, 7, "Alice", "PCAET")
        assert created
        again, created = reminders.subscribe(session, 7, "Alice", "  pcaet ")
        assert not created and again.id == first.id
        reminders.subscribe(session, 7, "Alice", None)
        assert [s.topic for s in reminders.subscriptions_of(session, 7)] == [None, "PCAET"]
        assert reminders.set_offsets(session, 7, [HOUR, 7 * DAY, HOUR]) == [7 * DAY, HOUR]
        assert reminders.set_digest(session, 7, True) is True
        assert reminders.set_digest(session, 7, True) is True  # a second press: still on
        assert reminders.set_digest(session, 7, False) is False
        with pytest.raises(ValueError):
            reminders.set_offsets(session, 7, [0])
        with pytest.raises(ValueError):
            reminders.subscribe(session, 7, "Alice", "x" * 101)
        assert reminders.unsubscribe(session, 7, "Pcaet").topics == ["PCAET"]
        assert reminders.unsubscribe(session, 7, "inconnu").topics == []
        assert reminders.set_digest(session, 7, True) is True
        assert reminders.unsubscribe(session, 7, None) == reminders.Unsubscribed([None], True)
        assert reminders.subscriptions_of(session, 7) == []
        assert reminders.unsubscribe(session, 99, None).topics == []
        assert reminders.set_offsets(session, 7, None) is None


async def test_topic_subscriber_gets_only_their_topic(db, notifier, clock):
    add_milestone(
        db,
        "pcaet-adoption",
        "2027-03-10T10:00",
        project="PCAET",
        title="Adoption du PCAET",
        keywords=["plan climat"],
    )
    add_milestone(db, "plui-arret", "2027-03-10T10:00", project="PLUi", title="Arrêt du PLUi")
    add_milestone(
        db,
        "conseil",
        "2027-03-10T10:00",
        project="Conseil territorial",
        title="Conseil territorial",
    )
    add_subscriber(db, 1, "pcaet")
    add_subscriber(db, 2)  # everything
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    await service.run_due()
    assert len(notifier.texts(1)) == 1 and "Adoption du PCAET" in notifier.texts(1)[0]
    assert len(notifier.texts(2)) == 3


def test_reminder_text_and_button():
    milestone = _milestone(
        id=42,
        title="Conseil territorial",
        location="Vitry-sur-Seine",
        project="Conseil territorial",
        source_slide=51,
        source_title="Prochains rendez-vous",
    )
    text = texts.reminder_text(milestone, paris("2027-03-14T10:00"), PARIS)
    assert text.startswith("🔔 Rappel : Conseil territorial, demain.")
    assert "Quand : lundi 15 mars 2027 à 10 h" in text
    assert "Où : Vitry-sur-Seine" in text
    assert "diapositive 51" in text
    assert "approximative" not in text
    assert texts.reminder_buttons(milestone) == [CalendarButton("📅 Ajouter à mon agenda", 42)]


def test_approximate_dates_are_said_so():
    day = _milestone(start=paris("2027-03-15T09:00"), precision=Precision.DAY)
    month = _milestone(start=paris("2027-03-01T09:00"), precision=Precision.MONTH)
    rough = _milestone(approximate=True)
    now = paris("2027-03-08T09:00")
    assert "lundi 15 mars 2027 (date approximative, heure non précisée)" in (
        texts.reminder_text(day, now, PARIS)
    )
    month_text = texts.reminder_text(month, paris("2027-02-22T09:00"), PARIS)
    assert "mars 2027 (date approximative)" in month_text and "en mars 2027" in month_text
    assert "à 10 h (date approximative)" in texts.reminder_text(rough, now, PARIS)
    assert "Où : lieu non précisé" in texts.reminder_text(rough, now, PARIS)


async def test_weekly_digest_covers_the_next_14_days_once(db, notifier, clock):
    add_milestone(db, "in-3-days", "2027-03-25T10:00", title="Bureau", location="Ivry")
    add_milestone(db, "in-13-days", "2027-04-04", title="Forum")
    add_milestone(db, "in-15-days", "2027-04-06T10:00", title="Trop loin")
    add_milestone(db, "yesterday", "2027-03-21T10:00", title="Passé")
    add_subscriber(db, 1, digest=True)
    add_subscriber(db, 2)  # no digest
    add_subscriber(db, 3, "urbanisme", digest=True)  # follows nothing in the window
    service = make_service(db, notifier, clock, offsets=[30 * DAY])
    clock.set("2027-03-22T08:30")  # Monday
    stats = await service.send_digest()
    assert stats.sent == 1 and notifier.chats() == [1]
    [text] = notifier.texts(1)
    assert "14 prochains jours" in text
    assert "• jeudi 25 mars 2027 à 10 h — Bureau (Conseil), Ivry" in text
    assert "dimanche 4 avril 2027 (date approximative, heure non précisée) — Forum" in text
    assert "Trop loin" not in text and "Passé" not in text
    clock.set("2027-03-22T09:00")
    assert (await service.send_digest()).sent == 0  # once a week
    clock.set("2027-03-23T08:30")
    assert (await service.send_digest()).sent == 0  # outside grace: the next one is Monday


def test_digest_text_when_empty():
    assert "aucun rendez-vous" in texts.digest_text([], paris("2027-03-22T08:30"), PARIS, 14)


def test_matching_milestones(db):
    add_milestone(db, "pcaet", "2027-03-10T10:00", project="PCAET", title="Adoption")
    add_milestone(db, "plui", "2027-03-10T10:00", project="PLUi", title="Arrêt")
    with Session(db) as session:
        found = reminders.matching_milestones(session, "pcaet", paris("2027-03-01T00:00"))
    assert [m.key for m in found] == ["pcaet"]
