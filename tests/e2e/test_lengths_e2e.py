"""Lengths and cuts (issue #19, item 6), through the real Application and the loopback Bot
API, written from the user's side: what they type or press, what they read."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session

from bot import texts
from bot.typography import french_spaces
from knowledge.models import Person
from tests.e2e.screen_checks import NBSP, breakable_spaces, opening_cuts, source_lines

if TYPE_CHECKING:  # the harness lives in conftest.py (fixture `bot_env`)
    from tests.e2e.conftest import BotEnv

USER = 1001  # BotEnv.send's default private chat
ADMIN = 4242  # the admin of the test settings
PHONE = 900  # characters a page may show: one phone screen, about


def labels(message: dict) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


def data_of(message: dict, label: str) -> str:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    found = [b["callback_data"] for row in rows for b in row if label in b["text"]]
    assert found, (label, labels(message))
    return found[0]


def assert_clean(env: BotEnv) -> None:
    assert env.unexpected_failures() == []
    assert env.api.unanswered_callbacks() == []


async def press(env: BotEnv, message: dict, label: str) -> dict:
    """Press the button labelled `label` on `message`; the message as it is after."""
    edits = len(env.api.calls("editMessageText", ok=True))
    await env.press(USER, message["message_id"], data_of(message, label))
    await env.api.wait_for_calls("editMessageText", edits + 1, ok=True)
    return env.message(USER, message["message_id"])


async def turn_pages(env: BotEnv, command: str) -> list[dict]:
    """Send `command`, then press « Suivant » until the first page comes back."""
    [first] = await env.send(command)
    pages = [first]
    while True:
        shown = await press(env, pages[-1], texts.NEXT)
        if shown["text"] == first["text"]:
            return pages
        pages.append(shown)


# ---------------------------------------------------------------------- a) paged and sourced
@pytest.mark.parametrize(("command", "title", "listed"), [
    ("/chiffres", "Chiffres clés", ["215 élus", "56 %", "593 434 heures"]),
    ("/elus", "Les élus qui portent les axes du mandat", ["LEPRÊTRE", "AGGOUNE", "DAUMIN"]),
])
async def test_long_lists_are_paged_for_a_phone_and_each_page_cites_its_slides(
        bot_env: BotEnv, command: str, title: str, listed: list[str]) -> None:
    pages = await turn_pages(bot_env, command)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = page["text"]
        assert text.startswith(f"{title} (page {number}/{len(pages)})"), text
        assert len(text) <= PHONE, (len(text), text)
        [source] = source_lines(text)
        assert "séminaire des élus 2021, diapositive" in source, text
        assert {texts.PREVIOUS, texts.NEXT} <= set(labels(page)), labels(page)
    everything = "\n".join(page["text"] for page in pages)
    assert all(name in everything for name in listed), everything
    assert len(bot_env.api.messages(USER)) == 1  # one message, turned like a page
    assert_clean(bot_env)


async def test_back_from_an_official_returns_to_the_page_that_lists_them(
        bot_env: BotEnv) -> None:
    [people] = await bot_env.send("/elus")
    second = await press(bot_env, people, texts.NEXT)
    person = await press(bot_env, second, "BENSARSA")
    assert person["text"].startswith("Lamia BENSARSA-REDA"), person["text"]
    back = await press(bot_env, person, texts.BACK)
    assert back["text"] == second["text"]
    assert_clean(bot_env)


# ---------------------------------------------------------------------- b) no cut at both ends
@pytest.mark.parametrize("question", [
    "Qu'est-il prévu pour la natation scolaire ?",  # was « …12 conservatoires et des… »
    "biodechets, prevu quoi",  # was « …déchets par la systématisation de la lutte… »
    "Le mandat couvre quelles années exactement ?",  # was « …emplois ? », « …GPE) ? »
    "Pourriez-vous me résumer les priorités de l'axe 2 pour 2021-2026, s'il vous plaît ?",
])
async def test_an_answer_quotes_from_the_start_of_a_sentence(bot_env: BotEnv,
                                                             question: str) -> None:
    [reply] = await bot_env.send(question)
    text = reply["text"]
    assert opening_cuts(text) == [], text
    for line in text.splitlines():  # a cut item ends its line, or its piece of a list
        for piece in re.split(r"[ \u00a0][;:] ", line):
            assert "…" not in piece.rstrip("…").replace("…)", ")").replace("…»", "»"), line
    assert len(source_lines(text)) == 1, text
    assert_clean(bot_env)


# ---------------------------------------------------------------------- c) « Voir la suite »
async def test_see_more_shows_the_rest_of_the_same_answer(bot_env: BotEnv) -> None:
    [answer] = await bot_env.send("Qu'est-il prévu pour la natation scolaire ?")
    cut = next(line for line in answer["text"].splitlines() if "12 conservatoires…" in line)
    assert texts.SEE_WHOLE in labels(answer), labels(answer)
    since = bot_env.last_message_id(USER)
    await bot_env.press(USER, answer["message_id"], data_of(answer, texts.SEE_WHOLE))
    [rest] = await bot_env.replies(USER, since)
    assert bot_env.message(USER, answer["message_id"]) == answer  # the answer stays
    text = rest["text"]
    assert text.startswith("Pour des réseaux culturels et sportifs dans les communes"), text
    assert cut.removeprefix("• ").removesuffix("…") in text  # the cut item, told on …
    assert "(réseau des 12 conservatoires et des médiathèques transférés)" in text  # … whole
    assert source_lines(text) == [
        french_spaces("Source : séminaire des élus 2021, diapositives 27 et 28")]
    assert len(text) <= PHONE and "…" not in text.replace("numérique…)", ""), text
    assert labels(rest) == [texts.PREVIOUS, "page 1/2", texts.NEXT]  # pages, not a menu
    second = await press(bot_env, rest, texts.NEXT)
    assert "carte unique (Pass-Piscine)" in second["text"], second["text"]
    assert source_lines(second["text"]) == [
        french_spaces("Source : séminaire des élus 2021, diapositive 28")]
    assert_clean(bot_env)


# ---------------------------------------------------------------------- d) labels keep key words
async def test_a_shortened_button_keeps_the_word_that_tells_it_apart(bot_env: BotEnv) -> None:
    [answer] = await bot_env.send("heures d'insertion")
    assert "ligne 15" in answer["text"].splitlines()[0], answer["text"]
    [other] = [label for label in labels(answer) if label.startswith("593 434 heures")]
    assert "ligne 14" in other and len(other) <= 60, other  # not « … sur les chantiers de la… »
    await bot_env.send("Quand a lieu la prochaine réunion du conseil de quartier à "
                       "Vitry-sur-Seine ?")
    [questions] = await bot_env.send("/questions", chat_id=ADMIN)
    [asked] = [label for label in labels(questions) if label.startswith("🔗 Quand")]
    assert asked.endswith(french_spaces("Vitry-sur-Seine ?")) and len(asked) <= 45, asked
    assert_clean(bot_env)


# ---------------------------------------------------------------------- e) French spaces
async def test_what_users_read_has_french_spaces_and_what_they_typed_stays_as_typed(
        bot_env: BotEnv) -> None:
    [answer] = await bot_env.send("qui s'occupe du logement ?")
    [source] = source_lines(answer["text"])
    assert source.startswith(f"Source{NBSP}: ") and breakable_spaces(answer["text"]) == []
    [search] = await bot_env.send("/chercher rdv 14:30 https://example.org/a?b=c:d")
    assert f"«{NBSP}rdv 14:30 https://example.org/a?b=c:d{NBSP}»" in search["text"]
    [menu] = await bot_env.send("/chiffres")  # callback data keep their own colons
    page = await press(bot_env, menu, texts.NEXT)
    assert data_of(page, texts.NEXT) == "menu:fig:2" and breakable_spaces(page["text"]) == []
    [people] = await bot_env.send("/elus")
    with Session(bot_env.services.db) as session:  # an official removed since: an alert
        session.delete(session.get(Person, int(data_of(people, "LEPRÊTRE").split(":")[1])))
        session.commit()
    bot_env.services.knowledge_changed()
    alert = await bot_env.press(USER, people["message_id"], data_of(people, "LEPRÊTRE"))
    assert alert["text"] == texts.STALE_BUTTON.replace(" :", f"{NBSP}:"), alert
    since = bot_env.last_message_id(USER)  # a reminder goes through its own Bot
    await bot_env.services.notifier.send(USER, "Rappel : Copil vélo demain ; prêt ?")
    [reminder] = await bot_env.replies(USER, since)
    assert reminder["text"] == f"Rappel{NBSP}: Copil vélo demain{NBSP}; prêt{NBSP}?"
    [usage] = await bot_env.send("/chercher")  # <code> shows a command as it is typed
    assert breakable_spaces(usage["text"], usage.get("entities")) == [], usage
    assert_clean(bot_env)
