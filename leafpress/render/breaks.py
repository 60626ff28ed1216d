"""Page breaks a designer would sign off, settled from WeasyPrint's own layout.

CSS alone cannot say "keep this box whole, unless that leaves half a page empty", nor repeat a
box's heading where the box runs on to the next page. Both are read from the laid-out pages
and fixed in the element tree, which is then laid out again — only when a page needs it, one
change at a time (each change moves every later break):

- a box asked to stay whole (``break-inside: avoid``) that jumped to the next page and left the
  page before it less than :data:`RELAX_BELOW` filled is allowed to split (class ``may-split``);
- a box with a repeatable heading (it holds a ``.continued-label``) that runs on to the next
  page gets its heading again there, followed by the label ("(continued)", in the leaflet's
  language), as a real heading of the same level, so the PDF stays well-structured. A list or
  glossary cut by the break is split in two there so the heading can sit between the halves.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from leafpress.compat import PX_PER_MM, LaidBlock, laid_out_page
from leafpress.enrich.markdown import set_list_start

# A page less full than this, before a box that jumped to the next page, lets that box split.
RELAX_BELOW = 0.75
# A picture that jumped to the next page may be drawn down to this share of its height to stay.
MIN_PICTURE_SCALE = 0.7
# Room kept under a fitted picture: the margins its border box leaves out, and rounding.
PICTURE_SLACK_PX = 30.0
FITTED_CLASS = "fits-room"
# A table whose last rows would fit the room left with tighter rows (leaflet.css: .tight-rows):
# each row is this much shorter so.
TIGHT_CLASS = "tight-rows"
TIGHT_SAVING_MM = 1.8
_PICTURE_HOLDERS = {"img", "p", "figure"}
# A page is never left less full than this to keep two list items together.
MIN_FILL = 0.65
# Each change costs a layout; a leaflet needing more than this many keeps what it has.
MAX_CHANGES = 8

RELAXED_CLASS = "may-split"
BREAK_CLASS = "starts-page"
CONTINUED_CLASS = "continued"
LABEL_CLASS = "continued-label"
# The block that closes the end matter: the organisation's address and quality mark.
CLOSING_CLASS = "publisher"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# What can never be split sensibly, whatever its style says.
_WHOLE_TAGS = {"figure", "img", "table", "tr", "li", "dd", "dt", "address", "p"} | _HEADINGS
_LISTS = {"ul", "ol", "dl"}
# What holds a table's rows.
_ROW_HOLDERS = {"table", "thead", "tbody", "tfoot"}
# What keeps two of its items each side of a page break: a list's items, a table body's rows.
_ITEMS = {"ul": "li", "ol": "li", "tbody": "tr"}
# A Notes area is sized to the room left on the last page (render.notes): it never splits. A
# details list (contact, "About this information") is a grid, whose rows WeasyPrint cuts badly at a
# break (a label left at a page's foot, its value drawn above the next page's top): it is never
# let split, but is cut in two between rows when it jumped and left a page under-filled.
DETAILS_CLASS = "details"
_WHOLE_CLASSES = {"notes-area", "notes-page", DETAILS_CLASS}


def classes(element: Any) -> list[str]:
    """The element's class names."""
    return (element.get("class") or "").split()


def _add_class(element: Any, name: str) -> None:
    element.set("class", " ".join([*classes(element), name]))


def _elements(block: LaidBlock) -> Iterator[Any]:
    yield block.element
    for child in block.children:
        yield from _elements(child)


def content_bottom(block: LaidBlock, area_bottom: float) -> float:
    """How far down the page its content reaches (boxes stretched to the page's foot do not count,
    nor a table's that reaches past its last row on the page, as it does when rows go on)."""
    if block.children and (block.bottom >= area_bottom - 1 or block.element.tag in _ROW_HOLDERS):
        return max(content_bottom(child, area_bottom) for child in block.children)
    return block.bottom


def _bottom_above(block: LaidBlock, y: float) -> float:
    """How far down the page the content above ``y`` reaches."""
    if block.bottom <= y + 0.5:
        return block.bottom
    if block.top >= y - 0.5:
        return float("-inf")
    return max((_bottom_above(child, y) for child in block.children), default=block.top)


