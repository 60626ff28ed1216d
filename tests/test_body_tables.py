"""Pipe tables in a section's body, built in every format and read back from the real files.

The test leaflet (tests/data/tables) has a dose table with aligned columns, a week's chart with
eight columns and one very long word, and a diary longer than a page, in English and Welsh.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from leafpress.pdf.conformance import validate_pdfua
from leafpress.pdf.layout import measure
from leafpress.pdf.structure import elements, is_element, kids
from tests.conftest import REPO, made_once, run_cli

TABLES = REPO / "tests" / "data" / "tables"
LAYOUT = REPO / "tests" / "data" / "layout"
PRINT = {"standard": ".pdf", "large-print": ".large-print.pdf", "bilingual": ".bilingual.pdf"}
MM = 72 / 25.4
# The diary's rows: Day 1 to Day 24.
DIARY_ROWS = 24
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosisinflammationreducingsteroidcourse"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(root: Path) -> None:
        shutil.copytree(LAYOUT / "assets", root / "assets")
        shutil.copy(LAYOUT / "leafpress.yaml", root / "leafpress.yaml")
        shutil.copytree(TABLES / "leaflets", root / "leaflets")
        formats = ("standard", "large-print", "bilingual", "booklet", "html", "text", "braille", "epub")
        result = run_cli("build", "leaflets/steroids.yaml", *(a for f in formats for a in ("--format", f)), cwd=root)
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "body-tables", make, parallel=True) / "output"


def _tables(pdf: Path) -> list[dict[str, int | list[str]]]:
    """Each Table structure element: how many THead, TBody and body rows it has, and its header cells' scopes."""
    found = []
    with pikepdf.open(pdf) as document:
        for table in (e for e in elements(document.Root.StructTreeRoot) if e.S == "/Table"):
            children = [kid for kid in kids(table) if is_element(kid)]
            bodies = [kid for kid in children if kid.S == "/TBody"]
            found.append(
                {
                    "heads": sum(kid.S == "/THead" for kid in children),
                    "bodies": len(bodies),
                    "rows": sum(kid.S == "/TR" for body in bodies for kid in kids(body) if is_element(kid)),
                    "scopes": [str(e.A.Scope) for e in elements(table) if e.S == "/TH"],
                    "cells": sum(e.S == "/TD" for e in elements(table)),
                }
            )
    return found


@pytest.mark.parametrize("suffix", [".pdf", ".large-print.pdf"])
def test_a_table_is_tagged_table_rows_and_cells_with_one_header_row_of_scoped_cells(built: Path, suffix: str) -> None:
    pdf = built / f"steroids{suffix}"
    tables = _tables(pdf)
    assert [(t["heads"], t["bodies"], t["rows"]) for t in tables] == [(1, 1, 6), (1, 1, 2), (1, 1, DIARY_ROWS)]
    assert [len(t["scopes"]) for t in tables] == [3, 8, 4]
    assert all(scope == "/Column" for t in tables for scope in t["scopes"])  # type: ignore[union-attr]
    assert [t["cells"] for t in tables] == [6 * 3, 2 * 8, DIARY_ROWS * 4]
    verdict = validate_pdfua(pdf.read_bytes())
    assert verdict.compliant, verdict.summary()


def _row_pages(pdf: Path) -> list[list[int]]:
    """For each Table structure element, the page each of its body rows is drawn on, in tree order."""
    with pikepdf.open(pdf) as document:
        index = {page.obj.objgen: number for number, page in enumerate(document.pages)}

        def page_of(element: pikepdf.Object) -> int:
            if "/Pg" in element:
                return index[element.Pg.objgen]
            return next(page_of(kid) for kid in kids(element) if isinstance(kid, pikepdf.Dictionary))

        return [
            [page_of(row) for body in kids(table) if is_element(body) and body.S == "/TBody" for row in kids(body)]
            for table in elements(document.Root.StructTreeRoot)
            if table.S == "/Table"
        ]


