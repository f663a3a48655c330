"""Loopback stand-in for the Telegram Bot API.

`LocalBotApi` is a small aiohttp server speaking the Bot API over real HTTP on 127.0.0.1, so the
real python-telegram-bot `Application` can long-poll it. It is used by the end-to-end tests, by
`mandat-bot chat` (terminal chat without a Telegram account) and by the benchmarks.

It rejects what Telegram rejects (strict HTML parse mode, 4096-character limit, callback_data
of at most 64 bytes, unknown or blocked chats, flood control, expired queries...), with
Telegram's status codes and wording, so that a test fails where production would.

    async with LocalBotApi() as api:
        app = (Application.builder().token(api.token).base_url(api.base_url)
               .base_file_url(api.base_file_url).build())
        ...
        await api.user_sends("/start")
        [reply] = await api.wait_for_messages(1001)
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import math
import mimetypes
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]
#: Listener signature: (kind, chat_id, payload) with kind in
#: "message" | "edit" | "delete" | "callback_answer".
Listener = Callable[[str, int, JsonDict], None]

DEFAULT_TOKEN = "123456:LOCAL-TEST-TOKEN"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_UPLOAD = 50 * 1024 * 1024

RATE_LIMITED_METHODS = frozenset(
    "sendMessage sendDocument editMessageText editMessageReplyMarkup".split()
)
# Update types delivered when allowed_updates is empty or was never set (Bot API default).
DEFAULT_ALLOWED_UPDATES = frozenset(
    "message edited_message channel_post edited_channel_post inline_query chosen_inline_result "
    "callback_query my_chat_member shipping_query pre_checkout_query poll poll_answer "
    "chat_join_request business_connection business_message edited_business_message "
    "deleted_business_messages chat_boost removed_chat_boost purchased_paid_media".split()
)
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)
BUTTON_ACTIONS = tuple(
    "url callback_data web_app login_url switch_inline_query switch_inline_query_current_chat "
    "switch_inline_query_chosen_chat copy_text callback_game pay".split()
)
INLINE_RESULT_TYPES = frozenset(
    "article photo gif mpeg4_gif video audio voice document location venue contact game "
    "sticker".split()
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"

_JSON_FIELDS = frozenset(
    "reply_markup reply_parameters entities caption_entities results commands scope "
    "allowed_updates link_preview_options menu_button button".split()
)
_INT_FIELDS = frozenset(
    "chat_id message_id offset limit user_id reply_to_message_id message_thread_id "
    "cache_time".split()
)
_FLOAT_FIELDS = frozenset({"timeout"})
_BOOL_FIELDS = frozenset(
    "show_alert disable_notification protect_content is_personal drop_pending_updates "
    "allow_sending_without_reply disable_web_page_preview "
    "disable_content_type_detection".split()
)
_WS = " \t\r\n"


# --------------------------------------------------------------------------- HTML parse mode


class HtmlParseError(ValueError):
    """Raised by `parse_html` with Telegram's wording (without the "can't parse" prefix)."""


_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_HTML_TAGS = frozenset(_SIMPLE_TAGS) | {"a", "code", "pre", "blockquote", "tg-emoji", "tg-time"}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (the unit of MessageEntity offsets)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the HTML entity at `pos` like Telegram (named: lt/gt/amp/quot; any numeric)."""
    m = _ENTITY_RE.match(text, pos)
    if m is None:
        return None
    if m.group(3) is not None:
        char = _NAMED_ENTITIES.get(m.group(3))
        return None if char is None else (char, m.end())
    digits = m.group(1) or m.group(2)
    if len(digits) > 7:
        return None
    value = int(digits, 16) if m.group(1) is not None else int(digits)
    if value == 0 or value >= 0x10FFFF:
        return None
    if 0xD800 <= value <= 0xDFFF:
        raise HtmlParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return chr(value), m.end()


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JsonDict]]:
    """Parse Telegram's HTML parse mode into (plain text, entities) or raise HtmlParseError.

    Mirrors tdlib's parser: only Telegram's tags, properly nested and closed; error offsets
    are UTF-8 byte offsets of the offending '<'. Telegram keeps a bare '&' literally; with
    `strict_ampersand` (default) it is rejected too, to catch missing html.escape().
    """
    out: list[str] = []
    entities: list[JsonDict] = []
    stack: list[tuple[str, str | None, int, int]] = []  # tag, argument, utf16 offset, out idx
    u16 = 0
    i, n = 0, len(text)

    def at(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode('utf-8'))}"

    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                u16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise HtmlParseError(
                    f"Character '&' must be escaped as &amp; {at(i)} "
                    "(LocalBotApi strict check: Telegram would show it literally)"
                )
        if c != "<":
            out.append(c)
            u16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":  # end tag
            if not stack:
                raise HtmlParseError(f"Unexpected end tag {at(begin)}")
            j = i + 1
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j].lower()
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] != ">":
                raise HtmlParseError(f"Unclosed end tag {at(begin)}")
            tag, arg, start, start_idx = stack.pop()
            if end_name and end_name != tag:
                raise HtmlParseError(
                    f'Unmatched end tag {at(begin)}, expected "</{tag}>", found "</{end_name}>"'
                )
            i = j + 1
            if u16 > start:
                _close_entity(entities, tag, arg, start, u16 - start, "".join(out[start_idx:]))
            continue
        j = i  # start tag
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag {at(begin)}")
        tag = text[i:j].lower()
        if tag not in _HTML_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" {at(begin)}')
        attrs, i = _parse_attributes(text, j, tag, begin, at)
        arg: str | None = None
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {at(begin)}')
        if tag == "a":
            arg = attrs.get("href")
        elif tag == "code" and attrs.get("class", "").startswith("language-"):
            arg = attrs["class"][len("language-") :]
        elif tag == "blockquote" and "expandable" in attrs:
            arg = "expandable"
        elif tag == "tg-emoji":
            arg = attrs.get("emoji-id", "")
            if not arg.isdigit():
                raise HtmlParseError("Invalid custom emoji identifier specified")
        stack.append((tag, arg, u16, len(out)))
    if stack:
        raise HtmlParseError(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_attributes(
    text: str, j: int, tag: str, begin: int, at: Callable[[int], str]
) -> tuple[dict[str, str], int]:
    """Parse a start tag's attributes from index `j`; return them and the index after '>'."""
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise HtmlParseError(f'Unclosed start tag "{tag}" {at(begin)}')
        if text[j] == ">":
            return attrs, j + 1
        name_start = j
        while j < n and not text[j].isspace() and text[j] not in "=>":
            j += 1
        name = text[name_start:j].lower()
        if not name:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" {at(begin)}')
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise HtmlParseError(f'Unclosed start tag "{tag}" {at(begin)}')
        if text[j] != "=":
            attrs[name] = ""  # valueless attribute such as <blockquote expandable>
            continue
        j += 1
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise HtmlParseError(f'Unclosed start tag "{tag}" {at(begin)}')
        if text[j] in "\"'":
            quote, value = text[j], []
            j += 1
            while j < n and text[j] != quote:
                decoded = _decode_entity(text, j) if text[j] == "&" else None
                if decoded is not None:
                    value.append(decoded[0])
                    j = decoded[1]
                else:
                    value.append(text[j])
                    j += 1
            if j >= n:
                raise HtmlParseError(f"Unclosed start tag {at(begin)}")
            attrs[name] = "".join(value)
            j += 1
        else:
            token_start = j
            while j < n and ((text[j].isascii() and text[j].isalnum()) or text[j] in ".-"):
                j += 1
            if j >= n or (not text[j].isspace() and text[j] != ">"):
                raise HtmlParseError(f"Unexpected end of name token {at(token_start)}")
            attrs[name] = text[token_start:j].lower()


