"""Imposition: A5 booklet pages two-up, and DL tri-fold panels three-up, on A4 landscape sheets.

Printed duplex (flip on the short edge), folded and stapled, the sheets read as a booklet.
The page count is padded to a multiple of 4 with blank pages put just before the back
matter ("About this information"), so the back cover still holds the contact and review details. pypdf (BSD) does the
imposition; it cannot carry the structure tree across, so the booklet is print-only and the
standard PDF stays the accessible one.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from leafpress.pdf.drawn import info_value

if TYPE_CHECKING:  # pypdf is loaded by the imposing itself: measuring a PDF reads it with PDFium
    from pypdf import PageObject, PdfReader

A4_LANDSCAPE = (841.89, 595.28)
# Recorded in an imposed booklet's document information, so that its layout is measured page by
# page (pdf.layout), not sheet by sheet.
IMPOSITION_KEY = "/LeafpressImposition"
BOOKLET_IMPOSITION = "booklet A5 2-up saddle-stitch"
# The id of the template's "About this information" heading: the back matter starts there.
BACK_MATTER_ANCHOR = "about-heading"


def is_imposed_booklet(pdf: bytes) -> bool:
    """Whether ``pdf`` is a booklet :func:`impose_booklet` made (its document information says so)."""
    return info_value(pdf, IMPOSITION_KEY.lstrip("/")) == BOOKLET_IMPOSITION


def padded_order(page_count: int, back_start: int | None = None) -> list[int | None]:
    """Reading order padded to a multiple of 4 with blank pages (``None``).

    The blanks go just before ``back_start``, the first page of the back matter (default: the
    last page), so the back matter stays together on the last pages and the back cover.
    """
    pages: list[int | None] = list(range(page_count))
    blanks = -page_count % 4
    if page_count <= 1:
        return pages + [None] * blanks
    start = page_count - 1 if back_start is None else min(max(back_start, 1), page_count - 1)
    return pages[:start] + [None] * blanks + pages[start:]


def sheet_sides(pages: list[int | None]) -> list[tuple[int | None, int | None]]:
    """(left, right) pages for each printed side, front then back of each sheet in turn.

    For ``n`` pages the first sheet's front holds the last page and page 1, its back page 2
    and the last but one, and so on inwards to the centre spread.
    """
    n = len(pages)
    sides = []
    for sheet in range(n // 4):
        sides.append((pages[n - 1 - 2 * sheet], pages[2 * sheet]))
        sides.append((pages[2 * sheet + 1], pages[n - 2 - 2 * sheet]))
    return sides


def _place(sheet: PageObject, page: PageObject, left: float, half_width: float, height: float) -> None:
    """Scale ``page`` to fit one half of ``sheet`` and centre it there."""
    width, page_height = float(page.mediabox.width), float(page.mediabox.height)
    scale = min(half_width / width, height / page_height)
    x = left + (half_width - width * scale) / 2 - float(page.mediabox.left) * scale
    y = (height - page_height * scale) / 2 - float(page.mediabox.bottom) * scale
    from pypdf import Transformation

    sheet.merge_transformed_page(page, Transformation().scale(scale).translate(x, y))


def _anchor_page(reader: PdfReader, anchor: str) -> int | None:
    """The page an HTML id (a PDF named destination) is on, if the PDF has it."""
    destination = reader.named_destinations.get(anchor)
    if destination is None:
        return None
    page = reader.get_destination_page_number(destination)
    return page if page is not None and page >= 0 else None


def impose_booklet(pdf: bytes, back_anchor: str = BACK_MATTER_ANCHOR) -> bytes:
    """The A5 ``pdf`` imposed two-up on A4 landscape sheets in saddle-stitch order.

    ``back_anchor`` is the id of the heading that starts the back matter (the template's
    "About this information"); padding goes before its page.
    """
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter()
    sheet_width, sheet_height = A4_LANDSCAPE
    half = sheet_width / 2
    order = padded_order(len(reader.pages), _anchor_page(reader, back_anchor))
    for left, right in sheet_sides(order):
        sheet = writer.add_blank_page(sheet_width, sheet_height)
        for index, offset in ((left, 0.0), (right, half)):
            if index is not None:
                _place(sheet, reader.pages[index], offset, half, sheet_height)
    if reader.metadata:
        writer.add_metadata({key: str(value) for key, value in reader.metadata.items()})
    writer.add_metadata({IMPOSITION_KEY: BOOKLET_IMPOSITION})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


DL_PANELS = 6
# Reading order of a roll-folded DL leaflet: front, inside flap, the three inside panels, back.
# Printed, the outside of the sheet holds (left to right) the inside flap, the back and the
# front; the inside holds the three inside panels.
DL_SHEET_ORDER = ((1, 5, 0), (2, 3, 4))


def impose_dl(pdf: bytes) -> bytes:
    """The six 99 × 210 mm panels of ``pdf`` (in reading order) three a side on A4 landscape."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(BytesIO(pdf))
    if len(reader.pages) != DL_PANELS:
        raise ValueError(f"a DL leaflet has {DL_PANELS} panels, not {len(reader.pages)}")
    writer = PdfWriter()
    sheet_width, sheet_height = A4_LANDSCAPE
    third = sheet_width / 3
    for side in DL_SHEET_ORDER:
        sheet = writer.add_blank_page(sheet_width, sheet_height)
        for position, index in enumerate(side):
            _place(sheet, reader.pages[index], position * third, third, sheet_height)
    if reader.metadata:
        writer.add_metadata({key: str(value) for key, value in reader.metadata.items()})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
