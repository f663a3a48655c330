"""`mandat-bot init --empty` and `mandat-bot ingest`: a base of documents only."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlmodel import Session, select

from bench.files import pdf_file
from bot.cli import main
from knowledge.models import Milestone
from knowledge.store import make_engine

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


def test_ingest_previews_the_dates_and_jalons_adds_the_upcoming_ones(
        empty_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paris = ZoneInfo("Europe/Paris")
    day = (datetime.now(paris) + timedelta(days=30)).date()
    written = format_date(day, "d MMMM y", locale="fr_FR")
    (tmp_path / "cr.pdf").write_bytes(pdf_file([
        f"Calendrier\n\nLe conseil de territoire se réunira le {written} à 18 h 30 en salle "
        "du conseil. Le conseil s'était réuni le 3 février 2021 en séance publique."]))
    assert main(["init", "--empty"]) == 0
    capsys.readouterr()
    assert main(["ingest", str(tmp_path / "cr.pdf"), "--title", "CR du conseil"]) == 1
    preview = capsys.readouterr().out
    assert ("Dates à venir : 1, 1 passée ignorée (--jalons pour les ajouter au calendrier)."
            in preview)
    when = format_date(day, "EEEE d MMMM y", locale="fr_FR").replace(" 1 ", " 1er ")
    assert (f"  • {when} à 18 h 30 — Conseil de territoire — Salle du conseil (page 1)"
            in preview)
    assert main(["ingest", str(tmp_path / "cr.pdf"), "--title", "CR du conseil", "--yes",
                 "--jalons"]) == 0
    assert "Rendez-vous ajoutés au calendrier : 1." in capsys.readouterr().out
    with Session(make_engine(empty_database)) as session:
        [milestone] = session.exec(select(Milestone)).all()
    assert (milestone.title, milestone.location, milestone.source_title) == (
        "Conseil de territoire", "Salle du conseil", "CR du conseil, page 1")
    assert milestone.start.astimezone(paris).date() == day
