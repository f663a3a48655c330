"""Screenshot-grade check: every screen an official or an admin can reach, through the real
Application and the loopback Bot API, with the seed data and with 500 extra entries of
each kind (people, priorities, figures, milestones, communes, subscriptions, questions).

Commands, answers of each kind, a reminder, a digest and admin previews are sent; then the
menus are walked by pressing their buttons (breadth first over callback data, capped).
Every message the bot managed to send or edit is checked: within Telegram's limits (the
stand-in also refuses bad HTML, too long texts and keyboards), no "(e)"/"(s)" template, no
unit said twice, no button label cut inside a word, no label twice on one keyboard, a
non-breaking space before : ; ? ! and inside « » (texts and labels), no quote that starts
inside its sentence ("…xxx…"); every answer cites its source, and so does every page of
/chiffres, /elus and of an answer's « Voir la suite ».
"""

from __future__ import annotations

import re
from collections import deque
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session, select
from telegram.constants import InlineKeyboardMarkupLimit, MessageLimit

from bot.callbacks import Prefix, parse
from bot.handlers import FloodGuard
from knowledge import models
from knowledge.models import Precision, Role, utcnow
from knowledge.store import log_unanswered, transaction
from scheduler import reminders
from scheduler.texts import digest_text, reminder_buttons, reminder_text
from tests.e2e.screen_checks import breakable_spaces, opening_cuts, source_lines

if TYPE_CHECKING:  # the harness lives in conftest.py (fixture `bot_env`)
    from tests.e2e.conftest import BotEnv

USER = 1001  # BotEnv.send's default private chat
ADMIN = 4242  # the admin of the test settings
EXTRA = 500
PRESS_CAP = 100  # presses per walk: enough to reach every menu level, bounded in time
TEMPLATE = re.compile(r"\w\((e|s|es|ent)\)")
WALKED = {Prefix.MENU, Prefix.AXIS, Prefix.PRIORITY, Prefix.PERSON, Prefix.COMMUNE,
          Prefix.AGENDA, Prefix.SUBSCRIPTIONS, Prefix.ENTRY, Prefix.MORE}
ADMIN_PAGES = ("adm:ls:", "adm:qp:")  # admin buttons that only turn pages

ANSWERS = [  # each answered, with its source
    "qui s'occupe du logement ?",
    "vitry",  # several entries
    "PCAET c'est quand ?",  # a milestone, with its reminder button
    "combien de gares ?",  # figures
    "Qu'est-il prévu pour la natation scolaire ?",  # told in part: « Voir la suite »
    "axe 3 : la liste de ses priorités",  # an axis told in part
    "biodechets, prevu quoi",
]
QUESTIONS = [*ANSWERS,
             "quel temps fera-t-il sur la lune ?",  # unknown
             "bonjour"]  # small talk
COMMANDS = ["/start", "/aide", "/priorites", "/elus", "/chiffres", "/agenda", "/chercher gares",
            "/abonner", "/abonnements", "/rappels", "/resume", "/desabonner"]
ROOTS = ["/start", "/abonnements", "/chercher gares", "vitry",  # the walks start here
         "Qu'est-il prévu pour la natation scolaire ?", "axe 3 : la liste de ses priorités"]
SOURCED = ("Chiffres clés", "Les élus qui portent", "Axe 3 « L'économie", "Pour des réseaux")
ADMIN_ROOTS = ["/liste jalon", "/liste elu", "/questions"]
ADMIN_COMMANDS = ["/liste jalon", "/liste elu", "/liste priorite", "/liste chiffre",
                  "/questions", "/journal", "/champs priorite", "/champs jalon", "/ajouter",
                  "/admins", "/supprimer jalon 1", "/modifier"]


