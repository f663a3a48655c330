"""knowledge.documents: real files read page by page, cleaned, split into quotable passages;
bad files refused with one French sentence."""

from __future__ import annotations

import pytest

from bench.files import docx_file, pdf_file, scanned_pdf, zip_bomb_docx
from knowledge.documents import MAX_CHARS, DocumentError, Limits, read_document

COUNCIL = [
    "Ordre du jour\n\nLe conseil territorial adopte le plan climat. Les élus votent à "
    "l'unanimité la trans-\nition énergétique des bâtiments publics.",
    "Budget\n\nLe budget 2027 s'élève à 912 millions d'euros. La part de l'investissement "
    "augmente.",
    "Piscines\n\nLa piscine de Choisy-le-Roi rouvrira en septembre après travaux.",
]


def test_a_pdf_is_read_page_by_page_without_headers_numbers_or_hyphens() -> None:
    read = read_document(pdf_file(COUNCIL, "Conseil du 3 février", header="EPT - Conseil "
                                  "territorial"), "conseil.pdf")
    assert (read.kind, read.title, len(read.pages)) == ("pdf", "Conseil du 3 février", 3)
    by_page = {p.page: p for p in read.passages}
    assert by_page[2].heading == "Budget"
    assert by_page[2].text.startswith("Le budget 2027 s'élève à 912 millions d'euros.")
    assert "transition énergétique" in by_page[1].text  # the hyphenated word joined
    every = " ".join(p.text + " " + p.heading for p in read.passages)
    assert "EPT - Conseil" not in every  # the running header, on every page
    assert not any(p.text.strip().isdigit() for p in read.passages)  # the page numbers


def test_passages_hold_whole_sentences_within_the_size() -> None:
    sentence = "La phrase numéro {n} parle du plan local d'urbanisme intercommunal."
    page = "Titre\n\n" + " ".join(sentence.format(n=n) for n in range(40))
    read = read_document(page.encode(), "notes.txt")
    assert len(read.passages) > 3
    for passage in read.passages:
        assert len(passage.text) <= MAX_CHARS
        assert passage.text.startswith("La phrase numéro") and passage.text.endswith(".")
    assert " ".join(p.text for p in read.passages) == page.split("\n\n")[1]


def test_word_and_markdown_and_text_pages() -> None:
    read = read_document(docx_file(["Le conseil se réunit chaque mois.", "Il vote."],
                                   heading="Règlement intérieur"), "reglement.docx")
    assert (read.kind, read.title) == ("docx", "Règlement intérieur")
    assert read.passages[0].text == "Le conseil se réunit chaque mois. Il vote."
    markdown = "# Feuille de route\n\nIntro.\n\n## Logement\n\nConstruire.\n\n## Emploi\n\nFormer."
    read = read_document(markdown.encode(), "route.md")
    assert read.title == "Feuille de route" and len(read.pages) == 3
    assert [(p.page, p.heading, p.text) for p in read.passages][1:] == [
        (2, "Logement", "Construire."), (3, "Emploi", "Former.")]
    read = read_document(b"Un.\fDeux.\fTrois.", "pages.txt", title="  Mes  pages ")
    assert read.title == "Mes pages" and [p.page for p in read.passages] == [1, 2, 3]


@pytest.mark.parametrize(("name", "data", "limits", "message"), [
    ("scan.pdf", scanned_pdf(), Limits(), "reconnaissance de texte n'est pas prise en charge"),
    ("secret.pdf", pdf_file(["Confidentiel."], user_password="s3cret"), Limits(),
     "protégé par un mot de passe"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", Limits(),
     "endommagé ou illisible"),
    ("broken.pdf", b"not a pdf at all", Limits(), "n'est pas un PDF lisible"),
    ("photo.jpg", b"\xff\xd8\xff\xe0 JFIF", Limits(), "type de fichier non pris en charge"),
    ("vide.txt", b" \n\n \n", Limits(), "le document est vide"),
    ("gros.txt", b"x" * 2001, Limits(max_bytes=2000), "fichier trop volumineux"),
    ("long.pdf", pdf_file(["a."] * 4), Limits(max_pages=3), "4 pages : 3 au plus"),
    ("bombe.docx", zip_bomb_docx(), Limits(), "se décompresse en 200 Mo"),
    ("lent.txt", b"Du texte.", Limits(max_seconds=-1), "lecture du document trop longue"),
])
def test_bad_files_are_refused_in_french(name: str, data: bytes, limits: Limits,
                                         message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_document(data, name, limits=limits)
