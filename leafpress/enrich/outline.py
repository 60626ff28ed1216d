"""The leaflet's structure with no HTML: for formats that are not pages (text, braille, audio).

Built from the Document's data and the Markdown trees of its bodies, never from HTML, so a
format that speaks or embosses the leaflet gets headings, lists, term/definition pairs,
pictures (as their alt text) and urgent boxes as what they are. Every piece of text carries
its own language where it differs from the leaflet's (``[bore da]{lang=cy}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:  # the output formats import this module when they are listed, not only when used
    from markdown_it.token import Token

    from leafpress.enrich.document import Document

# The links of a reference as the references style wrote them (the one HTML this module reads).
_HREF = re.compile(r'href="([^"]+)"')


@dataclass(frozen=True)
class Run:
    """A stretch of text with one language, inside one link or none."""

    text: str
    language: str | None = None  # None: the leaflet's own language
    link: str | None = None  # the address a link goes to
    picture: bool = False  # the text is a picture's alt text
    strong: bool = False


Inline = tuple[Run, ...]


def plain(text: Inline) -> str:
    """The words of ``text``, pictures as their alt text in brackets, whitespace as single spaces."""
    return " ".join("".join(f" [{run.text}] " if run.picture else run.text for run in text).split())


@dataclass(frozen=True)
class Heading:
    level: int  # 3 to 6: below the section heading
    text: Inline


@dataclass(frozen=True)
class Paragraph:
    text: Inline


@dataclass(frozen=True)
class Lines:
    """Lines that belong together, such as a postal address."""

    lines: tuple[Inline, ...]


@dataclass(frozen=True)
class ItemList:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Definition:
    term: Inline
    meaning: Inline
    say: str | None = None  # how to say the term, as the leaflet spells it ("JAWN-diss")


@dataclass(frozen=True)
class Definitions:
    pairs: tuple[Definition, ...]


@dataclass(frozen=True)
class Picture:
    alt: str  # "" for a decorative picture: nothing to say
    caption: Inline | None = None


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Table:
    """A table in a body: its header row's cells (a pipe table always has one), then each row's."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]


Block = Heading | Paragraph | Lines | ItemList | Definitions | Picture | Quote | Table


@dataclass(frozen=True)
class OutlineSection:
    heading: str
    blocks: tuple[Block, ...]
    # What the leaflet's urgent box says above its heading ("Get help now"), when it is one.
    urgent: str | None = None
    end_matter: bool = False  # words to know, contact, references, about


@dataclass(frozen=True)
class Outline:
    title: str
    subtitle: str | None
    language: str
    direction: str
    organisation: str
    # The logo's alt text when the leaflet shows a logo.
    logo: str | None
    sections: tuple[OutlineSection, ...]
    marks: tuple[str, ...] = ()
    # Every term the leaflet says how to pronounce: {"jaundice": "JAWN-diss"}.
    pronunciations: dict[str, str] = field(default_factory=dict)


def outline(document: Document) -> Outline:
    """The outline of ``document``: title, key points, sections, then the end matter."""
    leaflet, labels = document.leaflet, document.labels
    sections: list[OutlineSection] = []
    if document.summary_trees:
        points = tuple((Paragraph(_inline(tree[0].children if tree else [])),) for tree in document.summary_trees)
        sections.append(OutlineSection(labels["key_points"], (ItemList(False, points),)))
    for data, section in zip(document.sections, leaflet.sections, strict=True):
        blocks: list[Block] = []
        if data.figure is not None:
            caption = section.image.caption if section.image else None
            blocks.append(Picture(data.figure.alt, _inline_text(caption) if caption else None))
        blocks += _blocks(data.tree)
        if data.link is not None:
            blocks.append(_link(data.link.label, data.link.url, data.link.address))
        urgent = labels["urgent"] if data.callout == "urgent" else None
        sections.append(OutlineSection(data.heading, tuple(blocks), urgent))
    if leaflet.terms:
        pairs = tuple(Definition((Run(term.term),), (Run(term.meaning),), term.pronunciation) for term in leaflet.terms)
        sections.append(OutlineSection(labels["words_to_know"], (Definitions(pairs),), end_matter=True))
    if leaflet.contact is not None:
        sections.append(_contact(document))
    if document.link is not None:
        link = document.link
        sections[-1] = _with_block(sections[-1], _link(link.label, link.url, link.address))
    if document.references:
        entries = tuple((Paragraph(_reference(entry.html)),) for entry in document.references)
        sections.append(
            OutlineSection(labels["references"], (ItemList(document.numbered_references, entries),), end_matter=True)
        )
    sections.append(_about(document))
    return Outline(
        title=document.title,
        subtitle=leaflet.subtitle,
        language=document.language,
        direction=document.direction,
        organisation=document.organisation.name,
        logo=document.organisation.name if document.logo else None,
        sections=tuple(sections),
        marks=tuple(document.marks),
        pronunciations={term.term: term.pronunciation for term in leaflet.terms if term.pronunciation},
    )


