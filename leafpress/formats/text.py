"""The text format: the leaflet as plain UTF-8 text, in reading order.

For braille transcription and text-to-speech: one paragraph per line (braille software and
speech engines reflow it, so nothing is hard-wrapped), headings on their own lines with an
underline for the title and section headings, list markers kept ("-" and "1."), pictures
as their alt text, and web addresses written out after the link text. Written from the
document's outline (``enrich.outline``), not from its HTML.
"""

from __future__ import annotations

from leafpress.enrich.outline import (
    Block,
    Definitions,
    Heading,
    Inline,
    ItemList,
    Lines,
    Outline,
    Paragraph,
    Picture,
    Quote,
    outline,
    plain,
)
from leafpress.formats.base import Format, RenderContext

LINK_SCHEMES = ("http://", "https://", "mailto:")


def inline_text(text: Inline) -> str:
    """``text`` on one line, each link's address written after its words unless they already say it."""
    parts: list[str] = []
    for index, run in enumerate(text):
        parts.append(f" [Picture: {run.text}] " if run.picture else run.text)
        link = run.link
        ends_link = link and (index + 1 == len(text) or text[index + 1].link != link)
        if link and ends_link and link.startswith(LINK_SCHEMES):
            words = "".join(r.text for r in text if r.link == link)
            if link.split(":", 1)[1].strip("/") not in words:
                parts.append(f" ({link.removeprefix('mailto:')})")
    return " ".join("".join(parts).split())


def _block_lines(block: Block, say_label: str, depth: int = 0) -> list[str]:
    """The lines of one block; a blank line between blocks is added by the caller."""
    indent = "  " * depth
    if isinstance(block, Heading):
        return [inline_text(block.text)]
    if isinstance(block, Paragraph):
        return [indent + inline_text(block.text)]
    if isinstance(block, Lines):
        return [indent + inline_text(line) for line in block.lines]
    if isinstance(block, Picture):
        lines = [f"{indent}[Picture: {block.alt}]"] if block.alt.strip() else []
        return lines + ([indent + inline_text(block.caption)] if block.caption else [])
    if isinstance(block, Definitions):
        lines = []
        for pair in block.pairs:
            say = f" ({say_label} “{pair.say}”)" if pair.say else ""
            lines.append(f"{indent}{plain(pair.term)}{say}: {inline_text(pair.meaning)}")
        return lines
    if isinstance(block, Quote):
        return [line for inner in block.blocks for line in _block_lines(inner, say_label, depth)]
    lines = []
    for number, item in enumerate(block.items, start=block.start):
        marker = f"{number}. " if block.ordered else "- "
        first = True
        for inner in item:
            inner_lines = _block_lines(inner, say_label, depth + (0 if first or not isinstance(inner, ItemList) else 1))
            if first and inner_lines:
                inner_lines[0] = indent + marker + inner_lines[0].lstrip()
                first = False
            elif isinstance(inner, ItemList):
                inner_lines = ["  " + line for line in inner_lines]
            lines += inner_lines
    return lines


def outline_to_text(doc: Outline, say_label: str = "say") -> str:
    """``doc`` as plain text in reading order, ending with one newline."""
    chunks: list[list[str]] = [[mark] for mark in doc.marks]
    if doc.logo:
        chunks.append([f"[Picture: {doc.logo}]"])
    chunks.append([doc.title, "=" * len(doc.title)])
    if doc.subtitle:
        chunks.append([doc.subtitle])
    for section in doc.sections:
        if section.urgent:
            chunks.append([section.urgent])
        chunks.append([section.heading, "-" * len(section.heading)])
        chunks += [lines for block in section.blocks if (lines := _block_lines(block, say_label))]
    text = "\n\n".join("\n".join(chunk) for chunk in chunks)
    return text.strip() + "\n"


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
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
