"""dl-panels: the DL tri-fold's six 99 × 210 mm panels in reading order, as a tagged PDF.

The accessible companion of the print sheet (``--format dl``): front, inside flap, the three
inside panels, back. A leaflet that leaves panels empty gets "Notes" panels before the back;
one that needs more than six panels is refused, with about how many words to cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leafpress.core.errors import LeafpressError, Location
from leafpress.formats.base import Format, RenderContext

if TYPE_CHECKING:
    from weasyprint.document import Document as LaidOut

    from leafpress.enrich.document import Document
    from leafpress.render.layouts import LayOut

TEMPLATE_NAME = "dl.html.j2"
NOTES_MARKER = "<!-- dl-notes -->"
PANELS = 6


def dl_panels_pdf(context: RenderContext, accessible: bool = True) -> tuple[bytes, list[str]]:
    """Exactly six panels: the content laid out once, then again with Notes panels when it is short
    (only the layout kept is written)."""
    from leafpress.enrich.citations import unlink_missing_entries
    from leafpress.render.html import render_html
    from leafpress.render.pdf import leaflet_pdf

    def six_panels(page: str, lay_out: LayOut) -> LaidOut:
        laid_out = lay_out(page)
        count = len(laid_out.pages)
        if count > PANELS:
            raise LeafpressError(
                Location(context.source),
                f"the leaflet does not fit the six panels of a DL leaflet: about {_too_many(laid_out)} too many",
                "shorten the sections or key points, or build the standard or booklet format instead",
            )
        if count < PANELS:
            return lay_out(page.replace(NOTES_MARKER, _notes_panels(PANELS - count, context.document), 1))
        return laid_out

    page, _ = unlink_missing_entries(render_html(context.document, context.project, TEMPLATE_NAME))
    return leaflet_pdf(
        page,
        context.document,
        context.source,
        context.stylesheets,
        context.fetcher,
        accessible=accessible,
        arrange=six_panels,
    )


def _too_many(laid_out: LaidOut) -> str:
    """About how much the inside panels would have to lose: the words past the fifth panel (the
    characters, in a language written without spaces between words)."""
    from leafpress.compat import page_texts
    from leafpress.pdf.text_layer import UNSPACED_CHARACTER

    over = " ".join(page_texts(laid_out)[1:-1][PANELS - 2 :])
    if UNSPACED_CHARACTER.search(over):
        return f"{max(1, len(''.join(over.split())))} characters"
    return f"{max(1, len(over.split()))} words"


def _notes_panels(count: int, document: Document) -> str:
    from leafpress.render.notes import notes_section

    return str(notes_section(document, "dl-notes")) * count


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    return dl_panels_pdf(context)


FORMAT = Format(
    "dl-panels",
    "The DL tri-fold's six panels in reading order, tagged: the accessible companion of the dl sheet.",
    render,
    suffix=".dl-panels.pdf",
    stylesheets=("dl.css",),
    order=36,
)
