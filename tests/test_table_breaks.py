"""A table or box cut by a page break, as the page-break passes see it and as the built PDF shows it.

The hip replacement leaflet's exercise table has four tall rows in the booklet's narrow A5
column: two rows each side of the break left its page 69% filled, and the page-break passes saw
it as 87% (the cut table's box reaches past its last row). Set a little tighter, it stays whole.
The lymphoedema booklet's "Compression garments" box was let split with only its heading left at
a page's foot, and "(continued)" over the rest on the next page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from leafpress.pdf.layout import measure
from tests.conftest import REPO, run_cli

LAYOUT = REPO / "tests" / "data" / "layout"
ROWS = ("Ankle", "Buttock", "Heel slides", "Knee lifts")


@pytest.fixture(scope="module")
def booklet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("table-breaks")
    shutil.copytree(LAYOUT, root, dirs_exist_ok=True)
    result = run_cli(
        "build", "leaflets/hip-replacement.yaml", "leaflets/lymphoedema.yaml", "--format", "booklet", cwd=root
    )
    assert result.returncode == 0, result.stderr
    return root / "output"


def _reading_order(pdf: Path) -> list[str]:
    """The text of each A5 page of the imposed booklet, in reading order."""
    with pdfplumber.open(pdf) as document:
        halves = [
            (
                sheet.crop((0, 0, sheet.width / 2, sheet.height)),
                sheet.crop((sheet.width / 2, 0, sheet.width, sheet.height)),
            )
            for sheet in document.pages
        ]
        count = 2 * len(halves)
        pages = [""] * count
        for index, (left, right) in enumerate(halves):
            low, high = index, count - 1 - index
            first, second = (left, right) if index % 2 == 0 else (right, left)
            pages[high], pages[low] = first.extract_text() or "", second.extract_text() or ""
    return pages


def test_a_table_whose_last_rows_nearly_fit_stays_whole_and_its_page_full(booklet: Path) -> None:
    pdf = booklet / "hip-replacement.booklet.pdf"
    pages = _reading_order(pdf)
    holding = [number for number, text in enumerate(pages) if any(row in text for row in ROWS)]
    assert len(holding) == 1, f"the exercise table is cut over pages {[n + 1 for n in holding]}"
    page = holding[0]
    assert all(row in pages[page] for row in ROWS)
    fill = measure(pdf.read_bytes()).fill
    assert fill[page] >= 0.85, fill


@pytest.mark.parametrize("leaflet", ["lymphoedema", "hip-replacement"])
def test_a_box_never_leaves_only_its_heading_at_a_pages_foot(booklet: Path, leaflet: str) -> None:
    pages = [
        [line.strip() for line in text.splitlines() if line.strip()]
        for text in _reading_order(booklet / f"{leaflet}.booklet.pdf")
    ]
    continued = 0
    for before, after in zip(pages, pages[1:], strict=False):
        if after and after[0].endswith(" (continued)"):
            continued += 1
            heading = after[0].removesuffix(" (continued)")
            body = before[:-1]  # without the running footer
            assert body and body[-1] != heading, f"{heading!r} alone at the foot of a page"
    assert leaflet != "lymphoedema" or continued, "no box runs on in the lymphoedema booklet: the test proves nothing"