def _close_entity(
    entities: list[JsonDict], tag: str, arg: str | None, offset: int, length: int, inner: str
) -> None:
    """Append the MessageEntity produced by a closed tag (tdlib semantics)."""
    if tag in _SIMPLE_TAGS:
        entities.append({"type": _SIMPLE_TAGS[tag], "offset": offset, "length": length})
    elif tag == "a":
        url = (arg if arg is not None else inner).strip()
        if url:  # Telegram silently drops links with an empty URL
            entities.append({"type": "text_link", "offset": offset, "length": length, "url": url})
    elif tag == "code":
        entity: JsonDict = {"type": "code", "offset": offset, "length": length}
        if arg:
            entity["_language"] = arg
        entities.append(entity)
    elif tag == "pre":
        last = entities[-1] if entities else None
        if (
            last
            and last["type"] == "code"
            and (last["offset"], last["length"])
            == (
                offset,
                length,
            )
        ):
            language = last.pop("_language", None)
            last["type"] = "pre"
            if language:
                last["language"] = language
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag == "blockquote":
        kind = "expandable_blockquote" if arg else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})
    elif tag == "tg-emoji":
        entities.append(
            {"type": "custom_emoji", "offset": offset, "length": length, "custom_emoji_id": arg}
        )


def _trim(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    """Strip surrounding whitespace like Telegram does, shifting and clipping entities."""
    left = utf16_len(text[: len(text) - len(text.lstrip(_WS))])
    stripped = text.strip(_WS)
    total = utf16_len(stripped)
    kept = []
    for entity in entities:
        entity = {k: v for k, v in entity.items() if not k.startswith("_")}
        start = max(entity["offset"] - left, 0)
        end = min(entity["offset"] + entity["length"] - left, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


# --------------------------------------------------------------------------- state records


class _ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


@dataclass
class ApiCall:
    """One call made by the bot (getUpdates polls are not recorded)."""

    method: str
    params: JsonDict
    ok: bool = True
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    retry_after: int | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class _Fault:
    method: str
    chat_id: int | None
    times: int
    error_code: int = 0
    description: str = ""
    retry_after: int | None = None
    drop: bool = False
    deliver: bool = False


@dataclass
class _Upload:
    filename: str | None
    content: bytes
    content_type: str | None


@dataclass
class _File:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None

    def as_document(self) -> JsonDict:
        doc = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc


@dataclass
class _Stored:
    message: JsonDict
    from_bot: bool
    deleted: bool = False


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    blocked: bool = False
    next_message_id: int = 1
    version: int = 0  # bumped on every change, lets waiters skip idle chats
    messages: dict[int, _Stored] = field(default_factory=dict)

    def as_dict(self) -> JsonDict:
        data: JsonDict = {"id": self.id, "type": self.type}
        if self.type == "private":
            data["first_name"] = self.first_name or "Alice"
        else:
            data["title"] = self.title or "Groupe"
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class _Query:
    chat_id: int | None
    answer: JsonDict | None = None


class _Params:
    """Request parameters, already decoded (JSON fields parsed, ints/bools converted)."""

    def __init__(self, raw: JsonDict, files: dict[str, _Upload]) -> None:
        self.raw, self.files = raw, files

    def get(self, name: str, default: Any = None) -> Any:
        value = self.raw.get(name)
        return default if value is None else value

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _bad(f"invalid {name} specified")
        return int(value)

    def get_bool(self, name: str) -> bool:
        return self.raw.get(name) in (True, "true", "True", "1", 1)


def _normalize(raw: JsonDict) -> JsonDict:
    """Decode form values the way the Bot API does (PTB sends JSON-encoded strings)."""
    for key, value in list(raw.items()):
        if not isinstance(value, str):
            continue
        if key in _JSON_FIELDS:
            try:
                raw[key] = json.loads(value)
            except ValueError:
                raise _bad(f"can't parse {key} JSON object") from None
        elif key in _INT_FIELDS and re.fullmatch(r"-?\d+", value.strip()):
            raw[key] = int(value)
        elif key in _FLOAT_FIELDS:
            try:
                raw[key] = float(value)
            except ValueError:
                raise _bad(f"invalid {key} specified") from None
        elif key in _BOOL_FIELDS:
            raw[key] = value.strip().lower() in ("true", "1")
    return raw


_CMD_RE = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{3,32}))?")
_MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z][A-Za-z0-9_]{3,31})\b")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


# --------------------------------------------------------------------------- the server


