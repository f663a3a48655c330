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
