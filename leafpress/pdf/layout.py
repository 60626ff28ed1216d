"""The layout of a built PDF, measured: how full each page is, and what comes near the paper's edge.

Office printers clip the outer 4–5 mm of the paper, and a page that jumps to the next leaves a
half-empty one behind. Both are measured from what is drawn on each page (text, lines, boxes,
pictures), read back with PDFium (:mod:`leafpress.pdf.drawn`):

- **fill**: how far down the text area the content reaches, as a share of the text area (the
  running header and footer, repeated on every page, do not count; a box counts only as far as
  what it holds, see :func:`_seen_bottom`);
- **nearest approach to the edge** of the (trimmed) page, in millimetres;
- **problems**: anything drawn off the page or nearer its edge than the format allows, blank
  pages, and pages other than the last that are nearly empty.

An imposed booklet (marked so by :func:`leafpress.pdf.imposition.impose_booklet`) is measured as
its A5 pages in reading order, each against its own half of the sheet (8 mm from the edge), not
as A4 sheets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from leafpress.pdf.drawn import DrawnPage, drawn_pages
from leafpress.pdf.imposition import is_imposed_booklet, sheet_sides

MM = 72 / 25.4
# Nearer than this to the edge of an A4 page, an office printer may clip it (smaller paper: 8 mm).
A4_EDGE_MM = 10.0
SMALL_PAGE_EDGE_MM = 8.0
# A page (other than the last) whose content reaches less than this far down is nearly empty.
NEARLY_EMPTY = 0.35
# Running headers and footers sit in these bands and recur on most pages.
MARGIN_BAND = 0.16
RECURRING_SHARE = 0.6
# A box is measured by what it holds (text, pictures, drawings) when it is at least this tall (a
# thinner one is a rule), with at least this much padding allowed below what it holds.
MIN_BOX_PT = 12.0
MIN_PADDING_MM = 4.0
HELD_KINDS = frozenset({"chars", "images", "curves"})


@dataclass(frozen=True)
class LayoutProblem:
    page: int
    rule: str
    message: str


@dataclass
class Layout:
    pages: int
    fill: list[float]
    nearest_edge_mm: float | None
    problems: list[LayoutProblem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "fill": [round(value, 2) for value in self.fill],
            "nearest_edge_mm": None if self.nearest_edge_mm is None else round(self.nearest_edge_mm, 1),
            "problems": [asdict(problem) for problem in self.problems],
        }


def edge_limit_mm(width_pt: float, height_pt: float) -> float:
    """How near the edge anything may be drawn on a page of this size."""
    return A4_EDGE_MM if max(width_pt, height_pt) >= 290 * MM else SMALL_PAGE_EDGE_MM


def _objects(page: DrawnPage) -> list[dict[str, Any]]:
    """What is drawn on the page, without blank text and backgrounds that cover it whole."""
    area = page.width * page.height
    return [
        obj
        for obj in page.objects
        if not (obj["kind"] == "chars" and not obj["text"].strip())
        and not (obj["kind"] == "rects" and (obj["x1"] - obj["x0"]) * (obj["bottom"] - obj["top"]) > 0.9 * area)
    ]


# A page as measured: its sheet in the PDF, its trimmed paper (left, top, right, bottom, in
# top-down points) and what is drawn on it.
Page = tuple[int, tuple[float, float, float, float], list[dict[str, Any]]]


def _pages(pdf: bytes) -> list[Page]:
    """The pages of ``pdf`` in reading order: an imposed booklet's A5 pages, not its A4 sheets."""
    sheets = drawn_pages(pdf)  # shared with the smallest-type check
    pages = [(number, page.trim, _objects(page)) for number, page in enumerate(sheets, start=1)]
    if not is_imposed_booklet(pdf):
        return pages
    halves: list[Page | None] = [None] * (2 * len(pages))
    order: list[int | None] = list(range(len(halves)))
    for sides, (number, (left, top, right, bottom), drawn) in zip(sheet_sides(order), pages, strict=False):
        middle = (left + right) / 2
        left_page, right_page = (index or 0 for index in sides)  # never None: no blanks in this order
        left_half = [obj for obj in drawn if obj["x0"] + obj["x1"] < 2 * middle]
        right_half = [obj for obj in drawn if obj["x0"] + obj["x1"] >= 2 * middle]
        halves[left_page] = (number, (left, top, middle, bottom), left_half)
        halves[right_page] = (number, (middle, top, right, bottom), right_half)
    return [half for half in halves if half is not None]


def _outside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """True for a drawing wholly beyond the trimmed page ``box`` (left, top, right, bottom)."""
    left, top, right, bottom = box
    return obj["x1"] <= left or obj["x0"] >= right or obj["bottom"] <= top or obj["top"] >= bottom


def _describe(obj: dict[str, Any]) -> str:
    if obj["kind"] == "chars":
        text = " ".join(obj["text"].split())
        return f"text '{text if len(text) <= 40 else text[:39] + '…'}'"
    return {"images": "a picture", "rects": "a box", "curves": "a drawing", "lines": "a line"}[obj["kind"]]


