"""Unit tests of the handlers' helpers, with telegram objects built directly (no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram import Chat, Message, MessageEntity, User

from bot import handlers
from bot.handlers import FLOOD_LIMIT, FLOOD_WINDOW, FloodGuard, _addressed_to_bot, _strip_mention
from knowledge.answers import Answer, AnswerKind
from knowledge.models import UnansweredQuestion
from knowledge.store import transaction

BOT_ID = 123456
BOT = User(BOT_ID, "Mandat", is_bot=True, username="mandat_bot")
ALICE = User(1001, "Alice", is_bot=False)
BOB = User(2002, "Bob", is_bot=False)
GROUP = Chat(-5001, Chat.GROUP, title="Conseil")
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def mentions(text: str) -> list[MessageEntity]:
    """Mention entities the way Telegram sets them (offsets in UTF-16 code units)."""
    found = []
    for word in text.split():
        core = word.rstrip(",.;:!?")
        if core.startswith("@"):
            offset = len(text[: text.index(core)].encode("utf-16-le")) // 2
            found.append(MessageEntity(MessageEntity.MENTION, offset, len(core)))
    return found


def group_message(
    text: str,
    *,
    sender: User = ALICE,
    reply_to: Message | None = None,
    entities: list[MessageEntity] | None = None,
) -> Message:
    return Message(
        message_id=10,
        date=NOW,
        chat=GROUP,
        from_user=sender,
        text=text,
        entities=mentions(text) if entities is None else entities,
        reply_to_message=reply_to,
    )


# ---------------------------------------------------------------------- _addressed_to_bot


@pytest.mark.parametrize(
    "text",
    [
        "@mandat_bot qui s'occupe du logement ?",
        "Bonjour @mandat_bot, qui s'occupe du logement ?",
        "@Mandat_Bot logement",  # usernames are case-insensitive
        "logement ? @mandat_bot",
    ],
)
def test_a_mention_addresses_the_bot(text: str) -> None:
    assert _addressed_to_bot(group_message(text), "mandat_bot", BOT_ID)


@pytest.mark.parametrize(
    "text",
    [
        "qui s'occupe du logement ?",
        "@mandat_bot_fan logement",  # another account whose name starts like the bot's
        "@otherbot logement",
        "écrivez à mandat_bot pour savoir",  # the name without '@' is not a mention
    ],
)
def test_other_messages_do_not_address_the_bot(text: str) -> None:
    assert not _addressed_to_bot(group_message(text), "mandat_bot", BOT_ID)


def test_a_mention_needs_an_entity_not_just_the_text() -> None:
    """Text that merely contains '@mandat_bot' inside code or a URL carries no mention."""
    message = group_message(
        "voir `@mandat_bot`", entities=[MessageEntity(MessageEntity.CODE, 5, 12)]
    )
    assert not _addressed_to_bot(message, "mandat_bot", BOT_ID)


def test_a_reply_to_the_bot_addresses_it() -> None:
    bot_message = Message(1, NOW, GROUP, from_user=BOT, text="Lamia BENSARSA-REDA…")
    assert _addressed_to_bot(
        group_message("et pour l'habitat ?", reply_to=bot_message), "mandat_bot", BOT_ID
    )


def test_a_reply_to_someone_else_does_not() -> None:
    bob_says = Message(1, NOW, GROUP, from_user=BOB, text="on en parle jeudi")
    assert not _addressed_to_bot(group_message("d'accord", reply_to=bob_says), "mandat_bot", BOT_ID)
    anonymous = Message(2, NOW, GROUP, text="message sans auteur")
    assert not _addressed_to_bot(group_message("ok", reply_to=anonymous), "mandat_bot", BOT_ID)


def test_mentions_are_found_after_emoji() -> None:
    """Entity offsets are UTF-16: an emoji before the mention shifts it by two units."""
    text = "👋🏽 @mandat_bot logement"
    assert _addressed_to_bot(group_message(text), "mandat_bot", BOT_ID)


# ---------------------------------------------------------------------- _strip_mention


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("@mandat_bot qui s'occupe du logement ?", "qui s'occupe du logement ?"),
        ("qui s'occupe du logement ? @mandat_bot", "qui s'occupe du logement ?"),
        ("@MANDAT_BOT logement", "logement"),
        ("@mandat_bot", ""),
        ("logement", "logement"),
    ],
)
def test_strip_mention_leaves_the_question(text: str, question: str) -> None:
    assert _strip_mention(group_message(text), "mandat_bot") == question


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("@mandat_bot, qui s'occupe du logement ?", "qui s'occupe du logement ?"),
        ("Bonjour @mandat_bot : qui s'occupe du logement ?", "Bonjour qui s'occupe du logement ?"),
    ],
)
def test_strip_mention_handles_punctuation_after_the_mention(text: str, question: str) -> None:
    """'@mandat_bot, …' is how people write in French; the comma must not keep the mention.

    Otherwise the engine receives '@mandat_bot, qui s'occupe du logement ?' and, with the words
    'mandat' and 'bot' in the way, answers « Je n'ai pas trouvé » (see the group e2e test).
    """
    stripped = _strip_mention(group_message(text), "mandat_bot")
    assert "mandat_bot" not in stripped.lower()
    assert stripped.replace(" :", "").replace(",", "").split() == question.split()


def test_strip_mention_keeps_other_mentions() -> None:
    text = "@mandat_bot @bob_dupont gère quoi ?"
    assert _strip_mention(group_message(text), "mandat_bot") == "@bob_dupont gère quoi ?"


# ---------------------------------------------------------------------- FloodGuard


def test_flood_guard_ok_then_warn_then_drop_then_ok_after_the_window() -> None:
    guard = FloodGuard()
    assert (guard.limit, guard.window) == (FLOOD_LIMIT, FLOOD_WINDOW) == (20, 60.0)
    verdicts = [guard.check(1001, now=100.0 + i * 0.1) for i in range(20)]
    assert verdicts == ["ok"] * 20
    assert guard.check(1001, now=102.5) == "warn"
    assert guard.check(1001, now=103.0) == "drop"
    assert guard.check(1001, now=150.0) == "drop"
    # the first message (t=100.0) leaves the 60 s window strictly after t=160.0
    assert guard.check(1001, now=160.0) == "drop"
    assert guard.check(1001, now=160.05) == "ok"
    assert guard.check(1001, now=160.06) == "warn"  # only one slot was freed


def test_flood_guard_warns_again_after_recovering() -> None:
    guard = FloodGuard(limit=2, window=10.0)
    assert [guard.check(7, now=t) for t in (0.0, 1.0, 2.0, 3.0)] == ["ok", "ok", "warn", "drop"]
    assert guard.check(7, now=20.0) == "ok"
    assert [guard.check(7, now=t) for t in (20.1, 20.2)] == ["ok", "warn"]


def test_flood_guard_counts_each_user_separately() -> None:
    guard = FloodGuard(limit=3, window=60.0)
    assert [guard.check(1, now=0.0) for _ in range(4)] == ["ok", "ok", "ok", "warn"]
    assert [guard.check(2, now=0.0) for _ in range(3)] == ["ok", "ok", "ok"]


def test_dropped_messages_do_not_extend_the_penalty() -> None:
    """Refused messages are not recorded: the user is back once the accepted ones age out."""
    guard = FloodGuard(limit=2, window=10.0)
    guard.check(9, now=0.0)
    guard.check(9, now=0.0)
    for t in range(1, 10):
        assert guard.check(9, now=float(t)) in ("warn", "drop")
    assert guard.check(9, now=10.5) == "ok"


def test_flood_guard_uses_the_monotonic_clock_by_default() -> None:
    guard = FloodGuard(limit=1, window=3600.0)
    assert guard.check(5) == "ok"
    assert guard.check(5) == "warn"


async def test_a_question_logged_meanwhile_in_another_chat_is_counted_on_its_row(
        db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two chats ask the same unanswered question at once: the second to commit meets the
    row the first wrote (a unique key) and counts on it, without logging an error."""
    real = handlers.log_unanswered
    raced: list[bool] = []

    def racing(session: Session, *args: object) -> None:
        real(session, *args)
        if not raced:  # the other chat commits the same question before this one does
            raced.append(True)
            with transaction(db) as other:
                real(other, *args)

    monkeypatch.setattr(handlers, "log_unanswered", racing)
    answer = Answer(AnswerKind.UNKNOWN, "Quelle météo demain ?", "Je n'ai pas trouvé.", [],
                    [], normalized="quelle meteo demain")
    await handlers._log_if_weak(SimpleNamespace(db=db), answer)
    with Session(db) as session:
        rows = session.exec(select(UnansweredQuestion)).all()
    assert [(row.normalized, row.count) for row in rows] == [("quelle meteo demain", 2)]