def test_the_bilingual_tables_are_tagged_and_pdf_ua(built: Path) -> None:
    """Side by side, a table cut by a page break is still one Table in each language: its rows in
    order, one header row of scoped TH cells (the copy drawn again on the next page is an artifact)."""
    pdf = built / "steroids.bilingual.pdf"
    tables = _tables(pdf)
    # Each row of the page pairs a table with its translation: Welsh, then English.
    assert [(t["heads"], t["bodies"], t["rows"]) for t in tables] == [
        (1, 1, n) for n in (6, 6, 2, 2, DIARY_ROWS, DIARY_ROWS)
    ]
    assert [len(t["scopes"]) for t in tables] == [3, 3, 8, 8, 4, 4]
    assert all(scope == "/Column" for t in tables for scope in t["scopes"])  # type: ignore[union-attr]
    pages = _row_pages(pdf)
    assert all(rows == sorted(rows) for rows in pages), pages
    diaries = [rows for rows in pages if len(rows) == DIARY_ROWS]
    assert len(diaries) == 2 and all(len(set(rows)) >= 2 for rows in diaries), "the diary does not run over a break"
    texts = _page_texts(pdf)
    for number in sorted(set(diaries[0])):  # the header row is drawn again on every page the diary is on
        assert any("Before evening" in line and "Nodiadau" in line for line in texts[number]), texts[number][:3]
    verdict = validate_pdfua(pdf.read_bytes())
    assert verdict.compliant, verdict.summary()


@pytest.mark.parametrize("suffix", [*PRINT.values(), ".booklet.pdf"])
def test_every_table_stays_inside_the_margins(built: Path, suffix: str) -> None:
    layout = measure((built / f"steroids{suffix}").read_bytes())
    least = 8 if suffix == ".booklet.pdf" else 10
    assert layout.nearest_edge_mm is not None and layout.nearest_edge_mm >= least, layout.to_json()
    assert not [p for p in layout.problems if p.rule in ("off-page", "edge", "blank")], layout.to_json()


@pytest.mark.parametrize("suffix", [".pdf", ".large-print.pdf"])
def test_a_long_word_in_a_cell_wraps_inside_the_column(built: Path, suffix: str) -> None:
    """The chart's 78-letter word is broken over lines inside its cell, and the chart is as wide as
    the text column: nothing goes further right than the page number at the column's edge."""
    with pdfplumber.open(built / f"steroids{suffix}") as document:
        page = next(p for p in document.pages if "Keeping a record" in (p.extract_text() or ""))
        lines = (page.extract_text() or "").splitlines()
        pieces = [line for line in lines if line.startswith(LONG_WORD[:8]) or line in LONG_WORD]
        joined = "".join(line.split()[0] for line in lines if line.split() and line.split()[0] in LONG_WORD)
        assert LONG_WORD in joined and len(pieces) >= 2, lines
        words = page.extract_words()
        foot = float(page.height) - 30 * MM
        # The page number ends at the text column's right edge; nothing above it goes further.
        column_right = max(word["x1"] for word in words if word["top"] > foot)
        right = max(word["x1"] for word in words if word["top"] <= foot)
        assert right <= column_right + 1, (right, column_right)
        sunday = next(word for word in words if word["text"] == "Sun")
        assert sunday["x1"] > float(page.width) / 2  # the last column is still there, on the right


