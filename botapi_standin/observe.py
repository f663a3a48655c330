"""Observation for tests and tools: what the bot did, and waits on events (never sleeps).

Every `wait_for_*` wakes on the stand-in's change event and is bounded by a timeout that
raises `TimeoutError` naming what was awaited.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from typing import Any

from botapi_standin.entities import JsonDict
from botapi_standin.state import ApiCall, StandinState, wait_event
from botapi_standin.validation import ApiError


class Observation(StandinState):
    """Read the recorded calls, chats, files and answers; wait for them to happen."""

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
            await wait_event(self._changed, remaining)

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
        except ApiError:
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

    def take_updates(self) -> list[JsonDict]:
        """The queued updates, removed from the queue: what Telegram pushes to the registered
        webhook (the test forwards them, as the HTTPS reverse proxy would)."""
        updates = list(self._updates)
        self._updates.clear()
        return updates

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 5.0,
                         what: str = "a condition") -> Any:
        """Wait until `predicate()` is truthy, checked after every bot call; return it."""
        return await self._wait_until(predicate, timeout, what)

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

    async def barrier(self, text: str, timeout: float = 5.0) -> JsonDict:
        """Send `text` from a new private chat and wait for the bot's reply to it; return it.

        Choose a `text` the bot always answers at once. Updates reach the bot in order, so once
        the barrier is answered the bot has taken every earlier update and what it sends for
        them on its usual path is there: a test proves "nothing else came" without a pause.
        """
        user = next(self._barrier_users)
        sent = await self.user_sends(text, user_id=user, first_name="Barrière")  # type: ignore[attr-defined]
        [reply, *_] = await self.wait_for_messages(user, since=sent["message_id"], timeout=timeout)
        return reply

    async def wait_for_poll(self, timeout: float = 5.0) -> None:
        """Wait until a getUpdates request is being held (the bot is long polling)."""
        await self._wait_until(lambda: self._waiting_polls > 0, timeout, "a getUpdates poll")

    async def wait_until_answered(self, timeout: float = 5.0) -> None:
        """Wait until the bot has answered every callback query pushed so far."""
        await self._wait_until(lambda: not self.unanswered_callbacks(), timeout,
                               "every callback query to be answered")

    async def wait_until_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed (via getUpdates offset) every queued update."""
        await self._wait_until(lambda: not self._updates, timeout, "updates to be consumed")