def _leading_blocks(block: LaidBlock) -> Iterator[LaidBlock]:
    """The blocks a page starts with: down its first boxes (every column of a row side by side),
    and past a heading kept with what follows."""
    if not block.children:
        return
    first = block.children[0]
    for index, child in enumerate(block.children):
        if child.top > first.top + 1:
            break
        yield child
        if child.element.tag in _HEADINGS and index + 1 < len(block.children):
            yield block.children[index + 1]
        yield from _leading_blocks(child)


def _splittable(block: LaidBlock) -> bool:
    names = classes(block.element)
    return (
        block.keep_whole
        and block.element.tag not in _WHOLE_TAGS
        and RELAXED_CLASS not in names
        and not _WHOLE_CLASSES.intersection(names)
        and len(block.children) >= 2
    )


def _fit_picture(block: LaidBlock, room: float) -> bool:
    """Let a picture (or a block holding one, with its caption) that jumped to the next page stay,
    drawn smaller to fit the ``room`` (CSS px) left for it, if it keeps :data:`MIN_PICTURE_SCALE`
    of its height."""
    image = block if block.element.tag == "img" else next((c for c in block.children if c.element.tag == "img"), None)
    if image is None or block.element.tag not in _PICTURE_HOLDERS or FITTED_CLASS in classes(image.element):
        return False
    height = image.bottom - image.top
    fitted = height - (block.bottom - block.top - room) - PICTURE_SLACK_PX
    if height <= 0 or fitted < MIN_PICTURE_SCALE * height:
        return False
    style = (image.element.get("style") or "").rstrip("; ")
    image.element.set("style", f"{style}; max-height: {fitted:.1f}px".lstrip("; "))
    _add_class(image.element, FITTED_CLASS)
    return True


def _fit_rows(block: LaidBlock, page: LaidBlock, room: float) -> bool:
    """Let a table whose last rows went on to the next page stay whole, set a little tighter, when
    its rows' tighter padding makes up for what the ``room`` (CSS px) left on the page lacks."""
    element = block.element
    if element.tag != "table" or TIGHT_CLASS in classes(element):
        return False
    before = _find(page, element)
    if before is None:
        return False
    rows = sum(1 for laid in (before, block) for element in _elements(laid) if element.tag == "tr")
    heads = [child for child in block.children if child.element.tag == "thead"]
    rest = block.bottom - (heads[0].bottom if heads else block.top)  # without the repeated header row
    if rest - rows * TIGHT_SAVING_MM * PX_PER_MM > room - PICTURE_SLACK_PX:
        return False
    _add_class(element, TIGHT_CLASS)
    for row in element.iter("tr"):  # a row moved on to keep two rows each side may come back
        if BREAK_CLASS in classes(row):
            row.set("class", " ".join(name for name in classes(row) if name != BREAK_CLASS))
    return True


def _split_details(block: LaidBlock, room: float, parents: dict[Any, Any]) -> bool:
    """Split a details list that jumped to the next page in two between rows, so the rows that fit
    the ``room`` (CSS px) left stay on the page before: each part a whole grid (WeasyPrint cuts a
    grid badly at a break). At least two rows stay on each side."""
    element = block.element
    parent = parents.get(element)
    if element.tag != "dl" or DETAILS_CLASS not in classes(element) or parent is None:
        return False
    rows: list[tuple[Any, float]] = []  # each row's term and how far down it reaches
    for child in block.children:
        if child.element.tag == "dt" or not rows:
            rows.append((child.element, child.bottom))
        else:
            rows[-1] = (rows[-1][0], max(rows[-1][1], child.bottom))
    fitting = sum(1 for _, bottom in rows if bottom - block.top <= room - PICTURE_SLACK_PX)
    fitting = min(fitting, len(rows) - 2)
    if fitting < 2:
        return False
    _split_before(element, list(element).index(rows[fitting][0]), parent)
    return True


def _find(block: LaidBlock, element: Any) -> LaidBlock | None:
    if block.element is element:
        return block
    for child in block.children:
        found = _find(child, element)
        if found is not None:
            return found
    return None


