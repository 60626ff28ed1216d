"""WeasyPrint's laid-out document: its pages and boxes, extra XMP, and a tree edited for a new layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leafpress.compat.versions import WEASYPRINT_SERIES
from leafpress.compat.versions import require as _require


# WeasyPrint's laid-out boxes ----------------------------------------------------------------
def page_edge_elements(document: Any, page_index: int, last: bool) -> list[tuple[Any, str | None]]:
    """The HTML elements (and tags) on the path from a laid-out page down its last (or first) boxes.

    Reads WeasyPrint's box tree (``Page._page_box``), which has no public API.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    return _edge_path(document.pages[page_index]._page_box, last)[0]


def page_edge_columns(document: Any, page_index: int, last: bool) -> dict[str, list[tuple[Any, str | None]]]:
    """Side by side columns (the cells of a table row, each with a ``lang``) at a page's last (or
    first) edge: for each column's language, the HTML elements (and tags) down its last (or first) boxes.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    row = _edge_path(document.pages[page_index]._page_box, last)[1]
    columns: dict[str, list[tuple[Any, str | None]]] = {}
    for cell in row.children if row is not None else []:
        lang = cell.element.get("lang") if getattr(cell, "element", None) is not None else None
        if lang and lang not in columns:
            columns[lang] = _edge_path(cell, last)[0]
    return columns


def _edge_path(box: Any, last: bool) -> tuple[list[tuple[Any, str | None]], Any]:
    """The elements on the path from ``box`` down its last (or first) boxes, and the first table
    row on it whose cells set a language (side by side columns), if any."""
    from weasyprint.formatting_structure import boxes

    path: list[tuple[Any, str | None]] = []
    row = None
    while isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
        children = [child for child in box.children if not isinstance(child, boxes.MarginBox)]
        if not children:
            break
        if (
            row is None
            and isinstance(box, boxes.TableRowBox)
            and any(getattr(child, "element", None) is not None and child.element.get("lang") for child in children)
        ):
            row = box
        box = children[-1] if last else children[0]
        element = getattr(box, "element", None)
        tag = getattr(box, "element_tag", None)
        if element is not None and tag not in ("html", "body") and (not path or path[-1][0] is not element):
            path.append((element, tag))
    return path, row


def add_rdf_description(metadata: Any, description: bytes) -> None:
    """Make WeasyPrint's ``metadata`` write ``description`` inside its one XMP ``rdf:RDF`` packet.

    WeasyPrint has no hook for extra XMP: its ``generate_rdf_metadata`` is wrapped on this one
    metadata object (not on the class, so nothing else changes).
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    generate = metadata.generate_rdf_metadata

    def generate_with_description(variant: str, version: object, conformance: object) -> bytes:
        rdf: bytes = generate(variant, version, conformance)
        return rdf.replace(b"</rdf:RDF>", description + b"</rdf:RDF>", 1)

    metadata.generate_rdf_metadata = generate_with_description


# CSS pixels per millimetre: the unit of WeasyPrint's box positions and sizes.
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class LastPage:
    """What the last laid-out page holds, seen from one block on it (found by its class)."""

    # The block is on the page, and so is other content (text or a picture) outside it.
    holds_block: bool
    holds_other: bool
    # The page's content area left below everything on it, in millimetres; negative when something
    # reaches below it (WeasyPrint lets a block that should move to the next page overflow a little).
    room_below_mm: float


def last_page(document: Any, css_class: str) -> LastPage:
    """Measure the last page of a laid-out ``document`` from WeasyPrint's box tree (``Page._page_box``).

    Every box's place and size are known once laid out, so nothing needs writing or reading back.
    Running headers and footers (margin boxes) sit outside the content area and do not count;
    footnotes take their room from its bottom.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes

    page = document.pages[-1]._page_box
    top = page.content_box_y()
    bottom, lowest = top + page.height, top
    holds_block = holds_other = False
    stack: list[tuple[Any, bool]] = [(child, False) for child in page.children]
    while stack:
        box, inside = stack.pop()
        if isinstance(box, boxes.MarginBox):
            continue
        if isinstance(box, boxes.FootnoteAreaBox):
            if box.children:
                bottom = min(bottom, box.position_y)
            continue
        inside = inside or _has_class(box, css_class)
        holds_block = holds_block or inside
        if not inside and isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
            holds_other = True
        lowest = max(lowest, box.position_y + box.margin_height())
        stack.extend((child, inside) for child in getattr(box, "children", ()))
    return LastPage(holds_block, holds_other, (bottom - lowest) / PX_PER_MM)


def _has_class(box: Any, css_class: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and css_class in (element.get("class") or "").split()


def page_texts(document: Any) -> list[str]:
    """The text of each laid-out page, its words in layout order (running heads and feet left out)."""
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes

    texts = []
    for laid_out in document.pages:
        words: list[str] = []
        stack = [laid_out._page_box]
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.MarginBox):
                continue
            if isinstance(box, boxes.TextBox):
                words.append(box.text)
            stack.extend(reversed(getattr(box, "children", ())))
        texts.append(" ".join(words))
    return texts


def grow_last_block(document: Any, css_class: str, by_mm: float) -> bool:
    """Make the block with ``css_class`` on the last laid-out page ``by_mm`` taller, in place.

    Laying the whole leaflet out again costs as much as the first layout; when the block ends the
    page's content, growing it moves nothing else. Done only where the result is the one a new
    layout would give: a plain block (its children stay), or a flex column whose one growing
    child is its last; no picture in the backgrounds redrawn, and no ancestor painting its
    bottom. False (nothing changed) otherwise: the caller lays the page out again.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.background import layout_box_backgrounds

    page = document.pages[-1]._page_box
    path = _path_to_class(page, css_class)
    if not path:
        return False
    *ancestors, block = path
    grown = [block]
    if isinstance(block, boxes.FlexBox):
        children = [child for child in block.children if child.is_in_normal_flow()]
        growing = [child for child in children if child.style["flex_grow"] > 0]
        if block.style["flex_direction"] != "column" or growing != children[-1:]:
            return False
        grown += growing
    elif not isinstance(block, boxes.BlockBox):
        return False
    if any(_paints(box) for box in grown) or any(_paints_bottom(box) for box in ancestors[2:]):
        return False
    by = by_mm * PX_PER_MM
    for box in [*ancestors[1:], *grown]:  # the page box keeps its size
        box.height += by
    for box in grown:
        layout_box_backgrounds(page, box, _no_images, layout_children=False)
    return True


