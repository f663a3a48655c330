"""Documents through the loopback Bot API: an admin sends a real PDF, previews, confirms;
an official's next question is answered from its page; deleting it removes its answers;
bad files are refused with the database unchanged."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from test_admin_e2e import (
    ADMIN,
    OFFICIAL,
    Bot,
    bot,  # noqa: F401 - the admin tests' fixtures
    buttons,
    import_parser,  # noqa: F401
    text_of,
)

from bench.files import docx_file, pdf_file, report_pages, scanned_pdf, zip_bomb_docx
from bot.typography import french_spaces
from knowledge.admin_store import export_document
from knowledge.admin_store.documents import add_document, passages_of, remove_document
from knowledge.documents import MIB, Read, clean_pages, split_passages
from knowledge.models import Document
from knowledge.seed import MAX_DOCUMENT_BYTES
from knowledge.store import transaction

QUESTION = "quand rouvre la piscine de Choisy ?"
MINUTES = [
    "Ouverture\n\nLe président ouvre la séance du conseil territorial à dix-huit heures.",
    "Piscines\n\nLa piscine municipale de Choisy-le-Roi rouvrira ses bassins en septembre "
    "2027 après dix-huit mois de travaux de rénovation énergétique.",
]


async def test_an_admin_loads_a_pdf_and_officials_get_answers_from_its_page(
        bot: Bot) -> None:  # noqa: F811
    [before] = await bot.send(QUESTION, user=OFFICIAL)
    assert "pas trouvé" in text_of(before)
    [preview] = await bot.send_file("conseil.pdf", pdf_file(MINUTES),
                                    caption="Conseil territorial du 3 février")
    assert (french_spaces("« Conseil territorial du 3 février » (conseil.pdf) : 2 pages")
            in text_of(preview))
    assert french_spaces("Le bot pourra répondre sur : Ouverture ; Piscines.") in text_of(preview)
    [unchanged] = await bot.send(QUESTION, user=OFFICIAL)  # nothing loaded before « Confirmer »
    assert "pas trouvé" in text_of(unchanged)
    await bot.press(preview, "✅ Confirmer")
    assert text_of(bot.current(preview)).startswith("✅ Document chargé")

    [answer] = await bot.send(QUESTION, user=OFFICIAL)
    assert "rouvrira ses bassins en septembre 2027" in text_of(answer)
    assert french_spaces("Source : Conseil territorial du 3 février, page 2") in text_of(answer)

    [listed] = await bot.send("/documents")
    assert "Conseil territorial du 3 février" in text_of(listed) and "2 pages" in text_of(listed)
    [delete] = [label for label, _ in buttons(listed) if label.startswith("🗑")]
    await bot.press(listed, delete)
    await bot.press(bot.current(listed), "🗑 Oui, supprimer")
    assert "supprimé" in text_of(bot.current(listed))
    [after] = await bot.send(QUESTION, user=OFFICIAL)
    assert "pas trouvé" in text_of(after)


async def test_an_upload_is_undone_and_a_new_version_previews_its_changes(
        bot: Bot) -> None:  # noqa: F811
    [preview] = await bot.send_file("conseil.pdf", pdf_file(MINUTES))
    await bot.press(preview, "✅ Confirmer")
    changed = [MINUTES[0], MINUTES[1], "Stationnement\n\nLe stationnement coûte dix euros."]
    [second] = await bot.send_file("conseil.pdf", pdf_file(changed))
    assert french_spaces("Nouvelle version de « conseil » (version 2") in text_of(second)
    assert french_spaces("pages 2 → 3, passages : 1 nouveaux, 0 retirés") in text_of(second)
    await bot.press(second, "✅ Confirmer")
    [preview_undo] = await bot.send("/annuler")
    assert french_spaces("la modification du document « conseil »") in text_of(preview_undo)
    assert "remet la version précédente" in text_of(preview_undo)
    [listed] = await bot.send("/documents")
    assert "version 2" in text_of(listed)  # nothing undone before « Confirmer »
    await bot.press(preview_undo, "↩️ Confirmer")
    assert french_spaces("Annulé : la modification du document « conseil »") in text_of(
        bot.current(preview_undo))
    [listed] = await bot.send("/documents")
    assert "version 1" in text_of(listed) and "2 pages" in text_of(listed)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("scan.pdf", scanned_pdf(), "la reconnaissance de texte n'est pas prise en charge"),
    ("secret.pdf", pdf_file(["Confidentiel."], user_password="x"), "protégé par un mot de passe"),
    ("abime.pdf", b"%PDF-1.7\n garbage", "endommagé ou illisible"),
    ("vide.txt", b"\n\n", "le document est vide"),
    ("bombe.docx", zip_bomb_docx(), "se décompresse en 200 Mo"),
    ("notes.docx", b"PK\x03\x04 not really a zip", "endommagé ou illisible"),
])
async def test_bad_files_are_refused_and_change_nothing(
        bot: Bot, name: str, data: bytes, message: str) -> None:  # noqa: F811
    before = bot.state()
    [reply] = await bot.send_file(name, data)
    assert text_of(reply).startswith(french_spaces("Document refusé, rien n'a changé : "))
    assert message in text_of(reply)
    assert bot.state() == before


async def test_too_many_pages_and_non_admins_are_refused(bot: Bot) -> None:  # noqa: F811
    bot.svc.settings.document_max_pages = 2
    before = bot.state()
    [reply] = await bot.send_file("long.pdf", pdf_file(["Un.", "Deux.", "Trois."]))
    assert french_spaces("3 pages : 2 au plus.") in text_of(reply)
    [reply] = await bot.send_file("cr.docx", docx_file(["Le conseil vote."]), user=OFFICIAL)
    assert "Document" not in text_of(reply)  # a file like anyone's: not loaded
    assert bot.state() == before


async def test_the_title_is_changed_in_the_preview_and_cited_once_confirmed(
        bot: Bot) -> None:  # noqa: F811
    [preview] = await bot.send_file("conseil.pdf", pdf_file(MINUTES))
    assert french_spaces("« conseil » (conseil.pdf) : 2 pages") in text_of(preview)
    await bot.press(preview, "✏️ Modifier le titre")
    assert french_spaces("Titre actuel : « conseil »") in text_of(bot.last())
    before = bot.state()
    for typed, problem in [("x" * 301, "le titre est trop long (301 caractères, 300 au plus)"),
                           ("\x07 \x07", "le titre est vide")]:
        [refused] = await bot.send(typed)
        assert french_spaces(f"Titre refusé : {problem}. Rien n'a changé") in text_of(refused)
    [retitled] = await bot.send("CR <b>du conseil</b> & débats")
    assert french_spaces("« CR <b>du conseil</b> & débats » (conseil.pdf) : 2 pages") in (
        text_of(retitled))  # escaped: shown as typed
    assert bot.state() == before
    stale = await bot.press(preview, "✅ Confirmer")  # the first preview's button
    assert "plus valable" in stale["text"] and bot.state() == before
    await bot.press(retitled, "✅ Confirmer")
    [answer] = await bot.send(QUESTION, user=OFFICIAL)
    assert french_spaces("Source : CR <b>du conseil</b> & débats, page 2") in text_of(answer)


async def test_stop_keeps_the_previewed_title(bot: Bot) -> None:  # noqa: F811
    [preview] = await bot.send_file("conseil.pdf", pdf_file(MINUTES), caption="Conseil")
    await bot.press(preview, "✏️ Modifier le titre")
    [kept] = await bot.send("/stop")
    assert "Titre inchangé" in text_of(kept)
    [asked] = await bot.send(QUESTION)  # a question again, not a title
    assert "pas trouvé" in text_of(asked)
    await bot.press(preview, "✅ Confirmer")
    [listed] = await bot.send("/documents")
    assert "Conseil" in text_of(listed)


async def test_a_file_over_telegrams_20_mb_is_refused_in_french(bot: Bot) -> None:  # noqa: F811
    """Refused before any download when the message gives its size; when it does not
    (the size is optional), Telegram's refusal of getFile is told in French."""
    big = b"%PDF-1.7\n" + b"0" * (20 * MIB)
    before, calls = bot.state(), len(bot.api.sent)
    [reply] = await bot.send_file("gros.pdf", big)
    assert french_spaces("fichier trop volumineux (20,1 Mo) : 20 Mo au plus.") in text_of(reply)
    assert "getFile" not in [call.method for call in bot.api.sent[calls:]]
    for name, caption, told in [
            ("gros.pdf", None, "Telegram ne transmet pas aux bots les fichiers de plus de 20 Mo"),
            ("base.yaml", "/import", "Fichier trop volumineux : Telegram ne transmet pas")]:
        calls = len(bot.api.sent)
        [reply] = await bot.send_file(name, big, caption=caption, with_size=False)
        assert french_spaces(told) in text_of(reply)
        assert [(call.method, call.description) for call in bot.api.sent[calls:]
                if call.method == "getFile"] == [("getFile", "Bad Request: file is too big")]
    assert bot.state() == before


async def test_a_backup_holding_a_long_document_is_imported_in_the_chat(
        bot: Bot) -> None:  # noqa: F811
    """/import reads a backup of a few MB (a 500-page report in it), within Telegram's
    20 MB: the document comes back with its passages."""
    pages = clean_pages(report_pages(500, [], paragraphs=8))
    read = Read("Rapport d'activité", "rapport.pdf", "b" * 64, "pdf", pages,
                split_passages(pages))
    with transaction(bot.db) as session:
        document_id = add_document(session, read, ADMIN, "Alice", None).id
    with Session(bot.db) as session:
        backup = export_document(session, bot.tz).encode()
    with transaction(bot.db) as session:
        remove_document(session, session.get(Document, document_id))
    assert len(backup) > MAX_DOCUMENT_BYTES
    [preview] = await bot.send_file("sauvegarde.yaml", backup, caption="/import")
    assert "Aperçu de l'import" in text_of(preview)
    await bot.press(preview, "✅ Appliquer")
    assert "Import appliqué" in text_of(bot.current(preview))
    with Session(bot.db) as session:
        [restored] = session.exec(select(Document)).all()
        assert len(passages_of(session, restored.id)) == len(read.passages)
