"""What a conversation remembers for follow-ups ('et pour Orly ?'): the last question
understood, per user within a chat (so two officials in a group do not mix), for a few
minutes. Kept in the chat's `chat_data`, never in module globals."""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from knowledge.answers import Answer, AnswerKind
from knowledge.query import Query

FOLLOW_UP_SECONDS = 300.0  # a fragment after this long starts afresh
_KEY = "follow_ups"


@dataclass(frozen=True)
class FollowUp:
    query: Query
    expires: float


def previous_query(chat_data: MutableMapping[str, Any] | None, user_id: int,
                   now: float | None = None) -> Query | None:
    """The user's last understood question in this chat, if recent enough."""
    if chat_data is None:
        return None
    entry = chat_data.get(_KEY, {}).get(user_id)
    now = time.monotonic() if now is None else now
    if entry is None or entry.expires <= now:
        return None
    return entry.query


def remember(chat_data: MutableMapping[str, Any] | None, user_id: int, answer: Answer,
             now: float | None = None) -> None:
    """Keep what an answered question was about; an unanswered one keeps the old context."""
    if chat_data is None or answer.kind is not AnswerKind.ANSWER or answer.query is None:
        return
    now = time.monotonic() if now is None else now
    store = chat_data.setdefault(_KEY, {})
    for user, entry in list(store.items()):  # forget what expired
        if entry.expires <= now:
            del store[user]
    store[user_id] = FollowUp(answer.query, now + FOLLOW_UP_SECONDS)
