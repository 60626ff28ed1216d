"""large-print: the accessible A4 PDF with 18 pt body text, for readers with low vision."""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.render.pdf import leaflet_pdf

    return leaflet_pdf(html, context.document, context.source, context.stylesheets, context.fetcher)


FORMAT = Format(
    "large-print",
    "A4 large print: 18 pt body, nothing under 16 pt.",
    render,
    suffix=".large-print.pdf",
    stylesheets=("large-print.css",),
    min_font_pt=16.0,
    order=20,
)
