"""Reading a document an admin loads: text page by page, cleaned, split into passages.

PDF with pypdf (page by page; a slide deck exported as PDF is one page per slide), Word
(.docx) with python-docx (pages at its page breaks), Markdown and plain text (pages at form
feeds, else at headings, else at runs of blank lines, as slides exported as text have).
The text is cleaned (words hyphenated at line ends joined, headers and footers repeated
across pages removed, lone slide numbers dropped, wrapped lines joined) and split into
passages of a few whole sentences, small enough to quote.

Everything here is CPU work on untrusted input: the bot runs `read_document` in a child
process (bot.offload), with the limits of `Limits`. Problems are `DocumentError`, whose
message is one French sentence for the admin.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from knowledge.models import MAX_PASSAGE_CHARS, PassageIn
from knowledge.text import french_number

MIB = 1024 * 1024
MAX_TITLE = 300  # characters of a document's title (the model's bound)


class DocumentError(ValueError):
    """A document that cannot be loaded; the message is French, for admins."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MIB  # Telegram's download limit for bots
    max_pages: int = 500
    max_seconds: float = 60.0  # reading the text (the bot also stops a child past it)
    max_unzipped: int = 100 * MIB  # a .docx is a zip: what it inflates to


@dataclass
class Page:
    number: int
    text: str  # cleaned: blocks separated by blank lines


@dataclass
class Read:
    """A document read and split, not stored yet: what the preview shows."""

    title: str
    filename: str
    sha256: str
    kind: str  # pdf | docx | markdown | text
    pages: list[Page]
    passages: list[PassageIn]
    headings: list[str] = field(default_factory=list)  # in order, each once


# ---------------------------------------------------------------------------- entry point

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
SUPPORTED = "PDF, Word (.docx), Markdown (.md) ou texte (.txt)"


def read_document(data: bytes, filename: str, title: str = "",
                  limits: Limits = Limits()) -> Read:
    """Read `data` (a file named `filename`) into pages and passages, or DocumentError."""
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits)
    if not data.strip():
        raise DocumentError("le document est vide.")
    deadline = Deadline(limits.max_seconds)
    kind = document_kind(data, filename)
    reader: dict[str, Callable[[], tuple[list[str], str]]] = {
        "pdf": lambda: _pdf_pages(data, limits, deadline),
        "docx": lambda: _docx_pages(data, limits, deadline),
        "markdown": lambda: _text_pages(data, markdown=True),
        "text": lambda: _text_pages(data, markdown=False),
    }
    raw_pages, found_title = reader[kind]()
    if len(raw_pages) > limits.max_pages:
        raise DocumentError(f"{len(raw_pages)} pages : {limits.max_pages} au plus.")
    pages = clean_pages(raw_pages)
    if not any(page.text for page in pages):
        if kind == "pdf":
            raise DocumentError("ce PDF ne contient pas de texte (un document scanné ?) : la "
                                "reconnaissance de texte n'est pas prise en charge. Envoyez "
                                "la version numérique du document.")
        raise DocumentError("le document est vide : aucun texte à lire.")
    deadline.check()
    passages = split_passages(pages)
    name = PurePath(filename).name[:300]
    return Read(title=clean_title(title) or clean_title(found_title) or _title_of(name),
                filename=name, sha256=hashlib.sha256(data).hexdigest(), kind=kind,
                pages=pages, passages=passages,
                headings=list(dict.fromkeys(p.heading for p in passages if p.heading)))


def too_large(size: int, limits: Limits) -> DocumentError:
    """The refusal of a file of `size` bytes, over the limit (Telegram's for bots: 20 MB)."""
    tenths = math.ceil(size * 10 / MIB) / 10  # 20 MB and 1 byte: "20,1 Mo", never "20"
    return DocumentError(f"fichier trop volumineux ({french_number(tenths)} Mo) : "
                         f"{limits.max_bytes // MIB} Mo au plus.")


