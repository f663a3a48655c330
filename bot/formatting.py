"""From domain results to Telegram messages: HTML (escaped), splitting, buttons."""

from __future__ import annotations

import re
from html import escape, unescape

from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot import texts
from bot.callbacks import SUBSCRIBE_MILESTONE, Prefix, build
from knowledge.engine import Answer, AnswerKind
from knowledge.text import split_text, word_cut

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH
BUTTON_LABEL = 60  # longer labels are cut: Telegram shows them on one line anyway
_TAG = re.compile(r"<[^>]*>")


def esc(text: object) -> str:
    return escape(str(text), quote=False)


def plain(html: str) -> str:
    """What Telegram shows of our HTML: the text without tags, entities decoded."""
    return unescape(_TAG.sub("", html))


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


def answer_keyboard(answer: Answer) -> InlineKeyboardMarkup | None:
    """Buttons for the alternatives (by entry id) and a reminder button for milestones."""
    rows = [[button(shorten(alt.label, 56), Prefix.ENTRY, alt.kind, alt.entry_id)]
            for alt in answer.alternatives if alt.kind]
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

    Tags never span lines in our messages, so a cut between lines keeps HTML valid; a line
    longer than a message loses its tags and is cut between words, never inside an entity
    such as &amp;. The splitting itself is `knowledge.text.split_text`.
    """
    if len(html) <= limit:
        return [html]
    lines = [_TAG.sub("", line) if len(line) > limit else line for line in html.split("\n")]
    return _balanced(split_text("\n".join(lines), limit - _REOPEN_MARGIN, _safe_cut))


_REOPEN_MARGIN = 100  # room for the tags a part closes and the next one reopens (<pre>…)


def _balanced(parts: list[str]) -> list[str]:
    """A block spanning lines (an error in <pre>) cut between two parts: the first part
    closes its open tags and the next one reopens them, so each part is valid HTML."""
    balanced: list[str] = []
    reopen: list[str] = []
    for part in parts:
        text = "".join(reopen) + part
        reopen = _open_tags(text)
        closing = "".join(f"</{_tag_name(tag)}>" for tag in reversed(reopen))
        balanced.append(text + closing)
    return balanced


def _open_tags(html: str) -> list[str]:
    """The opening tags still open at the end of `html`, outermost first."""
    stack: list[str] = []
    for tag in _TAG.findall(html):
        if tag.startswith("</"):
            if stack and _tag_name(stack[-1]) == tag[2:-1].strip().lower():
                stack.pop()
        else:
            stack.append(tag)
    return stack


def _tag_name(tag: str) -> str:
    return tag.strip("</>").split()[0].lower()


def _safe_cut(escaped: str, limit: int) -> int:
    """A cut position ≤ limit that is not inside an HTML entity such as &amp;."""
    cut = word_cut(escaped, limit)
    amp = escaped.rfind("&", cut - 10, cut)
    if amp > 0 and ";" not in escaped[amp:cut]:
        cut = amp
    return cut
