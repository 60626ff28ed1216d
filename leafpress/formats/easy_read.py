"""easy-read: the leaflet's Easy Read version, for people with a learning disability.

Rows of a picture on the left and a short sentence or two on the right, 18 pt text, with the
same code, version and review dates as the standard leaflet (docs/easy-read.md).
"""

from __future__ import annotations

from leafpress.core.errors import LeafpressErrors, NotApplicable
from leafpress.formats.base import Format, RenderContext

TEMPLATE_NAME = "easy-read.html.j2"


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.enrich.citations import unlink_missing_entries
    from leafpress.render.html import render_html
    from leafpress.render.pdf import leaflet_pdf

    easy_read = context.document.easy_read
    if easy_read is None:
        raise NotApplicable("it has no Easy Read version (add 'easy_read:', see docs/easy-read.md)")
    if easy_read.errors:
        raise LeafpressErrors(easy_read.errors)
    page, _ = unlink_missing_entries(render_html(context.document, context.project, TEMPLATE_NAME))
    return leaflet_pdf(page, context.document, context.source, context.stylesheets, context.fetcher)


FORMAT = Format(
    "easy-read",
    "A4 Easy Read: a picture beside each short sentence, 18 pt text, for people with a learning disability.",
    render,
    suffix=".easy-read.pdf",
    stylesheets=("easy-read.css",),
    min_font_pt=16.0,
    order=25,
)
