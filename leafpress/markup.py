"""Markdown (CommonMark) to safe HTML for leaflet bodies.

Raw HTML is off, so ``<script>`` or event attributes typed into a leaflet are shown as
text, never passed on. Headings inside a body sit below the section heading (h2).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "typographer": False})

# Section headings are h2, so a "#" inside a body becomes h3.
BODY_HEADING_OFFSET = 2


def markdown_to_html(text: str) -> Markup:
    """Render ``text`` as HTML safe to put into the leaflet template."""
    tokens = _md.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + BODY_HEADING_OFFSET, 6)
            token.tag = f"h{level}"
    return Markup(_md.renderer.render(tokens, _md.options, {}))


def inline_markdown_to_html(text: str) -> Markup:
    """Render a one-line text (a key point, a caption) allowing bold and links only."""
    return Markup(_md.renderInline(text))
