"""Loopback stand-in for the Telegram Bot API (a test and local-chat tool, not the product).

`LocalBotApi` is a small aiohttp server speaking the Bot API over real HTTP on 127.0.0.1, so the
real python-telegram-bot `Application` can long-poll it. It is used by the end-to-end tests, by
`mandat-bot chat` (terminal chat without a Telegram account) and by the benchmarks. It imports
nothing of the product (bot, knowledge, scheduler).

It rejects what Telegram rejects (strict HTML parse mode, 4096-character limit, callback_data
of at most 64 bytes, unknown or blocked chats, flood control, expired queries...), with
Telegram's status codes and wording, so that a test fails where production would.

    async with LocalBotApi() as api:
        app = (Application.builder().token(api.token).base_url(api.base_url)
               .base_file_url(api.base_file_url).build())
        ...
        await api.user_sends("/start")
        [reply] = await api.wait_for_messages(1001)

Modules, one concern each: `entities` (HTML parse mode), `validation` (Telegram's rules for
requests, text, markup), `state` (chats, messages, files, updates), `server` (HTTP and
injected faults), `methods` (the Bot API methods), `driver` (the user side), `observe`
(recorded calls and event waits).
"""

from botapi_standin.driver import UserDriver
from botapi_standin.entities import HtmlParseError, JsonDict, parse_html, utf16_len
from botapi_standin.methods import BotApiMethods
from botapi_standin.observe import Observation
from botapi_standin.server import HttpServer
from botapi_standin.state import ApiCall, Listener
from botapi_standin.validation import DEFAULT_TOKEN, MAX_CAPTION, MAX_TEXT


class LocalBotApi(HttpServer, BotApiMethods, UserDriver, Observation):
    """In-process Telegram Bot API on 127.0.0.1 with a scriptable user side."""


__all__ = [
    "DEFAULT_TOKEN",
    "MAX_CAPTION",
    "MAX_TEXT",
    "ApiCall",
    "HtmlParseError",
    "JsonDict",
    "Listener",
    "LocalBotApi",
    "parse_html",
    "utf16_len",
]