def document_kind(data: bytes, filename: str) -> str:
    """pdf | docx | markdown | text, from the content first, then the name's suffix."""
    suffix = PurePath(filename.lower()).suffix
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if suffix == ".docx" or _zip_has(data, "word/document.xml"):
            return "docx"
        raise DocumentError(f"type de fichier non pris en charge (archive {suffix or 'zip'}) :"
                            f" {SUPPORTED}.")
    if suffix in TEXT_SUFFIXES and b"\x00" not in data[:4096]:
        return TEXT_SUFFIXES[suffix]
    if suffix == ".pdf":
        raise DocumentError("ce fichier n'est pas un PDF lisible : il est endommagé ou d'un "
                            "autre type.")
    if suffix == ".docx":
        raise DocumentError("ce fichier n'est pas un document Word lisible : il est "
                            "endommagé ou d'un autre type.")
    shown = suffix or "sans extension"
    raise DocumentError(f"type de fichier non pris en charge ({shown}) : {SUPPORTED}.")


def _zip_has(data: bytes, name: str) -> bool:
    try:
        return name in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError):
        return False


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise DocumentError(f"lecture du document trop longue (plus de "
                                f"{self.seconds:.0f} s) : il est trop lourd ou trop complexe.")


def _title_of(filename: str) -> str:
    stem = PurePath(filename).stem.replace("_", " ").replace("-", " ").strip()
    return clean_title(stem) or "Document sans titre"


def clean_title(title: str) -> str:
    """One line, no control characters, at most MAX_TITLE characters."""
    text = " ".join(_printable(title or "").split())
    return text[:MAX_TITLE].strip()


# ---------------------------------------------------------------------------- formats


def _pdf_pages(data: bytes, limits: Limits, deadline: Deadline) -> tuple[list[str], str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DocumentError("ce PDF est protégé par un mot de passe : envoyez-le sans "
                                "protection.")
        count = len(reader.pages)
        if count > limits.max_pages:
            raise DocumentError(f"{count} pages : {limits.max_pages} au plus.")
        pages = []
        for page in reader.pages:
            deadline.check()
            pages.append(page.extract_text() or "")
        title = str((reader.metadata or {}).get("/Title") or "")
    except DocumentError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise DocumentError("ce PDF est chiffré : envoyez-le sans protection.") from None
    except (PdfReadError, ValueError, TypeError, KeyError, IndexError, AttributeError,
            OSError, RecursionError, AssertionError, zipfile.BadZipFile):
        raise DocumentError("ce PDF est endommagé ou illisible.") from None
    return pages, title


def _opens_without_password(reader: object) -> bool:
    """A PDF encrypted with an empty user password (only printing or copying restricted)
    opens like any other."""
    from pypdf import PasswordType

    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any failure: not readable without the password
        return False


_PAGE_BREAK = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}br"
_BREAK_TYPE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type"


def _docx_pages(data: bytes, limits: Limits, deadline: Deadline) -> tuple[list[str], str]:
    _check_zip(data, limits)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        pages, lines, headings = [], [], []
        for paragraph in document.paragraphs:
            deadline.check()
            breaks = [b for b in paragraph._p.iter(_PAGE_BREAK) if b.get(_BREAK_TYPE) == "page"]
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            text = paragraph.text.strip()
            if text and style.lower().startswith(("heading", "titre", "title")):
                headings.append(text)
                text = "# " + text
            lines.extend([text, ""] if text else [])
            if breaks:
                pages.append("\n".join(lines))
                lines = []
        for table in document.tables:
            for row in table.rows:
                deadline.check()
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                lines.extend([" ; ".join(c for c in cells if c), ""])
        pages.append("\n".join(lines))
        title = document.core_properties.title or (headings[0] if headings else "")
    except DocumentError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
            AttributeError, TypeError):
        raise DocumentError("ce document Word est endommagé ou illisible.") from None
    return [page for page in pages if page.strip()] or [""], title


