"""From domain results to Telegram messages: HTML (escaped), splitting, buttons."""

from __future__ import annotations

import re
from html import escape

from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot import texts
from bot.callbacks import SUBSCRIBE_MILESTONE, Prefix, build
from knowledge.answers import EntryKind
from knowledge.engine import Answer, AnswerKind

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH
BUTTON_LABEL = 60  # longer labels are cut: Telegram shows them on one line anyway
_TAG = re.compile(r"<[^>]*>")


def esc(text: object) -> str:
    return escape(str(text), quote=False)


def french_number(number: float) -> str:
    """1 048 576 the French way (narrow no-break spaces between groups)."""
    return format_decimal(number, locale="fr_FR")


def answer_html(answer: Answer) -> str:
    """The answer as Telegram HTML: headline in bold, source in italics, all data escaped."""
    lines = [f"<b>{esc(answer.headline)}</b>"] if answer.headline else []
    lines += [esc(line) for line in answer.body]
    if answer.alternatives and answer.kind is not AnswerKind.ANSWER and (
        not answer.body or answer.body[-1] != texts.DID_YOU_MEAN
    ):
        lines.append(texts.DID_YOU_MEAN)
    if answer.sources:
        lines.append(f"<i>{esc(answer.source_line())}</i>")
    return "\n".join(lines)


def button(label: str, prefix: Prefix, *args: object) -> InlineKeyboardButton:
    """A button whose callback data `bot.callbacks.build` writes."""
    return InlineKeyboardButton(shorten(label, BUTTON_LABEL), callback_data=build(prefix, *args))


def keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


_WHOLE_SCREENS = {EntryKind.AXIS: Prefix.AXIS, EntryKind.PRIORITY: Prefix.PRIORITY}


def answer_keyboard(answer: Answer) -> InlineKeyboardMarkup | None:
    """Buttons for the alternatives (by entry id), "Voir la suite" when a list was told in
    part (the menu screen that tells it whole) and a reminder button for milestones."""
    rows = [[button(shorten(alt.label, 56), Prefix.ENTRY, alt.kind, alt.entry_id)]
            for alt in answer.alternatives if alt.kind]
    if answer.kind is AnswerKind.ANSWER and answer.more and answer.more.kind in _WHOLE_SCREENS:
        rows.append([button(texts.SEE_WHOLE, _WHOLE_SCREENS[answer.more.kind],
                            answer.more.key)])
    if answer.kind is AnswerKind.ANSWER and answer.milestone_ids:
        rows.append([button(texts.REMIND_ME, Prefix.SUBSCRIBE, SUBSCRIBE_MILESTONE,
                            answer.milestone_ids[0])])
    return keyboard(rows)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: cut at a word boundary (unless that loses more
    than half of it), then "…"."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)
    head = text[:space] if space >= limit // 2 else text[: limit - 1]
    return head.rstrip() + "…"


def split_html(html: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split at paragraph (then line) boundaries so every part fits one message.

    Tags never span lines in our messages, so a cut between lines keeps HTML valid.
    """
    if len(html) <= limit:
        return [html]
    parts: list[str] = []
    current = ""
    for separator, block in _blocks(html, limit):
        candidate = f"{current}{separator}{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        current = block
    if current:
        parts.append(current)
    return parts


def _blocks(html: str, limit: int) -> list[tuple[str, str]]:
    """(separator before it, piece): paragraphs, or the lines of a paragraph too long."""
    blocks: list[tuple[str, str]] = []
    for paragraph in html.split("\n\n"):
        if len(paragraph) <= limit:
            blocks.append(("\n\n", paragraph))
            continue
        separator = "\n\n"
        for line in paragraph.split("\n"):
            if len(line) > limit:  # one huge line: drop its tags, cut between entities
                line = _TAG.sub("", line)
                while len(line) > limit:
                    cut = _safe_cut(line, limit)
                    blocks.append((separator, line[:cut]))
                    separator = "\n"
                    line = line[cut:].lstrip()
            blocks.append((separator, line))
            separator = "\n"
    return blocks


def _safe_cut(escaped: str, limit: int) -> int:
    """A cut position ≤ limit that is not inside an HTML entity such as &amp;."""
    cut = escaped.rfind(" ", limit // 2, limit)
    cut = cut if cut > 0 else limit
    amp = escaped.rfind("&", cut - 10, cut)
    if amp != -1 and ";" not in escaped[amp:cut]:
        cut = amp
    return cut