def _reference(html: Markup) -> Inline:
    """A formatted reference's words, and the addresses its style links (a PubMed or DOI link)."""
    words = Markup(html).striptags()
    hrefs = [unescape(href) for href in _HREF.findall(str(html))]
    return (Run(words), *(Run("", link=href) for href in hrefs if href.split(":", 1)[-1].strip("/") not in words))


def _with_block(section: OutlineSection, block: Block) -> OutlineSection:
    return OutlineSection(section.heading, (*section.blocks, block), section.urgent, section.end_matter)


def _link(label: str, url: str, address: str) -> Paragraph:
    return Paragraph((Run(label, strong=True), Run(": "), Run(address, link=url)))


def _fields(pairs: list[tuple[str, str | None]]) -> Definitions:
    return Definitions(tuple(Definition((Run(name),), (Run(value),)) for name, value in pairs if value))


def _contact(document: Document) -> OutlineSection:
    contact, labels = document.leaflet.contact, document.labels
    assert contact is not None
    blocks: list[Block] = [Paragraph((Run(contact.text),))] if contact.text else []
    fields = _fields(
        [
            (labels["contact_name"], contact.name),
            (labels["phone"], contact.phone),
            (labels["hours"], contact.hours),
            (labels["email"], contact.email),
            (labels["website"], contact.website),
            (labels["address"], contact.address),
        ]
    )
    if fields.pairs:
        blocks.append(fields)
    return OutlineSection(contact.heading or labels["contact"], tuple(blocks), end_matter=True)


def _about(document: Document) -> OutlineSection:
    leaflet, labels, org, signoff = document.leaflet, document.labels, document.organisation, document.signoff
    details: list[tuple[str, str | None]] = [
        (labels["last_reviewed"], document.dates["last_reviewed"]),
        (labels["next_review"], document.dates["next_review"]),
        (labels["version"], leaflet.version),
        (labels["code"], leaflet.code),
        (labels["written_by"], ", ".join(leaflet.authors)),
        (
            labels["reviewed_by"],
            "; ".join(f"{p.name}, {p.role}" if p.role else p.name for p in leaflet.reviewers),
        ),
    ]
    if signoff and signoff.approved_by:
        details += [(labels["approved_by"], signoff.approved_by), (labels["approved_on"], signoff.approved_on)]
    elif signoff and signoff.is_draft:
        details.append((labels["status"], labels["draft_mark"]))
    blocks: list[Block] = [_fields(details)]
    if signoff and signoff.changes:
        rows = tuple(
            (Paragraph((Run(f"{change.version}, {change.date}: {change.summary}"),)),) for change in signoff.changes
        )
        blocks += [Heading(3, (Run(labels["changes"]),)), ItemList(False, rows)]
    if org.feedback:
        blocks.append(Paragraph((Run(labels["feedback"], strong=True), Run(": "), Run(org.feedback))))
    address = [
        f"{name}: {value}" if name else value
        for name, value in [
            ("", org.address),
            (labels["phone"], org.phone),
            (labels["email"], org.email),
            (labels["website"], org.website),
            (labels["charity_number"], org.charity_number),
        ]
        if value
    ]
    blocks.append(Lines(((Run(org.name, strong=True),), *((Run(line),) for line in address))))
    mark = org.quality_mark
    if mark is not None:
        if document.quality_mark:
            blocks.append(Picture(mark.alt or ""))
        if mark.statement:
            blocks.append(Paragraph((Run(mark.statement),)))
    return OutlineSection(labels["about"], tuple(blocks), end_matter=True)


