"""The text format: the leaflet as plain UTF-8 text, in reading order.

For braille transcription and text-to-speech: one paragraph per line (braille software and
speech engines reflow it, so nothing is hard-wrapped), headings on their own lines with an
underline for the title and section headings, list markers kept ("-" and "1."), pictures
as their alt text, and web addresses written out after the link text. Written from the
document's outline (``enrich.outline``), not from its HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leafpress.formats.base import Format, RenderContext

if TYPE_CHECKING:  # the outline loads only when text is made (listing formats stays quick)
    from leafpress.enrich.outline import Outline
    from leafpress.enrich.reading import Group

_UNDERLINES = {"title": "=", "heading": "-"}


def _chunk(group: Group) -> str:
    lines = []
    for line in group:
        text = "  " * line.depth + line.marker + line.text
        lines.append(text)
        if line.kind in _UNDERLINES:
            lines.append(_UNDERLINES[line.kind] * len(text))
    return "\n".join(lines)


def outline_to_text(doc: Outline, say_label: str = "say") -> str:
    """``doc`` as plain text in reading order, ending with one newline."""
    from leafpress.enrich.reading import front_groups, section_groups

    groups = front_groups(doc) + [group for section in doc.sections for group in section_groups(section, say_label)]
    return "\n\n".join(_chunk(group) for group in groups).strip() + "\n"


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.enrich.outline import outline

    document = context.document
    return outline_to_text(outline(document), document.labels["say_it"]).encode("utf-8"), []


FORMAT = Format(
    "text",
    "Plain UTF-8 text in reading order, for braille and text-to-speech.",
    render,
    suffix=".txt",
    kind="text",
    min_font_pt=0.0,
    order=70,
)
