"""booklet: A5 pages imposed two-up on A4 landscape, for duplex office printing (print only)."""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.pdf.imposition import impose_booklet
    from leafpress.render.pdf import leaflet_pdf

    pdf, warnings = leaflet_pdf(
        html, context.document, context.source, context.stylesheets, context.fetcher, accessible=False
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
