"""Post-processing of the written PDF with pikepdf, past WeasyPrint 70's tagging gaps.

Each fix works on the structure tree and the page content it points at:

- running headers and footers (page margin boxes) are marked as pagination artifacts
  (WeasyPrint gives them marked content whose structure elements are left out of the tree);
- ``<figure>`` (NonStruct) becomes the Figure, holding the image and its Caption;
- an image with ``alt=""`` is decorative: its content becomes an Artifact, out of the tree;
- a list or table split by a page break becomes one structure element again;
- side-by-side languages split by a page break are read one language, then the other
  (:mod:`leafpress.pdf.reading_order`).

The structure-tree walking and editing they share is in :mod:`leafpress.pdf.structure`.

Print-shop boxes are set here too, as they are also a change to the written file.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pikepdf

from leafpress.compat import page_edge_columns, page_edge_elements
from leafpress.pdf.reading_order import columns_in_reading_order
from leafpress.pdf.structure import Tagged, elements, is_element, kids, mcids, set_kids

MM = 72 / 25.4
PRINT_BLEED_MM = 3.0


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def set_print_boxes(data: bytes, bleed_mm: float = PRINT_BLEED_MM) -> bytes:
    """Set each page's BleedBox ``bleed_mm`` outside its TrimBox (the MediaBox keeps the crop marks)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
            media = [float(v) for v in page.mediabox]
            bleed = bleed_mm * MM
            box = [
                max(media[0], trim[0] - bleed),
                max(media[1], trim[1] - bleed),
                min(media[2], trim[2] + bleed),
                min(media[3], trim[3] + bleed),
            ]
            page.obj.TrimBox = pikepdf.Array(trim)
            page.obj.BleedBox = pikepdf.Array(box)
        return _save(pdf)


# The fixes ----------------------------------------------------------------------------------
def mark_pagination_artifacts(tagged: Tagged) -> int:
    """Running headers and footers: marked content whose elements are not in the tree (#1836)."""
    reachable = {element.objgen for element in elements(tagged.root)}
    pagination = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    count = 0
    for page_index in range(len(tagged.pdf.pages)):
        parents = tagged.page_parents(page_index)
        if parents is None:
            continue
        for mcid, element in enumerate(parents):
            if is_element(element) and element.objgen not in reachable:
                tagged.artifacts.setdefault(page_index, {})[mcid] = pagination
                parents[mcid] = None
                count += 1
    return count


def figures_from_wrappers(tagged: Tagged) -> int:
    """A NonStruct holding only one Figure (and its Caption) becomes that Figure.

    WeasyPrint tags ``<figure>`` as NonStruct with the ``<img>`` Figure inside; the image's
    content, alternate text and bounding box move up so the Figure holds its Caption.
    """
    count = 0
    for wrapper in elements(tagged.root):
        if wrapper.S != "/NonStruct":
            continue
        children = [kid for kid in kids(wrapper) if is_element(kid)]
        figures = [kid for kid in children if kid.S == "/Figure"]
        others = [kid for kid in children if kid.S not in ("/Figure", "/Caption")]
        if len(figures) != 1 or others or len(children) > 2 or mcids(wrapper):
            continue
        image = figures[0]
        wrapper.S = pikepdf.Name.Figure
        for key in ("/Alt", "/A", "/ActualText"):
            if key in image:
                wrapper[key] = image[key]
        if "/Pg" in image:
            wrapper.Pg = image.Pg
        tagged.repoint(image, wrapper)
        merged: list[pikepdf.Object] = []
        for kid in kids(wrapper):
            merged.extend(kids(image) if kid.objgen == image.objgen else [kid])
        set_kids(wrapper, merged)
        count += 1
    return count


def decorative_images_as_artifacts(tagged: Tagged) -> int:
    """A Figure with no alternate text comes from ``alt=""``: decorative, so an artifact."""
    decorative = [
        element
        for element in elements(tagged.root)
        if element.S == "/Figure" and not str(element.get("/Alt", "")).strip()
    ]
    for element in decorative:
        tagged.make_artifact(element)
    return len(decorative)


# HTML elements and the structure type WeasyPrint gives them (others become NonStruct).
_STRUCTURE_TYPES = {
    "main": "/Part",
    "section": "/Sect",
    "article": "/Art",
    "div": "/Div",
    "p": "/P",
    "blockquote": "/BlockQuote",
    "ul": "/L",
    "ol": "/L",
    "dl": "/L",
    "li": "/LI",
    "table": "/Table",
    "thead": "/THead",
    "tbody": "/TBody",
    "tfoot": "/TFoot",
    "tr": "/TR",
    "td": "/TD",
    "th": "/TH",
    "h1": "/H1",
    "h2": "/H2",
    "h3": "/H3",
    "h4": "/H4",
    "h5": "/H5",
    "h6": "/H6",
    "dt": "/LI",
    "dd": "/LI",
}