def refine(document: Any) -> range | None:
    """Make the changes the laid-out ``document`` needs in its element tree; the indexes of the
    pages they were made for, the first of which is the first page they can change (everything
    before it lays out as before), or None when none is needed.

    Every box that jumped and left a page under-filled is let split at once (a permission: one
    that no longer needs it is harmless). Otherwise the first page break that needs a list moved
    on or a heading repeated gets it, in every column there: a forced break placed from an
    out-of-date layout would land in the wrong place, so later breaks wait for the next layout.
    """
    pages = [laid_out_page(document, index) for index in range(len(document.pages))]
    if not pages:
        return None
    parents = {child: parent for parent in pages[0][0].element.iter() for child in parent}
    breaks = [
        (page, following, {id(element) for element in _elements(page)}, (area_top, area_bottom))
        for (page, area_top, area_bottom), (following, _, _) in zip(pages, pages[1:], strict=False)
    ]
    first_relaxed: int | None = None
    last_relaxed = 0
    for index, (page, following, on_page, (area_top, area_bottom)) in enumerate(breaks):
        filled = (content_bottom(page, area_bottom) - area_top) / max(area_bottom - area_top, 1.0)
        if filled < RELAX_BELOW:
            for block in _leading_blocks(following):
                if id(block.element) in on_page:
                    if not _fit_rows(block, page, area_bottom - content_bottom(page, area_bottom)):
                        continue
                    first_relaxed = index if first_relaxed is None else first_relaxed
                    last_relaxed = index
                    break
                if block.starts_page:
                    break  # nothing after a forced page break can come back to the page before
                room = area_bottom - content_bottom(page, area_bottom) - (block.top - following.top)
                if _splittable(block):
                    _add_class(block.element, RELAXED_CLASS)
                elif not (_fit_picture(block, room) or _split_details(block, room, parents)):
                    continue
                first_relaxed = index if first_relaxed is None else first_relaxed
                last_relaxed = index
                break
    if first_relaxed is not None:
        return range(first_relaxed, last_relaxed + 1)
    for index, (page, following, on_page, area) in enumerate(breaks):
        if _keep_two_items(page, following, on_page, parents, area) or _continue_heading(following, on_page, parents):
            return range(index, index + 1)
    if breaks and _closing_block_not_alone(*breaks[-1][:2], parents, breaks[-1][3]):
        return range(len(breaks) - 1, len(breaks))
    return None


def _closing_block_not_alone(
    page: LaidBlock, following: LaidBlock, parents: dict[Any, Any], area: tuple[float, float]
) -> bool:
    """The organisation's address and quality mark, which close the end matter, never start the
    last page alone: the part of "About this information" before them goes on with them (when the
    page before stays at least :data:`MIN_FILL` filled), so the last page reads as one block."""
    for block in _leading_blocks(following):
        if CLOSING_CLASS not in classes(block.element):
            continue
        previous = _previous(block.element, parents)
        laid = None if previous is None else _find(page, previous)
        if laid is None or (_bottom_above(page, laid.top) - area[0]) / max(area[1] - area[0], 1.0) < MIN_FILL:
            return False
        return _break_before(previous)
    return False


def _trailing_blocks(block: LaidBlock) -> Iterator[LaidBlock]:
    """The blocks a page ends with, down its last boxes (every column of a row side by side)."""
    if not block.children:
        return
    last = block.children[-1]
    for child in block.children:
        if child.top >= last.top - 1:
            yield child
            yield from _trailing_blocks(child)


def _keep_two_items(
    page: LaidBlock, following: LaidBlock, on_page: set[int], parents: dict[Any, Any], area: tuple[float, float]
) -> bool:
    """Move a list's first item on, with its list, when the page break leaves it alone; the same for
    its last item, which takes the item before it along; and the same for a table's rows — unless
    the page would then be left less than :data:`MIN_FILL` filled (a half-empty page is the worse fault)."""
    on_next = {id(element) for element in _elements(following)}

    def move_on(element: Any) -> bool:
        laid = _find(page, element)
        if laid is None or (_bottom_above(page, laid.top) - area[0]) / max(area[1] - area[0], 1.0) < MIN_FILL:
            return False
        return _break_before(element)

    for block in _trailing_blocks(page):
        item_tag = _ITEMS.get(block.element.tag)
        if item_tag is None or id(block.element) not in on_next:
            continue
        items = [child.element for child in block.children if child.element.tag == item_tag]
        every = [child for child in block.element if child.tag == item_tag]
        if len(items) == 1 and items[0] is every[0] and len(every) > 1:
            # A table's rows are in its body: the whole table moves on, its header row with it.
            target = block.element if item_tag == "li" else parents.get(block.element, block.element)
            while (previous := _previous(target, parents)) is not None and previous.tag in _HEADINGS:
                target = previous
            return move_on(target)
        after = [child for child in every if id(child) in on_next and id(child) not in on_page]
        if len(after) == 1 and after[0] is every[-1] and len(every) > 2:
            return move_on(every[-2])
    return False


