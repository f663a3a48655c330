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


_SUBJECTS = ("Le territoire", "L'établissement public territorial", "La commune de Vitry-sur-Seine",
             "Le service de l'eau", "La direction de l'aménagement", "Le conseil de développement",
             "Le plan climat-air-énergie territorial", "La politique de la ville",
             "Le réseau des médiathèques", "Le programme local de l'habitat")
_VERBS = ("a engagé", "poursuit", "a renforcé", "prévoit", "accompagne", "a lancé",
          "met en œuvre", "a présenté", "coordonne", "évalue")
_OBJECTS = ("la rénovation énergétique de 1 200 logements sociaux",
            "la création de pistes cyclables entre Ivry-sur-Seine et Choisy-le-Roi",
            "la collecte des biodéchets dans les 24 communes",
            "un plan de lutte contre l'habitat indigne",
            "l'ouverture de deux nouvelles écoles de musique",
            "la modernisation de l'éclairage public en LED",
            "la désimperméabilisation des cours d'écoles",
            "l'accueil des entreprises de l'économie sociale et solidaire",
            "la réhabilitation des berges de la Seine",
            "le soutien aux associations sportives du territoire")
_ENDS = ("avec un budget de 3,2 millions d'euros.", "en lien avec les communes concernées.",
         "conformément aux orientations du séminaire des élus.",
         "pour un achèvement prévu à la fin du mandat.",
         "après une concertation avec les habitants.",
         "avec le soutien de la région et de l'État.")
_EVENTS = ("Le conseil de territoire se réunira le {day} à 18 h 30 en salle du conseil.",
           "Une réunion publique aura lieu le {day} à 19 h à la médiathèque de Thiais.",
           "Les candidatures sont à déposer avant le {day}.",
           "Le comité de pilotage du PCAET aura lieu le {day} à 9h30 en mairie de Vitry.")


def report_pages(pages: int, days: list[str], seed: int = 17, paragraphs: int = 5
                 ) -> list[str]:
    """The text of a long report, one entry a page: a title every few pages, `paragraphs`
    of plausible sentences (5 fill an A4 page in the PDF), and the announcements of `days`
    (« 12 mars 2027 ») spread over it."""
    import random

    chance = random.Random(seed)
    texts = []
    announcements = {(index + 1) * pages // (len(days) + 1): day for index, day in enumerate(days)}
    for number in range(1, pages + 1):
        blocks = [f"Chapitre {number // 4 + 1} - {chance.choice(_OBJECTS).capitalize()}"
                  ] if number % 4 == 1 else []
        for _ in range(paragraphs):
            blocks.append(" ".join(f"{chance.choice(_SUBJECTS)} {chance.choice(_VERBS)} "
                                   f"{chance.choice(_OBJECTS)} {chance.choice(_ENDS)}"
                                   for _ in range(4)))
        if number in announcements:
            blocks.append(chance.choice(_EVENTS).format(day=announcements[number]))
        texts.append("\n\n".join(blocks))
    return texts


def report_pdf(pages: int = 200, days: list[str] | None = None) -> bytes:
    """A long report as a real PDF: `report_pages`, a running header and page numbers."""
    return pdf_file(report_pages(pages, days or []), "Rapport d'activité",
                    header="Rapport d'activité 2026 - EPT Grand-Orly Seine Bièvre")
