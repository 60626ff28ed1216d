"""Post-processing of the written PDF with pikepdf, past WeasyPrint 70's tagging gaps.

Each fix works on the structure tree and the page content it points at:

- running headers and footers (page margin boxes) are marked as pagination artifacts
  (WeasyPrint gives them marked content whose structure elements are left out of the tree);
- ``<figure>`` (NonStruct) becomes the Figure, holding the image and its Caption;
- an image with ``alt=""`` is decorative: its content becomes an Artifact, out of the tree;
- a list or table split by a page break becomes one structure element again;
- side-by-side languages split by a page break are read one language, then the other.

Print-shop boxes are set here too, as they are also a change to the written file.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pikepdf

from leafpress.compat import page_edge_elements

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


# Structure tree helpers ---------------------------------------------------------------------
def _is_element(obj: object) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _set_kids(element: pikepdf.Object, kids: list[pikepdf.Object]) -> None:
    element.K = pikepdf.Array(kids)


def _elements(root: pikepdf.Object) -> list[pikepdf.Object]:
    """Every structure element under ``root``, depth first, in reading order."""
    found, stack = [], list(reversed(_kids(root)))
    while stack:
        element = stack.pop()
        if _is_element(element):
            found.append(element)
            stack.extend(reversed(_kids(element)))
    return found


def _mcids(element: pikepdf.Object) -> list[int]:
    """The marked-content ids directly under ``element`` (integers or MCR dictionaries)."""
    ids = []
    for kid in _kids(element):
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.integer):
            ids.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            ids.append(int(kid.MCID))
    return ids


class _Tagged:
    """A tagged PDF's structure tree with its parent tree, for edits that keep both in step."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        nums = self.root.ParentTree.get("/Nums", pikepdf.Array())
        self.parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        self.page_of: dict[Any, int] = {page.objgen: index for index, page in enumerate(pdf.pages)}
        # Marked content to turn into artifacts: page index -> {mcid: artifact properties or None}.
        self.artifacts: dict[int, dict[int, pikepdf.Dictionary | None]] = {}

    def page_parents(self, page_index: int) -> pikepdf.Array | None:
        page = self.pdf.pages[page_index].obj
        if "/StructParents" not in page:
            return None
        found = self.parents.get(int(page.StructParents))
        return found if isinstance(found, pikepdf.Array) else None

    def element_page(self, element: pikepdf.Object) -> int | None:
        page = element.get("/Pg")
        return None if page is None else self.page_of.get(page.objgen)

    def repoint(self, element: pikepdf.Object, new_parent: pikepdf.Object | None) -> None:
        """Point the parent tree entries of ``element``'s marked content at ``new_parent`` (None: drop)."""
        page = self.element_page(element)
        parents = None if page is None else self.page_parents(page)
        if parents is None:
            return
        for mcid in _mcids(element):
            if mcid < len(parents):
                parents[mcid] = new_parent

    def make_artifact(self, element: pikepdf.Object, properties: pikepdf.Dictionary | None = None) -> None:
        """Take ``element`` (and everything under it) out of the tree; its content becomes an artifact."""
        for each in [element, *_elements(element)]:
            page = self.element_page(each)
            if page is not None:
                for mcid in _mcids(each):
                    self.artifacts.setdefault(page, {})[mcid] = properties
            self.repoint(each, None)
        parent = element.get("/P")
        if parent is not None and "/K" in parent:
            _set_kids(parent, [kid for kid in _kids(parent) if kid.objgen != element.objgen])


# The fixes ----------------------------------------------------------------------------------
def mark_pagination_artifacts(tagged: _Tagged) -> int:
    """Running headers and footers: marked content whose elements are not in the tree (#1836)."""
    reachable = {element.objgen for element in _elements(tagged.root)}
    pagination = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    count = 0
    for page_index in range(len(tagged.pdf.pages)):
        parents = tagged.page_parents(page_index)
        if parents is None:
            continue
        for mcid, element in enumerate(parents):
            if _is_element(element) and element.objgen not in reachable:
                tagged.artifacts.setdefault(page_index, {})[mcid] = pagination
                parents[mcid] = None
                count += 1
    return count


