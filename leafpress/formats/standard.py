"""standard: the accessible A4 PDF, in clear print."""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.render.pdf import leaflet_pdf

    return leaflet_pdf(html, context.document, context.source, context.stylesheets, context.fetcher)


FORMAT = Format("standard", "A4, clear print: the accessible PDF.", render, suffix=".pdf", order=10)
