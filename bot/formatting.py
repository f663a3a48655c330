"""From domain results to Telegram messages: HTML (escaped), splitting, buttons."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from html import escape, unescape

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, User
from telegram.constants import MessageLimit

from bot import texts
from bot.callbacks import SUBSCRIBE_MILESTONE, Prefix, build
from knowledge.answers import EntryKind, Suggestion
from knowledge.engine import Answer, AnswerKind
from knowledge.text import split_text, word_cut

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH
BUTTON_LABEL = 60  # longer labels are cut: Telegram shows them on one line anyway
_TAG = re.compile(r"<[^>]*>")


def esc(text: object) -> str:
    return escape(str(text), quote=False)


def display_name(who: User | Chat | None, *, first: bool = False) -> str:
    """What to call a sender: "Alice Martin", else a group's or channel's title, else "@alice",
    else "". `first`: the first name alone, to greet ("" without one). Telegram may leave any
    of them out or empty: a user without a name, an anonymous admin or a channel (the message's
    `sender_chat`)."""
    if who is None:
        return ""
    first_name = (who.first_name or "").strip()
    if first:
        return first_name
    full = " ".join(part for part in (first_name, (who.last_name or "").strip()) if part)
    title = (getattr(who, "title", None) or "").strip()  # a User has none
    return full or title or (f"@{who.username}" if who.username else "")


def plain(html: str) -> str:
    """What Telegram shows of our HTML: the text without tags, entities decoded."""
    return unescape(_TAG.sub("", html))


def answer_html(answer: Answer, notes: Sequence[str] = ()) -> str:
    """The answer as Telegram HTML: headline in bold, source in italics, all data escaped.

    `notes` (HTML) follow the source. The line announcing suggestions comes last, right
    above their buttons, and only when there are buttons: the engine's own « Vouliez-vous
    dire : » would otherwise sit above the notes, announcing nothing."""
    headline = answer.headline.removesuffix(texts.DID_YOU_MEAN).strip()
    lines = [f"<b>{esc(headline)}</b>"] if headline else []
    lines += [esc(line) for line in answer.body if line != texts.DID_YOU_MEAN]
    if answer.sources:
        lines.append(f"<i>{esc(answer.source_line())}</i>")
    lines += notes
    if answer.kind is not AnswerKind.ANSWER and _suggested(answer):
        lines.append(texts.DID_YOU_MEAN if lines else f"<b>{texts.DID_YOU_MEAN}</b>")
    return "\n".join(lines)


def _suggested(answer: Answer) -> list[Suggestion]:
    """The suggestions shown as buttons (those that name an entry)."""
    return [alt for alt in answer.alternatives if alt.kind]


def button(label: str, prefix: Prefix, *args: object) -> InlineKeyboardButton:
    """A button whose callback data `bot.callbacks.build` writes."""
    return InlineKeyboardButton(short_label(label, BUTTON_LABEL),
                                callback_data=build(prefix, *args))


def keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


_TOLD_IN_PART = (EntryKind.AXIS, EntryKind.PRIORITY)  # what bot.screens.more_screen tells


def answer_keyboard(answer: Answer,
                    upcoming: Collection[int] = ()) -> InlineKeyboardMarkup | None:
    """Buttons for the alternatives (by entry id), "Voir la suite" when a list was told in
    part (the rest of it, in full: `bot.screens.more_screen`) and a reminder button when one of the
    answer's milestones is `upcoming` (ids): nothing to be reminded of a past date."""
    alternatives = _suggested(answer)
    labels = distinct_labels([alt.label for alt in alternatives])
    rows = [[button(label, Prefix.ENTRY, alt.kind, alt.entry_id)]
            for label, alt in zip(labels, alternatives, strict=True)]
    if answer.kind is AnswerKind.ANSWER and answer.more and answer.more.kind in _TOLD_IN_PART:
        rows.append([button(texts.SEE_WHOLE, Prefix.MORE, answer.more.kind, answer.more.key)])
    coming = [mid for mid in answer.milestone_ids if mid in upcoming]
    if answer.kind is AnswerKind.ANSWER and coming:
        rows.append([button(texts.REMIND_ME, Prefix.SUBSCRIBE, SUBSCRIBE_MILESTONE, coming[0])])
    return keyboard(rows)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a word boundary, then "…" (a single word
    longer than `limit` is the only thing ever cut inside)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)
    head = text[:space] if space > 0 else text[: limit - 1]
    return head.rstrip(" ,;:—-«(") + "…"  # no dangling opening quote or bracket


def short_label(label: str, limit: int = BUTTON_LABEL) -> str:
    """`label` in at most `limit` characters, keeping what tells it apart: its words with a
    capital or a number (a name, a commune, a project, « ligne 15 ») and both its start and
    its end (a project's phase), by leaving out ONE run of whole words in the middle:
    "🔔 Projet du réseau de lecture … et du jeu : mise en œuvre". Only when nothing else
    fits is the end left out ("…")."""
    words = label.split()
    if len(" ".join(words)) <= limit:
        return " ".join(words)
    keys = [_is_key(w, after) for w, after in zip(words, [*words[1:], ""], strict=True)]
    best: tuple[int, bool, int, int, int] | None = None
    for start in range(1, len(words)):
        head = len(" ".join(words[:start]))
        for end in range(start + 1, len(words) + 1):  # the shortest run from `start` that fits
            tail = len(" ".join(words[end:]))
            if head + (tail + 3 if tail else 1) <= limit:
                cost = (sum(keys[start:end]), not tail, -min(head, tail), start, end)
                best = min(best, cost) if best else cost
                break
    if best is None:  # one word longer than the label: cut inside it
        return shorten(label, limit)
    start, end = best[3], best[4]
    head = " ".join(words[:start]).rstrip(" ,;:—-«(")
    return f"{head} … {' '.join(words[end:])}" if end < len(words) else head + "…"


def _is_key(word: str, following: str) -> bool:
    """A word that tells a label apart: a name, an acronym, a number or what it counts
    ("ligne" of "ligne 15")."""
    return any(char.isupper() or char.isdigit() for char in word) or following[:1].isdigit()


def distinct_labels(labels: list[str], hints: list[str] | None = None,
                    limit: int = BUTTON_LABEL) -> list[str]:
    """Button labels for one keyboard, none twice: a label shown twice gets what tells it
    apart (what its hint adds to it, e.g. "(PLUi)" or "(suite)"), else a number."""
    hints = hints or [""] * len(labels)
    shown = [short_label(label, limit) for label in labels]
    for group in _duplicates(shown):
        for index in group:
            extra = _difference(labels[index], hints[index])
            if extra:
                shown[index] = _with_suffix(labels[index], f" ({extra})", limit)
    for group in _duplicates(shown):
        for rank, index in enumerate(group[1:], start=2):
            shown[index] = _with_suffix(labels[index], f" ({rank})", limit)
    return shown


def _duplicates(shown: list[str]) -> list[list[int]]:
    groups: dict[str, list[int]] = {}
    for index, label in enumerate(shown):
        groups.setdefault(label, []).append(index)
    return [group for group in groups.values() if len(group) > 1]


def _difference(label: str, hint: str) -> str:
    """What `hint` says beyond the words it shares with the start of `label`."""
    words, extra = label.split(), hint.split()
    common = 0
    while common < min(len(words), len(extra)) and words[common] == extra[common]:
        common += 1
    return " ".join(extra[common:]).strip("()[] ") if common else ""


def _with_suffix(label: str, suffix: str, limit: int) -> str:
    return short_label(label, limit - len(suffix)) + suffix


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
