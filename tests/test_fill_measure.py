"""The fill figure counts what a reader sees: a box that runs on to the next page is drawn down to
the foot of the page, but the page is only as full as what the box holds there.

A real leaflet is built with a box whose table rows are too tall to share a page (rows never
split), so the box runs on over pages whose text ends little more than half-way down. Its text
positions are read back with pdfplumber, apart from leafpress's own reader.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from leafpress.pdf.layout import measure
from tests.conftest import REPO, run_cli

LAYOUT = REPO / "tests" / "data" / "layout"
_ROW_TEXT = " ".join(["Walk a little further each day, rest when you feel tired, and write down how far you went."] * 8)


def _tall_box_leaflet() -> str:
    rows = "\n".join(f"      | Week {week} | {_ROW_TEXT} |" for week in range(1, 4))
    return (
        "title: Getting active again\ncode: TLY-301\nversion: '1.0'\nlanguage: en-GB\n"
        "summary:\n  - Build up slowly.\nsections:\n"
        "  - heading: Before you start\n    body: |\n"
        "      Ask your team which activities are safe for you. Start gently and stop if anything hurts.\n"
        "  - heading: A plan for the first weeks\n    callout: info\n    body: |\n"
        "      Keep to this plan unless your team tells you something different.\n\n"
        "      | When | What to do |\n      | :-- | :-- |\n" + rows + "\n"
        "authors: [Test Team]\napproved_by:\n  name: Dr Priya Nair\n  role: Clinical Lead\n"
        "  date: 2025-04-10\nreview:\n  last_reviewed: 2025-04-01\n"
    )


@pytest.fixture(scope="module")
def tall_box_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tall-box")
    shutil.copytree(LAYOUT, root, dirs_exist_ok=True)
    for other in (root / "leaflets").glob("*.yaml"):
        other.unlink()
    (root / "leaflets" / "active.yaml").write_text(_tall_box_leaflet())
    result = run_cli("--format", "standard", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output" / "active.pdf"


def _text_reach(pdf: Path) -> tuple[list[float], list[float]]:
    """Per page, how far down the text area its last line of text ends, and the lowest bottom of a
    box on it, both as shares of the text area: from the highest thing drawn on any page to the
    lowest (the foot a box that runs on is drawn to), leaving out the running footer."""
    bottoms: list[float] = []
    boxes: list[float] = []
    area_top, area_bottom = float("inf"), 0.0
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = page.extract_words()
            footer_top = max(float(word["top"]) for word in words)
            body = [word for word in words if float(word["top"]) < footer_top - 2]
            drawn = [*page.images, *page.lines, *page.rects]
            shapes = [o for o in drawn if float(o["bottom"]) < footer_top and o["height"] < 0.9 * float(page.height)]
            bottoms.append(max(float(word["bottom"]) for word in body))
            boxes.append(max((float(rect["bottom"]) for rect in page.rects if rect in shapes), default=0.0))
            area_top = min([area_top, *(float(o["top"]) for o in [*body, *shapes])])
            area_bottom = max([area_bottom, bottoms[-1], *(float(o["bottom"]) for o in shapes)])
    height = area_bottom - area_top
    return [(value - area_top) / height for value in bottoms], [(value - area_top) / height for value in boxes]


def test_a_box_that_runs_on_counts_only_as_far_as_the_text_it_holds(tall_box_pdf: Path) -> None:
    layout = measure(tall_box_pdf.read_bytes())
    text, boxes = _text_reach(tall_box_pdf)
    assert layout.pages == len(text)
    # Pages whose text ends barely past half-way while their box is drawn on down to the foot.
    short = [n for n in range(len(text) - 1) if text[n] < 0.7 and boxes[n] > text[n] + 0.25]
    assert short, f"no box ran on past its text: the test proves nothing ({text}, {boxes})"
    for number in short:
        assert abs(layout.fill[number] - text[number]) <= 0.06, (number + 1, layout.fill, text)
    # The other pages are measured as full as they read.
    pairs = zip(layout.fill[:-1], text[:-1], strict=True)
    assert all(abs(fill - reach) <= 0.06 for fill, reach in pairs), (layout.fill, text)


def test_a_notes_area_still_counts_as_filled(tall_box_pdf: Path) -> None:
    """The last page's ruled Notes lines are content a reader uses, though they are not text."""
    layout = measure(tall_box_pdf.read_bytes())
    text, _ = _text_reach(tall_box_pdf)
    with pdfplumber.open(tall_box_pdf) as document:
        assert "Notes" in (document.pages[-1].extract_text() or "")
    assert text[-1] < 0.9 and layout.fill[-1] >= 0.95, (layout.fill, text)


def test_a_box_cut_inside_its_table_repeats_its_heading_once(tall_box_pdf: Path) -> None:
    """The heading goes above the table on the page the table starts; where the table is cut between
    rows it repeats its header row instead (a heading put before the table would land a page back,
    and was added again at every try)."""
    with pdfplumber.open(tall_box_pdf) as document:
        pages = [(page.extract_text() or "").splitlines() for page in document.pages]
    repeated = [[line for line in lines if line == "A plan for the first weeks (continued)"] for lines in pages]
    assert sum(map(len, repeated)) >= 1 and all(len(lines) <= 1 for lines in repeated), repeated
    heading = "A plan for the first weeks (continued)"
    assert all(lines[0] == heading for lines, found in zip(pages, repeated, strict=True) if found)
