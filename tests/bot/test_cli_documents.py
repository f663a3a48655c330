"""`mandat-bot init --empty` and `mandat-bot ingest`: a base of documents only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bench.files import pdf_file
from bot.cli import main

if TYPE_CHECKING:
    from tests.conftest import Databases

MINUTES = ["Stationnement\n\nLe stationnement résidentiel coûte quinze euros par mois."]


@pytest.fixture
def empty_database(databases: Databases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                   ) -> str:
    url = databases.new()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return url


def test_an_empty_base_stays_empty_and_answers_from_an_ingested_pdf(
        empty_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--empty"]) == 0
    assert main(["ask", "qui s'occupe du logement ?"]) == 3  # no seminar loaded behind us
    (tmp_path / "cr.pdf").write_bytes(pdf_file(MINUTES))
    capsys.readouterr()
    assert main(["ingest", str(tmp_path / "cr.pdf"), "--title", "CR du conseil"]) == 1
    preview = capsys.readouterr().out
    assert "« CR du conseil » (cr.pdf) : 1 pages, 1 passages à citer." in preview
    assert "rien n'a changé" in preview
    assert main(["ask", "tarif du stationnement résidentiel"]) == 3  # not loaded
    assert main(["ingest", str(tmp_path / "cr.pdf"), "--title", "CR du conseil", "--yes"]) == 0
    capsys.readouterr()
    assert main(["ask", "tarif du stationnement résidentiel"]) == 0
    assert "Source : CR du conseil, page 1" in capsys.readouterr().out


def test_a_bad_file_is_refused_in_one_french_line(empty_database: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    assert main(["ingest", str(tmp_path / "photo.png"), "--yes"]) == 2
    assert "Document refusé, rien n'a changé : type de fichier non pris en charge" in (
        capsys.readouterr().out)