def measure(pdf: bytes) -> Layout:
    """Fill per page, nearest approach to the trimmed edge, and layout problems of ``pdf``."""
    pages = _pages(pdf)
    recurring = _recurring_lines(pages)
    problems: list[LayoutProblem] = []
    nearest: float | None = None
    extents: list[tuple[float, float] | None] = []
    for number, (_, (left, top, right, bottom), drawn) in enumerate(pages, start=1):
        limit = edge_limit_mm(right - left, bottom - top)
        worst: tuple[float, dict[str, Any]] | None = None
        for obj in drawn:
            if obj["kind"] != "chars" and _outside(obj, (left, top, right, bottom)):
                continue  # a printer's mark (crop marks sit beyond the trimmed edge, by design)
            gap = min(obj["x0"] - left, obj["top"] - top, right - obj["x1"], bottom - obj["bottom"]) / MM
            if worst is None or gap < worst[0]:
                worst = (gap, obj)
        if worst is not None:
            nearest = worst[0] if nearest is None else min(nearest, worst[0])
            if worst[0] < 0:
                problems.append(LayoutProblem(number, "off-page", f"{_describe(worst[1])} is drawn off the page"))
            elif worst[0] < limit:
                problems.append(
                    LayoutProblem(
                        number,
                        "edge",
                        f"{_describe(worst[1])} is {worst[0]:.1f} mm from the edge of the paper "
                        f"(at least {limit:g} mm: printers clip the edge)",
                    )
                )
        extents.append(_body_extent(drawn, recurring))
    fill = _fill(extents)
    for number, share in enumerate(fill, start=1):
        if extents[number - 1] is None:
            problems.append(LayoutProblem(number, "blank", "the page is blank"))
        elif number < len(fill) and share < NEARLY_EMPTY:
            problems.append(
                LayoutProblem(number, "nearly-empty", f"the page is only {share:.0%} filled: its content moved on")
            )
    return Layout(len(pages), fill, nearest, problems)


def _body_extent(drawn: list[dict[str, Any]], recurring: set) -> tuple[float, float] | None:
    """The top and bottom of what a page holds, leaving out its running header and footer."""
    body = [obj for obj in drawn if (round(obj["top"]), obj["kind"]) not in recurring]
    if not body:
        return None
    # What a box can hold, by the height of its middle (a page may draw thousands of cells and words).
    held = sorted(
        ((obj["top"] + obj["bottom"]) / 2, (obj["x0"] + obj["x1"]) / 2, obj["top"], obj["bottom"])
        for obj in body
        if obj["kind"] in HELD_KINDS
    )
    middles = [entry[0] for entry in held]
    return min(o["top"] for o in body), max(_seen_bottom(obj, held, middles) for obj in body)


def _seen_bottom(obj: dict[str, Any], held: list[tuple[float, float, float, float]], middles: list[float]) -> float:
    """How far down the page ``obj`` shows content: a box (a border, a background, a rule down its
    side) only as far as it holds some.

    A box that runs on to the next page is drawn down to the foot of the page's text area, however
    little of it is on the page: it counts to the last thing inside it, plus as much space below
    that as it has above its first (its padding). A box that ends on the page keeps about that
    much below what it holds, so it still counts to its bottom edge; a box holding nothing drawn
    (a Notes area's ruled lines, a tint) counts whole. ``held`` is what the page draws that a box
    can hold (middle height, middle across, top, bottom), sorted; ``middles`` its middle heights.
    """
    if obj["kind"] not in ("rects", "lines") or obj["bottom"] - obj["top"] < MIN_BOX_PT:
        return float(obj["bottom"])
    # A rule down the side of a box or between columns frames what is beside it.
    beside = obj["x1"] - obj["x0"] < MIN_BOX_PT
    inside = [
        (top, bottom)
        for _, across, top, bottom in held[bisect_left(middles, obj["top"]) : bisect_right(middles, obj["bottom"])]
        if beside or obj["x0"] <= across <= obj["x1"]
    ]
    if not inside:
        return float(obj["bottom"])
    padding = max(min(top for top, _ in inside) - obj["top"], MIN_PADDING_MM * MM)
    return float(min(obj["bottom"], max(bottom for _, bottom in inside) + padding))


def _recurring_lines(pages: list[Page]) -> set:
    """(top, kind) of what recurs in the header and footer bands of most pages: running heads and feet."""
    if len(pages) < 2:
        return set()
    counts: Counter[tuple[int, str]] = Counter()
    for _, (_, top, _, bottom), drawn in pages:
        band = (bottom - top) * MARGIN_BAND
        keys = {
            (round(obj["top"]), obj["kind"])
            for obj in drawn
            if obj["top"] < top + band or obj["bottom"] > bottom - band
        }
        counts.update(keys)
    return {key for key, count in counts.items() if count >= max(2, RECURRING_SHARE * len(pages))}


def _fill(extents: list[tuple[float, float] | None]) -> list[float]:
    """How far down the text area (the highest top to the lowest bottom on any page) each page reaches."""
    known = [extent for extent in extents if extent is not None]
    if not known:
        return [0.0 for _ in extents]
    area_top = min(top for top, _ in known)
    area_bottom = max(bottom for _, bottom in known)
    height = max(area_bottom - area_top, 1.0)
    return [0.0 if extent is None else max(0.0, min(1.0, (extent[1] - area_top) / height)) for extent in extents]
