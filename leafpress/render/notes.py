"""A designed "Notes" area: ruled lines under "Questions to ask your team", to fill space left over.

A leaflet whose last page holds only a few lines looks unfinished, and a DL leaflet must have six
panels. Rather than leave paper blank, the space gets an area readers use: notes from their
appointments and questions to ask. The area is sized from the first layout and the page laid
out again; if it would then need a page more, the first layout is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:  # a type only: the formats import this module when they are listed (--help)
    from leafpress.enrich.document import Document

# Where the leaflet template lets an area be added: after the end matter.
NOTES_MARKER = "<!-- notes-area -->"
# Where a booklet's padding pages go: before "About this information", which starts the back cover.
NOTES_PAGES_MARKER = "<!-- notes-pages -->"
# Heading, prompt and three ruled lines need about this much room; less is not worth a Notes area.
MIN_NOTES_MM = 55.0
# Kept clear below the area so rounding never pushes it on to a page of its own.
SAFETY_MM = 5.0

Rendered = tuple[bytes, list[str]]


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


def fill_last_page(html: str, document: Document, render: Callable[[str], Rendered]) -> Rendered:
    """``render(html)``, with the room left on its last page given to a Notes area when there is enough."""
    from leafpress.pdf.layout import space_left_on_last_page_mm

    first = render(html)
    if NOTES_MARKER not in html:
        return first
    space = space_left_on_last_page_mm(first[0])
    pages = _page_count(first[0])
    # The area's own margins and the end matter's last margin take some of the room measured.
    for height in (space - SAFETY_MM, space - 4 * SAFETY_MM):
        if height < MIN_NOTES_MM:
            break
        second = render(html.replace(NOTES_MARKER, str(notes_section(document, "notes-area", height)), 1))
        if _page_count(second[0]) == pages:
            return second
    return first


def pad_with_notes_pages(html: str, document: Document, render: Callable[[str], Rendered], multiple: int) -> Rendered:
    """``render(html)``, padded to a multiple of ``multiple`` pages with whole Notes pages, not blanks.

    The pages go where the template marks, before the back matter, so the back cover keeps the
    review dates and contact details. Without the mark, or if the pages would not come out even,
    the first layout is kept (and the imposition pads it with blanks).
    """
    first = render(html)
    pages = _page_count(first[0])
    missing = -pages % multiple
    if not missing or NOTES_PAGES_MARKER not in html:
        return first
    padding = str(notes_section(document, "notes-page")) * missing
    second = render(html.replace(NOTES_PAGES_MARKER, padding, 1))
    return second if _page_count(second[0]) == pages + missing else first


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)
