"""The project's modules import one another without circles.

Counted: every import a module makes at its top level, `if TYPE_CHECKING:` blocks included
(a circle there is a circle in the design, only hidden from the interpreter). Not counted:
imports inside functions, made when called.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "knowledge", "scheduler", "botapi_standin")

Graph = dict[str, set[str]]


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name → file, for every module of the packages."""
    found = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def top_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports run when the module is loaded (or type-checked): not those in functions."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for block in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, block, None)
                if isinstance(inner, list):
                    yield from top_level_imports(inner)


def imported_names(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    """Every dotted name the import may load (`from a import b`: `a` and `a.b`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path, packages: tuple[str, ...]) -> Graph:
    """Module → the project's modules it imports at its top level."""
    files = module_files(root, packages)
    graph: Graph = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {
            target
            for node in top_level_imports(tree.body)
            for target in imported_names(node, package)
            if target in files and target != name
        }
    return graph


def find_circle(graph: Graph) -> list[str]:
    """One import circle (first module repeated at the end), or [] when there is none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module):], module]
        if module in done:
            return []
        for target in sorted(graph[module]):
            if circle := visit(target, [*path, module]):
                return circle
        done.add(module)
        return []

    for module in sorted(graph):
        if circle := visit(module, []):
            return circle
    return []


def test_the_project_has_no_import_circle() -> None:
    graph = import_graph(ROOT, PACKAGES)
    assert {"bot.app", "knowledge.store", "scheduler.notices"} <= graph.keys()
    assert find_circle(graph) == []


def test_a_circle_through_type_checking_counts_and_one_through_a_function_does_not(
    tmp_path: Path,
) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import X\n")
    (package / "c.py").write_text("from . import d\n")
    (package / "d.py").write_text("def later():\n    from pkg import c\n")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.c"] == {"pkg", "pkg.d"}
    assert graph["pkg.d"] == set()
    assert find_circle(graph) == ["pkg.a", "pkg.b", "pkg.a"]
