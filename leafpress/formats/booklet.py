"""booklet: A5 pages imposed two-up on A4 landscape, for duplex office printing (print only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leafpress.formats.base import Format, RenderContext

if TYPE_CHECKING:
    from weasyprint.document import Document as LaidOut


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.pdf.imposition import impose_booklet
    from leafpress.render.layouts import LayOut
    from leafpress.render.notes import pad_with_notes_pages
    from leafpress.render.pdf import leaflet_pdf

    # Saddle stitching needs a multiple of four pages: designed Notes pages make up the count.
    def padded(page: str, lay_out: LayOut) -> LaidOut:
        return pad_with_notes_pages(page, context.document, lay_out, 4)

    pdf, warnings = leaflet_pdf(
        html, context.document, context.source, context.stylesheets, context.fetcher, accessible=False, arrange=padded
    )
    return impose_booklet(pdf), warnings


FORMAT = Format(
    "booklet",
    "A5 booklet imposed two-up on A4 landscape, for duplex office printing (print only).",
    render,
    suffix=".booklet.pdf",
    stylesheets=("booklet.css",),
    accessible=False,
    order=30,
)
