"""The text a patient reads, as units taken from the Markdown structure, each with its YAML line.

Every heading, list item, table cell and caption is its own unit, and paragraphs are cut
into sentences, so a bullet list without full stops is never one giant sentence. The end
matter leafpress appends (references, review details, contact block) is left out.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Literal

from markdown_it.token import Token

from leafpress.checks.readability.sentences import plain, split_sentences
from leafpress.core.model import Leaflet
from leafpress.enrich.citations import CITATION
from leafpress.enrich.document import LABELS
from leafpress.enrich.markdown import parse_markdown
from leafpress.source.load import Key, Loaded

UnitKind = Literal["heading", "sentence", "item", "cell", "caption", "term"]
# Headings and glossary words are read, but they are labels, not sentences.
UNSCORED = frozenset({"heading", "term"})


@dataclass
class TextUnit:
    """One sentence, list item, cell or caption (or a heading), as the reader sees it."""

    text: str
    line: int
    kind: UnitKind
    section: str

    @property
    def scored(self) -> bool:
        return self.kind not in UNSCORED


@dataclass
class Block:
    """A paragraph, list, table, caption or heading: ``items`` holds one list of units per
    paragraph, list item or cell."""

    kind: Literal["heading", "paragraph", "list", "table", "caption", "glossary"]
    items: list[list[TextUnit]] = field(default_factory=list)
    ordered: bool = False

    @property
    def units(self) -> list[TextUnit]:
        return [unit for item in self.items for unit in item]


@dataclass
class TextSection:
    heading: str
    line: int
    kind: Literal["key_points", "section", "glossary"] = "section"
    blocks: list[Block] = field(default_factory=list)
    callout: str | None = None
    has_image: bool = False
    image_alt: str | None = None
    image_caption: str | None = None

    @property
    def units(self) -> list[TextUnit]:
        return [unit for block in self.blocks for unit in block.units]


_CITATION_AS_WRITTEN = re.compile(r"[ \t]*" + CITATION.pattern)


class _Lines:
    """YAML lines of the text inside one value. In a literal block (``|``) Markdown line n is
    YAML line start + n; elsewhere YAML refolds the lines, so the text is looked for instead."""

    def __init__(self, loaded: Loaded, key: Key) -> None:
        self.start = loaded.text_line(key)
        self.source_lines = loaded.source.splitlines()
        key_line = self.source_lines[loaded.location(key).line - 1] if self.source_lines else ""
        self.literal = key in loaded.block_scalars and re.search(r":\s*\|", key_line) is not None
        self.cursor = self.start

    def line(self, markdown_line: int, text: str) -> int:
        if self.literal:
            return self.start + markdown_line
        words = [w for w in re.findall(r"\w+", text) if len(w) > 3][:1]
        for number in range(self.cursor, len(self.source_lines) + 1):
            if not words or words[0] in self.source_lines[number - 1]:
                self.cursor = number
                return number
        return self.cursor


# The last leaflet this thread extracted: ``check`` asks for the same one twice (readability,
# then the words text fidelity looks for), and its Markdown is the larger part of the cost.
_last = threading.local()


def extract(loaded: Loaded, leaflet: Leaflet) -> list[TextSection]:
    """The leaflet's readable text, section by section: key points, sections, words to know.

    The result is shared with the next caller asking about the same objects: do not change it.
    """
    kept: tuple[Loaded, Leaflet, list[TextSection]] | None = getattr(_last, "sections", None)
    if kept is not None and kept[0] is loaded and kept[1] is leaflet:
        return kept[2]
    sections = _extract(loaded, leaflet)
    _last.sections = (loaded, leaflet, sections)
    return sections


def _extract(loaded: Loaded, leaflet: Leaflet) -> list[TextSection]:
    sections: list[TextSection] = []
    if leaflet.summary:
        heading = LABELS["key_points"]
        points = TextSection(heading=heading, line=loaded.location(("summary",)).line, kind="key_points")
        block = Block("list")
        for index, point in enumerate(leaflet.summary):
            block.items.append(_inline_units(point, _Lines(loaded, ("summary", index)), 0, "item", heading))
        points.blocks.append(block)
        sections.append(points)
    for index, section in enumerate(leaflet.sections):
        key = ("sections", index)
        text = TextSection(heading=section.heading, line=loaded.location(key).line, callout=section.callout)
        heading_line = loaded.text_line((*key, "heading"))
        text.blocks.append(
            Block("heading", [[TextUnit(plain(section.heading), heading_line, "heading", section.heading)]])
        )
        if section.body:
            text.blocks += _markdown_blocks(section.body, _Lines(loaded, (*key, "body")), section.heading)
        if section.image is not None:
            text.has_image, text.image_alt = True, section.image.alt
            text.image_caption = section.image.caption
            if section.image.caption:
                lines = _Lines(loaded, (*key, "image", "caption"))
                text.blocks.append(
                    Block("caption", [_inline_units(section.image.caption, lines, 0, "caption", section.heading)])
                )
        sections.append(text)
    if leaflet.terms:
        heading = LABELS["words_to_know"]
        glossary = TextSection(heading=heading, line=loaded.location(("terms",)).line, kind="glossary")
        block = Block("glossary")
        for index, term in enumerate(leaflet.terms):
            label = TextUnit(plain(term.term), loaded.text_line(("terms", index, "term")), "term", heading)
            meaning = _inline_units(term.meaning, _Lines(loaded, ("terms", index, "meaning")), 0, "item", heading)
            block.items.append([label, *meaning])
        glossary.blocks.append(block)
        sections.append(glossary)
    return sections


def _markdown_blocks(body: str, lines: _Lines, section: str) -> list[Block]:
    """Blocks of one Markdown body, in reading order (a nested list follows its parent item)."""
    blocks: list[Block] = []
    lists: list[Block] = []
    table: Block | None = None
    in_item = 0
    for index, token in enumerate(_tokens := parse_markdown(body)):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(Block("list", ordered=kind == "ordered_list_open"))
            blocks.append(lists[-1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            in_item += 1
            lists[-1].items.append([])
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "table_open":
            table = Block("table")
            blocks.append(table)
        elif kind == "table_close":
            table = None
        elif kind != "inline":
            continue
        elif _tokens[index - 1].type == "heading_open":
            unit = TextUnit(
                plain(_plain_text(token)), lines.line(_first_line(token), _plain_text(token)), "heading", section
            )
            blocks.append(Block("heading", [[unit]]))
        elif table is not None:
            table.items.append(_inline_units(token, lines, _first_line(token), "cell", section))
        elif in_item and lists:
            lists[-1].items[-1] += _inline_units(token, lines, _first_line(token), "item", section)
        else:
            blocks.append(Block("paragraph", [_inline_units(token, lines, _first_line(token), "sentence", section)]))
    return [block for block in blocks if block.units]


def _first_line(token: Token) -> int:
    return token.map[0] if token.map else 0


def _plain_text(token: Token) -> str:
    """The words of an inline token as the reader sees them: markup gone, line breaks kept."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    # "[@key]" prints as "[1]": its key is not words the reader reads, nor the space before it.
    return _CITATION_AS_WRITTEN.sub("", "".join(parts))


def _inline_units(source: Token | str, lines: _Lines, first_line: int, kind: UnitKind, section: str) -> list[TextUnit]:
    """The sentences of one paragraph, item, cell or caption; a list item or cell is at least one unit."""
    if isinstance(source, str):
        tokens = parse_markdown(source)
        text = "\n".join(_plain_text(t) for t in tokens if t.type == "inline")
    else:
        text = _plain_text(source)
    units = []
    for start, end in split_sentences(text):
        sentence = plain(text[start:end])
        line = lines.line(first_line + text.count("\n", 0, start), sentence)
        units.append(TextUnit(sentence, line, kind, section))
    return units
