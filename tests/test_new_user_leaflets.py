"""Two leaflets written as a new user would, after the layout leaflets were tuned: living with a stoma
in English and in Arabic (a long box, lists, a table, references), in every print format.

They found an Arabic contact's email address printed back to front, a box leaving only its heading
at a page's foot, and a citation starting a line alone; here they are measured against the layout
targets, and the side-by-side pair is read back column by column.
"""

from __future__ import annotations

import re
import shutil
import statistics
from pathlib import Path

import pdfplumber
import pytest

from leafpress.pdf.layout import measure
from tests.conftest import REPO, made_once, run_cli

LAYOUT = REPO / "tests" / "data" / "layout"
STOMA = REPO / "tests" / "data" / "stoma"
PDFS = [
    f"{name}{suffix}"
    for name in ("stoma", "stoma.ar")
    for suffix in (".pdf", ".large-print.pdf", ".booklet.pdf", ".bilingual.pdf")
]
# How the boxes start: the label of the urgent one, and their headings (as words).
BOX_STARTS = ("Get help now", "Changing your bag step by step", "When to get help")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(root: Path) -> None:
        shutil.copytree(LAYOUT / "assets", root / "assets")
        shutil.copy(LAYOUT / "leafpress.yaml", root / "leafpress.yaml")
        shutil.copytree(STOMA / "leaflets", root / "leaflets")
        formats = ("standard", "large-print", "booklet", "bilingual")
        result = run_cli(*(arg for name in formats for arg in ("--format", name)), cwd=root)
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "new-user-leaflets", make, parallel=True) / "output"


@pytest.mark.parametrize("name", PDFS)
def test_every_page_meets_the_layout_targets(built: Path, name: str) -> None:
    layout = measure((built / name).read_bytes())
    least = 8 if name.endswith(".booklet.pdf") else 10
    assert layout.nearest_edge_mm is not None and layout.nearest_edge_mm >= least, layout.to_json()
    assert not [p for p in layout.problems if p.rule in ("off-page", "edge", "blank")], layout.to_json()
    assert all(share >= 0.65 for share in layout.fill[:-1]), layout.fill
    assert statistics.median(layout.fill) >= 0.85 and layout.fill[-1] >= 0.40, layout.fill


def test_side_by_side_no_box_leaves_its_heading_alone_at_a_pages_foot(built: Path) -> None:
    """The English column beside the Arabic: its box headings always have text under them."""
    with pdfplumber.open(built / "stoma.ar.bilingual.pdf") as document:
        for number, page in enumerate(document.pages, start=1):
            column = page.crop((0, 0, float(page.width) / 2, float(page.height) * 0.9))
            # Read from a right-to-left page, punctuation may come apart from its words: words only.
            lines = [" ".join(re.findall(r"\w+", line)) for line in (column.extract_text() or "").splitlines()]
            words = [line for line in lines if re.search(r"[A-Za-z]", line)]
            assert not words or words[-1] not in BOX_STARTS, f"page {number} ends with {words[-1:]}"
