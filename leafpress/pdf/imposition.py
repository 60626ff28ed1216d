"""Imposition: A5 booklet pages two-up, and DL tri-fold panels three-up, on A4 landscape sheets.

Printed duplex (flip on the short edge), folded and stapled, the sheets read as a booklet.
The page count is padded to a multiple of 4 with blank pages put just before the back
matter ("About this information"), so the back cover still holds the contact and review details.
Each page is placed whole as a form XObject (pikepdf), its links moved with it; the structure
tree cannot be carried across, so the booklet is print-only and the standard PDF stays the
accessible one.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from leafpress.pdf.drawn import info_value

if TYPE_CHECKING:  # pikepdf is loaded by the imposing itself: measuring a PDF reads it with PDFium
    from pikepdf import Array, Object, Page, Pdf

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


@dataclass(frozen=True)
class _Placement:
    """Where a page goes on a sheet: scaled by ``scale``, then moved by (``x``, ``y``)."""

    scale: float
    x: float
    y: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale + self.x, y * self.scale + self.y


def _placement(box: list[float], left: float, cell_width: float, height: float) -> _Placement:
    """Scale a page whose media box is ``box`` to fit one cell of a sheet and centre it there."""
    x0, y0, x1, y1 = box
    width, page_height = x1 - x0, y1 - y0
    scale = min(cell_width / width, height / page_height)
    return _Placement(
        scale, left + (cell_width - width * scale) / 2 - x0 * scale, (height - page_height * scale) / 2 - y0 * scale
    )


def _named_destinations(source: Pdf) -> dict[str, Array]:
    """The document's named destinations (HTML ids), name to destination array."""
    from pikepdf import Array, Dictionary, NameTree

    names = source.Root.get("/Names")
    dests = names.get("/Dests") if isinstance(names, Dictionary) else None
    if not isinstance(dests, Dictionary):
        return {}
    found: dict[str, Array] = {}
    for name, value in NameTree(dests).items():
        destination = value.get("/D") if isinstance(value, Dictionary) else value  # {/D [...]} is the older form
        if isinstance(destination, Array) and len(destination) >= 1:
            found[str(name)] = destination
    return found


class _Imposer:
    """Places whole pages of ``source`` on new A4 landscape sheets, links and destinations with them."""

    def __init__(self, source: Pdf) -> None:
        from pikepdf import new

        self.source = source
        self.sheets = new()
        # Each source page's sheet and placement: a destination on it is moved there too.
        self.moved: dict[tuple[int, int], tuple[Object, _Placement, list[float]]] = {}

    def new_sheet(self) -> Page:
        return self.sheets.add_blank_page(page_size=A4_LANDSCAPE)

    def place(self, sheet: Page, index: int, left: float, cell_width: float) -> None:
        """Scale page ``index`` of the source to fit the cell of ``sheet`` at ``left``, centred."""
        from pikepdf import Array, Name

        page = self.source.pages[index]
        box = [float(value) for value in page.mediabox]
        at = _placement(box, left, cell_width, A4_LANDSCAPE[1])
        form = page.as_form_xobject()
        form.BBox = Array(box)  # the whole page, whatever its trim box says
        name = sheet.add_resource(self.sheets.copy_foreign(form), Name.XObject, Name(f"/Page{index + 1}"))
        drawing = f"q {at.scale:.6f} 0 0 {at.scale:.6f} {at.x + 0:.4f} {at.y + 0:.4f} cm {name} Do Q\n"
        sheet.contents_add(drawing.encode("ascii"))
        for annotation in page.obj.get("/Annots", Array()):
            self._move_annotation(sheet, annotation, at)
        self.moved[page.obj.objgen] = (sheet.obj, at, box)

    def _move_annotation(self, sheet: Page, annotation: Object, at: _Placement) -> None:
        from pikepdf import Array, Dictionary, Name

        if not isinstance(annotation, Dictionary) or annotation.get("/Subtype") != Name.Link:
            return  # only links are carried: a print booklet has no forms or notes
        rect = [float(value) for value in annotation.get("/Rect", Array())]
        if len(rect) != 4 or not annotation.is_indirect:
            return
        # The source is thrown away afterwards: its link is changed, then copied without the
        # page and structure entries that would drag the source's page tree along.
        for key in ("/P", "/StructParent"):
            if key in annotation:
                del annotation[key]
        (x0, y0), (x1, y1) = at.point(rect[0], rect[1]), at.point(rect[2], rect[3])
        annotation.Rect = Array([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)])
        moved = self.sheets.copy_foreign(annotation)
        moved.P = sheet.obj
        if "/Annots" not in sheet.obj:
            sheet.obj.Annots = Array()
        sheet.obj.Annots.append(moved)

    def write(self, extra_information: dict[str, str]) -> bytes:
        """The sheets as a PDF, with the source's document information, the moved destinations
        and ``extra_information``."""
        from pikepdf import Array, Dictionary, Name, NameTree, String

        destinations = NameTree.new(self.sheets)
        for name, destination in _named_destinations(self.source).items():
            page_key = _page_key(destination[0])
            target = self.moved.get(page_key) if page_key is not None else None
            if target is None:
                continue
            sheet, at, box = target
            # [page /XYZ left top zoom]; any other kind of view goes to the page's top left corner.
            xyz = len(destination) > 3 and destination[1] == Name.XYZ
            left, top = (_number(destination[2]), _number(destination[3])) if xyz else (None, None)
            x, y = at.point(box[0] if left is None else left, box[3] if top is None else top)
            destinations[name] = Array([sheet, Name.XYZ, x, y, 0])
        if destinations:
            self.sheets.Root.Names = Dictionary(Dests=destinations.obj)
        for key, value in self.source.docinfo.items():
            self.sheets.docinfo[key] = String(str(value))
        for key, text in extra_information.items():
            self.sheets.docinfo[Name(key)] = String(text)
        out = BytesIO()
        self.sheets.save(out)
        return out.getvalue()