def figures_from_wrappers(tagged: _Tagged) -> int:
    """A NonStruct holding only one Figure (and its Caption) becomes that Figure.

    WeasyPrint tags ``<figure>`` as NonStruct with the ``<img>`` Figure inside; the image's
    content, alternate text and bounding box move up so the Figure holds its Caption.
    """
    count = 0
    for wrapper in _elements(tagged.root):
        if wrapper.S != "/NonStruct":
            continue
        kids = [kid for kid in _kids(wrapper) if _is_element(kid)]
        figures = [kid for kid in kids if kid.S == "/Figure"]
        others = [kid for kid in kids if kid.S not in ("/Figure", "/Caption")]
        if len(figures) != 1 or others or len(kids) > 2 or _mcids(wrapper):
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
        for kid in _kids(wrapper):
            merged.extend(_kids(image) if kid.objgen == image.objgen else [kid])
        _set_kids(wrapper, merged)
        count += 1
    return count


def decorative_images_as_artifacts(tagged: _Tagged) -> int:
    """A Figure with no alternate text comes from ``alt=""``: decorative, so an artifact."""
    decorative = [
        element
        for element in _elements(tagged.root)
        if element.S == "/Figure" and not str(element.get("/Alt", "")).strip()
    ]
    for element in decorative:
        tagged.make_artifact(element)
    return len(decorative)


def _rewrite_marked_content(tagged: _Tagged) -> None:
    """Turn the collected marked-content sequences into artifacts in the page content."""
    for page_index, targets in tagged.artifacts.items():
        page = tagged.pdf.pages[page_index]
        instructions = []
        for instruction in pikepdf.parse_content_stream(page):
            operands = instruction.operands
            if (
                str(instruction.operator) == "BDC"
                and len(operands) == 2
                and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]
                and int(operands[1].MCID) in targets
            ):
                properties = targets[int(operands[1].MCID)]
                if properties is None:
                    instruction = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
                else:
                    instruction = pikepdf.ContentStreamInstruction(
                        [pikepdf.Name.Artifact, properties], pikepdf.Operator("BDC")
                    )
            instructions.append(instruction)
        page.Contents = tagged.pdf.make_stream(pikepdf.unparse_content_stream(instructions))


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


def page_break_splits(document: Any) -> list[list[str]]:
    """For each page break, the structure types of the elements it splits, outermost first.

    Read from WeasyPrint's laid-out ``document``: an element whose boxes end one page and
    start the next was split by the break.
    """
    splits = []
    for index in range(len(document.pages) - 1):
        starts = {id(element) for element, _ in page_edge_elements(document, index + 1, last=False)}
        splits.append(
            [
                _STRUCTURE_TYPES.get(tag or "", "/NonStruct")
                for element, tag in page_edge_elements(document, index, last=True)
                if id(element) in starts
            ]
        )
    return splits


def _merge_into(tagged: _Tagged, first: pikepdf.Object, second: pikepdf.Object) -> None:
    """Move ``second``'s content to the end of ``first`` and drop ``second``."""
    page = second.get("/Pg")
    moved: list[pikepdf.Object] = []
    for kid in _kids(second):
        if _is_element(kid):
            kid.P = first
            moved.append(kid)
        elif isinstance(kid, pikepdf.Dictionary):
            moved.append(kid)
        else:  # a bare MCID belongs to its element's page: say which page once it moves
            moved.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=int(kid)))
    tagged.repoint(second, first)
    _set_kids(first, _kids(first) + moved)
    parent = second.P
    _set_kids(parent, [kid for kid in _kids(parent) if kid.objgen != second.objgen])


