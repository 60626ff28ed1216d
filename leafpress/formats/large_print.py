"""large-print: the accessible A4 PDF with 18 pt body text, for readers with low vision."""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext, paged_pdf


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    return paged_pdf(html, context)


FORMAT = Format(
    "large-print",
    "A4 large print: 18 pt body, nothing under 16 pt.",
    render,
    suffix=".large-print.pdf",
    stylesheets=("large-print.css",),
    min_font_pt=16.0,
    order=20,
)
