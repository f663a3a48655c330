"""The stand-in's state: chats and their messages, files, queued updates, recorded calls."""

from __future__ import annotations

import asyncio
import copy
import itertools
import logging
import mimetypes
import re
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any

from botapi_standin.entities import JsonDict
from botapi_standin.validation import (
    DEFAULT_ALLOWED_UPDATES,
    DEFAULT_TOKEN,
    ApiError,
    Params,
    bad_request,
)

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("botapi_standin")

#: Listener signature: (kind, chat_id, payload) with kind in
#: "message" | "edit" | "delete" | "callback_answer".
Listener = Callable[[str, int, JsonDict], None]


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
class StoredFile:
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
class StoredMessage:
    message: JsonDict
    from_bot: bool
    deleted: bool = False


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    blocked: bool = False
    next_message_id: int = 1
    version: int = 0  # bumped on every change, lets waiters skip idle chats
    messages: dict[int, StoredMessage] = field(default_factory=dict)

    def as_dict(self) -> JsonDict:
        data: JsonDict = {"id": self.id, "type": self.type}
        if self.type == "private":
            if self.first_name:  # "": a user without a first name
                data["first_name"] = self.first_name
        else:
            data["title"] = self.title or "Groupe"
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class Fault:
    """An injected failure (`fail_next`, `drop_next`) for the next `times` calls of `method`."""

    method: str
    chat_id: int | None
    times: int
    error_code: int = 0
    description: str = ""
    retry_after: int | None = None
    drop: bool = False
    deliver: bool = False


@dataclass
class Query:
    chat_id: int | None
    answer: JsonDict | None = None


class StandinState:
    """What the stand-in remembers: chats, messages, files, updates, calls; shared helpers.

    The other concerns (`server`, `methods`, `driver`, `observe`) are mixins over this state,
    composed into `LocalBotApi`.
    """

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

        self._chats: dict[int, Chat] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._updates: deque[JsonDict] = deque()
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._callbacks: dict[str, Query] = {}
        self._inline: dict[str, Query] = {}
        self._commands: dict[tuple[Any, ...], list[JsonDict]] = {}
        self._faults: list[Fault] = []
        self._listeners: list[Listener] = []
        self._global_hits: deque[float] = deque()
        self._chat_hits: dict[int, deque[float]] = {}
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_200_000_001)
        self._file_ids = itertools.count(1)
        self._barrier_users = itertools.count(900_001)  # a fresh chat per barrier
        self._poll_generation = 0
        self._waiting_polls = 0  # getUpdates requests being held open
        self._closing = False
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None

    @property
    def bot_user(self) -> JsonDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

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

    def _lookup_chat(self, raw: Any) -> Chat | None:
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

    def _known_chat(self, p: Params, key: str = "chat_id") -> Chat:
        raw = p.raw.get(key)
        if raw is None or raw == "":
            raise bad_request(f"{key} is empty")
        chat = self._lookup_chat(raw)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _sendable_chat(self, p: Params) -> Chat:
        chat = self._known_chat(p)
        if chat.blocked:
            reason = {
                "private": "bot was blocked by the user",
                "group": "bot was kicked from the group chat",
                "supergroup": "bot was kicked from the supergroup chat",
            }.get(chat.type, "bot is not a member of the channel chat")
            raise ApiError(403, f"Forbidden: {reason}")
        return chat

    def _require_chat(self, chat_id: int) -> Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise AssertionError(f"LocalBotApi: unknown chat {chat_id}")
        return chat

    def _store(
        self,
        chat: Chat,
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
        chat.messages[message["message_id"]] = StoredMessage(message, from_bot)
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
    ) -> StoredFile:
        n = next(self._file_ids)
        if mime_type in (None, "", "application/octet-stream") and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or mime_type
        suffix = "." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name else ""
        stored = StoredFile(
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

    def _scope_key(self, scope: Any, language_code: Any) -> tuple[Any, ...]:
        scope = scope or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            key: tuple[Any, ...] = (kind,)
        elif kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._lookup_chat(scope.get("chat_id"))
            if chat is None:
                raise bad_request("chat not found")
            key = (kind, chat.id)
            if kind == "chat_member":
                if not isinstance(scope.get("user_id"), int):
                    raise bad_request("invalid user_id specified")
                key += (scope["user_id"],)
        else:
            raise bad_request("wrong parameter scope")
        language = language_code or ""
        if language and not re.fullmatch(r"[a-z]{2}", str(language)):
            raise bad_request("invalid language code specified")
        return (*key, language)

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
            chat = self._chats[chat_id] = Chat(chat_id, chat_type, title, first_name, username)
        elif chat.type != chat_type:
            raise AssertionError(f"chat {chat_id} is a {chat.type}, not a {chat_type}")
        return chat.as_dict()


async def wait_event(event: asyncio.Event, timeout: float) -> None:
    """Wait for `event` at most `timeout` seconds (no exception on timeout)."""
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait({waiter}, timeout=max(timeout, 0.0))
    finally:
        waiter.cancel()