# ---------------------------------------------------------------------- data
def add_extra_entries(env: BotEnv) -> None:
    """EXTRA more of every kind of entry, then the engine reloads."""
    now = utcnow()
    with transaction(env.services.db) as session:
        keys = [f"extra-{i}" for i in range(EXTRA)]
        for i, key in enumerate(keys):
            title = ("conseillère déléguée" if i % 2 else "conseiller délégué") + f" au sujet {i}"
            session.add(models.Person(key=key, name=f"Camille EXTRA{i}", role=Role.DELEGATE,
                                      title=title, axis_number=1 + i % 4))
            session.add(models.Priority(
                key=key, axis_number=1 + i % 4, leads=keys[:40] if i == 0 else [key],
                theme="Pour un aménagement durable du territoire et des communes qui le "
                      f"composent, volet {i % 7}",  # long and repeated: cut and told apart
                source_title=f"Volet {i}"))
            session.add(models.Figure(key=key, label=f"Indicateur supplémentaire {i}",
                                      value=f"{i} %" if i % 2 else str(i), unit="%"))
            session.add(models.Milestone(
                key=key, project=f"Projet {i % 50}", title=f"Réunion de suivi {i}",
                start=now + timedelta(days=3 * (i - EXTRA // 2) + 1), precision=Precision.DAY,
                approximate=i % 3 == 0, location="Salle du conseil"))
            session.add(models.Commune(name=f"Commune {i}", figures=[]))
        subscription, _ = reminders.subscribe(session, USER, "Alice", "Projet 0")
        for i in range(1, EXTRA):  # rows of their own: subscribe() checks each for duplicates
            session.add(models.Subscription(subscriber_id=subscription.subscriber_id,
                                            topic=f"Projet {i}"))
        for i in range(EXTRA):
            log_unanswered(session, f"question sans réponse {i}", f"question {i}", 0.1)
    env.services.knowledge_changed()


# ---------------------------------------------------------------------- checks
def vocabulary(env: BotEnv) -> set[str]:
    """Every word the base and the bot's texts contain (a cut label ends on one of them)."""
    view = env.services.engine.view
    rows = [*view.axes.values(), *view.people.values(), *view.priorities.values(),
            *view.figures.values(), *view.communes.values(), *view.facts.values(),
            *(m for p in view.projects for m in p.milestones)]
    words: set[str] = set()
    for row in rows:
        for value in row.model_dump().values():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    words.update(re.findall(r"[\w'’-]+", text))
    for call in env.api.calls(ok=True):  # what the bot itself wrote (texts, labels)
        words.update(re.findall(r"[\w'’-]+", str(call.params.get("text", ""))))
    return words


def doubled_units(env: BotEnv) -> re.Pattern[str]:
    """"56 % %", "11 NPRU NPRU": any unit of the base's figures said twice in a row."""
    units = {f.unit.strip() for f in env.services.engine.view.figures.values() if f.unit.strip()}
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})\s+\1(?!\w)", re.IGNORECASE)


def problems(env: BotEnv, words: set[str]) -> list[str]:
    """What a careful reader would object to, in every message the bot sent or edited."""
    doubled = doubled_units(env)
    found = [f"refused {c.method}: {c.description}" for c in env.unexpected_failures()]
    for call in env.api.calls(ok=True):
        if call.method not in ("sendMessage", "editMessageText", "sendDocument"):
            continue
        message = call.result if isinstance(call.result, dict) else {}
        text = message.get("text") or message.get("caption") or ""
        where = f"{call.method} «{text[:60]}»"
        if len(text) > MessageLimit.MAX_TEXT_LENGTH:
            found.append(f"{where}: {len(text)} characters")
        if TEMPLATE.search(text):
            found.append(f"{where}: template {TEMPLATE.search(text).group()}")
        if doubled.search(text):
            found.append(f"{where}: doubled unit {doubled.search(text).group()!r}")
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        labels = [b["text"] for row in rows for b in row]
        if len(labels) > InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER:
            found.append(f"{where}: {len(labels)} buttons")
        if len(labels) != len(set(labels)):
            found.append(f"{where}: duplicate labels {sorted(labels)}")
        for label in labels:
            for head in label.split("…")[:-1]:  # a label may leave out words: whole ones
                last = re.findall(r"[\w'’-]+", head)
                if last and last[-1] not in words:
                    found.append(f"{where}: label cut inside a word: {label!r}")
            found += [f"{where}: breakable space in label {label!r}"
                      for _ in breakable_spaces(label)]
        found += [f"{where}: breakable space: {at!r}"
                  for at in breakable_spaces(text, message.get("entities")
                                             or message.get("caption_entities"))]
        found += [f"{where}: quote cut at its start: {at!r}" for at in opening_cuts(text)]
        if text.replace("\u00a0", " ").startswith(SOURCED) and len(source_lines(text)) != 1:
            found.append(f"{where}: a page without its source")
    return found


