"""Menus built from data, one page at a time, under Telegram's keyboard limits.

A page holds at most `size` items; its navigation row is always the same three buttons
("◀️ Précédent", "page 2/5", "Suivant ▶️"; the ends wrap around), so nothing shifts from
page to page. The page number is the last argument of the buttons' callback data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from telegram import InlineKeyboardButton
from telegram.constants import InlineKeyboardMarkupLimit

from bot import texts
from bot.callbacks import Prefix
from bot.formatting import MAX_MESSAGE, button

T = TypeVar("T")
MAX_BUTTONS = InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER
MAX_PER_ROW = InlineKeyboardMarkupLimit.BUTTONS_PER_ROW
MENU_PAGE = 10  # items of a menu per page: far under MAX_BUTTONS, readable on a phone
TEXT_BUDGET = MAX_MESSAGE - 600  # a page's listed lines; the rest for title and hints
PHONE_BUDGET = 700  # a page's listed lines read without scrolling on a phone (about 25 lines)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    number: int  # from 0
    count: int  # pages in all (at least 1)


def paginate(items: Sequence[T], page: int, size: int = MENU_PAGE,
             weigh: Callable[[T], int] | None = None, budget: int = TEXT_BUDGET) -> Page[T]:
    """The `page`-th slice of `items` (clamped to the existing pages): at most `size` items,
    and, if `weigh` gives each item's length in the text, at most `budget` characters."""
    pages = _slices(items, size, weigh, budget)
    number = min(max(page, 0), len(pages) - 1)
    return Page(pages[number], number, len(pages))


def page_of(items: Sequence[T], item: T, size: int = MENU_PAGE,
            weigh: Callable[[T], int] | None = None, budget: int = TEXT_BUDGET) -> int:
    """The number (from 0) of the page `paginate` shows `item` on; 0 if it is not listed."""
    pages = _slices(items, size, weigh, budget)
    return next((number for number, page in enumerate(pages) if item in page), 0)


def _slices(items: Sequence[T], size: int, weigh: Callable[[T], int] | None,
            budget: int) -> list[list[T]]:
    pages: list[list[T]] = [[]]
    used = 0
    for item in items:
        weight = weigh(item) if weigh else 0
        if len(pages[-1]) >= size or (pages[-1] and used + weight > budget):
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += weight
    return pages


def nav_row(page: Page, prefix: Prefix, *args: object) -> list[InlineKeyboardButton]:
    """Previous / "page n/m" / next, or nothing when everything fits one page."""
    if page.count <= 1:
        return []
    previous = (page.number - 1) % page.count
    following = (page.number + 1) % page.count
    label = texts.PAGE_OF.format(page=page.number + 1, pages=page.count)
    return [button(texts.PREVIOUS, prefix, *args, previous),
            button(label, prefix, *args, page.number),
            button(texts.NEXT, prefix, *args, following)]


def page_suffix(page: Page) -> str:
    """" (page 2/5)" after a title, or nothing on a single page."""
    if page.count <= 1:
        return ""
    return " " + texts.PAGE_SUFFIX.format(page=page.number + 1, pages=page.count)


def rows_of(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    """Buttons laid out `width` per row (at most Telegram's per-row limit)."""
    width = min(width, MAX_PER_ROW)
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]
