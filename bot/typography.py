"""French typography, applied once, where every text leaves for the Bot API.

French puts a non-breaking space before : ; ? ! and inside « », so that a phone never
starts a line with « ? » or ends one with « « ». The bot's texts and its data are written
with plain spaces; `FrenchRequest`, the HTTP client of the Application and of the reminders,
turns those spaces into U+00A0 in every message text, caption, button label, inline result
and command description it sends. One character for all four signs (not U+202F, the narrow
one some typographers want before ; ! ?): every font on every Telegram client has U+00A0,
while some Android and Windows fonts draw U+202F as a full space or a box.

Only an existing space changes, one for one: lengths stay the same (the 4096-character
splitting holds), and "https://…", "14:30", callback data, HTML tags and their attributes
(no space before their colons), and what <code> and <pre> show as typed are left alone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from telegram.request import HTTPXRequest, RequestData

NBSP = "\u00a0"
_BREAKABLE = re.compile(r"[ \t](?=[:;?!»])|(?<=«)[ \t]")
_VERBATIM = re.compile(r"<(pre|code)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.DOTALL | re.IGNORECASE)
_TEXTS = ("text", "caption", "title", "description", "message_text")  # keys of what is read


def french_spaces(text: str) -> str:
    """`text` (HTML or plain) with a non-breaking space where French wants one."""
    if not _BREAKABLE.search(text):
        return text  # most texts: one scan, nothing built
    out, done = [], 0
    for verbatim in _VERBATIM.finditer(text):
        out += [_BREAKABLE.sub(NBSP, text[done:verbatim.start()]), verbatim.group()]
        done = verbatim.end()
    out.append(_BREAKABLE.sub(NBSP, text[done:]))
    return "".join(out)


def french_value(value: Any) -> Any:
    """A Bot API parameter's value with `french_spaces` applied to every text it shows: the
    value itself if it is a text, else the texts of its objects (a button's label, an inline
    result's title…), never their data (callback data, URLs)."""
    return french_spaces(value) if isinstance(value, str) else _shown_texts(value)


def _shown_texts(value: Any) -> Any:
    if isinstance(value, list):
        return [_shown_texts(item) for item in value]
    if isinstance(value, dict):
        return {key: french_spaces(item) if key in _TEXTS and isinstance(item, str)
                else _shown_texts(item) for key, item in value.items()}
    return value


_PARAMETERS = {"text", "caption", "reply_markup", "results", "commands"}


class FrenchRequest(HTTPXRequest):
    """PTB's HTTP client, giving every text it sends its French spaces (see the module)."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if request_data is not None:
            # PTB shows the parameters' values but not the parameters, which carry the files
            # of an upload (a .ics and its caption): they are rebuilt from its own list.
            request_data = RequestData([
                replace(p, value=french_value(p.value)) if p.name in _PARAMETERS else p
                for p in request_data._parameters])
        return await super().do_request(url, method, request_data, *args, **kwargs)
