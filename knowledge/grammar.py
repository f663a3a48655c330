"""French agreement read from the data: a person's gender from their title, a noun phrase
agreed with a group of people. Plain text, no Telegram: the bot and the renderer share it.
"""

from __future__ import annotations

from collections.abc import Iterable

from knowledge.text import fold

# The first word of a title that says the person is a woman ("vice-présidente déléguée…").
_FEMININE_TITLES = ("presidente", "vice-presidente", "conseillere", "deleguee", "adjointe",
                    "maire-adjointe", "elue", "rapporteure", "secretaire-generale")


def is_feminine(title: str) -> bool:
    """Whether a title (président, vice-présidente déléguée…, conseillère…) is feminine."""
    words = fold(title).replace(",", " ").split()
    return bool(words) and words[0] in _FEMININE_TITLES


def agree(titles: Iterable[str], masculine: str, feminine: str, masculine_plural: str,
          feminine_plural: str) -> str:
    """The form agreeing with the people holding `titles`: one or many, all women or not
    (French plural is masculine as soon as one man is among them)."""
    titles = list(titles)
    women = all(is_feminine(title) for title in titles)
    if len(titles) <= 1:
        return feminine if titles and women else masculine
    return feminine_plural if women else masculine_plural


def referents(titles: Iterable[str]) -> str:
    """"Élu référent", "Élue référente", "Élus référents", "Élues référentes"."""
    return agree(titles, "Élu référent", "Élue référente", "Élus référents", "Élues référentes")


def plural(count: int, singular: str, plural_form: str) -> str:
    """"1 rendez-vous correspond", "3 rendez-vous correspondent": the form for `count`."""
    return singular if count <= 1 else plural_form


def of(name: str) -> str:
    """"d'Ivry-sur-Seine", "d'octobre 2021", "de Vitry-sur-Seine": 'de' elided before a vowel."""
    return f"d'{name}" if fold(name[:1]) in tuple("aeiouy") else f"de {name}"


def quantity(value: str, unit: str) -> str:
    """"56 %" rather than "56 % %": the unit is added unless the value already ends with it."""
    value, unit = value.strip(), unit.strip()
    if not unit or fold(value).endswith(fold(unit)):
        return value
    return f"{value} {unit}"


def counted(value: float, unit: str) -> str:
    """"1 habitant", "12 habitants": a unit said in the plural agrees with its number."""
    unit = unit.strip()
    if value <= 1 and " " not in unit and unit.endswith("s") and len(unit) > 3:
        return unit[:-1]
    return unit


def figure_phrase(value: str, unit: str, label: str) -> tuple[str, str]:
    """(quantity, what follows it) for a figure, never saying the unit twice: a label that
    starts with the unit continues the quantity ("83 grands projets urbains" + "pour
    aménager…"); any other label is its explanation (after " — ")."""
    amount, unit, label = quantity(value, unit), unit.strip(), " ".join(label.split())
    head = label[: len(unit)]
    if unit and fold(head) == fold(unit) and label[len(unit):len(unit) + 1] in ("", " "):
        rest = label[len(unit):].strip()
        return amount, f" {rest}" if rest else ""
    return amount, f" — {label}" if label else ""
