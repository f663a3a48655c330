"""The Bot API methods the bot uses, with Telegram's checks and flood control (429)."""

from __future__ import annotations

import asyncio
import copy
import itertools
import math
import time
from collections import deque
from typing import Any

from botapi_standin.entities import JsonDict
from botapi_standin.state import Chat, StandinState, StoredMessage, wait_event
from botapi_standin.validation import (
    CHAT_ACTIONS,
    COMMAND_RE,
    DEFAULT_ALLOWED_UPDATES,
    MAX_DOWNLOAD,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    RATE_LIMITED_METHODS,
    ApiError,
    Params,
    bad_request,
    check_inline_result,
    check_markup,
    format_text,
)


class BotApiMethods(StandinState):
    """One `_api_<method>` per emulated Bot API method (dispatched by `HttpServer`)."""

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
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        for hits, _ in windows:
            hits.append(now)

    def _format(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool
    ) -> tuple[str, list[JsonDict]]:
        return format_text(
            text, parse_mode, entities, caption=caption, strict_ampersand=self.strict_ampersand
        )

    def _reply_to(self, chat: Chat, p: Params) -> JsonDict | None:
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
            raise bad_request("message to be replied not found")
        return {k: v for k, v in stored.message.items() if k != "reply_to_message"}

    def _editable(self, p: Params) -> tuple[Chat, StoredMessage]:
        if p.get("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._sendable_chat(p)
        message_id = p.get_int("message_id")
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise bad_request("message to edit not found")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return chat, stored

    def _apply_edit(
        self, chat: Chat, stored: StoredMessage, changes: JsonDict, method: str
    ) -> JsonDict:
        new = dict(stored.message)
        for key, value in changes.items():
            if value:
                new[key] = value
            else:
                new.pop(key, None)
        if all(new.get(k) == stored.message.get(k) for k in changes):
            raise bad_request(NOT_MODIFIED)
        self._check_flood(method, chat.id)
        new["edit_date"] = int(time.time())
        stored.message = new
        chat.version += 1
        self._emit("edit", chat.id, new)
        self._notify()
        return copy.deepcopy(new)

    # ------------------------------------------------------------------ Bot API methods

    async def _api_getMe(self, p: Params) -> JsonDict:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": not self.group_privacy,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_getUpdates(self, p: Params) -> list[JsonDict]:
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
        self._poll_generation += 1
        generation = self._poll_generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._waiting_polls += 1
        self._notify()  # confirmed updates may satisfy wait_until_consumed(), a wait_for_poll()
        try:
            while True:
                if self._updates or self._closing or loop.time() >= deadline:
                    return list(itertools.islice(self._updates, limit))
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make "
                        "sure that only one bot instance is running",
                    )
                await wait_event(self._changed, deadline - loop.time())
        finally:
            self._waiting_polls -= 1

    async def _api_setWebhook(self, p: Params) -> bool:
        url = p.get("url", "")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": p.get("secret_token"),
                        "allowed_updates": p.get("allowed_updates")}
        return True

    async def _api_deleteWebhook(self, p: Params) -> bool:
        self.webhook = {}
        if p.get_bool("drop_pending_updates"):
            self._updates.clear()
        self._notify()
        return True

    async def _api_getWebhookInfo(self, p: Params) -> JsonDict:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }


    async def _api_setMyCommands(self, p: Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if (
                not isinstance(command, dict)
                or not isinstance(command.get("command"), str)
                or not COMMAND_RE.fullmatch(command["command"])
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(p.get("scope"), p.get("language_code"))
        if commands:
            self._commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self._commands.pop(key, None)
        return True

    async def _api_getMyCommands(self, p: Params) -> list[JsonDict]:
        key = self._scope_key(p.get("scope"), p.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    async def _api_deleteMyCommands(self, p: Params) -> bool:
        self._commands.pop(self._scope_key(p.get("scope"), p.get("language_code")), None)
        return True

    async def _api_setChatMenuButton(self, p: Params) -> bool:
        if p.get("chat_id") is not None:
            self._known_chat(p)
        return True

    async def _api_getChat(self, p: Params) -> JsonDict:
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

    async def _api_sendChatAction(self, p: Params) -> bool:
        self._sendable_chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _api_sendMessage(self, p: Params) -> JsonDict:
        chat = self._sendable_chat(p)
        text, entities = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        markup = check_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p)
        self._check_flood("sendMessage", chat.id)
        body: JsonDict = {"text": text}
        if entities:
            body["entities"] = entities
        if markup:
            body["reply_markup"] = markup
        return self._store(chat, body, sender=self.bot_user, from_bot=True, reply=reply)

    async def _api_sendDocument(self, p: Params) -> JsonDict:
        chat = self._sendable_chat(p)
        value, upload = p.get("document"), p.files.get("document")
        if isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value[len("attach://") :])
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            stored = self._new_file(upload.content, upload.filename, upload.content_type)
        elif isinstance(value, str) and value in self._files:
            stored = self._files[value]
        elif isinstance(value, str) and value:
            raise bad_request("wrong file identifier/HTTP URL specified")
        else:
            raise bad_request("there is no document in the request")
        caption, entities = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        markup = check_markup(p.get("reply_markup"))
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

    async def _api_getFile(self, p: Params) -> JsonDict:
        stored = self._files.get(str(p.get("file_id", "")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _api_editMessageText(self, p: Params) -> JsonDict:
        chat, stored = self._editable(p)
        if "text" not in stored.message:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        markup = check_markup(p.get("reply_markup"))  # omitted markup removes buttons
        changes = {"text": text, "entities": entities, "reply_markup": markup}
        return self._apply_edit(chat, stored, changes, "editMessageText")

    async def _api_editMessageCaption(self, p: Params) -> JsonDict:
        chat, stored = self._editable(p)
        if "text" in stored.message:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        markup = check_markup(p.get("reply_markup"))
        changes = {"caption": caption, "caption_entities": entities, "reply_markup": markup}
        return self._apply_edit(chat, stored, changes, "editMessageCaption")

    async def _api_editMessageReplyMarkup(self, p: Params) -> JsonDict:
        chat, stored = self._editable(p)
        markup = check_markup(p.get("reply_markup"))
        return self._apply_edit(chat, stored, {"reply_markup": markup}, "editMessageReplyMarkup")

    async def _api_deleteMessage(self, p: Params) -> bool:
        chat = self._known_chat(p)
        message_id = p.get_int("message_id")
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise bad_request("message to delete not found")
        stored.deleted = True
        chat.version += 1
        self._emit("delete", chat.id, stored.message)
        self._notify()
        return True

    async def _api_answerCallbackQuery(self, p: Params) -> bool:
        query_id = str(p.get("callback_query_id", ""))
        query = self._callbacks.get(query_id)
        if query is None or query.answer is not None:
            raise bad_request(QUERY_TOO_OLD)
        text = str(p.get("text", ""))
        if len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
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

    async def _api_answerInlineQuery(self, p: Params) -> bool:
        query_id = str(p.get("inline_query_id", ""))
        query = self._inline.get(query_id)
        if query is None or query.answer is not None:
            raise bad_request(QUERY_TOO_OLD)
        results = p.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse results JSON object")
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            check_inline_result(result, seen, strict_ampersand=self.strict_ampersand)
        if len(str(p.get("next_offset", "")).encode()) > 64:
            raise bad_request("NEXT_OFFSET_INVALID")
        query.answer = {
            "results": copy.deepcopy(results),
            "cache_time": p.get("cache_time"),
            "is_personal": p.get_bool("is_personal"),
            "next_offset": p.get("next_offset", ""),
            "button": p.get("button"),
        }
        self._notify()
        return True