def _check_zip(data: bytes, limits: Limits) -> None:
    """A .docx is a zip archive: refused when it would inflate beyond the limit (a zip
    bomb), before anything is inflated."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError):
        raise DocumentError("ce document Word est endommagé ou illisible.") from None
    inflated = sum(member.file_size for member in members)
    if inflated > limits.max_unzipped:
        raise DocumentError(f"ce document Word se décompresse en {inflated / MIB:.0f} Mo, "
                            f"au-delà de la limite de {limits.max_unzipped // MIB} Mo : il est "
                            "refusé (archive anormale).")


def _text_pages(data: bytes, *, markdown: bool) -> tuple[list[str], str]:
    text = _decoded(data)
    title = ""
    if markdown and (found := re.search(r"^#\s+(.+)$", text, re.M)):
        title = found.group(1)
    if "\f" in text:
        return text.split("\f"), title
    if markdown and re.search(r"^#{1,2}\s", text, re.M):
        parts = re.split(r"(?m)^(?=#{1,2}\s)", text)
        return [part for part in parts if part.strip()], title
    slides = re.split(r"\n[ \t]*\n[ \t]*\n[ \t]*\n", text)  # three blank lines or more
    return [part for part in slides if part.strip()] or [text], title


def _decoded(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# ---------------------------------------------------------------------------- cleaning

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HYPHENATED = re.compile(r"(\w)-\n[ \t]*([a-zà-ÿ])")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*$", re.I)
TITLE_LINES = 3  # a title in capitals wraps on three lines at most
_BULLET = re.compile(r"^\s*(?:[•▪◦●○■□➢►✓\-–—*]|\d{1,2}[.)])\s+")


def _printable(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def clean_pages(raw_pages: list[str]) -> list[Page]:
    """Pages cleaned: hyphenation, repeated headers and footers, lone numbers, wrapping."""
    texts = [_HYPHENATED.sub(r"\1\2", _printable(text)) for text in raw_pages]
    lines = [[line.rstrip() for line in text.split("\n")] for text in texts]
    repeated = _repeated_edges(lines)
    pages = []
    for number, page_lines in enumerate(lines, start=1):
        kept = [line for line in page_lines
                if not _PAGE_NUMBER.match(line) and _shape(line) not in repeated]
        pages.append(Page(number, _blocks(_title_apart(kept))))
    return pages


def _shape(line: str) -> str:
    """A line with its numbers blurred: « Page 3 — Conseil » and « Page 4 — Conseil » agree."""
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _repeated_edges(pages: list[list[str]]) -> set[str]:
    """Lines at the top or bottom of most pages (over 60 %, 3 at least): headers and
    footers."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line.strip()]
        seen.update({_shape(line) for line in filled[:2] + filled[-2:]})
    return {shape for shape, count in seen.items()
            if count >= 3 and count * 5 > len(pages) * 3 and shape}


def _title_apart(lines: list[str]) -> list[str]:
    """A page's title set apart: its first line when it reads as one (short, no final
    punctuation, a capital next), or its first lines in capitals (a title wrapped), as a
    PDF's text keeps no blank line under its titles."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return lines
    title = 1
    while (title < min(len(filled) - 1, TITLE_LINES) and filled[title] == filled[0] + title
           and lines[filled[0]].strip().isupper() and lines[filled[title]].strip().isupper()):
        title += 1  # the next line is the same title, wrapped
    first, after = lines[filled[title - 1]].strip(), lines[filled[title]].strip()
    if (len(first) <= 80 and not first.endswith((".", ",", ";", ":", "-"))
            and after[:1].isupper() and filled[title] == filled[title - 1] + 1):
        return [*lines[:filled[title]], "", *lines[filled[title]:]]
    return lines


def _blocks(lines: list[str]) -> str:
    """Wrapped lines joined into paragraphs; a bullet, a heading or a blank line starts a
    new one. Blocks are separated by a blank line."""
    blocks: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append(" ".join(" ".join(current).split()))
            current.clear()

    for line in lines:
        if not line.strip():
            close()
            continue
        if _BULLET.match(line) or line.lstrip().startswith("#"):
            close()
        current.append(line.strip())
        if line.lstrip().startswith("#"):
            close()
    close()
    return "\n\n".join(block for block in blocks if block)


# ---------------------------------------------------------------------------- passages

MAX_CHARS = 700  # a passage: a slide, or a few paragraphs of a page, quotable in part
HEADING_CHARS = 160
TITLE_CHARS = 80  # a heading in ordinary case is short; one in capitals may wrap
_SENTENCE_END = re.compile(r"(?<=[.!?…])[»\")]*\s+(?=[«\"(]?[A-ZÀ-Ý0-9])")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MID_BULLET = re.compile(r"\s+(?=[•▪◦●○■□➢►✓]\s)")
_CLOSED = (".", "!", "?", "…")  # a sentence ends: the next block reads on


def sentences(block: str) -> list[str]:
    """A block's sentences (a bullet item is one)."""
    return [part.strip() for part in _SENTENCE_END.split(block) if part.strip()]


