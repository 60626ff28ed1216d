"""The package keeps its shape: stages in layers, no import cycles, one module per format."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import grimp

import leafpress
import leafpress.formats
from leafpress.formats import FORMAT_NAMES, FORMATS
from leafpress.formats.base import Format

PACKAGE = Path(leafpress.__file__).parent


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), counting imports inside functions."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    assert _cycles(grimp.build_graph("leafpress")) == []


def test_a_cycle_would_be_found() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert _cycles(graph) == [["a.x", "a.y"]]


def test_the_package_top_level_holds_few_modules() -> None:
    modules = [path.name for path in PACKAGE.glob("*.py")]
    assert len(modules) <= 10, modules


def test_every_format_module_defines_one_format_with_render() -> None:
    modules = [m.name for m in pkgutil.iter_modules(leafpress.formats.__path__) if m.name != "base"]
    formats = [importlib.import_module(f"leafpress.formats.{name}").FORMAT for name in modules]
    assert all(isinstance(fmt, Format) and callable(fmt.render) for fmt in formats)
    assert sorted(fmt.name for fmt in formats) == sorted(FORMAT_NAMES)
    assert FORMAT_NAMES[0] == "standard"


def test_format_names_and_suffixes_are_unique() -> None:
    suffixes = [fmt.suffix for fmt in FORMATS.values()]
    assert len(set(suffixes)) == len(suffixes)


def test_importing_leafpress_patches_nothing_in_weasyprint_or_textstat() -> None:
    import subprocess
    import sys

    probe = (
        "import importlib, pkgutil, leafpress\n"
        "for m in pkgutil.walk_packages(leafpress.__path__, 'leafpress.'):\n"
        "    if not m.name.startswith('leafpress.preview'): importlib.import_module(m.name)\n"
        "from weasyprint.pdf import tags\n"
        "from textstat.backend.counts import _count_syllables\n"
        "print(getattr(tags._build_box_tree, 'leafpress_languages', False),"
        " _count_syllables.get_cmudict.__module__.startswith('leafpress'))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_an_unknown_weasyprint_series_is_refused_clearly(monkeypatch: object) -> None:
    import pytest

    from leafpress import compat

    with pytest.raises(compat.IncompatibleVersion, match="needs weasyprint 99.x"):
        compat.versions.require("weasyprint", "99.")
