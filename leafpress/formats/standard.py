"""standard: the accessible A4 PDF, in clear print."""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext, paged_pdf


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    return paged_pdf(html, context)


FORMAT = Format("standard", "A4, clear print: the accessible PDF.", render, suffix=".pdf", order=10)