def merge_split_elements(tagged: _Tagged, splits: list[list[str]]) -> int:
    """Join the elements a page break cut in two, level by level from the top (#2903)."""
    count = 0
    document = _kids(tagged.root)[0]
    for page_index, expected in enumerate(splits):
        parent, expected = document, list(expected)
        while expected:
            kids = [kid for kid in _kids(parent) if _is_element(kid)]
            # An element already merged keeps its first page, so compare with "on or before".
            pair = next(
                (
                    (a, b)
                    for a, b in zip(kids, kids[1:], strict=False)
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
            _merge_into(tagged, first, second)
            count += 1
            parent = first
    return count


def pair_definition_lists(tagged: _Tagged) -> int:
    """Each term of a definition list with its definitions as one list item: Lbl, then LBody.

    (The term's element became Lbl while WeasyPrint built the tree, see ``compat``.)
    """
    paired = 0
    for element in _elements(tagged.root):
        if element.S != "/L":
            continue
        kept: list[pikepdf.Object] = []
        for item in _kids(element):
            item_kids = _kids(item) if _is_element(item) and item.S == "/LI" else []
            previous = kept[-1] if kept else None
            if (
                previous is not None
                and item_kids
                and all(_is_element(kid) and kid.S == "/LBody" for kid in item_kids)
                and any(_is_element(kid) and kid.S == "/Lbl" for kid in _kids(previous))
            ):
                for kid in item_kids:
                    kid.P = previous
                _set_kids(previous, _kids(previous) + item_kids)
                paired += 1
            else:
                kept.append(item)
        if paired:
            _set_kids(element, kept)
    return paired


def _language_columns(fragment: pikepdf.Object) -> list[pikepdf.Object] | None:
    """The elements with a /Lang under ``fragment``, reached through plain wrappers (a table's
    row and cell boxes); None when a wrapper holds content of its own."""
    if "/Lang" in fragment:
        return [fragment]
    if fragment.S != "/Div":
        return None
    found: list[pikepdf.Object] = []
    for kid in _kids(fragment):
        columns = _language_columns(kid) if _is_element(kid) else None
        if columns is None:
            return None
        found += columns
    return found


def columns_in_reading_order(tagged: _Tagged) -> int:
    """Each row of side-by-side languages (the bilingual format) read one language whole, then the other.

    WeasyPrint tags a row (a table row here) through wrappers of its own, and a row that a page
    break splits as one fragment per page, each holding both languages: Welsh, English, Welsh,
    English. The row's language columns become its own children, each language's fragments
    joined into one element, in the order the languages first come.
    """
    rows = [row for part in _elements(tagged.root) if part.S == "/Part" for row in _kids(part) if _is_element(row)]
    reordered = 0
    for row in rows:
        fragments = _kids(row)
        pages = [tagged.element_page(fragment) if _is_element(fragment) else None for fragment in fragments]
        known = [page for page in pages if page is not None]
        # A row's fragments: one per page, in page order.
        if not fragments or len(known) != len(pages) or known != sorted(set(known)):
            continue
        columns = [_language_columns(fragment) for fragment in fragments]
        if any(found is None or len(found) < 2 for found in columns):
            continue
        flat = [column for found in columns for column in found or []]
        languages = list(dict.fromkeys(str(column.Lang) for column in flat))
        if len(languages) < 2:
            continue
        ordered = sorted(flat, key=lambda column: languages.index(str(column.Lang)))  # stable: pages stay in order
        for column in ordered:
            column.P = row
        _set_kids(row, ordered)
        # One column element per language: a page's part of it joins the one before.
        kept: dict[str, pikepdf.Object] = {}
        for column in ordered:
            if str(column.Lang) in kept:
                _merge_into(tagged, kept[str(column.Lang)], column)
            else:
                kept[str(column.Lang)] = column
        reordered += 1
    return reordered


def fix_tagging(data: bytes, splits: list[list[str]] | None = None) -> bytes:
    """The tagged PDF ``data`` with WeasyPrint's known tagging gaps fixed (untagged PDFs unchanged).

    ``splits`` (from :func:`page_break_splits`) says which elements each page break cut.
    """
    with pikepdf.open(BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return data
        tagged = _Tagged(pdf)
        if splits:
            merge_split_elements(tagged, splits)
        mark_pagination_artifacts(tagged)
        figures_from_wrappers(tagged)
        decorative_images_as_artifacts(tagged)
        pair_definition_lists(tagged)
        columns_in_reading_order(tagged)
        _rewrite_marked_content(tagged)
        return _save(pdf)
