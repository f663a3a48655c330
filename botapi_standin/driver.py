"""The user side: what simulated people do (send, edit, press, block...), as updates."""

from __future__ import annotations

import copy
import time
from typing import Any

from botapi_standin.entities import CMD_RE, JsonDict, detect_entities
from botapi_standin.state import Chat, Query, StandinState

# The accounts Telegram puts in `from` of a group message sent on behalf of a chat: the group
# itself (an anonymous admin) or a channel.
GROUP_ANONYMOUS_BOT: JsonDict = {"id": 1087968824, "is_bot": True, "first_name": "Group",
                                 "username": "GroupAnonymousBot"}
CHANNEL_BOT: JsonDict = {"id": 136817688, "is_bot": True, "first_name": "Channel",
                         "username": "Channel_Bot"}


class UserDriver(StandinState):
    """Scripted users and chats: each action stores the message and queues its update."""

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

    @staticmethod
    def _user(
        user_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "fr",
        last_name: str | None = None,
    ) -> JsonDict:
        """A user; `first_name` "" for someone without a name (the bot must cope)."""
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _user_chat(
        self, user: JsonDict, chat_id: int | None, chat_type: str, chat_title: str | None
    ) -> Chat:
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

    def _bot_sees(self, chat: Chat, message: JsonDict) -> bool:
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
        command = CMD_RE.match(text)
        if command and (command.group(2) or self.bot_username).lower() == self.bot_username.lower():
            return True
        if f"@{self.bot_username.lower()}" in text.lower():
            return True
        return (message.get("reply_to_message") or {}).get("from", {}).get("id") == self.bot_id

    def _user_message(
        self,
        body: JsonDict,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Alice",
        last_name: str | None = None,
        username: str | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
        sender_chat: int | None = None,
        from_account: bool = True,
    ) -> JsonDict:
        user = self._user(user_id, first_name, username, last_name=last_name)
        chat = self._user_chat(user, chat_id, chat_type, chat_title)
        sender: JsonDict | None = user
        if sender_chat is not None:
            sender = self._on_behalf_of(chat, sender_chat, body, from_account)
        reply = None
        if reply_to_message_id is not None:
            stored = chat.messages.get(reply_to_message_id)
            if stored is None or stored.deleted:
                raise AssertionError(f"no message {reply_to_message_id} in chat {chat.id}")
            reply = {k: v for k, v in stored.message.items() if k != "reply_to_message"}
        message = self._store(chat, body, sender=sender, from_bot=False, reply=reply)
        if self._bot_sees(chat, message):
            self._push_update("message", message)
        return message

    def _on_behalf_of(
        self, chat: Chat, sender_chat: int, body: JsonDict, from_account: bool
    ) -> JsonDict | None:
        """A group message sent as a chat: the group itself (anonymous admin) or a channel.
        Sets `sender_chat` in `body`; returns Telegram's stand-in account for `from`, or None
        (`from_account` False: a client that leaves it out)."""
        if chat.type not in ("group", "supergroup"):
            raise AssertionError("only group messages are sent on behalf of a chat")
        if sender_chat not in self._chats:
            self.add_chat(sender_chat, chat_type="channel", title=f"Canal {sender_chat}")
        body["sender_chat"] = self._chats[sender_chat].as_dict()
        if not from_account:
            return None
        return copy.deepcopy(GROUP_ANONYMOUS_BOT if sender_chat == chat.id else CHANNEL_BOT)

    async def user_sends(
        self,
        text: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Alice",
        last_name: str | None = None,
        username: str | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
        sender_chat: int | None = None,
        from_account: bool = True,
    ) -> JsonDict:
        """A user sends `text` (bot_command/mention entities added); returns the Message.

        Default chat: private chat `user_id`; groups default to -user_id, supergroups to
        -(10**12 + user_id). With group privacy on, the bot only gets commands, mentions and
        replies to its messages in groups (the message is stored either way).
        `sender_chat`: a group message sent on behalf of a chat, the group itself (an
        anonymous admin: `from` is GroupAnonymousBot) or a channel (`from` is Channel_Bot);
        `from_account` False leaves `from` out.
        """
        body: JsonDict = {"text": text}
        entities = detect_entities(text)
        if entities:
            body["entities"] = entities
        return self._user_message(
            body,
            user_id=user_id,
            chat_id=chat_id,
            chat_type=chat_type,
            first_name=first_name,
            last_name=last_name,
            username=username,
            chat_title=chat_title,
            reply_to_message_id=reply_to_message_id,
            sender_chat=sender_chat,
            from_account=from_account,
        )

    async def user_sends_document(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        with_size: bool = True,
        **who: Any,
    ) -> JsonDict:
        """A user sends a file (downloadable by the bot via getFile up to 20 MB, as on
        Telegram). `with_size=False`: the message leaves out its optional `file_size`.
        `who`: see user_sends."""
        stored = self._new_file(content, filename, mime_type)
        body: JsonDict = {"document": stored.as_document()}
        if not with_size:
            body["document"].pop("file_size")
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
        entities = detect_entities(new_text)
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
        self, chat: Chat, old: str, new: str, actor: JsonDict | None = None
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
        last_name: str | None = None,
        username: str | None = None,
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
        self._callbacks[query_id] = Query(chat_id)
        self._push_update(
            "callback_query",
            {
                "id": query_id,
                "from": self._user(user_id, first_name, username, last_name=last_name),
                "message": copy.deepcopy(stored.message),
                "chat_instance": f"{abs(chat_id)}07",
                "data": match["callback_data"],
            },
        )
        return query_id

    async def user_forges_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int | None = None,
        user_id: int | None = None,
        first_name: str = "Mallory",
        last_name: str | None = None,
        username: str | None = None,
    ) -> str:
        """A client sends callback data of its choosing (a modified app can): on the bot's
        message `message_id` whatever its buttons, or with no message at all (message_id None:
        as for a too-old or inline message). Returns the query id."""
        chat = self._require_chat(chat_id)
        payload: JsonDict = {
            "id": str(next(self._query_ids)),
            "from": self._user(user_id or (chat_id if chat.type == "private" else 1001),
                               first_name, username, last_name=last_name),
            "chat_instance": f"{abs(chat_id)}07",
            "data": data,
        }
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is not None:
            payload["message"] = copy.deepcopy(stored.message)
        else:
            payload["inline_message_id"] = f"forged-{payload['id']}"
        self._callbacks[payload["id"]] = Query(chat_id)
        self._push_update("callback_query", payload)
        return payload["id"]

    async def user_inline_query(
        self,
        query: str,
        *,
        user_id: int = 1001,
        first_name: str = "Alice",
        last_name: str | None = None,
        username: str | None = None,
        offset: str = "",
        chat_type: str | None = "sender",
    ) -> str:
        """A user types `@bot query` in any chat; returns the inline query id."""
        query_id = str(next(self._query_ids))
        self._inline[query_id] = Query(None)
        payload: JsonDict = {
            "id": query_id,
            "from": self._user(user_id, first_name, username, last_name=last_name),
            "query": query,
            "offset": offset,
        }
        if chat_type:
            payload["chat_type"] = chat_type
        self._push_update("inline_query", payload)
        return query_id
