"""The outline in reading order as lines: what the text, braille and audio formats lay out.

Each block becomes a group of lines (a paragraph, a whole list, a set of terms, an address);
each line keeps what it is (a heading, a list item…), how deep in lists it sits and its
marker, so a format decides only how those look or sound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from leafpress.enrich.outline import (
    Block,
    Definition,
    Definitions,
    Heading,
    Inline,
    ItemList,
    Lines,
    Outline,
    OutlineSection,
    Paragraph,
    Picture,
    Quote,
    Table,
    plain,
)

LINK_SCHEMES = ("http://", "https://", "mailto:")
LineKind = Literal["title", "heading", "subheading", "paragraph", "item", "line", "picture", "term", "urgent"]


@dataclass(frozen=True)
class ReadingLine:
    kind: LineKind
    text: str
    depth: int = 0  # how many lists it sits in, less one
    marker: str = ""  # "- " or "3. " on a list item's first line


Group = list[ReadingLine]


def with_addresses(text: Inline) -> str:
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


def term_text(pair: Definition, say_label: str) -> str:
    """ "jaundice (say “JAWN-diss”): yellowing of the skin"."""
    say = f" ({say_label} “{pair.say}”)" if pair.say else ""
    return f"{plain(pair.term)}{say}: {with_addresses(pair.meaning)}"


def row_text(header: tuple[Inline, ...], row: tuple[Inline, ...]) -> str:
    """ "Week: 1; Tablets: 8; What to watch for: trouble sleeping": each cell after its column's
    name, so a row read alone (aloud, in braille) still says what each value is; empty cells left out."""
    cells = []
    for number, cell in enumerate(row):
        value = with_addresses(cell)
        name = plain(header[number]) if number < len(header) else ""
        if value:
            cells.append(f"{name}: {value}" if name else value)
    return "; ".join(cells)


def block_lines(block: Block, say_label: str, depth: int = 0) -> Group:
    """The lines of one block."""
    if isinstance(block, Heading):
        return [ReadingLine("subheading", with_addresses(block.text), depth)]
    if isinstance(block, Paragraph):
        return [ReadingLine("paragraph", with_addresses(block.text), depth)]
    if isinstance(block, Lines):
        return [ReadingLine("line", with_addresses(line), depth) for line in block.lines]
    if isinstance(block, Picture):
        alt = [ReadingLine("picture", f"[Picture: {block.alt}]", depth)] if block.alt.strip() else []
        return alt + ([ReadingLine("paragraph", with_addresses(block.caption), depth)] if block.caption else [])
    if isinstance(block, Definitions):
        return [ReadingLine("term", term_text(pair, say_label), depth) for pair in block.pairs]
    if isinstance(block, Quote):
        return [line for inner in block.blocks for line in block_lines(inner, say_label, depth)]
    if isinstance(block, Table):
        return [ReadingLine("line", row_text(block.header, row), depth) for row in block.rows]
    lines: Group = []
    for number, item in enumerate(block.items, start=block.start):
        marker = f"{number}. " if block.ordered else "- "
        first = True
        for inner in item:
            inner_lines = block_lines(inner, say_label, depth + 1)
            if isinstance(inner, ItemList):  # a list inside the item: its lines keep their own markers
                lines += inner_lines
                continue
            for line in inner_lines:
                if line.depth == depth + 1:  # the item's own text
                    kind: LineKind = "item" if first else line.kind
                    line = ReadingLine(kind, line.text, depth, marker if first else "")
                    first = False
                lines.append(line)
    return lines


def section_groups(section: OutlineSection, say_label: str) -> list[Group]:
    """A section's heading (after its urgent label) and its blocks, one group each."""
    groups: list[Group] = [[ReadingLine("urgent", section.urgent)]] if section.urgent else []
    groups.append([ReadingLine("heading", section.heading)])
    return groups + [lines for block in section.blocks if (lines := block_lines(block, say_label))]


def front_groups(doc: Outline, logo: bool = True) -> list[Group]:
    """The marks, the logo (unless ``logo`` is False), the title and the subtitle."""
    groups: list[Group] = [[ReadingLine("urgent", mark)] for mark in doc.marks]
    if doc.logo and logo:
        groups.append([ReadingLine("picture", f"[Picture: {doc.logo}]")])
    groups.append([ReadingLine("title", doc.title)])
    if doc.subtitle:
        groups.append([ReadingLine("paragraph", doc.subtitle)])
    return groups