@pytest.mark.parametrize("suffix", [".pdf", ".large-print.pdf"])
def test_a_table_reads_row_by_row_in_pdftotext(built: Path, suffix: str) -> None:
    text = subprocess.run(
        ["pdftotext", str(built / f"steroids{suffix}"), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    order = [flat.find(f"{week} ({dose} mg)") for week, dose in [(8, 40), (6, 30), (4, 20), (2, 10), (1, 5)]]
    assert -1 not in order and order == sorted(order), order
    assert flat.find("Trouble sleeping") < flat.find("The same as week 1") < flat.find("Aching joints")


def _page_texts(pdf: Path) -> list[list[str]]:
    with pdfplumber.open(pdf) as document:
        return [
            [line.strip() for line in (p.extract_text() or "").splitlines() if line.strip()] for p in document.pages
        ]


@pytest.mark.parametrize("suffix", [".pdf", ".large-print.pdf"])
def test_a_table_split_by_a_page_break_repeats_its_header_and_keeps_two_rows_each_side(
    built: Path, suffix: str
) -> None:
    header = "Day Before breakfast Before evening meal Notes"
    pages = _page_texts(built / f"steroids{suffix}")
    diary = [number for number, lines in enumerate(pages) if header in lines]
    assert len(diary) >= 2, "the diary does not run over a page break: the test proves nothing"
    for number in diary:
        lines = pages[number]
        rows = [int(line) for line in lines[lines.index(header) + 1 :] if line.isdigit()]
        assert len(rows) >= 2, f"page {number + 1} holds {rows} of the diary"
        if number != diary[0]:
            assert lines.index(header) == 0, "the repeated header row is not at the top of the page"
    every = [int(line) for number in diary for line in pages[number] if line.isdigit()]
    assert every == list(range(1, DIARY_ROWS + 1))  # each row once, none repeated


def test_the_text_formats_give_each_row_on_a_line_with_its_column_names(built: Path) -> None:
    text = (built / "steroids.txt").read_text()
    assert (
        "Week: 1; Tablets each morning: 8 (40 mg); What to watch for: Trouble sleeping, feeling hungry, "
        "a rise in blood sugar if you have diabetes\n" in text
    )
    assert "Week: 6; Tablets each morning: Stop; What to watch for: Nothing new" in text
    assert [line for line in text.splitlines() if line.startswith("Day: ")][-1] == f"Day: {DIARY_ROWS}"
    assert "|" not in text  # no pipe of the Markdown table is left
    braille = (built / "steroids.brf").read_text()
    assert "TABLETS EA* MORN+" in braille.replace("\n", " ")  # the column's name, before each value
    with zipfile.ZipFile(built / "steroids.epub") as book:
        page = book.read("EPUB/leaflet.xhtml").decode()
    assert page.count(":table>") == 3 * 2 and page.count('scope="col"') == 3 + 8 + 4


def test_the_web_page_keeps_the_tables_and_reflows_at_320px(built: Path) -> None:
    from leafpress.checks.html_page import REFLOW_WIDTH, check_html_pages

    page = (built / "steroids.html").read_text()
    assert page.count('<div class="table-scroll" tabindex="0"><table>') == 3
    verdict = check_html_pages([built / "steroids.html"], REPO)[0]
    if not verdict.checked:
        pytest.skip(verdict.problems[0])  # no browser or axe-core here: `make test` installs them
    assert verdict.violations == [], verdict.problems
    assert verdict.width_at_320 is not None and verdict.width_at_320 <= REFLOW_WIDTH, verdict.problems


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("<b>8</b>", "HTML is not allowed in leaflet text: '<b>'"),
        ('<img src="x" onerror="alert(1)">', "HTML is not allowed in leaflet text"),
        ("[open](javascript:alert(1))", "does not go to a web page"),
        ("![a chart](../../secret.png)", "is outside the project folder"),
    ],
)
def test_nothing_in_a_cell_reaches_the_page_as_html(tmp_path: Path, cell: str, message: str) -> None:
    shutil.copytree(LAYOUT / "assets", tmp_path / "assets")
    shutil.copy(LAYOUT / "leafpress.yaml", tmp_path / "leafpress.yaml")
    (tmp_path / "leaflets").mkdir()
    source = (TABLES / "leaflets" / "steroids.yaml").read_text()
    (tmp_path / "leaflets" / "steroids.yaml").write_text(source.replace("| 2 | 6 (30 mg) |", f"| 2 | {cell} |"))
    line = source[: source.index("| 2 | 6 (30 mg) |")].count("\n") + 1
    result = run_cli("build", "leaflets/steroids.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(rf"leaflets/steroids\.yaml:{line}:\d+: .*{re.escape(message)}", result.stderr), result.stderr
    assert not (tmp_path / "output" / "steroids.pdf").exists()


def test_a_cells_angle_brackets_and_ampersands_print_as_text(tmp_path: Path) -> None:
    shutil.copytree(LAYOUT / "assets", tmp_path / "assets")
    shutil.copy(LAYOUT / "leafpress.yaml", tmp_path / "leafpress.yaml")
    (tmp_path / "leaflets").mkdir()
    source = (TABLES / "leaflets" / "steroids.yaml").read_text()
    cell = r"\<5 mmol/L &amp; \<b\> R&D"
    (tmp_path / "leaflets" / "steroids.yaml").write_text(source.replace("| 2 | 6 (30 mg) |", f"| 2 | {cell} |"))
    result = run_cli("build", "leaflets/steroids.yaml", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "steroids.html").read_text()
    assert "<td>&lt;5 mmol/L &amp; &lt;b&gt; R&amp;D</td>" in page.replace(' style="text-align:end"', "")
