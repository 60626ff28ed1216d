"""Translation units: the pieces of a leaflet a translator translates, each with a stable id.

A unit is one piece of text a reader sees: the title, each key point, each section heading,
each paragraph, list item and heading inside a body, image alt texts and captions, terms
and their meanings, and the contact details that are words (not numbers or addresses on the
web). Its id says where it is (``sections.2.body.1``: the second block of the third
section's body), so the same id finds the same place in the source and in a translation.

Each unit's source text is remembered as a hash in the translation (``translated_units``);
when the source changes, the units whose hash no longer matches are stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.model import Leaflet
from leafpress.source.load import load_yaml
from leafpress.source.translations import find_source
from leafpress.source.validate import validate

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@cache
def _block_parser() -> MarkdownIt:
    """Plain CommonMark, only to find the blocks of a body and the lines each takes; made on first
    use, as `leafpress status` reads this module for leaflets that have no translation."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


CONTACT_WORDS = ("heading", "text", "name", "hours", "address")


@dataclass(frozen=True)
class Unit:
    id: str
    text: str
    # What the translator should know about it ("a list item in the section 'When to get help'").
    note: str

    @property
    def hash(self) -> str:
        return unit_hash(self.text)


def unit_hash(text: str) -> str:
    """A short hash of ``text`` with its white space folded (re-wrapping a line is no change)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class BodyBlock:
    """One translatable block of a Markdown body: its text and the lines it takes."""

    text: str
    kind: str
    first_line: int
    end_line: int
    # What stands before the text on its first line: "- ", "1. ", "## ", "> ", indentation.
    prefix: str


def body_blocks(body: str) -> list[BodyBlock]:
    """The paragraphs, list items and headings of ``body``, in order; one block for an odd layout."""
    lines = body.split("\n")
    blocks: list[BodyBlock] = []
    in_items = 0
    in_heading = False
    table_end = -1
    for token in _block_parser().parse(body):
        if token.type == "table_open" and token.map is not None:
            # A table is one unit, its rows kept on their lines: the translator keeps the pipes.
            start, table_end = token.map
            column = len(lines[start]) - len(lines[start].lstrip())
            text = "\n".join(line.strip() for line in lines[start:table_end])
            blocks.append(BodyBlock(text, "table", start, table_end, lines[start][:column]))
        if token.map is not None and token.map[0] < table_end:
            continue
        in_items += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
        in_heading = token.type == "heading_open" or (in_heading and token.type != "heading_close")
        if token.type != "inline" or token.map is None:
            continue
        kind = "heading" if in_heading else "list item" if in_items else "paragraph"
        start, end = token.map
        first = token.content.split("\n")[0].strip()
        column = lines[start].find(first[:20]) if first else -1
        if column < 0 or (blocks and start < blocks[-1].end_line):
            return [BodyBlock(body, "text", 0, len(lines), "")]
        blocks.append(BodyBlock(token.content, kind, start, end, lines[start][:column]))
    return blocks or [BodyBlock(body, "text", 0, len(lines), "")]


def replace_blocks(body: str, translated: dict[int, str]) -> str:
    """``body`` with block ``n`` (as :func:`body_blocks` numbers them) replaced by ``translated[n]``."""
    lines = body.split("\n")
    blocks = body_blocks(body)
    for number in sorted(translated, reverse=True):
        if number >= len(blocks):
            continue
        block = blocks[number]
        if block.kind == "table":  # a row per line, each at the table's indentation
            rows = [row.strip() for row in translated[number].split("\n") if row.strip()]
            lines[block.first_line : block.end_line] = [block.prefix + row for row in rows]
            continue
        text = " ".join(translated[number].split())
        lines[block.first_line : block.end_line] = [block.prefix + text]
    return "\n".join(lines)


def translation_units(leaflet: Leaflet) -> list[Unit]:
    """Every translatable piece of ``leaflet``, in reading order."""
    units = [Unit("title", leaflet.title, "the leaflet's title")]
    if leaflet.subtitle:
        units.append(Unit("subtitle", leaflet.subtitle, "the subtitle under the title"))
    units += [
        Unit(f"summary.{i}", text, "a key point, in the box at the top") for i, text in enumerate(leaflet.summary)
    ]
    for i, section in enumerate(leaflet.sections):
        where = f"the section '{section.heading}'"
        units.append(Unit(f"sections.{i}.heading", section.heading, f"the heading of section {i + 1}"))
        if section.body:
            units += [
                Unit(
                    f"sections.{i}.body.{j}",
                    block.text,
                    f"a {block.kind} in {where}; keep [@key] citations and Markdown marks (**bold**, [link](url))"
                    + ("; keep each row on its own line and the | between cells" if block.kind == "table" else ""),
                )
                for j, block in enumerate(body_blocks(section.body))
            ]
        if section.image is not None:
            units.append(Unit(f"sections.{i}.image.alt", section.image.alt, f"alt text of the picture in {where}"))
            if section.image.caption:
                units.append(Unit(f"sections.{i}.image.caption", section.image.caption, f"caption in {where}"))
        if section.link is not None:
            units.append(Unit(f"sections.{i}.link.label", section.link.label, f"what the link in {where} leads to"))
    for i, term in enumerate(leaflet.terms):
        units.append(Unit(f"terms.{i}.term", term.term, "a word explained in 'Words to know'"))
        units.append(Unit(f"terms.{i}.meaning", term.meaning, f"what '{term.term}' means, in plain words"))
    if leaflet.contact is not None:
        for name in CONTACT_WORDS:
            value = getattr(leaflet.contact, name)
            if value:
                units.append(Unit(f"contact.{name}", value, f"the contact details' {name}"))
    if leaflet.link is not None:
        units.append(Unit("link.label", leaflet.link.label, "what the leaflet's own link leads to"))
    return units


def stale_units(source: Leaflet, translation: Leaflet) -> list[str]:
    """Ids of the units whose source text changed since ``translation`` was made (or that it lacks).

    Empty for a translation that records no units (made by hand: nothing to compare).
    """
    if not translation.translated_units:
        return []
    return [unit.id for unit in translation_units(source) if translation.translated_units.get(unit.id) != unit.hash]


def apply_translations(source_data: dict[str, Any], translated: dict[str, str]) -> dict[str, Any]:
    """A copy of the source leaflet's YAML data with each unit's text replaced by its translation."""
    data: dict[str, Any] = _copy(source_data)
    bodies: dict[int, dict[int, str]] = {}
    for unit_id, text in translated.items():
        parts = unit_id.split(".")
        if parts[0] == "sections" and len(parts) == 4 and parts[2] == "body":
            bodies.setdefault(int(parts[1]), {})[int(parts[3])] = text
            continue
        _set(data, parts, text)
    for index, blocks in bodies.items():
        section = data["sections"][index]
        section["body"] = replace_blocks(str(section["body"]), blocks)
    return data


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _set(data: Any, parts: list[str], text: str) -> None:
    target = data
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = text
    else:
        target[last] = text


@dataclass(frozen=True)
class Staleness:
    """A translation's source and the ids of its units made from text the source no longer has."""

    source: Path
    tracked: bool
    stale: list[str]


def translation_staleness(path: Path, translation: Leaflet) -> Staleness | None:
    """How far the translation at ``path`` is behind its source; None for a leaflet that is no translation."""
    found = find_source(path)
    if found is None:
        return None
    try:
        source = validate(load_yaml(found[0]), Leaflet)
    except (LeafpressError, LeafpressErrors):
        return None  # the translation link reports a broken source
    return Staleness(found[0], bool(translation.translated_units), stale_units(source, translation))