def unsourced_answers(env: BotEnv) -> list[str]:
    """The answers to ANSWERS that cite no source."""
    history = env.api.history(USER)
    found = []
    for question in ANSWERS:
        start = next(i for i, m in enumerate(history) if m.get("text") == question)
        end = next(i for i in range(start + 1, len(history)) if not history[i]["from"]["is_bot"])
        replies = [m.get("text", "") for m in history[start + 1:end]]
        if not any(len(source_lines(text)) == 1 for text in replies):
            found.append(f"{question!r}: {replies}")
    return found


# ---------------------------------------------------------------------- walking
def buttons_of(message: dict) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b.get("callback_data", "") for row in rows for b in row]


def walkable(data: str, admin: bool) -> bool:
    if admin:
        return data.startswith(ADMIN_PAGES)
    parsed = parse(data)
    return parsed is not None and parsed.prefix in WALKED


def showing(env: BotEnv, chat_id: int, data: str) -> int | None:
    """The newest bot message of the chat whose keyboard has `data` now."""
    ids = [m["message_id"] for m in env.api.messages(chat_id) if data in buttons_of(m)]
    return ids[-1] if ids else None


async def walk(env: BotEnv, chat_id: int, roots: list[str], *, admin: bool = False) -> int:
    """Press every button reachable from the `roots` commands, breadth first (a screen gone
    from the chat is reached again from its root); return the number of presses."""
    queue: deque[tuple[str, list[str]]] = deque()
    seen: set[str] = set()

    def enqueue(root: str, path: list[str], message: dict) -> None:
        for data in buttons_of(message):
            if data not in seen and walkable(data, admin):
                seen.add(data)
                queue.append((root, [*path, data]))

    for root in roots:
        for message in await env.send(root, chat_id=chat_id):
            enqueue(root, [], message)
    presses = 0
    while queue and presses < PRESS_CAP:
        root, path = queue.popleft()
        steps = path[-1:] if showing(env, chat_id, path[-1]) else path
        if len(steps) > 1:
            await env.send(root, chat_id=chat_id)
        for data in steps:
            message_id = showing(env, chat_id, data)
            if message_id is None:  # that screen changed with the walk (e.g. unsubscribed)
                break
            before = len(env.api.sent)
            await env.press(chat_id, message_id, data)
            presses += 1
        for call in env.api.sent[before:]:
            if call.ok and isinstance(call.result, dict):
                enqueue(root, path, call.result)
    return presses


async def show_everything(env: BotEnv) -> None:
    for text in [*COMMANDS, *QUESTIONS]:
        await env.send(text)
        await env.barrier()  # every part of a long reply in before the next message
    for text in ADMIN_COMMANDS:
        await env.send(text, chat_id=ADMIN)
    svc = env.services
    now = utcnow()
    with Session(svc.db) as session:
        milestones = sorted(session.exec(select(models.Milestone)).all(),
                            key=lambda m: m.start)
    nearest = min(milestones, key=lambda m: abs((m.start - now).total_seconds()))
    since = env.last_message_id(USER)
    await svc.notifier.send(USER, reminder_text(nearest, now, svc.settings.tz),
                            buttons=reminder_buttons(nearest))
    week = [m for m in milestones if now < m.start <= now + timedelta(days=14)]
    await svc.notifier.send(USER, digest_text(week, now, svc.settings.tz, 14))
    await env.replies(USER, since, count=2)


@pytest.mark.parametrize("extra", [False, True], ids=["seed", "seed+500"])
async def test_every_screen_reads_well(bot_env: BotEnv, extra: bool) -> None:
    bot_env.app.bot_data["flood_guard"] = FloodGuard(limit=100_000)  # one quick reader
    bot_env.allow_failure(lambda call: "not modified" in (call.description or ""))  # handled
    if extra:
        add_extra_entries(bot_env)
    await show_everything(bot_env)
    presses = await walk(bot_env, USER, ROOTS)
    presses += await walk(bot_env, ADMIN, ADMIN_ROOTS, admin=True)
    assert presses > (100 if extra else 40)
    pressed = [c for c in bot_env.api.calls("answerCallbackQuery")]
    assert pressed and bot_env.api.unanswered_callbacks() == []
    assert problems(bot_env, vocabulary(bot_env)) == []
    assert unsourced_answers(bot_env) == []
    rests = [c for c in bot_env.api.calls(ok=True) if isinstance(c.result, dict) and any(
        data.startswith("mo:") and data.count(":") == 3 for data in buttons_of(c.result))]
    assert rests  # the walk read the pages of an answer's « Voir la suite »
