"""bot.formatting: HTML escaping, splitting under Telegram's 4096 limit, buttons.

Validity of the HTML is checked with the loopback stand-in's parser, which mirrors Telegram's
(strict about tags, nesting and unescaped '&').
"""

from __future__ import annotations

import html

import pytest
from telegram import Chat, User

from bot import texts
from bot.callbacks import Prefix
from bot.formatting import (
    MAX_MESSAGE,
    answer_html,
    answer_keyboard,
    button,
    display_name,
    esc,
    keyboard,
    shorten,
    split_html,
)
from botapi_standin import parse_html
from knowledge.engine import Answer, AnswerKind, Match, Suggestion


def plain(part: str) -> str:
    """What Telegram displays for an HTML part (raises if Telegram would reject it)."""
    return parse_html(part)[0]


def assert_valid_parts(parts: list[str], limit: int = MAX_MESSAGE) -> None:
    assert parts, "split_html returned nothing"
    for part in parts:
        assert part.strip(), "an empty part would be rejected by Telegram"
        assert len(part) <= limit, len(part)
        plain(part)  # tags balanced and entities intact, or HtmlParseError


# ---------------------------------------------------------------------- esc / answer_html


def test_esc_escapes_markup_but_not_quotes() -> None:
    assert esc("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"
    assert esc('l\'axe "4"') == 'l\'axe "4"'
    assert esc(42) == "42"


def test_answer_html_escapes_every_piece_of_data() -> None:
    answer = Answer(
        kind=AnswerKind.ANSWER,
        question="<script>alert(1)</script>",
        headline="Tom & Jerry <b>gras</b>",
        body=["x < y > z", "<script>alert(1)</script>", "&amp; déjà échappé ?"],
        sources=["diapositive <12> & co"],
    )
    rendered = answer_html(answer)
    shown = plain(rendered)
    assert rendered.startswith("<b>Tom &amp; Jerry &lt;b&gt;gras&lt;/b&gt;</b>\n")
    assert "<script>" not in rendered
    assert shown.splitlines() == [
        "Tom & Jerry <b>gras</b>",
        "x < y > z",
        "<script>alert(1)</script>",
        "&amp; déjà échappé ?",
        "Source : diapositive <12> & co",
    ]
    entities = parse_html(rendered)[1]
    assert [e["type"] for e in entities] == ["bold", "italic"]


def test_answer_html_without_headline_or_sources() -> None:
    answer = Answer(kind=AnswerKind.ANSWER, question="q", headline="", body=["une ligne"])
    assert answer_html(answer) == "une ligne"


def test_answer_html_asks_did_you_mean_once_last_above_the_buttons() -> None:
    alternatives = [Suggestion("PLUi", "c'est quoi PLUi", kind="project", entry_id=1)]
    ambiguous = Answer(
        kind=AnswerKind.AMBIGUOUS, question="q", headline="Hésitation", alternatives=alternatives
    )
    assert answer_html(ambiguous).count(texts.DID_YOU_MEAN) == 1
    already = Answer(
        kind=AnswerKind.UNKNOWN,
        question="q",
        headline="Je n'ai pas trouvé",
        body=[texts.DID_YOU_MEAN],
        alternatives=alternatives,
    )
    html = answer_html(already, ["noté"])
    assert html.count(texts.DID_YOU_MEAN) == 1
    assert html.endswith("noté\n" + texts.DID_YOU_MEAN), html
    buttonless = Answer(kind=AnswerKind.UNKNOWN, question="q", headline="Je n'ai pas trouvé",
                        body=[texts.DID_YOU_MEAN],
                        alternatives=[Suggestion("PLUi", "c'est quoi PLUi")])
    assert texts.DID_YOU_MEAN not in answer_html(buttonless)  # nothing shown to announce
    confident = Answer(
        kind=AnswerKind.ANSWER, question="q", headline="Réponse", alternatives=alternatives
    )
    assert texts.DID_YOU_MEAN not in answer_html(confident)


def test_answer_keyboard_points_at_entries_by_id() -> None:
    answer = Answer(
        kind=AnswerKind.UNKNOWN,
        question="q",
        headline="Je n'ai pas trouvé",
        matches=[Match("fact", 20, "PLUi", 0.5), Match("project", 16, "Calendrier : PLUi", 0.5)],
        alternatives=[
            Suggestion("Calendrier : PLUi", "calendrier PLUi", "project", 16),
            Suggestion("PLUi", "c'est quoi PLUi", "fact", 20),
            Suggestion("Sans entrée", "x"),  # no entry behind it: no button
        ],
    )
    markup = answer_keyboard(answer)
    assert markup is not None
    data = [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]
    assert data == [("Calendrier : PLUi", "e:project:16"), ("PLUi", "e:fact:20")]


def test_answer_keyboard_offers_a_reminder_for_upcoming_milestones_only() -> None:
    answer = Answer(kind=AnswerKind.ANSWER, question="q", headline="Calendrier",
                    milestone_ids=[3, 7, 9])
    markup = answer_keyboard(answer, upcoming={7, 9})
    assert markup is not None
    assert markup.inline_keyboard[-1][0].callback_data == "sub:m:7"
    assert answer_keyboard(answer, upcoming=set()) is None  # all past: nothing to remind


def test_answer_keyboard_is_none_without_buttons() -> None:
    assert answer_keyboard(Answer(kind=AnswerKind.ANSWER, question="q", headline="h")) is None


# ---------------------------------------------------------------------- buttons, helpers


def test_button_shortens_long_labels_and_checks_its_data() -> None:
    made = button("L" * 200, Prefix.PERSON, 3)
    assert (len(made.text), made.callback_data) == (60, "p:3")
    with pytest.raises(ValueError):
        button("ok", Prefix.ENTRY, "z" * 80)


def test_keyboard_drops_empty_rows() -> None:
    assert keyboard([]) is None
    assert keyboard([[], []]) is None
    markup = keyboard([[button("a", Prefix.PERSON, 1)], [], [button("b", Prefix.PERSON, 2)]])
    assert markup is not None and len(markup.inline_keyboard) == 2


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("court", 10, "court"),
        ("Approbation du plan climat", 20, "Approbation du plan…"),  # at a word boundary
        ("Conseil territorial de Vitry", 12, "Conseil…"),
        ("x" * 30, 10, "x" * 9 + "…"),  # one long word: cut inside it
        ("a " + "b" * 30, 10, "a…"),  # never inside a word, even if that loses more
        ("intégrer les transitions dans les projets urbains", 38,
         "intégrer les transitions dans les…"),  # not "…dans les pro"
        ("gestion responsable de ses « ressources-déchets »", 30,
         "gestion responsable de ses…"),  # no dangling "«"
    ],
)
def test_shorten_cuts_at_a_word_boundary(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


@pytest.mark.parametrize(("label", "kept"), [
    ("🔔 Projet du réseau de lecture publique et du jeu : mise en œuvre", "mise en œuvre"),
    ("🔔 Projet du réseau de lecture publique et du jeu : élaboration", ": élaboration"),
    ("593 434 heures — Heures d'insertion sur les chantiers de la ligne 14 du Grand Paris "
     "Express", "ligne 14 du Grand Paris Express"),
    ("Quand a lieu la prochaine réunion du conseil de quartier à Vitry-sur-Seine ?",
     "Vitry-sur-Seine ?"),
    ("Stéphanie DAUMIN (finances et territorialisation des politiques publiques)",
     "politiques publiques)"),
])
def test_a_short_label_keeps_its_start_its_end_and_its_names(label: str, kept: str) -> None:
    from bot.formatting import short_label

    short = short_label(label, 50)
    assert len(short) <= 50 and short.count("…") == 1, short
    assert short.startswith(label.split()[0]) and short.endswith(kept), short
    head, tail = short.split(" … ")
    assert label.startswith(head) and label.endswith(tail)  # whole words, one run left out
    assert short_label("Réunion du conseil", 50) == "Réunion du conseil"
    assert short_label("un " + "x" * 80, 20) == "un…"  # nothing fits after: the end goes


def test_french_numbers_group_thousands_with_narrow_spaces() -> None:
    from knowledge.text import french_number

    assert french_number(20_000_000) == "20\u202f000\u202f000"
    assert french_number(1234.5) == "1\u202f234,5"


# ---------------------------------------------------------------------- split_html


def test_short_text_is_one_part_unchanged() -> None:
    text = "<b>Titre</b>\nune ligne &amp; une autre"
    assert split_html(text) == [text]
    exact = "a" * MAX_MESSAGE
    assert split_html(exact) == [exact]


def test_split_at_paragraph_boundaries() -> None:
    paragraphs = [
        f"<b>Paragraphe {n}</b>\n" + "\n".join(f"• ligne {n}.{i} &amp; suite" * 6 for i in range(8))
        for n in range(12)
    ]
    text = "\n\n".join(paragraphs)
    assert len(text) > 3 * MAX_MESSAGE
    parts = split_html(text)
    assert_valid_parts(parts)
    assert len(parts) > 1
    # every part is made of whole paragraphs, in order: nothing lost, nothing cut
    assert "\n\n".join(parts) == text
    for part in parts:
        assert set(part.split("\n\n")) <= set(paragraphs)


def test_parts_are_packed_up_to_the_limit() -> None:
    paragraph = "<i>" + "x" * 1200 + "</i>"
    parts = split_html("\n\n".join([paragraph] * 9))
    assert_valid_parts(parts)
    # 1207 chars + 2 separators: three paragraphs fit in 4096, four do not
    assert [part.count("<i>") for part in parts] == [3, 3, 3]


def test_huge_paragraph_is_split_between_lines() -> None:
    lines = [f"• <b>élément {i}</b> : détail &lt;{i}&gt; " + "y" * 80 for i in range(200)]
    text = "<b>Titre</b>\n" + "\n".join(lines)
    assert "\n\n" not in text and len(text) > 4 * MAX_MESSAGE
    parts = split_html(text)
    assert_valid_parts(parts)
    shown = [line for part in parts for line in plain(part).split("\n") if line]
    assert shown == [plain(line) for line in ["<b>Titre</b>", *lines]]


def test_huge_paragraph_keeps_its_line_breaks() -> None:
    """Lines of one paragraph stay on consecutive lines: no blank line appears between them."""
    lines = [f"• <s>juin 2022</s> : étape {i} " + "w" * 60 for i in range(120)]
    text = "<b>Agenda</b>\n" + "\n".join(lines)
    parts = split_html(text)
    assert_valid_parts(parts)
    assert len(parts) >= 2
    for part in parts:
        assert "\n\n" not in part, "single line breaks were turned into paragraph breaks"
    assert "\n".join(parts) == text


@pytest.mark.parametrize("separator", [" ", ""], ids=["with-spaces", "no-spaces"])
def test_single_20000_char_line_is_cut_between_entities(separator: str) -> None:
    word = "Tom&amp;Jerry&lt;3&gt;" + separator
    line = word * (20_000 // len(word) + 1)
    assert len(line) > 20_000 and "\n" not in line
    parts = split_html(line)
    assert_valid_parts(parts)  # a cut inside "&amp;" would leave a bare '&': rejected
    assert len(parts) >= 5
    for part in parts:
        assert part.count("&") == part.count(";")  # only whole entities in every part
    if separator:  # cut at spaces: every word survives, whole
        assert " ".join(plain(p) for p in parts).split() == html.unescape(line).split()
    else:  # no space to cut at: the cuts lose nothing
        assert "".join(parts) == line


def test_single_huge_line_with_tags_keeps_every_part_balanced() -> None:
    line = "<b>" + ("gras &amp; maigre " * 1500) + "</b>"
    parts = split_html(line)
    assert_valid_parts(parts)
    assert all("<b>" not in p and "</b>" not in p for p in parts)  # tags dropped, not cut


def test_split_then_send_keeps_the_text() -> None:
    """Split parts, once displayed, hold every word of the original in order."""
    text = "\n\n".join(
        ["<b>Agenda</b>", *[f"• <s>juin 2022</s> : étape {i} &amp; co" for i in range(600)]]
    )
    parts = split_html(text)
    assert_valid_parts(parts)
    assert " ".join(plain(p) for p in parts).split() == plain(text).split()


def test_split_respects_a_custom_limit() -> None:
    text = "\n".join(f"<b>{i}</b> " + "z" * 30 for i in range(100))
    parts = split_html(text, limit=200)
    assert_valid_parts(parts, limit=200)


def test_a_block_spanning_lines_is_closed_and_reopened_across_parts() -> None:
    """An import refusal: a long multi-line error inside <pre> (issue #10.5)."""
    error = "\n".join(f"ligne {n} : « &lt;valeur&gt; » invalide" for n in range(300))
    text = f"Import refusé :\n<pre>{error}</pre>"
    parts = split_html(text)
    assert len(parts) > 1
    shown = "\n".join(plain(part) for part in parts)  # each part parses on its own
    expected = html.unescape(text.replace("<pre>", "").replace("</pre>", ""))
    assert shown.split("\n") == expected.split("\n")
    assert all(part.count("<pre>") == part.count("</pre>") == 1 for part in parts[1:])


def test_distinct_labels_tell_duplicates_apart() -> None:
    from bot.formatting import distinct_labels

    themes = ["Pour un aménagement durable du territoire"] * 2 + ["Autre"]
    hints = ["Pour un aménagement durable du territoire (PLUi)",
             "Pour un aménagement durable du territoire (outils communs)", ""]
    assert distinct_labels(themes, hints) == [
        "Pour un aménagement durable du territoire (PLUi)",
        "Pour un aménagement durable du territoire (outils communs)", "Autre"]
    same = distinct_labels(["Réunion"] * 3)
    assert same == ["Réunion", "Réunion (2)", "Réunion (3)"]
    long = distinct_labels(["x " * 40, "x " * 40], limit=20)
    assert len(set(long)) == 2 and all(len(label) <= 20 for label in long)


def test_paging_keeps_the_same_three_buttons_and_wraps() -> None:
    from bot.callbacks import Prefix
    from bot.paging import nav_row, paginate

    items = list(range(25))
    first, last = paginate(items, 0, 10), paginate(items, 99, 10)
    assert first.items == list(range(10)) and last.items == [20, 21, 22, 23, 24]
    assert (last.number, last.count) == (2, 3)
    labels = [[b.text for b in nav_row(p, Prefix.AGENDA, "n")] for p in (first, last)]
    assert labels == [["◀️ Précédent", "page 1/3", "Suivant ▶️"],
                      ["◀️ Précédent", "page 3/3", "Suivant ▶️"]]
    assert [b.callback_data for b in nav_row(first, Prefix.AGENDA, "n")] == [
        "ag:n:2", "ag:n:0", "ag:n:1"]
    assert nav_row(paginate(items[:3], 0, 10), Prefix.AGENDA, "n") == []


@pytest.mark.parametrize(("who", "full", "first"), [
    (User(1, "Alice", False, last_name="Martin", username="alice"), "Alice Martin", "Alice"),
    (User(1, "", False, last_name="Martin"), "Martin", ""),
    (User(1, " ", False, username="alice"), "@alice", ""),
    (User(1, "", False), "", ""),  # PTB's full_name is None here
    (Chat(-100, Chat.SUPERGROUP, title="Conseil"), "Conseil", ""),  # an anonymous admin
    (Chat(-100, Chat.CHANNEL, title="Canal", username="canal"), "Canal", ""),
    (Chat(-100, Chat.CHANNEL, username="canal"), "@canal", ""),
    (Chat(-100, Chat.CHANNEL), "", ""),
    (None, "", ""),
])
def test_display_name_copes_with_every_missing_part(
    who: User | Chat | None, full: str, first: str
) -> None:
    assert display_name(who) == full
    assert display_name(who, first=True) == first
