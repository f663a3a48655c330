"""Through the loopback Bot API: what an admin adds with /ajouter is found by the next
question an official asks, in the entry's own words (milestone, person, figure, fact)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bench.judge import contains

if TYPE_CHECKING:  # the harness lives in conftest.py (fixture `bot_env`)
    from tests.e2e.conftest import BotEnv

ADMIN = 4242  # the admin of bot_env (conftest.py)

ADDED = [
    ('/ajouter jalon titre="Réunion publique Bellevue" projet=Quartiers date=12/05/2031 '
     'heure=18h lieu="Maison de quartier"',
     "c'est quand la réunion publique à Bellevue ?", "mai 2031"),
    ('/ajouter elu nom="Marie DUPONT" fonction="Conseillère déléguée aux mobilités actives" '
     'role=delegue delegation="mobilités actives" axe=1',
     "à qui parler des mobilités actives ?", "DUPONT"),
    ('/ajouter chiffre libelle="arbres plantés dans les cours d\'école" valeur="1 250" '
     "unite=arbres", "nombre d'arbres plantés dans les cours d'école", "1 250"),
    ('/ajouter fait titre=OFB texte="Office français de la biodiversité, partenaire des '
     'atlas de la biodiversité communale"', "OFB ça veut dire quoi ?", "biodiversité"),
]


def _text(message: dict) -> str:
    return message.get("text") or ""


@pytest.mark.parametrize(("command", "question", "expected"), ADDED)
async def test_an_entry_added_by_an_admin_answers_the_next_question(
        bot_env: BotEnv, command: str, question: str, expected: str) -> None:
    [before] = await bot_env.send(question)
    assert not contains(_text(before), expected), _text(before)
    [added] = await bot_env.send(command, chat_id=ADMIN)
    assert "ajouté" in _text(added), _text(added)
    [reply] = await bot_env.send(question)
    assert contains(_text(reply), expected), _text(reply)
    assert not bot_env.unexpected_failures()
