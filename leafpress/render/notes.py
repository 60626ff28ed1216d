"""A designed "Notes" area: ruled lines under "Questions to ask your team", to fill space left over.

A leaflet whose last page holds only a few lines looks unfinished, and a DL leaflet must have six
panels. Rather than leave paper blank, the space gets an area readers use: notes from their
appointments and questions to ask.

Everything is measured on WeasyPrint's own layout (no PDF is written to be read back): the
leaflet is laid out with the area at its smallest; if it fits on the last page, the room left
below it is known exactly, and the area grows into it (see :func:`fill_last_page`). A leaflet
with no room for it is laid out once more without it. Only the layout kept is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:  # types only: the formats import this module when they are listed (--help)
    from weasyprint.document import Document as LaidOut

    from leafpress.enrich.document import Document
    from leafpress.render.layouts import LayOut

# Where the leaflet template lets an area be added: after the end matter.
NOTES_MARKER = "<!-- notes-area -->"
# Where a booklet's padding pages go: before "About this information", which starts the back cover.
NOTES_PAGES = "notes-pages"
NOTES_PAGES_MARKER = f"<!-- {NOTES_PAGES} -->"
# The back matter a booklet's back cover starts with ("About this information").
BACK_COVER_CLASS = "about"
# Heading, prompt and three ruled lines need about this much room; less is not worth a Notes area.
MIN_NOTES_MM = 55.0
# The space the theme leaves above a Notes area (leaflet.css: .notes-area's margin-top).
AREA_MARGIN_MM = 8.0
# Kept clear below the area so rounding never pushes it on to a page of its own.
SAFETY_MM = 5.0


def notes_section(document: Document, css_class: str, height_mm: float | None = None) -> Markup:
    """The Notes area's HTML in the leaflet's language; ``height_mm`` fixes its height."""
    labels, lang = document.labels, document.label_lang
    style = Markup(' style="height: {:.1f}mm"').format(height_mm) if height_mm is not None else Markup("")
    return Markup(
        '<section class="{css_class}" aria-label="{notes}"{notes_lang}{style}><h2>'
        '{notes}</h2><p{prompt_lang}>{prompt}</p><div class="lines" role="presentation"></div></section>'
    ).format(
        css_class=css_class,
        style=style,
        notes=labels["notes"],
        notes_lang=lang["notes"],
        prompt=labels["notes_prompt"],
        prompt_lang=lang["notes_prompt"],
    )


def fill_last_page(html: str, document: Document, lay_out: LayOut) -> LaidOut:
    """The layout of ``html``, with the room left on its last page given to a Notes area when there is enough.

    Usually one layout: the area at its smallest, then grown in place to its full height (it
    ends the page, so nothing else moves). When there is no room for it, it is taken out and the
    leaflet laid out again from the page it was on; when it cannot be grown in place, laid out
    again at its full height. A one-page leaflet gets none: its only page has no other page to
    match in length.
    """
    from leafpress.compat import grow_last_block, last_page

    if NOTES_MARKER not in html:
        return lay_out(html)
    trial = lay_out(_with_area(html, document, MIN_NOTES_MM))
    last = last_page(trial, "notes-area")
    if not (last.holds_block and last.holds_other and last.room_below_mm >= 0 and len(trial.pages) > 1):
        return lay_out.without(trial, "notes-area", html)  # no room on the last page (or it is the only one)
    extra = last.room_below_mm - SAFETY_MM
    if extra <= 0 or grow_last_block(trial, "notes-area", extra):
        return trial
    full = lay_out(_with_area(html, document, MIN_NOTES_MM + extra))
    return full if len(full.pages) == len(trial.pages) else trial


def _with_area(html: str, document: Document, height_mm: float) -> str:
    return html.replace(NOTES_MARKER, str(notes_section(document, "notes-area", height_mm)), 1)


def pad_with_notes_pages(html: str, document: Document, lay_out: LayOut, multiple: int) -> LaidOut:
    """The layout of ``html``, padded to a multiple of ``multiple`` pages with whole Notes pages, not blanks.

    The pages go where the template marks, before the back matter, so the back cover keeps the
    review dates and contact details. Without the mark, or if the pages would not come out even,
    the first layout is kept (and the imposition pads it with blanks).
    """
    first = lay_out(html)
    pages = len(first.pages)
    missing = -pages % multiple
    if NOTES_PAGES_MARKER not in html:
        return first
    whole_pages = str(notes_section(document, "notes-page")) * missing
    # The page before the back cover ends wherever the text ends: its room takes a Notes area too,
    # so it is not left a stub before the Notes pages (or the back cover).
    room = _room_before(first, BACK_COVER_CLASS)
    height = None if room is None else room - AREA_MARGIN_MM - SAFETY_MM
    unused: LaidOut | None = first
    if height is not None and height >= MIN_NOTES_MM:
        area = str(notes_section(document, "notes-area", height)) + whole_pages
        # Added to the layout in place: the pages before the back cover's are kept as they are.
        filled = lay_out.insert(first, NOTES_PAGES, area, _pages_added(html, area))
        if len(filled.pages) == pages + missing:
            return filled
        unused = None  # the edit used the first layout up
    if not missing:
        return unused or lay_out(html)
    with_pages = _pages_added(html, whole_pages)
    padded = lay_out.insert(unused, NOTES_PAGES, whole_pages, with_pages) if unused else lay_out(with_pages)
    return padded if len(padded.pages) == pages + missing else lay_out(html)


def _pages_added(html: str, pages: str) -> str:
    """``html`` with ``pages`` (HTML) where the template marks the booklet's padding."""
    return html.replace(NOTES_PAGES_MARKER, pages, 1)


def _room_before(laid_out: LaidOut, css_class: str) -> float | None:
    """The room (mm) left at the foot of the page before the one the block with ``css_class``
    starts (it starts a page); None when there is no such page."""
    from leafpress.compat import PX_PER_MM, laid_out_page
    from leafpress.render.breaks import content_bottom

    for index in range(1, len(laid_out.pages)):
        stack = [laid_out_page(laid_out, index)[0]]
        while stack and css_class not in (stack[-1].element.get("class") or "").split():
            stack.extend(stack.pop().children)
        if stack:
            before, _, area_bottom = laid_out_page(laid_out, index - 1)
            return (area_bottom - content_bottom(before, area_bottom)) / PX_PER_MM
    return None