class BreakSplits(list[str]):
    """The structure types of the elements a page break splits, outermost first, down the page's
    last boxes; with ``columns``: the same for each language column side by side (bilingual rows),
    under the column, by its language."""

    columns: dict[str, list[str]]


def page_break_splits(document: Any) -> list[list[str]]:
    """For each page break, the structure types of the elements it splits, outermost first.

    Read from WeasyPrint's laid-out ``document``: an element whose boxes end one page and
    start the next was split by the break. Each is a :class:`BreakSplits`.
    """
    splits: list[list[str]] = []
    for index in range(len(document.pages) - 1):
        starts = {id(element) for element, _ in page_edge_elements(document, index + 1, last=False)}
        split = BreakSplits(_split_types(page_edge_elements(document, index, last=True), starts))
        following = page_edge_columns(document, index + 1, last=False)
        split.columns = {
            lang: _split_types(path, {id(element) for element, _ in following.get(lang, [])})
            for lang, path in page_edge_columns(document, index, last=True).items()
        }
        splits.append(split)
    return splits


def _split_types(path: list[tuple[Any, str | None]], starts: set[int]) -> list[str]:
    return [_STRUCTURE_TYPES.get(tag or "", "/NonStruct") for element, tag in path if id(element) in starts]


def merge_split_elements(tagged: Tagged, splits: list[list[str]]) -> int:
    """Join the elements a page break cut in two, level by level from the top (#2903)."""
    count = 0
    document = kids(tagged.root)[0]
    for page_index, expected in enumerate(splits):
        parent, expected = document, list(expected)
        while expected:
            children = [kid for kid in kids(parent) if is_element(kid)]
            # An element already merged keeps its first page, so compare with "on or before".
            pair = next(
                (
                    (a, b)
                    for a, b in zip(children, children[1:], strict=False)
                    if (tagged.element_page(a) or 0) <= page_index and tagged.element_page(b) == page_index + 1
                ),
                None,
            )
            if pair is None or pair[0].S != pair[1].S:
                break
            first, second = pair
            if expected[0] == first.S:
                expected.pop(0)
            elif first.S != "/LBody":  # WeasyPrint's own list-body level, not an HTML element
                break
            tagged.merge_into(first, second)
            count += 1
            parent = first
    return count


def pair_definition_lists(tagged: Tagged) -> int:
    """Each term of a definition list with its definitions as one list item: Lbl, then LBody.

    (The term's element became Lbl while WeasyPrint built the tree, see ``compat``.)
    """
    paired = 0
    for element in elements(tagged.root):
        if element.S != "/L":
            continue
        kept: list[pikepdf.Object] = []
        for item in kids(element):
            item_kids = kids(item) if is_element(item) and item.S == "/LI" else []
            previous = kept[-1] if kept else None
            if (
                previous is not None
                and item_kids
                and all(is_element(kid) and kid.S == "/LBody" for kid in item_kids)
                and any(is_element(kid) and kid.S == "/Lbl" for kid in kids(previous))
            ):
                for kid in item_kids:
                    kid.P = previous
                set_kids(previous, kids(previous) + item_kids)
                paired += 1
            else:
                kept.append(item)
        if paired:
            set_kids(element, kept)
    return paired


def repeated_table_headers(tagged: Tagged) -> int:
    """A table split by a page break, once merged, holds the header row WeasyPrint repeated at
    the top of the next page: that copy is a pagination artifact (PDF/UA allows one THead), and
    the table's bodies become one TBody."""
    repeated = 0
    for table in [element for element in elements(tagged.root) if element.S == "/Table"]:
        heads = [kid for kid in kids(table) if is_element(kid) and kid.S == "/THead"]
        for head in heads[1:]:
            tagged.make_artifact(head)
            repeated += 1
        bodies = [kid for kid in kids(table) if is_element(kid) and kid.S == "/TBody"]
        for body in bodies[1:] if len(heads) > 1 else []:
            tagged.merge_into(bodies[0], body)
    return repeated


def fix_tagging(data: bytes, splits: list[list[str]] | None = None) -> bytes:
    """The tagged PDF ``data`` with WeasyPrint's known tagging gaps fixed (untagged PDFs unchanged).

    ``splits`` (from :func:`page_break_splits`) says which elements each page break cut.
    """
    with pikepdf.open(BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return data
        tagged = Tagged(pdf)
        if splits:
            merge_split_elements(tagged, splits)
        columns_in_reading_order(tagged, splits or [])
        if splits:
            repeated_table_headers(tagged)
        mark_pagination_artifacts(tagged)
        figures_from_wrappers(tagged)
        decorative_images_as_artifacts(tagged)
        pair_definition_lists(tagged)
        tagged.write_artifacts()
        return _save(pdf)
