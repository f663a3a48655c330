"""Telegram's HTML parse mode: text + MessageEntity list, or Telegram's parse error.

Also the entity detection Telegram applies to what users type (bot commands, mentions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

JsonDict = dict[str, Any]
_WS = " \t\r\n"  # what Telegram strips around a message


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


def trim(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
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


CMD_RE = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{3,32}))?")
MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z][A-Za-z0-9_]{3,31})\b")


def detect_entities(text: str) -> list[JsonDict]:
    """The entities Telegram adds to a user's text: a leading bot command, @mentions."""
    entities = []
    command = CMD_RE.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))})
    for m in MENTION_RE.finditer(text):
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group(0)),
            }
        )
    return entities
