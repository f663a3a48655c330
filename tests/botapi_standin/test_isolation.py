"""The stand-in is a tool beside the product: neither imports the other (but the terminal chat)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("bot", "knowledge", "scheduler")
STARTS_THE_STAND_IN = {Path("bot/terminal_chat.py")}  # `mandat-bot chat`, `make run`


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every module `path` imports (at any depth, lazy imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def sources(package: str) -> list[Path]:
    found = sorted((ROOT / package).rglob("*.py"))
    assert found, f"no Python file under {package}/"
    return found


def test_the_product_does_not_import_the_stand_in() -> None:
    importers = {
        path.relative_to(ROOT)
        for package in PRODUCT
        for path in sources(package)
        if "botapi_standin" in imported_packages(path)
    }
    assert importers == STARTS_THE_STAND_IN


def test_the_stand_in_imports_nothing_of_the_product() -> None:
    for path in sources("botapi_standin"):
        assert not imported_packages(path) & set(PRODUCT), path
