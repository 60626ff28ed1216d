"""print-shop: the A4 PDF with bleed, crop marks, TrimBox and BleedBox, for a print shop."""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.pdf.fixes import set_print_boxes
    from leafpress.render.pdf import leaflet_pdf

    pdf, warnings = leaflet_pdf(html, context.document, context.source, context.stylesheets, context.fetcher)
    return set_print_boxes(pdf), warnings


FORMAT = Format(
    "print-shop",
    "A4 with 3 mm bleed, crop marks, TrimBox and BleedBox, for a print shop.",
    render,
    suffix=".print-shop.pdf",
    stylesheets=("print-shop.css",),
    order=40,
)
