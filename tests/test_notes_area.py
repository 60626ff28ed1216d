"""The Notes area and a booklet's Notes pages, sized on WeasyPrint's own layout.

Real leaflets (tests/data/layout) are built in this process and read back: the area reaches
down to the bottom of the text area, and each leaflet is laid out at most twice (once when the
area fits) and written as a PDF once, whatever the format adds.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from weasyprint import HTML
from weasyprint.document import Document as LaidOut

from leafpress.build.pipeline import build_leaflet
from leafpress.render import breaks
from leafpress.source.project import open_project
from tests.conftest import REPO

LAYOUT = REPO / "tests" / "data" / "layout"
MM = 72 / 25.4
# The ruled lines repeat every 9.3 mm and the area stops 5 mm above the text area's bottom.
RULE_PITCH_MM = 9.3
SAFETY_MM = 5.0


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(LAYOUT, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many times WeasyPrint lays out a document and writes a PDF (the real calls, counted)."""
    calls: Counter[str] = Counter()
    render, write_pdf, refine = HTML.render, LaidOut.write_pdf, breaks.refine

    def counted_render(self: HTML, *args: object, **kwargs: object) -> LaidOut:
        calls["layout"] += 1
        return render(self, *args, **kwargs)  # type: ignore[arg-type]

    def counted_write(self: LaidOut, *args: object, **kwargs: object) -> bytes | None:
        calls["write"] += 1
        return write_pdf(self, *args, **kwargs)  # type: ignore[arg-type]

    def counted_refine(document: LaidOut) -> range | None:
        changed = refine(document)
        calls["page-break pass"] += changed is not None  # each change is laid out again (render.breaks)
        return changed

    monkeypatch.setattr(HTML, "render", counted_render)
    monkeypatch.setattr(LaidOut, "write_pdf", counted_write)
    monkeypatch.setattr(breaks, "refine", counted_refine)
    yield calls


def _layouts(counted: Counter[str]) -> int:
    """The layouts a build made, leaving out those the page-break passes asked for."""
    return counted["layout"] - counted["page-break pass"]


def _build(project: Path, leaflet: str, fmt: str) -> Path:
    result = build_leaflet(project / "leaflets" / f"{leaflet}.yaml", open_project(project), project / "output", fmt)
    assert result.ok, [error.render() for error in result.errors]
    assert result.output is not None
    return result.output


