"""Real document files written with real libraries (fpdf2, python-docx, zipfile), for the
tests and the benches: PDFs from known text, a scanned-like PDF, an encrypted one, a
.docx, a .docx zip bomb. Shared like bench.judge."""

from __future__ import annotations

import io
import zipfile

from fpdf import FPDF


def _latin1(text: str) -> str:
    """The PDF core fonts write Latin-1: French accents, but not ’ or œ."""
    return (text.replace("’", "'").replace("œ", "oe").replace("—", "-").replace("–", "-")
            .replace("…", "...").replace("•", "-").encode("latin-1", "replace").decode("latin-1"))


def pdf_file(pages: list[str], title: str = "", *, header: str = "",
             user_password: str = "") -> bytes:
    """A PDF with one page per text (paragraphs at blank lines), an optional running header
    and page number, as real documents have."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.set_font("Helvetica", size=8)
            pdf.cell(0, 5, _latin1(header), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for paragraph in text.split("\n\n"):
            pdf.multi_cell(0, 5, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_y(-15)
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 5, str(number), align="C")
    if user_password:
        pdf.set_encryption(owner_password="owner-" + user_password, user_password=user_password)
    return bytes(pdf.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF of pages without any text (as a scanner makes: drawings only)."""
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


def docx_file(paragraphs: list[str], heading: str = "") -> bytes:
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_docx(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A small .docx whose archive inflates to `inflated` bytes (zeros compress ~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return out.getvalue()