def _path_to_class(page: Any, css_class: str) -> list[Any]:
    """The boxes from ``page`` down to the box with ``css_class`` that ends its content (following
    the last child at each step from the root element's box, the page's first child)."""
    box = page.children[0]
    path = [page, box]
    while not _has_class(box, css_class):
        children = [child for child in getattr(box, "children", ()) if child.is_in_normal_flow()]
        if not children:
            return []
        box = children[-1]
        path.append(box)
    return path


def _paints(box: Any) -> bool:
    """The box's background or border needs an image fetched (only the layout could fetch it)."""
    return any(kind == "url" for kind, _ in box.style["background_image"]) or any(
        box.style[name][0] == "url" for name in ("border_image_source", "mask_border_source")
    )


def _paints_bottom(box: Any) -> bool:
    return box.background is not None or box.border_bottom_width > 0


def _no_images(**_: Any) -> None:
    raise AssertionError("no picture is fetched when a block grows")  # _paints checked before


_FORCED_BREAKS = {"page", "left", "right", "recto", "verso"}


@dataclass
class LaidBlock:
    """A block box of a laid-out page: its element, border-box top and bottom (CSS px), whether
    its style asks it to stay whole (``break-inside: avoid``) and to start a page (``break-before: page``)."""

    element: Any
    top: float
    bottom: float
    keep_whole: bool
    starts_page: bool = False
    children: list[LaidBlock] = field(default_factory=list)


def laid_out_page(document: Any, page_index: int) -> tuple[LaidBlock, float, float]:
    """The block boxes of a laid-out page as a tree, with the top and bottom of its content area."""
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes

    def block(box: Any) -> LaidBlock:
        children = [
            block(child)
            for child in getattr(box, "children", ())
            if isinstance(child, boxes.Box)
            and not isinstance(child, (boxes.LineBox, boxes.InlineLevelBox, boxes.MarginBox))
            and getattr(child, "element", None) is not None
        ]
        top = box.border_box_y()
        inside = box.style["break_inside"] in ("avoid", "avoid-page")
        forced = box.style["break_before"] in _FORCED_BREAKS
        return LaidBlock(box.element, top, top + box.border_height(), inside, forced, children)

    page = document.pages[page_index]._page_box
    root = next(child for child in page.children if not isinstance(child, boxes.MarginBox))
    area_top = page.content_box_y()
    return block(root), area_top, area_top + page.height


def first_page_holding(document: Any, element: Any) -> int | None:
    """The index of the first laid-out page with a box of ``element``, or None."""
    _require("weasyprint", WEASYPRINT_SERIES)
    for index, page in enumerate(document.pages):
        if any(getattr(box, "element", None) is element for box in page._page_box.descendants()):
            return index
    return None


def tree_edited(html: Any) -> None:
    """Tell WeasyPrint's ``HTML`` its element tree was changed in place, before laying it out again
    (its selector wrapper caches the tree it was built from)."""
    _require("weasyprint", WEASYPRINT_SERIES)
    import cssselect2

    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element, content_language=None)


def parse_fragment(fragment: str) -> list[Any]:
    """The elements of the HTML ``fragment``, parsed as WeasyPrint parses a page (to edit a laid-out tree)."""
    _require("weasyprint", WEASYPRINT_SERIES)
    import tinyhtml5

    body = tinyhtml5.parse(f"<body>{fragment}</body>", namespace_html_elements=False).find("body")
    return list(body) if body is not None else []
