"""booklet: A5 pages imposed two-up on A4 landscape, for duplex office printing (print only)."""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.pdf.imposition import impose_booklet
    from leafpress.render.notes import pad_with_notes_pages
    from leafpress.render.pdf import leaflet_pdf

    def lay_out(page: str) -> tuple[bytes, list[str]]:
        return leaflet_pdf(
            page, context.document, context.source, context.stylesheets, context.fetcher, accessible=False
        )

    # Saddle stitching needs a multiple of four pages: designed Notes pages make up the count.
    pdf, warnings = pad_with_notes_pages(html, context.document, lay_out, 4)
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