def _inline_text(text: str) -> Inline:
    from leafpress.enrich.markdown import markdown_tree  # the Markdown parser loads when a leaflet is outlined

    tree = markdown_tree(text, inline=True)
    return _inline(tree[0].children if tree else [])


def _inline(children: list[Token] | None) -> Inline:
    """The runs of an inline token's children: language spans, links and pictures kept."""
    runs: list[Run] = []
    languages: list[str | None] = [None]
    links: list[str | None] = [None]
    strong = 0
    for child in children or []:
        kind = child.type
        if kind == "span_open":
            languages.append(str(child.attrs.get("lang")) or languages[-1])
        elif kind == "span_close" and len(languages) > 1:
            languages.pop()
        elif kind == "link_open":
            links.append(str(child.attrs.get("href", "")))
        elif kind == "link_close" and len(links) > 1:
            links.pop()
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong = max(strong - 1, 0)
        elif kind in ("text", "code_inline"):
            runs.append(Run(child.content, languages[-1], links[-1], strong=strong > 0))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" " if kind == "softbreak" else "\n", languages[-1], links[-1]))
        elif kind == "image":
            runs.append(Run(child.content, languages[-1], picture=True))
        elif kind == "html_inline":  # a citation, printed by the references style: "[1]"
            runs.append(Run(Markup(child.content).striptags(), languages[-1], links[-1]))
    return tuple(run for run in runs if run.text)


def _blocks(tokens: list[Token]) -> list[Block]:
    blocks, _ = _read(tokens, 0, None)
    return blocks


def _read(tokens: list[Token], start: int, until: str | None) -> tuple[list[Block], int]:
    """The blocks from ``tokens[start]`` up to the closing token ``until``; and where that is."""
    blocks: list[Block] = []
    index = start
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == until:
            return blocks, index
        if kind == "heading_open":
            blocks.append(Heading(int(token.tag[1]), _inline(tokens[index + 1].children)))
            index += 3
            continue
        if kind == "paragraph_open":
            text = _inline(tokens[index + 1].children)
            blocks += _paragraph(text)
            index += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            closing = kind.replace("_open", "_close")
            items: list[tuple[Block, ...]] = []
            index += 1
            while tokens[index].type != closing:
                item, index = _read(tokens, index + 1, "list_item_close")
                items.append(tuple(item))
                index += 1
            start_number = int(str(token.attrs.get("start", 1))) if kind == "ordered_list_open" else 1
            blocks.append(ItemList(kind == "ordered_list_open", tuple(items), start_number))
        elif kind == "blockquote_open":
            inner, index = _read(tokens, index + 1, "blockquote_close")
            blocks.append(Quote(tuple(inner)))
        elif kind == "table_open":
            table, index = _table(tokens, index + 1)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            blocks.append(Lines(tuple((Run(line),) for line in token.content.splitlines() if line.strip())))
        index += 1
    return blocks, index


def _table(tokens: list[Token], start: int) -> tuple[Table, int]:
    """The table whose cells start at ``tokens[start]``; and where its closing token is."""
    header: list[Inline] = []
    rows: list[list[Inline]] = []
    index, in_head = start, False
    while tokens[index].type != "table_close":
        kind = tokens[index].type
        if kind in ("thead_open", "thead_close"):
            in_head = kind == "thead_open"
        elif kind == "tr_open" and not in_head:
            rows.append([])
        elif kind == "inline":
            (header if in_head else rows[-1]).append(_inline(tokens[index].children))
        index += 1
    return Table(tuple(header), tuple(tuple(row) for row in rows)), index


def _paragraph(text: Inline) -> list[Block]:
    """A paragraph holding only a picture is that picture; hard line breaks make lines."""
    if len(text) == 1 and text[0].picture:
        return [Picture(text[0].text)]
    if any(run.text == "\n" for run in text):
        lines: list[list[Run]] = [[]]
        for run in text:
            if run.text == "\n":
                lines.append([])
            else:
                lines[-1].append(run)
        return [Lines(tuple(tuple(line) for line in lines if line))]
    return [Paragraph(text)]