def units(text: str) -> list[str]:
    """What a passage can be quoted by: its lines (list items, table rows, titles), each
    cut into sentences, and items run together on one line apart."""
    return [sentence for line in text.split("\n") for item in _MID_BULLET.split(line)
            for sentence in sentences(item)]


def _heading_of(block: str) -> str | None:
    """A block that reads as a heading: a Markdown heading, or a title: short (or in
    capitals), one sentence, no final full stop."""
    if block.startswith("#"):
        return block.lstrip("#").strip()
    if (len(block) <= HEADING_CHARS and not block.endswith((".", ";", ","))
            and not _BULLET.match(block) and len(sentences(block)) == 1
            and (len(block) <= TITLE_CHARS or block.isupper())):
        return block
    return None


def _says_figure(block: str) -> bool:
    """« Bilan 2024 : 4 gymnases rénovés » says a figure; « Priorités 2021-2026 » only
    titles a period."""
    return any(c.isdigit() for c in _YEAR.sub(" ", block))


def split_passages(pages: list[Page]) -> list[PassageIn]:
    """Passages of whole blocks (a slide, paragraphs) up to MAX_CHARS, a longer block cut
    into sentences; never across pages; each carries its page's heading (its title,
    else the last one seen)."""
    passages: list[PassageIn] = []
    heading = ""
    for page in pages:
        blocks = [block for block in page.text.split("\n\n") if block]
        if not blocks:
            continue
        first = _heading_of(blocks[0])
        while first is not None and first.isupper() and len(blocks) > 1 and (
                blocks[1].isupper() and _heading_of(blocks[1]) is not None):
            first, blocks = f"{first} {blocks[1]}", [first, *blocks[2:]]  # a title wrapped
        if first is not None:
            heading = first[:300]
            if len(blocks) == 1:  # a title slide: the heading is all there is
                passages.append(PassageIn(page=page.number, text=first, heading=heading))
                continue
            if not _says_figure(first):  # a title saying a figure stays quotable too
                blocks = blocks[1:]
        for text in _grouped([block.lstrip("# ") for block in blocks]):
            passages.append(PassageIn(page=page.number, text=text, heading=heading))
    return passages


def _grouped(blocks: list[str]) -> list[str]:
    """Blocks joined up to MAX_CHARS: after a sentence, by a space (a paragraph reads
    on); after a list item, a table row or a title, by a line break, which keeps them
    apart for the quote."""
    pieces = [piece for block in blocks
              for piece in ([block] if len(block) <= MAX_CHARS else _sentence_groups(block))]
    groups: list[str] = []
    current = ""
    for piece in pieces:
        # a piece that starts in lower case goes on from the last (a line wrapped apart)
        joint = " " if current.endswith(_CLOSED) or piece[:1].islower() else "\n"
        if current and len(current) + len(joint) + len(piece) > MAX_CHARS:
            groups.append(current)
            current = ""
        current = f"{current}{joint}{piece}" if current else piece
    if current:
        groups.append(current)
    return groups


def _sentence_groups(block: str) -> list[str]:
    """A block longer than a passage: its sentences, grouped up to MAX_CHARS."""
    groups: list[str] = []
    current = ""
    for sentence in sentences(block):
        sentence = _fitting(sentence)
        if current and len(current) + 1 + len(sentence) > MAX_CHARS:
            groups.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        groups.append(current)
    return groups


def _fitting(sentence: str) -> str:
    """A sentence longer than a passage can hold (a table flattened into one line) cut at
    a word boundary, marked with an ellipsis."""
    if len(sentence) <= MAX_PASSAGE_CHARS:
        return sentence
    return sentence[:MAX_PASSAGE_CHARS - 1].rsplit(" ", 1)[0] + "…"
