"""What is drawn on each page of a written PDF, read back with PDFium: text, shapes and pictures.

The layout figures (:mod:`leafpress.pdf.layout`) and the smallest-type check
(:func:`leafpress.pdf.inspect.small_text`) need every run of text (with its size) and every
shape and picture of every page, with its box. PDFium reads them from the content streams in
C, tens of milliseconds a leaflet (pdfminer took most of a second), which lets the build measure
each PDF for ``check`` at little cost. Objects inside form XObjects (SVG images, for one) are
placed on the page through each form's matrix; a path's box is taken from its points (PDFium's
own box for a stroked curve can reach far past what is drawn). The PDF judged last is kept, so the second of
the two checks reuses its pages. PDFium is not thread-safe: every call here holds one lock.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Forms inside forms deeper than this are not followed (a hostile file could nest them without end).
MAX_FORM_DEPTH = 15
PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class DrawnPage:
    width: float
    height: float
    # The trimmed page (TrimBox, else the page): left, top, right, bottom, in points from the top left.
    trim: tuple[float, float, float, float]
    # Each thing drawn: {"kind": chars|rects|curves|lines|images, "x0", "x1", "top", "bottom",
    # "text" and "size" (points) for text}, in points from the page's top left corner.
    objects: list[dict[str, Any]]


_last = threading.local()


def drawn_pages(pdf: bytes) -> list[DrawnPage]:
    """What is drawn on each page of ``pdf``; the same list for the same bytes as this thread's last call."""
    kept: tuple[bytes, list[DrawnPage]] | None = getattr(_last, "pages", None)
    if kept is not None and kept[0] == pdf:
        return kept[1]
    with PDFIUM_LOCK:
        pages = _read(pdf)
    _last.pages = (pdf, pages)
    return pages


def info_value(pdf: bytes, key: str) -> str:
    """The value of ``key`` (without its slash) in the document information of ``pdf``; '' when none."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError:  # not a PDF PDFium can read: no information
            return ""
        try:
            return str(document.get_metadata_value(key) or "")
        finally:
            document.close()


def _read(pdf: bytes) -> list[DrawnPage]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                media_top = page.get_mediabox()[3]
                left, bottom, right, top = page.get_trimbox()
                found: list[dict[str, Any]] = []
                _collect(raw, page, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, textpage, _IDENTITY, 0, found)
                for obj in found:  # PDF space (y up) to the page's top-down points
                    obj["top"], obj["bottom"] = media_top - obj.pop("y1"), media_top - obj.pop("y0")
                width, height = page.get_size()
                pages.append(DrawnPage(width, height, (left, media_top - top, right, media_top - bottom), found))
            finally:
                textpage.close()
                page.close()
        return pages
    finally:
        document.close()


def _collect(
    raw: Any, container: Any, count: Any, get: Any, textpage: Any, outer: Matrix, depth: int, found: list
) -> None:
    """Add what ``container`` (a page or a form) draws to ``found``, placed on the page by ``outer``."""
    for index in range(count(container)):
        obj = get(container, index)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            if depth < MAX_FORM_DEPTH:
                inner = _times(_matrix(raw, obj), outer)
                _collect(
                    raw, obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, textpage, inner, depth + 1, found
                )
            continue
        if kind == raw.FPDF_PAGEOBJ_PATH:
            found.extend(_subpaths(raw, obj, outer))
            continue
        points = _bounds(raw, obj, outer)
        if not points:
            continue
        item = _box("images" if kind == raw.FPDF_PAGEOBJ_IMAGE else "rects", points)  # a shading fills a box
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            _place_text(raw, obj, textpage, outer, item)
        found.append(item)


def _box(kind: str, points: list[tuple[float, float]]) -> dict[str, Any]:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return {"kind": kind, "x0": min(xs), "x1": max(xs), "y0": min(ys), "y1": max(ys)}


def _place_text(raw: Any, obj: Any, textpage: Any, outer: Matrix, item: dict[str, Any]) -> None:
    """A run of text: its words, its size, and (for one line) the box of its font, not of its glyphs.

    Glyph boxes differ with the letters ("Page 6" and "Page 1"); the font's box, from the
    baseline's descent to one size above it, is the same for every line set in that font, so a
    running footer is recognised as the same line on every page.
    """
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, size)
    a, b, c, d, e, f = _times(_matrix(raw, obj), outer)
    scale = abs(a * d - b * c) ** 0.5
    item.update(kind="chars", text=_text(raw, obj, textpage), size=size.value * scale)
    descent = ctypes.c_float()
    font = raw.FPDFTextObj_GetFont(obj)
    one_line = item["y1"] - item["y0"] < 2 * item["size"]
    if one_line and b == 0 and c == 0 and font and raw.FPDFFont_GetDescent(font, size.value, descent):
        item["y0"] = f + descent.value * abs(d)
        item["y1"] = item["y0"] + size.value * abs(d)


def _bounds(raw: Any, obj: Any, outer: Matrix) -> list[tuple[float, float]]:
    """The corners of the object's box (in its form's space) placed on the page by ``outer``."""
    box = [ctypes.c_float() for _ in range(4)]
    if not raw.FPDFPageObj_GetBounds(obj, *box):
        return []
    left, bottom, right, top = (value.value for value in box)
    return [_apply(outer, x, y) for x in (left, right) for y in (bottom, top)]


def _subpaths(raw: Any, obj: Any, outer: Matrix) -> list[dict[str, Any]]:
    """Each part of a path (from one move to the next) as a line, a box or a drawing (with a curve).

    The box of each comes from its points (ends and control points), placed through the path's
    own and its forms' matrices: one path often draws several boxes (borders, rules) apart.
    """
    matrix = _times(_matrix(raw, obj), outer)
    parts: list[tuple[list[tuple[float, float]], bool]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        if not raw.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO or not parts:
            parts.append(([], False))
        points, curved = parts[-1]
        points.append(_apply(matrix, x.value, y.value))
        parts[-1] = (points, curved or kind == raw.FPDF_SEGMENT_BEZIERTO)
    return [
        _box("curves" if curved else "lines" if len(points) == 2 else "rects", points)
        for points, curved in parts
        if len(points) > 1
    ]


def _text(raw: Any, obj: Any, textpage: Any) -> str:
    length = raw.FPDFTextObj_GetText(obj, textpage, None, 0)  # in bytes, with the closing NUL
    if length <= 2:
        return ""
    buffer = (ctypes.c_ushort * (length // 2))()
    raw.FPDFTextObj_GetText(obj, textpage, buffer, length)
    return bytes(buffer)[: length - 2].decode("utf-16-le", errors="replace")


def _matrix(raw: Any, obj: Any) -> Matrix:
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, matrix):
        return _IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _times(first: Matrix, then: Matrix) -> Matrix:
    """``first`` followed by ``then`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = then
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f
