"""`mandat-bot export` / `import`: the /export format, validated, all or nothing."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from bench.files import report_pages
from bot.cli import main
from knowledge.admin_store.documents import add_document
from knowledge.documents import Read, clean_pages, split_passages
from knowledge.seed import MAX_DOCUMENT_BYTES, read_seed_text
from knowledge.store import make_engine, transaction

if TYPE_CHECKING:  # the root conftest, whose fixtures these are
    from conftest import Databases


@pytest.fixture
def base(databases: Databases, seeded_template: str, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A seeded database of the test's own as DATABASE_URL; the test's folder as cwd."""
    url = databases.copy(seeded_template)
    monkeypatch.chdir(tmp_path)  # no developer's .env
    monkeypatch.setenv("DATABASE_URL", url)
    yield tmp_path
    databases.drop(url)


def export(path: Path) -> dict:
    assert main(["export", str(path)]) == 0
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_export_then_import_changes_nothing(base: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    export(base / "backup.yaml")
    assert main(["import", str(base / "backup.yaml")]) == 0
    assert "Aucun changement" in capsys.readouterr().out


def test_an_import_shows_the_changes_and_needs_a_yes(
        base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = export(base / "backup.yaml")
    document["elus"][0]["nom"] = "Nouveau NOM"
    edited = base / "edited.yaml"
    edited.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()

    assert main(["import", str(edited)]) == 1  # no terminal to confirm: nothing applied
    out = capsys.readouterr().out
    assert "elu : 0 ajout(s), 1 modification(s)" in out and "rien n'a changé" in out
    assert export(base / "after-refusal.yaml")["elus"][0]["nom"] != "Nouveau NOM"

    assert main(["import", str(edited), "--yes"]) == 0
    assert "Import appliqué : 1 entrée(s)" in capsys.readouterr().out
    assert export(base / "after.yaml") == document


def test_an_invalid_document_changes_nothing(base: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    before = export(base / "before.yaml")
    broken = base / "broken.yaml"
    broken.write_text("people:\n  - key: x\n    name: [\n", encoding="utf-8")
    assert main(["import", str(broken), "--yes"]) == 2
    assert "Import refusé, rien n'a changé : ligne" in capsys.readouterr().out
    assert export(base / "after.yaml") == before


@pytest.mark.parametrize("cut", ["version-only", "truncated"])
def test_a_cut_short_backup_is_refused_and_changes_nothing(
        base: Path, capsys: pytest.CaptureFixture[str], cut: str) -> None:
    before = export(base / "before.yaml")
    lines = (base / "before.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    entries = [n for n, line in enumerate(lines) if line.startswith("- cle: ")
               and n > lines.index("jalons:\n")]
    text = "version: 1\n" if cut == "version-only" else "".join(
        lines[:entries[3]])  # cut inside the milestones, at an entry: still valid YAML
    (base / "cut.yaml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(base / "cut.yaml"), "--yes"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("Import refusé, rien n'a changé : section(s) absente(s) du document")
    assert "synonymes, faits" in out and "suppression" not in out
    assert export(base / "after.yaml") == before


def test_a_backup_that_would_empty_the_base_needs_allow_deletions(
        base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = export(base / "before.yaml")
    empty = {name: [] if isinstance(value, list) else value for name, value in before.items()}
    (base / "empty.yaml").write_text(yaml.safe_dump(empty), encoding="utf-8")
    jalons = len(before["jalons"])
    capsys.readouterr()

    assert main(["import", str(base / "empty.yaml"), "--yes"]) == 2
    out = capsys.readouterr().out
    assert f"jalon : 0 ajout(s), 0 modification(s), {jalons} suppression(s)" in out
    assert ("Import refusé, rien n'a changé : cet import supprimerait la plus grande partie "
            "de la base") in out and f"jalon {jalons} sur {jalons}" in out
    assert "relancez avec --allow-deletions" in out
    assert export(base / "after-refusal.yaml") == before

    assert main(["import", str(base / "empty.yaml"), "--yes", "--allow-deletions"]) == 0
    assert "Import appliqué" in capsys.readouterr().out
    assert export(base / "after.yaml") == empty


@pytest.mark.parametrize(("value", "told"), [
    ("avant\x00après", "(faits.0.texte) : caractère de contrôle interdit (U+0000)"),
    ("avant\x07après", "(faits.0.texte) : caractère de contrôle interdit (U+0007)"),
])
def test_a_control_character_is_refused_in_french_on_every_database(
        base: Path, capsys: pytest.CaptureFixture[str], value: str, told: str) -> None:
    before = export(base / "before.yaml")
    document = yaml.safe_load((base / "before.yaml").read_text(encoding="utf-8"))
    document["faits"][0]["texte"] = value
    (base / "nul.yaml").write_text(yaml.safe_dump(document, allow_unicode=True),
                                   encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(base / "nul.yaml"), "--yes"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("Import refusé, rien n'a changé : document invalide :\nligne ")
    assert told in out
    assert export(base / "after.yaml") == before


@pytest.mark.parametrize("existing", [False, True])
def test_an_export_is_readable_by_its_owner_only(base: Path, existing: bool) -> None:
    target = base / "backup.yaml"
    previous = os.umask(0)  # the most permissive: files would be 0666
    try:
        if existing:  # an export an earlier version wrote
            target.write_text("ancien", encoding="utf-8")
            assert stat.S_IMODE(target.stat().st_mode) == 0o666
        export(target)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_backup_speaks_the_commands_words_and_an_old_one_still_restores(
        base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue #19.5: `mandat-bot export` writes the names admins type in /modifier (the
    chat's /export is the same document); a backup written with the former names (as the
    seed is) is still read."""
    document = export(base / "backup.yaml")
    assert list(document)[2:] == ["axes", "elus", "priorites", "chiffres", "communes",
                                  "jalons", "synonymes", "faits", "documents"]
    assert {"titre", "projet", "date", "lieu", "mots_cles"} <= set(document["jalons"][0])
    old = yaml.safe_load(read_seed_text())
    assert "milestones" in old and "start" in old["milestones"][0]
    (base / "old.yaml").write_text(read_seed_text(), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(base / "old.yaml"), "--yes"]) == 0
    assert "Aucun changement" in capsys.readouterr().out


def test_a_backup_holding_a_long_document_is_restored_in_a_new_base(
        base: Path, databases: Databases, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A 500-page report (the page limit) makes a backup of about 3 MB: over the 2 MB the
    import took before, it is read back whole."""
    pages = clean_pages(report_pages(500, [], paragraphs=8))
    read = Read("Rapport d'activité", "rapport.pdf", "b" * 64, "pdf", pages,
                split_passages(pages))
    db = make_engine(os.environ["DATABASE_URL"])
    with transaction(db) as session:
        add_document(session, read, 0, "Alice", None)
    db.dispose()
    original = export(base / "backup.yaml")
    assert (base / "backup.yaml").stat().st_size > MAX_DOCUMENT_BYTES
    fresh = databases.new()
    monkeypatch.setenv("DATABASE_URL", fresh)
    try:
        assert main(["init", "--empty"]) == 0
        capsys.readouterr()
        assert main(["import", str(base / "backup.yaml"), "--yes"]) == 0
        assert "Import appliqué" in capsys.readouterr().out
        assert export(base / "restored.yaml") == original
        assert len(original["documents"][0]["passages"]) == len(read.passages)
    finally:
        databases.drop(fresh)