def _previous(element: Any, parents: dict[Any, Any]) -> Any | None:
    parent = parents.get(element)
    if parent is None:
        return None
    siblings = list(parent)
    index = siblings.index(element)
    return siblings[index - 1] if index else None


def _break_before(element: Any) -> bool:
    if BREAK_CLASS in classes(element):
        return False
    _add_class(element, BREAK_CLASS)
    return True


def _continue_heading(following: LaidBlock, on_page: set[int], parents: dict[Any, Any]) -> bool:
    """Repeat the heading of each box that runs on from the page before at the top of ``following``."""
    changed = False
    for block in _leading_blocks(following):
        element = block.element
        label = next((child for child in element if LABEL_CLASS in classes(child)), None)
        if label is None or id(element) not in on_page or not block.children:
            continue
        first = block.children[0]
        if id(parents.get(first.element)) != id(element):
            continue  # the box's own text starts the page
        heading = next((child for child in element if child.tag in _HEADINGS), None)
        if heading is None:
            continue
        children = list(element)
        after = children[children.index(heading) + 1 :]
        if first.element is heading or not any(
            id(child) in on_page and CONTINUED_CLASS not in classes(child) for child in after
        ):
            # Only the heading (or a label before it) was left behind: the box moves on whole,
            # without a heading repeated for it.
            repeated = [child for child in after if CONTINUED_CLASS in classes(child)]
            for child in repeated:
                element.remove(child)
            changed = _break_before(element) or bool(repeated) or changed
            continue
        if CONTINUED_CLASS in classes(first.element):
            continue  # already repeated here
        blocks = [child for child in after if LABEL_CLASS not in classes(child)]
        before = first.element
        if id(before) in on_page and before.tag in _LISTS:
            before = _split_list(first, element)
        elif id(before) in on_page and (
            not _may_move_on(before, parents) or (before is blocks[0] and BREAK_CLASS in classes(element))
        ):
            # (Moving the box's first block on left its heading alone, and the box was moved on but
            # stayed: a forced break inside a table cell, the bilingual layout's column, does nothing.)
            continue
        element.insert(list(element).index(before), _continued_heading(heading, label))
        changed = True
    return changed


def _may_move_on(element: Any, parents: dict[Any, Any]) -> bool:
    """Whether ``element``, cut by a page break, may go on whole to the next page under a repeated
    heading: a paragraph may; a table may not (it repeats its header row there, and would leave
    its rows' room empty), nor what already has a repeated heading before it (it is longer than a
    page: each heading put before it would land a page back, and be added again at every try)."""
    if element.tag == "table":
        return False
    previous = _previous(element, parents)
    return previous is None or CONTINUED_CLASS not in classes(previous)


def _split_list(laid: LaidBlock, parent: Any) -> Any:
    """Split the list ``laid``, cut by the page break, before its first item on the new page; the new list."""
    original = laid.element
    children = list(original)
    items = [child.element for child in laid.children if child.element in children]
    if not items or items[0] is children[0]:
        return original
    cut = children.index(items[0])
    rest = _split_before(original, cut, parent)
    if original.tag == "ol":
        before = sum(1 for child in children[:cut] if child.tag == "li")
        set_list_start(rest, int(original.get("start") or 1) + before)
    return rest


def _split_before(original: Any, cut: int, parent: Any) -> Any:
    """Split ``original`` in two before its child at ``cut``: the second part, a copy of the element
    (without its id) that follows it in ``parent``; the text that followed goes after it."""
    rest = original.makeelement(original.tag, {k: v for k, v in original.attrib.items() if k != "id"})
    for child in list(original)[cut:]:
        original.remove(child)
        rest.append(child)
    rest.tail, original.tail = original.tail, "\n"
    parent.insert(list(parent).index(original) + 1, rest)
    return rest


def _continued_heading(heading: Any, label: Any) -> Any:
    """A copy of ``heading`` (same level) followed by the label, forced to the top of a page."""
    repeated = copy.deepcopy(heading)
    repeated.attrib.pop("id", None)
    repeated.tail = "\n"
    words = copy.deepcopy(label)
    words.attrib.pop("hidden", None)
    words.attrib.pop("class", None)
    words.tail = None
    if len(repeated):
        repeated[-1].tail = (repeated[-1].tail or "") + " "
    else:
        repeated.text = (repeated.text or "") + " "
    repeated.append(words)
    _add_class(repeated, CONTINUED_CLASS)
    return repeated
