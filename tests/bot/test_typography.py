"""bot.typography: French spaces where every text leaves for the Bot API, nowhere else."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.typography import NBSP, FrenchRequest, french_spaces, french_value


@pytest.mark.parametrize(("text", "expected"), [
    ("Source : diapositive 12", f"Source{NBSP}: diapositive 12"),
    ("Qui ? Quand ! Où ; « ici »", f"Qui{NBSP}? Quand{NBSP}! Où{NBSP}; «{NBSP}ici{NBSP}»"),
    ("<b>Axe 1</b> : <i>titre</i> ?", f"<b>Axe 1</b>{NBSP}: <i>titre</i>{NBSP}?"),
    ("à 14:30, voir https://example.org/a?b=c:d", "à 14:30, voir https://example.org/a?b=c:d"),
    ('<a href="https://x.org/?q=1 :">lien</a> :',
     f'<a href="https://x.org/?q=1 :">lien</a>{NBSP}:'),
    ('Tapez <code>/ajouter titre="a : b"</code> : ok',
     f'Tapez <code>/ajouter titre="a : b"</code>{NBSP}: ok'),
    ("Erreur :\n<pre>ligne 2 : clé ?</pre>", f"Erreur{NBSP}:\n<pre>ligne 2 : clé ?</pre>"),
    ("Rien à changer.", "Rien à changer."),
    ("déjà\u00a0: fait", "déjà\u00a0: fait"),
])
def test_french_spaces_only_where_french_wants_them(text: str, expected: str) -> None:
    assert french_spaces(text) == expected
    assert len(french_spaces(text)) == len(text)  # one for one: the splitting still holds


def test_labels_and_titles_change_never_their_data() -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Oui ?", callback_data="a :b"),
                                    InlineKeyboardButton("Lien :", url="https://x.org/?a :")]])
    typeset = french_value(markup.to_dict())
    [[yes, link]] = typeset["inline_keyboard"]
    assert (yes["text"], yes["callback_data"]) == (f"Oui{NBSP}?", "a :b")
    assert (link["text"], link["url"]) == (f"Lien{NBSP}:", "https://x.org/?a :")
    results = [{"type": "article", "id": "r :0", "title": "Logement ?", "description": "x : y",
                "input_message_content": {"message_text": "a : b", "parse_mode": "HTML"}}]
    [result] = french_value(results)
    assert result["id"] == "r :0" and result["title"] == f"Logement{NBSP}?"
    assert result["input_message_content"]["message_text"] == f"a{NBSP}: b"
    assert french_value([{"command": "liste", "description": "Admin : lister"}]) == [
        {"command": "liste", "description": f"Admin{NBSP}: lister"}]
    assert french_value(12) == 12


async def test_the_request_sends_texts_typeset_and_files_untouched(
        monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[RequestData] = []

    async def capture(self: HTTPXRequest, url: str, method: str,
                      request_data: RequestData | None = None, **kwargs: Any) -> tuple[int, bytes]:
        sent.append(request_data)
        return 200, b'{"ok": true, "result": true}'

    monkeypatch.setattr(HTTPXRequest, "do_request", capture)
    data = RequestData([
        RequestParameter.from_input("chat_id", 5),
        RequestParameter.from_input("caption", "📅 Copil : vélo"),
        RequestParameter.from_input("document", InputFile(b"BEGIN:VCALENDAR", "a.ics",
                                                          attach=True)),
        RequestParameter.from_input("reply_markup", InlineKeyboardMarkup(
            [[InlineKeyboardButton("Voir ?", callback_data="ics:3")]])),
    ])
    await FrenchRequest().do_request("https://api/bot/sendDocument", "POST", data)
    [typeset] = sent
    assert typeset.parameters["caption"] == f"📅 Copil{NBSP}: vélo"
    assert typeset.parameters["reply_markup"]["inline_keyboard"][0][0] == {
        "text": f"Voir{NBSP}?", "callback_data": "ics:3"}
    assert typeset.contains_files and typeset.multipart_data == data.multipart_data
    assert typeset.parameters["chat_id"] == 5