class LocalBotApi:
    """In-process Telegram Bot API on 127.0.0.1 with a scriptable user side."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "mandat_bot",
        bot_id: int | None = None,
        global_rate: float | None = None,
        per_chat_rate: float | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        bot_first_name: str = "Mandat",
        group_privacy: bool = True,
        strict_ampersand: bool = True,
    ) -> None:
        if host != "localhost" and not ip_address(host).is_loopback:
            raise ValueError(f"LocalBotApi only binds to loopback addresses, not {host!r}")
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id if bot_id is not None else int(token.split(":", 1)[0])
        self.bot_first_name = bot_first_name
        self.global_rate, self.per_chat_rate = global_rate, per_chat_rate
        self.host, self.port = host, port
        self.group_privacy = group_privacy
        self.strict_ampersand = strict_ampersand

        self.sent: list[ApiCall] = []
        self.counters: Counter[str] = Counter()
        self.rate_limited_count = 0
        self.dropped_updates = 0
        self.unknown_methods: list[str] = []
        self.webhook: JsonDict = {}  # what setWebhook registered (updates are not pushed)
        self._call_counts: Counter[tuple[str, bool]] = Counter()

        self._chats: dict[int, _Chat] = {}
        self._files: dict[str, _File] = {}
        self._files_by_path: dict[str, _File] = {}
        self._updates: deque[JsonDict] = deque()
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._callbacks: dict[str, _Query] = {}
        self._inline: dict[str, _Query] = {}
        self._commands: dict[tuple[Any, ...], list[JsonDict]] = {}
        self._faults: list[_Fault] = []
        self._listeners: list[Listener] = []
        self._global_hits: deque[float] = deque()
        self._chat_hits: dict[int, deque[float]] = {}
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_200_000_001)
        self._file_ids = itertools.count(1)
        self._poll_generation = 0
        self._closing = False
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[_Params], Awaitable[Any]]] = {
            name[len("_api_") :].lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Bind the server (port 0 picks a free port, see `port`)."""
        self._closing = False
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Release pending long polls and close the server."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """Give to PTB as `base_url` (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Give to PTB as `base_file_url`."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def bot_user(self) -> JsonDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # ------------------------------------------------------------------ HTTP plumbing

    @staticmethod
    def _error_response(
        code: int, description: str, retry_after: int | None = None
    ) -> web.Response:
        body: JsonDict = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=code)

    async def _read_params(self, request: web.Request) -> tuple[JsonDict, dict[str, _Upload]]:
        raw: JsonDict = dict(request.query)
        files: dict[str, _Upload] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise _bad("can't parse JSON object")
                raw.update(body)
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        files[key] = _Upload(value.filename, value.file.read(), value.content_type)
                    else:
                        raw[key] = value
        return _normalize(raw), files

    @staticmethod
    def _drop(request: web.Request) -> None:
        """Simulate a network failure: close the socket without any HTTP response."""
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._error_response(401, "Unauthorized")
        name = request.match_info["method"]
        handler = self._methods.get(name.lower())  # Bot API method names are case-insensitive
        if handler is None:
            log.warning("LocalBotApi: unknown or unemulated method %s", name)
            self.unknown_methods.append(name)
            return self._error_response(404, "Not Found")
        method = handler.__name__[len("_api_") :]
        self.counters[method] += 1
        call = ApiCall(method, {})
        fault: _Fault | None = None
        try:
            raw, files = await self._read_params(request)
            call.params = copy.deepcopy(raw) | {
                k: {"filename": u.filename, "size": len(u.content)} for k, u in files.items()
            }
            fault = self._take_fault(method, raw)
            if fault is not None and fault.drop and not fault.deliver:
                self._record(call, ok=False, description="connection dropped (drop_next)")
                self._drop(request)
            if fault is not None and not fault.drop:
                raise _ApiError(fault.error_code, fault.description, fault.retry_after)
            result = await handler(_Params(raw, files))
        except _ApiError as exc:
            if exc.code == 429:
                self.rate_limited_count += 1
            self._record(
                call,
                ok=False,
                error_code=exc.code,
                description=exc.description,
                retry_after=exc.retry_after,
            )
            if fault is not None and fault.drop:
                self._drop(request)
            return self._error_response(exc.code, exc.description, exc.retry_after)
        self._record(call, result=result)
        if fault is not None and fault.drop:
            self._drop(request)
        return web.json_response({"ok": True, "result": result})

    def _record(self, call: ApiCall, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(call, key, value)
        if call.method != "getUpdates":
            self.sent.append(call)
            self._call_counts[call.method, call.ok] += 1
            self._notify()

    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._error_response(401, "Unauthorized")
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None:
            return self._error_response(404, "Not Found")
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        error_code: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` (optionally for `chat_id`) fail.

        Nothing is delivered. e.g. fail_next("sendMessage", error_code=429,
        description="Too Many Requests: retry after 3", retry_after=3).
        """
        self._faults.append(
            _Fault(method.lower(), chat_id, times, error_code, description, retry_after)
        )

    def drop_next(
        self, method: str, *, chat_id: int | None = None, times: int = 1, deliver: bool = False
    ) -> None:
        """Close the connection without a response for the next `times` calls of `method`.

        With `deliver=True` the call takes effect first (the message IS sent), reproducing the
        "did it go through?" ambiguity of a timeout after Telegram processed the request.
        """
        self._faults.append(_Fault(method.lower(), chat_id, times, drop=True, deliver=deliver))

    def clear_faults(self) -> None:
        self._faults.clear()

    def _take_fault(self, method: str, raw: JsonDict) -> _Fault | None:
        for fault in self._faults:
            if fault.method == method.lower() and fault.chat_id in (None, raw.get("chat_id")):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def block(self, chat_id: int, *, notify: bool = True) -> None:
        """The user blocks the bot (or the bot is kicked from a group): sends get 403."""
        chat = self._require_chat(chat_id)
        chat.blocked = True
        if notify:
            self._member_update(chat, "member", "kicked")

    def unblock(self, chat_id: int, *, notify: bool = True) -> None:
        chat = self._require_chat(chat_id)
        chat.blocked = False
        if notify:
            self._member_update(chat, "kicked", "member")

    # ------------------------------------------------------------------ state helpers

    def _notify(self) -> None:
        """Wake every waiter (long polls and wait_for_*)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _emit(self, kind: str, chat_id: int, payload: JsonDict) -> None:
        for listener in list(self._listeners):
            try:
                listener(kind, chat_id, copy.deepcopy(payload))
            except Exception:  # a broken listener must not break the API
                log.exception("LocalBotApi listener failed")

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(kind, chat_id, payload)` on bot-side events; returns a remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def _wait_until(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"LocalBotApi: timed out after {timeout}s waiting for {what}")
            await _wait_event(self._changed, remaining)

    def _lookup_chat(self, raw: Any) -> _Chat | None:
        if isinstance(raw, str):
            text = raw.strip()
            if text.startswith("@"):
                return next(
                    (
                        c
                        for c in self._chats.values()
                        if c.type != "private" and (c.username or "").lower() == text[1:].lower()
                    ),
                    None,
                )
            if not re.fullmatch(r"-?\d+", text):
                return None
            raw = int(text)
        if isinstance(raw, bool) or not isinstance(raw, int):
            return None
        return self._chats.get(raw)

    def _known_chat(self, p: _Params, key: str = "chat_id") -> _Chat:
        raw = p.raw.get(key)
        if raw is None or raw == "":
            raise _bad(f"{key} is empty")
        chat = self._lookup_chat(raw)
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _sendable_chat(self, p: _Params) -> _Chat:
        chat = self._known_chat(p)
        if chat.blocked:
            reason = {
                "private": "bot was blocked by the user",
                "group": "bot was kicked from the group chat",
                "supergroup": "bot was kicked from the supergroup chat",
            }.get(chat.type, "bot is not a member of the channel chat")
            raise _ApiError(403, f"Forbidden: {reason}")
        return chat

    def _require_chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise AssertionError(f"LocalBotApi: unknown chat {chat_id}")
        return chat

    def _check_flood(self, method: str, chat_id: int) -> None:
        """Sliding-window flood control; a rejected message is not counted nor delivered."""
        if method not in RATE_LIMITED_METHODS:
            return
        now = time.monotonic()
        windows: list[tuple[deque[float], float]] = []
        if self.global_rate:
            windows.append((self._global_hits, self.global_rate))
        if self.per_chat_rate:
            windows.append((self._chat_hits.setdefault(chat_id, deque()), self.per_chat_rate))
        retry = 0
        for hits, rate in windows:
            window = max(1.0, 1.0 / rate)  # rates below 1/s: one message per 1/rate seconds
            limit = max(1, math.floor(rate * window + 1e-9))
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                retry = max(retry, math.ceil(hits[0] + window - now), 1)
        if retry:
            raise _ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        for hits, _ in windows:
            hits.append(now)

    def _format(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool
    ) -> tuple[str, list[JsonDict]]:
        """Apply parse_mode and Telegram's emptiness/length rules; return (text, entities)."""
        text = "" if text is None else str(text)
        mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
        if mode == "html":
            try:
                clean, found = parse_html(text, strict_ampersand=self.strict_ampersand)
            except HtmlParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from None
        elif mode in ("", "markdown", "markdownv2"):  # Markdown is accepted unvalidated
            clean, found = text, []
            if entities is not None:
                if not isinstance(entities, list) or not all(
                    isinstance(e, dict)
                    and isinstance(e.get("type"), str)
                    and isinstance(e.get("offset"), int)
                    and isinstance(e.get("length"), int)
                    for e in entities
                ):
                    raise _bad("can't parse entities JSON object")
                found = copy.deepcopy(entities)
        else:
            raise _bad("unsupported parse_mode")
        clean, found = _trim(clean, found)
        if caption:
            if len(clean) > MAX_CAPTION:
                raise _bad("message caption is too long")
        elif not clean:
            raise _bad("message text is empty")
        elif len(clean) > MAX_TEXT:  # Telegram counts code points here, not UTF-16 units
            raise _bad("message is too long")
        return clean, found

    def _check_markup(self, markup: Any) -> JsonDict | None:
        """Validate reply_markup; return what a Message carries (inline keyboards only)."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise _bad(
                    'can\'t parse inline keyboard button: Field "inline_keyboard" must be '
                    "of type Array of Array"
                )
            buttons = [button for row in rows for button in row]
            if len(buttons) > 100:
                raise _bad("reply markup is too long")
            for button in buttons:
                _check_inline_button(button)
            rows = [row for row in rows if row]
            return {"inline_keyboard": copy.deepcopy(rows)} if rows else None
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(
                isinstance(row, list)
                and all(
                    isinstance(b, str) or (isinstance(b, dict) and isinstance(b.get("text"), str))
                    for b in row
                )
                for row in rows
            ):
                raise _bad('can\'t parse keyboard button: Field "text" must be of type String')
            return None
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return None
        raise _bad("can't parse reply keyboard markup JSON object")

    def _reply_to(self, chat: _Chat, p: _Params) -> JsonDict | None:
        params = p.get("reply_parameters")
        allow = p.get_bool("allow_sending_without_reply")
        if isinstance(params, dict):
            message_id = params.get("message_id")
            allow = bool(params.get("allow_sending_without_reply", allow))
        else:
            message_id = p.get("reply_to_message_id")
        if message_id is None:
            return None
        stored = chat.messages.get(int(message_id))
        if stored is None or stored.deleted:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return {k: v for k, v in stored.message.items() if k != "reply_to_message"}

    def _store(
        self,
        chat: _Chat,
        body: JsonDict,
        *,
        sender: JsonDict | None,
        from_bot: bool,
        reply: JsonDict | None = None,
    ) -> JsonDict:
        message: JsonDict = {"message_id": chat.next_message_id}
        if sender is not None:
            message["from"] = sender
        message |= {"chat": chat.as_dict(), "date": int(time.time())}
        if reply is not None:
            message["reply_to_message"] = reply
        message |= body
        chat.next_message_id += 1
        chat.version += 1
        chat.messages[message["message_id"]] = _Stored(message, from_bot)
        if from_bot:
            self._emit("message", chat.id, message)
        self._notify()
        return copy.deepcopy(message)

    def _new_file(
        self,
        content: bytes,
        file_name: str | None,
        mime_type: str | None,
        folder: str = "documents",
    ) -> _File:
        n = next(self._file_ids)
        if mime_type in (None, "", "application/octet-stream") and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or mime_type
        suffix = "." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name else ""
        stored = _File(
            f"BQACAgQAAxkBAAI{n:06d}LOCAL",
            f"AgAD{n:06d}",
            content,
            f"{folder}/file_{n}{suffix}",
            file_name,
            mime_type or None,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _editable(self, p: _Params) -> tuple[_Chat, _Stored]:
        if p.get("inline_message_id") is not None:
            raise _bad("MESSAGE_ID_INVALID")
        chat = self._sendable_chat(p)
        message_id = p.get_int("message_id")
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise _bad("message to edit not found")
        if not stored.from_bot:
            raise _bad("message can't be edited")
        return chat, stored

    def _apply_edit(self, chat: _Chat, stored: _Stored, changes: JsonDict, method: str) -> JsonDict:
        new = dict(stored.message)
        for key, value in changes.items():
            if value:
                new[key] = value
            else:
                new.pop(key, None)
        if all(new.get(k) == stored.message.get(k) for k in changes):
            raise _bad(NOT_MODIFIED)
        self._check_flood(method, chat.id)
        new["edit_date"] = int(time.time())
        stored.message = new
        chat.version += 1
        self._emit("edit", chat.id, new)
        self._notify()
        return copy.deepcopy(new)

    # ------------------------------------------------------------------ Bot API methods

    async def _api_getMe(self, p: _Params) -> JsonDict:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": not self.group_privacy,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_getUpdates(self, p: _Params) -> list[JsonDict]:
        offset = p.get_int("offset", 0) or 0
        limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
        timeout = max(float(p.get("timeout", 0)), 0.0)
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or DEFAULT_ALLOWED_UPDATES
        if offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        elif offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        self._notify()  # confirmed updates may satisfy wait_until_consumed()
        self._poll_generation += 1
        generation = self._poll_generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._updates or self._closing or loop.time() >= deadline:
                return list(itertools.islice(self._updates, limit))
            if generation != self._poll_generation:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make "
                    "sure that only one bot instance is running",
                )
            await _wait_event(self._changed, deadline - loop.time())

    async def _api_setWebhook(self, p: _Params) -> bool:
        url = p.get("url", "")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": p.get("secret_token"),
                        "allowed_updates": p.get("allowed_updates")}
        return True

    async def _api_deleteWebhook(self, p: _Params) -> bool:
        self.webhook = {}
        if p.get_bool("drop_pending_updates"):
            self._updates.clear()
        self._notify()
        return True

    async def _api_getWebhookInfo(self, p: _Params) -> JsonDict:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _scope_key(self, scope: Any, language_code: Any) -> tuple[Any, ...]:
        scope = scope or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise _bad("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            key: tuple[Any, ...] = (kind,)
        elif kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._lookup_chat(scope.get("chat_id"))
            if chat is None:
                raise _bad("chat not found")
            key = (kind, chat.id)
            if kind == "chat_member":
                if not isinstance(scope.get("user_id"), int):
                    raise _bad("invalid user_id specified")
                key += (scope["user_id"],)
        else:
            raise _bad("wrong parameter scope")
        language = language_code or ""
        if language and not re.fullmatch(r"[a-z]{2}", str(language)):
            raise _bad("invalid language code specified")
        return (*key, language)

    async def _api_setMyCommands(self, p: _Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if (
                not isinstance(command, dict)
                or not isinstance(command.get("command"), str)
                or not _COMMAND_RE.fullmatch(command["command"])
            ):
                raise _bad("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(p.get("scope"), p.get("language_code"))
        if commands:
            self._commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self._commands.pop(key, None)
        return True

    async def _api_getMyCommands(self, p: _Params) -> list[JsonDict]:
        key = self._scope_key(p.get("scope"), p.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    async def _api_deleteMyCommands(self, p: _Params) -> bool:
        self._commands.pop(self._scope_key(p.get("scope"), p.get("language_code")), None)
        return True

    async def _api_setChatMenuButton(self, p: _Params) -> bool:
        if p.get("chat_id") is not None:
            self._known_chat(p)
        return True

    async def _api_getChat(self, p: _Params) -> JsonDict:
        return self._known_chat(p).as_dict() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _api_sendChatAction(self, p: _Params) -> bool:
        self._sendable_chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    async def _api_sendMessage(self, p: _Params) -> JsonDict:
        chat = self._sendable_chat(p)
        text, entities = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p)
        self._check_flood("sendMessage", chat.id)
        body: JsonDict = {"text": text}
        if entities:
            body["entities"] = entities
        if markup:
            body["reply_markup"] = markup
        return self._store(chat, body, sender=self.bot_user, from_bot=True, reply=reply)

    async def _api_sendDocument(self, p: _Params) -> JsonDict:
        chat = self._sendable_chat(p)
        value, upload = p.get("document"), p.files.get("document")
        if isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value[len("attach://") :])
        if upload is not None:
            if not upload.content:
                raise _bad("file must be non-empty")
            stored = self._new_file(upload.content, upload.filename, upload.content_type)
        elif isinstance(value, str) and value in self._files:
            stored = self._files[value]
        elif isinstance(value, str) and value:
            raise _bad("wrong file identifier/HTTP URL specified")
        else:
            raise _bad("there is no document in the request")
        caption, entities = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p)
        self._check_flood("sendDocument", chat.id)
        body: JsonDict = {"document": stored.as_document()}
        if caption:
            body["caption"] = caption
        if entities:
            body["caption_entities"] = entities
        if markup:
            body["reply_markup"] = markup
        return self._store(chat, body, sender=self.bot_user, from_bot=True, reply=reply)

    async def _api_getFile(self, p: _Params) -> JsonDict:
        stored = self._files.get(str(p.get("file_id", "")))
        if stored is None:
            raise _bad("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _api_editMessageText(self, p: _Params) -> JsonDict:
        chat, stored = self._editable(p)
        if "text" not in stored.message:
            raise _bad("there is no text in the message to edit")
        text, entities = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        markup = self._check_markup(p.get("reply_markup"))  # omitted markup removes buttons
        changes = {"text": text, "entities": entities, "reply_markup": markup}
        return self._apply_edit(chat, stored, changes, "editMessageText")

    async def _api_editMessageCaption(self, p: _Params) -> JsonDict:
        chat, stored = self._editable(p)
        if "text" in stored.message:
            raise _bad("there is no caption in the message to edit")
        caption, entities = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        markup = self._check_markup(p.get("reply_markup"))
        changes = {"caption": caption, "caption_entities": entities, "reply_markup": markup}
        return self._apply_edit(chat, stored, changes, "editMessageCaption")

    async def _api_editMessageReplyMarkup(self, p: _Params) -> JsonDict:
        chat, stored = self._editable(p)
        markup = self._check_markup(p.get("reply_markup"))
        return self._apply_edit(chat, stored, {"reply_markup": markup}, "editMessageReplyMarkup")

    async def _api_deleteMessage(self, p: _Params) -> bool:
        chat = self._known_chat(p)
        message_id = p.get_int("message_id")
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise _bad("message to delete not found")
        stored.deleted = True
        chat.version += 1
        self._emit("delete", chat.id, stored.message)
        self._notify()
        return True

    async def _api_answerCallbackQuery(self, p: _Params) -> bool:
        query_id = str(p.get("callback_query_id", ""))
        query = self._callbacks.get(query_id)
        if query is None or query.answer is not None:
            raise _bad(QUERY_TOO_OLD)
        text = str(p.get("text", ""))
        if len(text) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        query.answer = {
            "callback_query_id": query_id,
            "text": text,
            "show_alert": p.get_bool("show_alert"),
            "url": p.get("url"),
            "cache_time": p.get_int("cache_time", 0),
        }
        if query.chat_id is not None:
            self._emit("callback_answer", query.chat_id, query.answer)
        self._notify()
        return True

    async def _api_answerInlineQuery(self, p: _Params) -> bool:
        query_id = str(p.get("inline_query_id", ""))
        query = self._inline.get(query_id)
        if query is None or query.answer is not None:
            raise _bad(QUERY_TOO_OLD)
        results = p.get("results")
        if not isinstance(results, list):
            raise _bad("can't parse results JSON object")
        if len(results) > 50:
            raise _bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            self._check_inline_result(result, seen)
        if len(str(p.get("next_offset", "")).encode()) > 64:
            raise _bad("NEXT_OFFSET_INVALID")
        query.answer = {
            "results": copy.deepcopy(results),
            "cache_time": p.get("cache_time"),
            "is_personal": p.get_bool("is_personal"),
            "next_offset": p.get("next_offset", ""),
            "button": p.get("button"),
        }
        self._notify()
        return True

    def _check_inline_result(self, result: Any, seen: set[str]) -> None:
        if not isinstance(result, dict) or result.get("type") not in INLINE_RESULT_TYPES:
            raise _bad("can't parse InlineQueryResult: unsupported or missing type")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise _bad("RESULT_ID_INVALID")
        if result_id in seen:
            raise _bad("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result["type"] == "article":
            if not isinstance(result.get("title"), str) or not result["title"].strip():
                raise _bad(
                    'can\'t parse InlineQueryResultArticle: Field "title" must be of type String'
                )
            if not isinstance(result.get("input_message_content"), dict):
                raise _bad(
                    'can\'t parse InlineQueryResultArticle: Field "input_message_content"'
                    " must be of type Object"
                )
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            self._format(
                content.get("message_text"),
                content.get("parse_mode"),
                content.get("entities"),
                caption=False,
            )
        self._check_markup(result.get("reply_markup"))

    # ------------------------------------------------------------------ user side

    def add_chat(
        self,
        chat_id: int,
        *,
        chat_type: str | None = None,
        title: str | None = None,
        first_name: str = "Alice",
        username: str | None = None,
    ) -> JsonDict:
        """Make a chat known to the bot (as if the user had talked to it before)."""
        if chat_type is None:
            chat_type = (
                "private"
                if chat_id > 0
                else ("supergroup" if chat_id <= -1_000_000_000_000 else "group")
            )
        if (chat_type == "private") != (chat_id > 0):
            raise AssertionError("private chats have positive ids, groups/channels negative")
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id, chat_type, title, first_name, username)
        elif chat.type != chat_type:
            raise AssertionError(f"chat {chat_id} is a {chat.type}, not a {chat_type}")
        return chat.as_dict()

    @staticmethod
    def _user(
        user_id: int, first_name: str, username: str | None = None, language_code: str | None = "fr"
    ) -> JsonDict:
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _user_chat(
        self, user: JsonDict, chat_id: int | None, chat_type: str, chat_title: str | None
    ) -> _Chat:
        if chat_id is None:
            chat_id = {"private": user["id"], "group": -user["id"]}.get(
                chat_type, -1_000_000_000_000 - user["id"]
            )
        if chat_type == "private" and chat_id != user["id"]:
            raise AssertionError("a private chat's id is the user's id")
        self.add_chat(
            chat_id,
            chat_type=chat_type,
            title=chat_title or "Groupe test",
            first_name=user["first_name"],
            username=user.get("username"),
        )
        chat = self._chats[chat_id]
        if chat.blocked:
            raise AssertionError(f"chat {chat_id} has blocked the bot; call unblock() first")
        return chat

    def _push_update(self, kind: str, payload: JsonDict) -> int | None:
        if kind not in self._allowed_updates:
            self.dropped_updates += 1
            return None
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, kind: copy.deepcopy(payload)})
        self._notify()
        return update_id

    def _bot_sees(self, chat: _Chat, message: JsonDict) -> bool:
        """Group privacy mode: commands, mentions, replies to the bot and service messages."""
        if chat.type not in ("group", "supergroup") or not self.group_privacy:
            return True
        if (
            "text" not in message
            and "caption" not in message
            and not any(k in message for k in ("photo", "sticker", "voice", "document"))
        ):
            return True  # service message
        text = message.get("text") or message.get("caption") or ""
        command = _CMD_RE.match(text)
        if command and (command.group(2) or self.bot_username).lower() == self.bot_username.lower():
            return True
        if f"@{self.bot_username.lower()}" in text.lower():
            return True
        return (message.get("reply_to_message") or {}).get("from", {}).get("id") == self.bot_id

    def _detect_entities(self, text: str) -> list[JsonDict]:
        entities = []
        command = _CMD_RE.match(text)
        if command:
            entities.append(
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
            )
        for m in _MENTION_RE.finditer(text):
            entities.append(
                {
                    "type": "mention",
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m.group(0)),
                }
            )
        return entities

    def _user_message(
        self,
        body: JsonDict,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Alice",
        username: str | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JsonDict:
        user = self._user(user_id, first_name, username)
        chat = self._user_chat(user, chat_id, chat_type, chat_title)
        reply = None
        if reply_to_message_id is not None:
            stored = chat.messages.get(reply_to_message_id)
            if stored is None or stored.deleted:
                raise AssertionError(f"no message {reply_to_message_id} in chat {chat.id}")
            reply = {k: v for k, v in stored.message.items() if k != "reply_to_message"}
        message = self._store(chat, body, sender=user, from_bot=False, reply=reply)
        if self._bot_sees(chat, message):
            self._push_update("message", message)
        return message

    async def user_sends(
        self,
        text: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Alice",
        username: str | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JsonDict:
        """A user sends `text` (bot_command/mention entities added); returns the Message.

        Default chat: private chat `user_id`; groups default to -user_id, supergroups to
        -(10**12 + user_id). With group privacy on, the bot only gets commands, mentions and
        replies to its messages in groups (the message is stored either way).
        """
        body: JsonDict = {"text": text}
        entities = self._detect_entities(text)
        if entities:
            body["entities"] = entities
        return self._user_message(
            body,
            user_id=user_id,
            chat_id=chat_id,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
            chat_title=chat_title,
            reply_to_message_id=reply_to_message_id,
        )

    async def user_sends_document(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        **who: Any,
    ) -> JsonDict:
        """A user sends a file (downloadable by the bot via getFile). `who`: see user_sends."""
        stored = self._new_file(content, filename, mime_type)
        body: JsonDict = {"document": stored.as_document()}
        if caption:
            body["caption"] = caption
        return self._user_message(body, **who)

    async def user_sends_photo(
        self, content: bytes = b"\x89PNG\r\n\x1a\n", *, caption: str | None = None, **who: Any
    ) -> JsonDict:
        stored = self._new_file(content, None, "image/jpeg", folder="photos")
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 640,
            "height": 480,
            "file_size": len(content),
        }
        body: JsonDict = {"photo": [size]}
        if caption:
            body["caption"] = caption
        return self._user_message(body, **who)

    async def user_sends_sticker(self, emoji: str = "👍", **who: Any) -> JsonDict:
        stored = self._new_file(b"RIFF....WEBP", None, "image/webp", folder="stickers")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": emoji,
        }
        return self._user_message({"sticker": sticker}, **who)

    async def user_sends_voice(
        self, content: bytes = b"OggS", *, duration: int = 2, **who: Any
    ) -> JsonDict:
        stored = self._new_file(content, None, "audio/ogg", folder="voice")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return self._user_message({"voice": voice}, **who)

    async def user_edits(self, chat_id: int, message_id: int, new_text: str) -> JsonDict:
        """The author edits their text message: sends edited_message (edited_channel_post)."""
        chat = self._require_chat(chat_id)
        stored = chat.messages.get(message_id)
        if stored is None or stored.from_bot or stored.deleted or "text" not in stored.message:
            raise AssertionError(f"no user text message {message_id} in chat {chat_id}")
        message = dict(stored.message, text=new_text, edit_date=int(time.time()))
        message.pop("entities", None)
        entities = self._detect_entities(new_text)
        if entities:
            message["entities"] = entities
        stored.message = message
        chat.version += 1
        self._notify()
        kind = "edited_channel_post" if chat.type == "channel" else "edited_message"
        if self._bot_sees(chat, message):
            self._push_update(kind, message)
        return copy.deepcopy(message)

    async def channel_post(
        self, chat_id: int, text: str, *, title: str = "Canal", username: str | None = None
    ) -> JsonDict:
        """A post in a channel where the bot is a member (update `channel_post`)."""
        self.add_chat(chat_id, chat_type="channel", title=title, username=username)
        chat = self._chats[chat_id]
        body: JsonDict = {"sender_chat": chat.as_dict(), "text": text}
        message = self._store(chat, body, sender=None, from_bot=False)
        self._push_update("channel_post", message)
        return message

    async def service_message(
        self,
        chat_id: int,
        *,
        new_chat_members: list[Any] | None = None,
        left_chat_member: Any = None,
        new_chat_title: str | None = None,
        chat_type: str = "group",
        chat_title: str | None = None,
        user_id: int = 1001,
        first_name: str = "Alice",
    ) -> JsonDict:
        """Service message (members joined/left, title changed). Ints are turned into users;
        adding the bot's id also sends my_chat_member like Telegram."""

        def as_user(member: Any) -> JsonDict:
            if isinstance(member, dict):
                return member
            if member == self.bot_id:
                return self.bot_user
            return self._user(int(member), f"Membre {member}", language_code=None)

        body: JsonDict = {}
        if new_chat_members:
            body["new_chat_members"] = [as_user(m) for m in new_chat_members]
        if left_chat_member is not None:
            body["left_chat_member"] = as_user(left_chat_member)
        if new_chat_title:
            body["new_chat_title"] = new_chat_title
        if not body:
            raise ValueError("service_message needs new_chat_members, left_chat_member or title")
        user = self._user(user_id, first_name)
        self.add_chat(chat_id, chat_type=chat_type, title=chat_title or "Groupe test")
        chat = self._chats[chat_id]
        if new_chat_title:
            chat.title = new_chat_title
        if any(m.get("id") == self.bot_id for m in body.get("new_chat_members", [])):
            chat.blocked = False
            self._member_update(chat, "left", "member", actor=user)
        message = self._store(chat, body, sender=user, from_bot=False)
        self._push_update("message", message)
        return message

    def _member_update(
        self, chat: _Chat, old: str, new: str, actor: JsonDict | None = None
    ) -> None:
        actor = actor or self._user(chat.id if chat.id > 0 else 1001, chat.first_name or "Alice")

        def member(status: str) -> JsonDict:
            data: JsonDict = {"user": self.bot_user, "status": status}
            return data | {"until_date": 0} if status == "kicked" else data

        self._push_update(
            "my_chat_member",
            {
                "chat": chat.as_dict(),
                "from": actor,
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    async def user_presses(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str | None = None,
        *,
        button_text: str | None = None,
        user_id: int | None = None,
        first_name: str = "Alice",
    ) -> str:
        """Press an inline button (by callback_data and/or label); returns the query id.

        Raises AssertionError if the message or the button does not exist (any more).
        """
        if callback_data is None and button_text is None:
            raise ValueError("give callback_data or button_text")
        chat = self._require_chat(chat_id)
        stored = chat.messages.get(message_id)
        if stored is None or stored.deleted or not stored.from_bot:
            raise AssertionError(f"no bot message {message_id} in chat {chat_id}")
        rows = (stored.message.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [b for row in rows for b in row]
        match = next(
            (
                b
                for b in buttons
                if "callback_data" in b
                and callback_data in (None, b["callback_data"])
                and button_text in (None, b["text"])
            ),
            None,
        )
        if match is None:
            available = [(b.get("text"), b.get("callback_data")) for b in buttons]
            raise AssertionError(
                f"no button {button_text or callback_data!r} on message {message_id} in chat "
                f"{chat_id}; buttons (text, callback_data): {available}"
            )
        if user_id is None:
            user_id = chat_id if chat.type == "private" else 1001
        query_id = str(next(self._query_ids))
        self._callbacks[query_id] = _Query(chat_id)
        self._push_update(
            "callback_query",
            {
                "id": query_id,
                "from": self._user(user_id, first_name),
                "message": copy.deepcopy(stored.message),
                "chat_instance": f"{abs(chat_id)}07",
                "data": match["callback_data"],
            },
        )
        return query_id

    async def user_inline_query(
        self,
        query: str,
        *,
        user_id: int = 1001,
        first_name: str = "Alice",
        offset: str = "",
        chat_type: str | None = "sender",
    ) -> str:
        """A user types `@bot query` in any chat; returns the inline query id."""
        query_id = str(next(self._query_ids))
        self._inline[query_id] = _Query(None)
        payload: JsonDict = {
            "id": query_id,
            "from": self._user(user_id, first_name),
            "query": query,
            "offset": offset,
        }
        if chat_type:
            payload["chat_type"] = chat_type
        self._push_update("inline_query", payload)
        return query_id

    # ------------------------------------------------------------------ observation

    def calls(self, method: str | None = None, *, ok: bool | None = None) -> list[ApiCall]:
        """Recorded bot calls, optionally filtered by method name and success."""
        return [c for c in self.sent if method in (None, c.method) and ok in (None, c.ok)]

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[JsonDict]:
        """The bot's messages in the chat, in order, in their current state (after edits)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(s.message)
            for s in chat.messages.values()
            if s.from_bot and (include_deleted or not s.deleted)
        ]

    def history(self, chat_id: int) -> list[JsonDict]:
        """Every message in the chat (user's and bot's), deleted ones included."""
        chat = self._chats.get(chat_id)
        return [copy.deepcopy(s.message) for s in chat.messages.values()] if chat else []

    def documents(self, chat_id: int) -> list[JsonDict]:
        """Documents the bot sent: message_id, file_id, file_name, mime_type, content, caption."""
        found = []
        for message in self.messages(chat_id):
            if "document" in message:
                doc = message["document"]
                found.append(
                    {
                        "message_id": message["message_id"],
                        "file_id": doc["file_id"],
                        "file_name": doc.get("file_name"),
                        "mime_type": doc.get("mime_type"),
                        "content": self._files[doc["file_id"]].content,
                        "caption": message.get("caption"),
                    }
                )
        return found

    def file_bytes(self, file_id: str) -> bytes:
        return self._files[file_id].content

    def commands(self, scope: Any = None, language_code: str = "") -> list[JsonDict]:
        """Commands set for a scope: None/"default"/a type name, a dict or a PTB scope object."""
        if isinstance(scope, str):
            scope = {"type": scope}
        elif scope is not None and hasattr(scope, "to_dict"):
            scope = scope.to_dict()
        try:
            key = self._scope_key(scope, language_code)
        except _ApiError:
            return []
        return copy.deepcopy(self._commands.get(key, []))

    def callback_answer(self, query_id: str) -> JsonDict | None:
        query = self._callbacks.get(query_id)
        return copy.deepcopy(query.answer) if query else None

    def unanswered_callbacks(self) -> list[str]:
        return [qid for qid, q in self._callbacks.items() if q.answer is None]

    def inline_answer(self, query_id: str) -> JsonDict | None:
        """What the bot answered to an inline query (results, cache_time...), or None."""
        query = self._inline.get(query_id)
        return copy.deepcopy(query.answer) if query else None

    @property
    def pending_update_count(self) -> int:
        return len(self._updates)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[JsonDict], bool] | None = None,
        *,
        since: int | None = None,
    ) -> list[JsonDict]:
        """Wait until the chat holds >= `count` bot messages matching `predicate` (checked on the
        current state, so edits count; it must not mutate the message) and newer than message id
        `since`; return them all."""
        seen = {"version": -1}

        def matching() -> list[JsonDict] | None:
            chat = self._chats.get(chat_id)
            if chat is None or chat.version == seen["version"]:
                return None
            seen["version"] = chat.version
            found = [
                s.message
                for s in chat.messages.values()
                if s.from_bot
                and not s.deleted
                and (since is None or s.message["message_id"] > since)
                and (predicate is None or predicate(s.message))
            ]
            return copy.deepcopy(found) if len(found) >= count else None

        return await self._wait_until(matching, timeout, f"{count} message(s) in chat {chat_id}")

    async def wait_for_callback_answer(
        self, callback_query_id: str, timeout: float = 5.0
    ) -> JsonDict:
        return await self._wait_until(
            lambda: self.callback_answer(callback_query_id),
            timeout,
            f"answerCallbackQuery({callback_query_id})",
        )

    async def wait_for_inline_answer(self, query_id: str, timeout: float = 5.0) -> JsonDict:
        return await self._wait_until(
            lambda: self.inline_answer(query_id), timeout, f"answerInlineQuery({query_id})"
        )

    async def wait_for_calls(
        self, method: str, count: int = 1, timeout: float = 5.0, *, ok: bool | None = None
    ) -> list[ApiCall]:
        """Wait until `method` was called `count` times (optionally only successes/failures)."""

        def enough() -> list[ApiCall] | None:
            done = sum(
                n
                for (m, success), n in self._call_counts.items()
                if m == method and ok in (None, success)
            )
            return self.calls(method, ok=ok) if done >= count else None

        return await self._wait_until(enough, timeout, f"{count} {method} call(s)")

    async def wait_until_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed (via getUpdates offset) every queued update."""
        await self._wait_until(lambda: not self._updates, timeout, "updates to be consumed")


def _check_inline_button(button: Any) -> None:
    """Telegram's InlineKeyboardButton rules: text plus exactly one action."""
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise _bad(prefix + "InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise _bad(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise _bad("BUTTON_TEXT_INVALID")
    actions = [key for key in BUTTON_ACTIONS if key in button]
    if not actions:
        raise _bad(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _bad(prefix + f"exactly one optional field must be used, got {actions}")
    action, value = actions[0], button[actions[0]]
    if action in (
        "url",
        "callback_data",
        "switch_inline_query",
        "switch_inline_query_current_chat",
    ) and not isinstance(value, str):
        raise _bad(prefix + f'Field "{action}" must be of type String')
    if action == "callback_data" and not 1 <= len(value.encode("utf-8")) <= 64:
        raise _bad("BUTTON_DATA_INVALID")
    if action == "url":
        parts = urlsplit(value if "://" in value else "http://" + value)
        if parts.scheme.lower() in ("http", "https"):
            host = parts.hostname or ""
            if "." not in host or host == "localhost" or any(c.isspace() for c in value):
                raise _bad(f"inline keyboard button URL '{value}' is invalid: Wrong HTTP URL")
        elif parts.scheme.lower() not in ("tg", "ton"):
            raise _bad(f"inline keyboard button URL '{value}' is invalid: Unsupported URL protocol")


async def _wait_event(event: asyncio.Event, timeout: float) -> None:
    """Wait for `event` at most `timeout` seconds (no exception on timeout)."""
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait({waiter}, timeout=max(timeout, 0.0))
    finally:
        waiter.cancel()