def _page_key(page: object) -> tuple[int, int] | None:
    """A destination's page, as the object number and generation of the page dictionary."""
    from pikepdf import Dictionary

    return page.objgen if isinstance(page, Dictionary) and page.is_indirect else None


def _number(value: object) -> float | None:
    """A coordinate of a destination; None when it is null (keep the current one) or not a number."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _back_matter_page(source: Pdf, anchor: str) -> int | None:
    """The page an HTML id (a PDF named destination) is on, if the PDF has it."""
    destination = _named_destinations(source).get(anchor)
    pages = [page.obj.objgen for page in source.pages]
    key = _page_key(destination[0]) if destination is not None else None
    return pages.index(key) if key in pages else None


def impose_booklet(pdf: bytes, back_anchor: str = BACK_MATTER_ANCHOR) -> bytes:
    """The A5 ``pdf`` imposed two-up on A4 landscape sheets in saddle-stitch order.

    ``back_anchor`` is the id of the heading that starts the back matter (the template's
    "About this information"); padding goes before its page.
    """
    from pikepdf import open as open_pdf

    with open_pdf(BytesIO(pdf)) as source:
        imposer = _Imposer(source)
        half = A4_LANDSCAPE[0] / 2
        order = padded_order(len(source.pages), _back_matter_page(source, back_anchor))
        for left, right in sheet_sides(order):
            sheet = imposer.new_sheet()
            for index, offset in ((left, 0.0), (right, half)):
                if index is not None:
                    imposer.place(sheet, index, offset, half)
        return imposer.write({IMPOSITION_KEY: BOOKLET_IMPOSITION})


DL_PANELS = 6
# Reading order of a roll-folded DL leaflet: front, inside flap, the three inside panels, back.
# Printed, the outside of the sheet holds (left to right) the inside flap, the back and the
# front; the inside holds the three inside panels.
DL_SHEET_ORDER = ((1, 5, 0), (2, 3, 4))


def impose_dl(pdf: bytes) -> bytes:
    """The six 99 × 210 mm panels of ``pdf`` (in reading order) three a side on A4 landscape."""
    from pikepdf import open as open_pdf

    with open_pdf(BytesIO(pdf)) as source:
        if len(source.pages) != DL_PANELS:
            raise ValueError(f"a DL leaflet has {DL_PANELS} panels, not {len(source.pages)}")
        imposer = _Imposer(source)
        third = A4_LANDSCAPE[0] / 3
        for side in DL_SHEET_ORDER:
            sheet = imposer.new_sheet()
            for position, index in enumerate(side):
                imposer.place(sheet, index, position * third, third)
        return imposer.write({})
