"""bot.offload: an uploaded document is parsed in a child process, which a crash does not
take down for good."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest
import yaml

from bot.offload import ImportParser
from knowledge.seed import SECTIONS, SeedError

VALID = yaml.safe_dump({"version": 1, **{name: [] for name in SECTIONS.values()},  # all written
                        "axes": [{"number": 1, "title": "Premier axe", "short_title": "Axe un"}],
                        "facts": [{"key": "sigle", "title": "SIGLE", "text": "Un sigle."}]},
                       allow_unicode=True).encode()


async def test_the_document_comes_back_validated_and_problems_in_french() -> None:
    parser = ImportParser()
    try:
        document = await parser.parse(VALID)
        assert [fact.key for fact in document.facts] == ["sigle"]
        child = multiprocessing.active_children()
        assert len(child) == 1 and child[0].pid != os.getpid()
        with pytest.raises(SeedError, match="ligne 2, colonne 7 : syntaxe YAML incorrecte"):
            await parser.parse(b"axes: [1, 2\npeople: {")
    finally:
        parser.shutdown()


async def test_a_child_that_died_fails_one_import_and_is_replaced() -> None:
    parser = ImportParser()
    try:
        await parser.parse(VALID)
        [child] = multiprocessing.active_children()
        os.kill(child.pid, signal.SIGKILL)  # out of memory, or killed by an operator
        with pytest.raises(SeedError, match="interrompue"):
            await parser.parse(VALID)
        assert [fact.key for fact in (await parser.parse(VALID)).facts] == ["sigle"]
    finally:
        parser.shutdown()


async def test_a_loaded_document_is_read_in_the_child_and_a_slow_one_is_killed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.files import pdf_file
    from bot import offload
    from knowledge.documents import DocumentError, Limits

    parser = ImportParser()
    try:
        read = await parser.read(pdf_file(["Le conseil vote le budget."]), "cr.pdf", "CR",
                                 Limits())
        assert [p.text for p in read.passages] == ["Le conseil vote le budget."]
        with pytest.raises(DocumentError, match="type de fichier non pris en charge"):
            await parser.read(b"\x89PNG", "photo.png", "", Limits())
        [child] = multiprocessing.active_children()
        # A reading that never ends (a page the reader cannot get through): killed.
        monkeypatch.setattr(offload, "GRACE_SECONDS", 0.0)
        with pytest.raises(DocumentError, match="trop longue"):
            await parser.read(b"x" * 10, "a.txt", "", Limits(max_seconds=0.0))
        child.join(timeout=30)
        assert child.exitcode is not None  # killed, not left reading
        read = await parser.read(b"Encore lisible.", "a.txt", "", Limits())
        assert read.passages[0].text == "Encore lisible."
    finally:
        parser.shutdown()
