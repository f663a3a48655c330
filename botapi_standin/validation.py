"""Telegram's rules for what the bot sends: request decoding, text, markup, inline results.

Each check raises `ApiError` with Telegram's status code and wording, so that a test fails
where production would.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from botapi_standin.entities import HtmlParseError, JsonDict, parse_html, trim

DEFAULT_TOKEN = "123456:LOCAL-TEST-TOKEN"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile: bots may download files up to 20 MB

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


class ApiError(Exception):
    """A Bot API error response: status code, description, optional retry_after."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def bad_request(description: str) -> ApiError:
    """Telegram's 400 error with its \"Bad Request: \" prefix."""
    return ApiError(400, f"Bad Request: {description}")



@dataclass
class Upload:
    filename: str | None
    content: bytes
    content_type: str | None


class Params:
    """Request parameters, already decoded (JSON fields parsed, ints/bools converted)."""

    def __init__(self, raw: JsonDict, files: dict[str, Upload]) -> None:
        self.raw, self.files = raw, files

    def get(self, name: str, default: Any = None) -> Any:
        value = self.raw.get(name)
        return default if value is None else value

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad_request(f"invalid {name} specified")
        return int(value)

    def get_bool(self, name: str) -> bool:
        return self.raw.get(name) in (True, "true", "True", "1", 1)


def normalize_params(raw: JsonDict) -> JsonDict:
    """Decode form values the way the Bot API does (PTB sends JSON-encoded strings)."""
    for key, value in list(raw.items()):
        if not isinstance(value, str):
            continue
        if key in _JSON_FIELDS:
            try:
                raw[key] = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {key} JSON object") from None
        elif key in _INT_FIELDS and re.fullmatch(r"-?\d+", value.strip()):
            raw[key] = int(value)
        elif key in _FLOAT_FIELDS:
            try:
                raw[key] = float(value)
            except ValueError:
                raise bad_request(f"invalid {key} specified") from None
        elif key in _BOOL_FIELDS:
            raw[key] = value.strip().lower() in ("true", "1")
    return raw


COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


def format_text(
    text: Any, parse_mode: Any, entities: Any, *, caption: bool, strict_ampersand: bool
) -> tuple[str, list[JsonDict]]:
    """Apply parse_mode and Telegram's emptiness/length rules; return (text, entities)."""
    text = "" if text is None else str(text)
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            clean, found = parse_html(text, strict_ampersand=strict_ampersand)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
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
                raise bad_request("can't parse entities JSON object")
            found = copy.deepcopy(entities)
    else:
        raise bad_request("unsupported parse_mode")
    clean, found = trim(clean, found)
    if caption:
        if len(clean) > MAX_CAPTION:
            raise bad_request("message caption is too long")
    elif not clean:
        raise bad_request("message text is empty")
    elif len(clean) > MAX_TEXT:  # Telegram counts code points here, not UTF-16 units
        raise bad_request("message is too long")
    return clean, found


def check_markup(markup: Any) -> JsonDict | None:
    """Validate reply_markup; return what a Message carries (inline keyboards only)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'can\'t parse inline keyboard button: Field "inline_keyboard" must be '
                "of type Array of Array"
            )
        buttons = [button for row in rows for button in row]
        if len(buttons) > 100:
            raise bad_request("reply markup is too long")
        for button in buttons:
            check_inline_button(button)
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
            raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
        return None
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return None
    raise bad_request("can't parse reply keyboard markup JSON object")


def check_inline_result(result: Any, seen: set[str], *, strict_ampersand: bool) -> None:
    """Telegram's InlineQueryResult rules (ids unique, articles complete, valid content)."""
    if not isinstance(result, dict) or result.get("type") not in INLINE_RESULT_TYPES:
        raise bad_request("can't parse InlineQueryResult: unsupported or missing type")
    result_id = result.get("id")
    if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
        raise bad_request("RESULT_ID_INVALID")
    if result_id in seen:
        raise bad_request("RESULT_ID_DUPLICATE")
    seen.add(result_id)
    if result["type"] == "article":
        if not isinstance(result.get("title"), str) or not result["title"].strip():
            raise bad_request(
                'can\'t parse InlineQueryResultArticle: Field "title" must be of type String'
            )
        if not isinstance(result.get("input_message_content"), dict):
            raise bad_request(
                'can\'t parse InlineQueryResultArticle: Field "input_message_content"'
                " must be of type Object"
            )
    content = result.get("input_message_content")
    if isinstance(content, dict) and "message_text" in content:
        format_text(
            content.get("message_text"),
            content.get("parse_mode"),
            content.get("entities"),
            caption=False,
            strict_ampersand=strict_ampersand,
        )
    check_markup(result.get("reply_markup"))


def check_inline_button(button: Any) -> None:
    """Telegram's InlineKeyboardButton rules: text plus exactly one action."""
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [key for key in BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(prefix + f"exactly one optional field must be used, got {actions}")
    action, value = actions[0], button[actions[0]]
    if action in (
        "url",
        "callback_data",
        "switch_inline_query",
        "switch_inline_query_current_chat",
    ) and not isinstance(value, str):
        raise bad_request(prefix + f'Field "{action}" must be of type String')
    if action == "callback_data" and not 1 <= len(value.encode("utf-8")) <= 64:
        raise bad_request("BUTTON_DATA_INVALID")
    if action == "url":
        invalid = f"inline keyboard button URL '{value}' is invalid: "
        parts = urlsplit(value if "://" in value else "http://" + value)
        if parts.scheme.lower() in ("http", "https"):
            host = parts.hostname or ""
            if "." not in host or host == "localhost" or any(c.isspace() for c in value):
                raise bad_request(invalid + "Wrong HTTP URL")
        elif parts.scheme.lower() not in ("tg", "ton"):
            raise bad_request(invalid + "Unsupported URL protocol")