def _lowest_rule_and_text_bottom(pdf: Path) -> tuple[float, float, float]:
    """In points from the top: the lowest thing drawn above the last page's footer, the lowest
    body text on any other page (how far down the text area reaches), and the footer's top."""
    with pdfplumber.open(pdf) as document:
        pages = document.pages
        footer_top = min(w["top"] for w in pages[-1].extract_words() if w["top"] > pages[-1].height * 0.9)
        text_bottom = max(
            w["bottom"] for page in pages[:-1] for w in page.extract_words() if w["bottom"] < footer_top - 2
        )
        last, height = len(pages), float(pages[-1].height)
    picture = subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-f", str(last), "-l", str(last), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(picture)).convert("L")
    scale = image.height / height
    rows = [
        row / scale
        for row in range(int((footer_top - 2) * scale))
        if min(image.getpixel((x, row)) for x in range(image.width // 10, image.width // 2)) < 235  # type: ignore[operator]
    ]
    return max(rows), text_bottom, footer_top


@pytest.mark.parametrize(("leaflet", "fmt"), [("lymphoedema", "standard"), ("chemotherapy-fatigue", "standard")])
def test_the_notes_area_reaches_down_to_the_bottom_of_the_text_area(
    project: Path, counted: Counter[str], leaflet: str, fmt: str
) -> None:
    pdf = _build(project, leaflet, fmt)
    with pdfplumber.open(pdf) as document:
        assert "Notes" in (document.pages[-1].extract_text() or "")
    lowest, text_bottom, footer_top = _lowest_rule_and_text_bottom(pdf)
    # Its last ruled line is within one line's pitch (and the room kept clear) of the text area's
    # bottom, and never below the text area, where the running footer is.
    assert lowest >= text_bottom - (RULE_PITCH_MM + SAFETY_MM + 1) * MM, (lowest, text_bottom)
    assert lowest < footer_top
    # Laid out once with the area at its smallest, which then grows in place; written once.
    assert _layouts(counted) == 1 and counted["write"] == 1, counted


def test_a_leaflet_without_room_for_notes_is_laid_out_twice_and_written_once(
    project: Path, counted: Counter[str]
) -> None:
    pdf = _build(project, "colonoscopy", "standard")
    with pdfplumber.open(pdf) as document:
        assert all("Notes" not in (page.extract_text() or "") for page in document.pages)
        assert len(document.pages) == 9
    assert _layouts(counted) == 2 and counted["write"] == 1, counted


def test_with_notes_switched_off_a_leaflet_is_laid_out_and_written_once(project: Path, counted: Counter[str]) -> None:
    config = project / "leafpress.yaml"
    config.write_text(config.read_text() + "layout:\n  notes: false\n")
    pdf = _build(project, "lymphoedema", "standard")
    with pdfplumber.open(pdf) as document:
        assert all("Notes" not in (page.extract_text() or "") for page in document.pages)
    assert _layouts(counted) == 1 and counted["write"] == 1, counted


def test_a_booklet_is_counted_from_its_layout_and_written_once(project: Path, counted: Counter[str]) -> None:
    pdf = _build(project, "lymphoedema", "booklet")
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) % 2 == 0  # A4 sheets, each side two A5 pages: a multiple of four
        assert any("Notes" in (page.extract_text() or "") for page in document.pages)
    assert _layouts(counted) == 2 and counted["write"] == 1, counted


_PAGE = """<html><head><title>t</title><style>
@page {{ size: A5; margin: 15mm }}
.area {{ display: flex; flex-direction: column; box-sizing: border-box; height: {height}mm;
  margin-top: 8mm; padding-bottom: 2mm; border-top: 1pt solid #999; }}
.area .lines {{ flex: 1 1 auto;
  background: repeating-linear-gradient(to bottom, transparent 0, transparent 9mm, #999 9mm, #999 9.3mm); }}
{extra}
</style></head><body><main>{paragraphs}
<section class="area"><h2>Notes</h2><p>Questions:</p><div class="lines"></div></section></main></body></html>"""


def _laid_out(height_mm: float, extra: str = "") -> LaidOut:
    paragraphs = "".join(f"<p>Paragraph {n} of a leaflet long enough for two pages.</p>" for n in range(40))
    return HTML(string=_PAGE.format(height=height_mm, extra=extra, paragraphs=paragraphs)).render()


def _geometry(document: LaidOut) -> list[tuple[str, float, float]]:
    """(tag, top, height) of the last page's area and its children."""
    from weasyprint.formatting_structure import boxes

    stack, found = [document.pages[-1]._page_box], []
    while stack:
        box = stack.pop()
        if getattr(box, "element", None) is not None and box.element.get("class") == "area":
            found = [(box.element_tag, box.position_y, box.height)]
            found += [(child.element_tag, child.position_y, child.height) for child in box.children]
            break
        stack.extend(getattr(box, "children", ()) if not isinstance(box, boxes.MarginBox) else ())
    return found


def test_a_block_grown_in_place_is_laid_out_as_a_new_layout_would() -> None:
    from leafpress.compat import grow_last_block, last_page

    grown = _laid_out(55)
    room = last_page(grown, "area").room_below_mm
    assert room > 20, room  # the test page leaves room to grow into
    assert grow_last_block(grown, "area", room - 5)
    fresh = _laid_out(55 + room - 5)
    assert len(grown.pages) == len(fresh.pages)
    assert [tag for tag, *_ in _geometry(grown)] == ["section", "h2", "p", "div"]
    for (tag, top, height), (fresh_tag, fresh_top, fresh_height) in zip(
        _geometry(grown), _geometry(fresh), strict=True
    ):
        assert (tag, top, height) == (
            fresh_tag,
            pytest.approx(fresh_top, abs=0.01),
            pytest.approx(fresh_height, abs=0.01),
        )
    assert last_page(grown, "area").room_below_mm == pytest.approx(5, abs=0.01)
    # Written, the grown page draws its ruled lines where the fresh layout draws them.
    rules = _rules(fresh)
    assert len(rules) >= 5, rules  # the top border and several ruled lines
    assert _rules(grown) == rules


def _rules(document: LaidOut) -> list[int]:
    """The pixel rows of the last page where a ruled line is drawn, at 100 dpi."""
    last = str(len(document.pages))
    picture = subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-f", last, "-l", last, "-"],
        input=document.write_pdf(),
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(picture)).convert("L")
    middle = image.width // 2
    return [row for row in range(image.height) if image.getpixel((middle, row)) < 200]  # type: ignore[operator]


def test_a_block_whose_growing_child_is_not_last_is_left_for_a_new_layout() -> None:
    from leafpress.compat import grow_last_block

    document = _laid_out(55, extra=".area .lines { flex: none; height: 10mm } .area p { flex: 1 1 auto; }")
    before = _geometry(document)
    assert not grow_last_block(document, "area", 10)
    assert _geometry(document) == before


def test_a_side_by_side_leaflet_gets_a_notes_area_and_keeps_each_label_with_its_value(tmp_path: Path) -> None:
    """The bilingual format composes its end as the others do: the room left on its last page is a
    Notes area (its last page was a stub: an 'Approved on' date and the organisation's name), and a
    details label never ends a page without its value ('Approved by' was left at a page's foot)."""
    from leafpress.pdf.layout import measure

    shutil.copytree(REPO / "tests" / "data" / "stoma" / "leaflets", tmp_path / "leaflets")
    result = build_leaflet(tmp_path / "leaflets" / "stoma.yaml", open_project(tmp_path), tmp_path / "out", "bilingual")
    assert result.ok and result.output, [error.render() for error in result.errors]
    layout = measure(result.output.read_bytes())
    assert layout.fill[-1] >= 0.40 and not layout.problems, layout.to_json()
    with pdfplumber.open(result.output) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    assert "Notes" in pages[-1] and "Questions to ask your team" in pages[-1]
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # The footer is the last line: the line above it must not be a label whose value went on.
        assert not lines[-2].startswith(("Approved by", "Approved on", "Reviewed by", "Written by")), lines[-3:]
