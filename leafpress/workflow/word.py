"""Import from Word: a .docx leaflet becomes a leafpress YAML draft, through mammoth's clean HTML.

What Word holds is mapped to what a leaflet holds: the first heading is the title, each
level-2 heading starts a section, paragraphs and lists become the section's Markdown, bold
and links are kept, pictures are saved beside the leaflet with their alt text, a "Key
points" list becomes the summary, a "References" list is split into entries where its
shape allows (the rest is kept as text with a TODO), and "Last reviewed"/"Next review"
dates are read from the text. What could not be found is marked ``TODO`` and listed, so
the draft always validates and an editor knows what to finish.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
from lxml.html import HtmlElement

from leafpress.core.errors import LeafpressError, Location
from leafpress.workflow.yaml_out import dump_leaflet

# A Word leaflet is a few megabytes at most; a zip that unpacks to far more is refused unread.
MAX_DOCX_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000
MAX_ZIP_ENTRIES = 5_000
MAX_IMAGE_BYTES = 5_000_000
IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/svg+xml": ".svg"}
# Word's own Title and Subtitle styles name the leaflet's title and subtitle.
STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
"""
SUMMARY_HEADINGS = re.compile(r"^(key points|summary|in brief|at a glance)\b", re.IGNORECASE)
REFERENCE_HEADINGS = re.compile(r"^(references|sources|bibliography|further reading)\b", re.IGNORECASE)
LAST_REVIEWED = re.compile(r"\b(?:last\s+reviewed|reviewed|date\s+of\s+(?:publication|review))\s*:?\s*(.+)$", re.I)
NEXT_REVIEW = re.compile(r"\bnext\s+review(?:\s+(?:due|date))?\s*:?\s*(.+)$", re.IGNORECASE)
_MONTHS = {
    name: index
    for index, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
_URL = re.compile(r"https?://[^\s<>\]\)]+[^\s<>\]\).,;]")
# The date runs to the first "." or "]"; one scan, no lazy run re-tried at every space.
_ACCESSED = re.compile(r"(?:accessed|cited)\s*:?\s*([^\].]+)", re.IGNORECASE)


@dataclass
class Draft:
    """A leaflet draft made from a Word file, and what is left to do."""

    data: dict[str, Any]
    todos: list[str] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    unsplit_references: list[str] = field(default_factory=list)


def check_docx(path: Path) -> None:
    """Refuse a file that is not a .docx, is too large, or unpacks to too much (a zip bomb)."""
    where = Location(path)
    if not path.is_file():
        raise LeafpressError(Location.whole_file(path), "no such file", "give the path of a .docx file")
    if path.stat().st_size > MAX_DOCX_BYTES:
        raise LeafpressError(where, f"the file is over {MAX_DOCX_BYTES // 1_000_000} MB", "is it the right file?")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
                raise LeafpressError(where, "the file unpacks to far more than a leaflet", "is it the right file?")
            if "word/document.xml" not in archive.namelist():
                raise LeafpressError(where, "not a Word document (.docx)", "save it from Word as .docx")
    except zipfile.BadZipFile:
        raise LeafpressError(where, "not a Word document (.docx)", "save it from Word as .docx (not .doc)") from None


def docx_to_html(path: Path, image_folder: Path, image_stem: str) -> tuple[str, list[Path], list[str]]:
    """mammoth's HTML for the .docx, with each picture saved in ``image_folder``; and its messages."""
    import mammoth

    check_docx(path)
    saved: list[Path] = []

    def save_image(image: Any) -> dict[str, str]:
        suffix = IMAGE_SUFFIXES.get(image.content_type)
        if suffix is None:
            return {"src": "", "data-unsupported": image.content_type or "unknown"}
        with image.open() as stream:
            data = stream.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            return {"src": "", "data-unsupported": "too large"}
        image_folder.mkdir(parents=True, exist_ok=True)
        target = image_folder / f"{image_stem}-{len(saved) + 1}{suffix}"
        target.write_bytes(data)
        saved.append(target)
        return {"src": target.name}

    with path.open("rb") as stream:
        # A picture "linked" rather than embedded names a file or web address of the sender's
        # choosing (file:///home/…/.ssh/id_rsa): never opened, it becomes a TODO like any lost picture.
        result = mammoth.convert_to_html(
            stream,
            convert_image=mammoth.images.img_element(save_image),
            style_map=STYLE_MAP,
            external_file_access=False,
        )
    return result.value, saved, [message.message for message in result.messages]


def slug(text: str) -> str:
    """A file-name-safe stem: lower case, ASCII letters, digits and hyphens."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60] or "leaflet"


def parse_date(text: str) -> dt.date | None:
    """A date as leaflets write it: 12 March 2025, March 2025, 2025-03-12, 12/03/2025 (day first)."""
    text = text.strip().rstrip(".")
    if match := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        return _date(int(match[3]), int(match[2]), int(match[1]))
    if match := re.search(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\s+(\d{4})\b", text):
        month = _MONTHS.get(match[2].lower())
        if month:
            return _date(int(match[3]), month, int(match[1] or 1))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Inline HTML → Markdown ----------------------------------------------------------------------
def inline_markdown(element: HtmlElement) -> str:
    """The element's text as Markdown: bold, italics and web links kept, everything else as text."""
    parts: list[str] = [_escape(element.text or "")]
    for child in element:
        parts.append(_inline_child(child))
        parts.append(_escape(child.tail or ""))
    return " ".join("".join(parts).split())


def _inline_child(child: HtmlElement) -> str:
    tag = child.tag if isinstance(child.tag, str) else ""
    inner = inline_markdown(child)
    if tag in ("strong", "b") and inner:
        return f"**{inner}**"
    if tag in ("em", "i") and inner:
        return f"*{inner}*"
    if tag == "a":
        href = child.get("href") or ""
        if re.match(r"^(https?://|mailto:)", href) and inner:
            return f"[{inner}]({href})"
        return inner
    if tag == "br":
        return " "
    if tag == "img":
        return ""  # pictures are taken out by the caller
    return inner


def _table_cell(cell: HtmlElement) -> str:
    """A table cell's text as inline Markdown: its paragraphs on one line, its pipes escaped."""
    blocks = [child for child in cell if child.tag in ("p", "ul", "ol")] or [cell]
    return " ".join(inline_markdown(block) for block in blocks).replace("|", "\\|")


def _escape(text: str) -> str:
    # Characters that would start Markdown or a citation where Word meant plain text.
    return re.sub(r"([\\*_`\[\]<>])", r"\\\1", text)


class _Builder:
    """Walks mammoth's HTML once, filling the leaflet's data."""

    def __init__(self, source: Path, image_prefix: str) -> None:
        self.source = source
        self.image_prefix = image_prefix
        self.title: str | None = None
        self.subtitle: str | None = None
        self.summary: list[str] = []
        self.sections: list[dict[str, Any]] = []
        self.body: list[str] = []
        self.references: list[dict[str, Any]] = []
        self.unsplit: list[str] = []
        self.last_reviewed: dt.date | None = None
        self.next_review: dt.date | None = None
        self.todos: list[str] = []
        self.mode = "body"  # or "summary", "references"
        self.pictures_without_alt = 0
        self.has_h1 = False
        self.has_title_style = False
        # Headings at this level or above start sections; deeper ones are headings inside a section.
        self.section_level = 2

    def add(self, element: HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        text = " ".join(element.text_content().split())
        classes = (element.get("class") or "").split()
        if "title" in classes and self.title is None:
            self.title = text or None
        elif "subtitle" in classes and self.subtitle is None and not self.sections:
            self.subtitle = text or None  # a subtitle is plain text: Markdown would print as "**"
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading(int(tag[1]), text)
        elif self._review_date(text):
            return
        elif tag in ("ul", "ol"):
            self._list(element, ordered=tag == "ol")
        elif tag == "p":
            self._paragraph(element, text)
        elif tag == "table":
            self._table(element)

    def _table(self, element: HtmlElement) -> None:
        """A rectangular table as a Markdown table (its first row the header); any other as a list."""
        rows = [[cell for cell in row if cell.tag in ("td", "th")] for row in element.iter("tr")]
        rows = [row for row in rows if any(" ".join(cell.text_content().split()) for cell in row)]
        if not rows:
            return
        merged = any(cell.get("colspan") or cell.get("rowspan") for row in rows for cell in row)
        if len(rows) >= 2 and len({len(row) for row in rows}) == 1 and len(rows[0]) >= 2 and not merged:
            lines = ["| " + " | ".join(_table_cell(cell) for cell in row) + " |" for row in rows]
            lines.insert(1, "| " + " | ".join("---" for _ in rows[0]) + " |")
            self._add_body("\n".join(lines))
            if not all(cell.tag == "th" for cell in rows[0]):
                # Word marks a header row only when it repeats on each page: say which row leads.
                self.todos.append(f"the table in section {len(self.sections)}: check its first row names its columns")
            return
        texts = [" — ".join(" ".join(cell.text_content().split()) for cell in row) for row in rows]
        self._add_body("\n".join(f"- {_escape(text)}" for text in texts))
        self.todos.append(
            f"a table in section {len(self.sections)} with merged or missing cells became a list: check it reads well"
        )

    def _heading(self, level: int, text: str) -> None:
        if not text:
            return
        # The title is Word's Title, else the first level-1 heading, else the first heading of all.
        if self.title is None and not self.has_title_style and (level == 1 or not self.has_h1):
            self.title = text
            return
        if level <= self.section_level:
            self._close_section()
            if SUMMARY_HEADINGS.match(text):
                self.mode = "summary"
            elif REFERENCE_HEADINGS.match(text):
                self.mode = "references"
            else:
                self.mode = "body"
                self.sections.append({"heading": text})
            return
        if self.mode == "summary":
            self.mode = "body"
        if self.mode == "body":
            # A body's "#" is the level under the section heading.
            self._add_body("#" * min(level - 2, 4) + " " + _escape(text))

    def _review_date(self, text: str) -> bool:
        for pattern, name in ((NEXT_REVIEW, "next_review"), (LAST_REVIEWED, "last_reviewed")):
            match = pattern.search(text)
            if match and len(text) < 120 and (day := parse_date(match[1])):
                setattr(self, name, day)
                return True
        return False

    def _paragraph(self, element: HtmlElement, text: str) -> None:
        pictures = [img for img in element.iter("img")]
        markdown = inline_markdown(element)
        for img in pictures:
            src = img.get("src") or ""
            alt = " ".join((img.get("alt") or "").split())
            if not src:
                self.todos.append(f"a picture Word stored as {img.get('data-unsupported')} could not be kept")
                continue
            if not alt:
                self.pictures_without_alt += 1
                alt = "TODO: say what this picture shows"
                self.todos.append(f"alt text for the picture {src}")
            self._add_body(f"![{_escape(alt)}]({self.image_prefix}{src})")
        if not markdown:
            return
        if self.mode == "references":
            self._reference(text)
        elif self.mode == "summary":
            self.summary.append(markdown)
        elif (
            self.title is not None and not self.sections and not self.body and self.subtitle is None and len(text) < 90
        ):
            self.subtitle = text
        else:
            self._add_body(markdown)

    def _list(self, element: HtmlElement, ordered: bool, depth: int = 0) -> None:
        lines: list[str] = []
        for number, item in enumerate((li for li in element if li.tag == "li"), start=1):
            nested = [child for child in item if child.tag in ("ul", "ol")]
            for child in nested:
                item.remove(child)
            text = inline_markdown(item)
            if self.mode == "references" and depth == 0:
                self._reference(" ".join(item.text_content().split()))
                continue
            if self.mode == "summary" and depth == 0:
                self.summary.append(text)
                continue
            marker = f"{number}." if ordered else "-"
            lines.append("   " * depth + f"{marker} {text}")
            for child in nested:
                lines += self._nested_list(child, child.tag == "ol", depth + 1)
        if lines:
            self._add_body("\n".join(lines))

    def _nested_list(self, element: HtmlElement, ordered: bool, depth: int) -> list[str]:
        lines = []
        for number, item in enumerate((li for li in element if li.tag == "li"), start=1):
            marker = f"{number}." if ordered else "-"
            lines.append("   " * depth + f"{marker} {inline_markdown(item)}")
        return lines

    def _reference(self, text: str) -> None:
        entry = split_reference(text)
        if entry is None:
            self.unsplit.append(text)
        else:
            self.references.append({"key": f"ref-{len(self.references) + 1}", **entry})

    def _add_body(self, markdown: str) -> None:
        if not self.sections:
            self.sections.append({"heading": "TODO: heading"})
            self.todos.append("a heading for the text before the first Word heading")
        self.body.append(markdown)

    def _close_section(self) -> None:
        if self.sections and self.body:
            self.sections[-1]["body"] = "\n\n".join(self.body)
        self.body = []

    def finish(self, today: dt.date) -> dict[str, Any]:
        self._close_section()
        for section in self.sections:
            if "body" not in section:
                section["body"] = "TODO: the text of this section"
                self.todos.append(f"text for the section '{section['heading']}'")
        if self.title is None:
            self.title = "TODO: title"
            self.todos.append("the title")
        if not self.sections:
            self.sections = [{"heading": "TODO: heading", "body": "TODO: the leaflet's text"}]
            self.todos.append("the leaflet's sections (no headings were found)")
        data: dict[str, Any] = {"title": self.title}
        if self.subtitle:
            data["subtitle"] = self.subtitle
        data["status"] = "draft"
        data["version"] = "1.0"
        if self.summary:
            data["summary"] = self.summary[:7]
        data["sections"] = self.sections
        if self.references:
            data["references"] = self.references
        review: dict[str, Any] = {"last_reviewed": self.last_reviewed or today}
        if self.last_reviewed is None:
            self.todos.append(f"review.last_reviewed (set to the import date, {today.isoformat()})")
        if self.next_review and self.next_review > review["last_reviewed"]:
            review["next_review"] = self.next_review
        data["review"] = review
        return data


def split_reference(text: str) -> dict[str, Any] | None:
    """A reference's fields from its text when its shape is the usual one; None when unsure.

    Recognised: ``Authors. Title. Rest; Year`` (with an optional web address and accessed date).
    """
    text = " ".join(text.split())
    text = re.sub(r"^\[?\d{1,3}[\].)]\s*", "", text)  # a leading "1." or "[1]"
    url = _URL.search(text)
    year = _YEAR.search(text)
    accessed_match = _ACCESSED.search(text)
    accessed = parse_date(accessed_match[1]) if accessed_match else None
    parts = [part.strip() for part in re.split(r"\.\s+", text) if part.strip()]
    if len(parts) < 2 or year is None:
        return None
    who, title = parts[0], parts[1].rstrip(".")
    if not title or len(title) > 300:
        return None
    entry: dict[str, Any] = {}
    title = re.sub(r"[\s,;.]*\b(1[89]\d\d|2[01]\d\d)$", "", title).strip() or title
    names = [name.strip() for name in re.split(r",\s*|\s+and\s+|;\s*", who) if name.strip()]
    # Vancouver names: a surname and initials ("Smith JA"); anything else is an organisation.
    if (
        all(re.match(r"^[A-Z][a-z][A-Za-z'’-]*(?: [A-Z][a-z]+)* [A-Z]{1,3}$", name) for name in names)
        and len(names) <= 20
    ):
        entry["authors"] = names
    else:
        entry["organisation"] = who
    entry["title"] = title
    entry["year"] = int(year[1])
    if url:
        if accessed is None:
            return None  # a web page needs the date it was read: keep the text for an editor
        entry["url"] = url[0]
        entry["accessed"] = accessed
    else:
        rest = ". ".join(parts[2:])
        publisher = re.sub(r"[;,]?\s*\b(1[89]\d\d|2[01]\d\d)\b.*$", "", rest).strip(" .;,")
        if not publisher:
            entry["type"] = "report"
        else:
            place, colon, name = publisher.partition(": ")
            if colon and place and name and len(place) < 40:
                entry["place"], entry["publisher"] = place, name
            else:
                entry["publisher"] = publisher
    return entry


def import_docx(path: Path, target: Path, today: dt.date) -> Draft:
    """The draft leaflet for the .docx at ``path``, to be written to ``target`` (images beside it)."""
    image_folder = target.parent / "images"
    html, images, messages = docx_to_html(path, image_folder, slug(target.stem))
    builder = _Builder(path, image_prefix="images/")
    if html.strip():
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        builder.has_h1 = any(element.tag == "h1" and "title" not in (element.get("class") or "") for element in root)
        builder.has_title_style = any("title" in (element.get("class") or "").split() for element in root)
        # With a Title style, Heading 1 starts sections and Heading 2 is inside them.
        builder.section_level = 1 if builder.has_title_style else 2
        for element in root:
            builder.add(element)
    data = builder.finish(today)
    draft = Draft(data, builder.todos, images, builder.unsplit)
    draft.todos += [_linked_picture_todo(m) if _LINKED.match(m) else f"Word said: {m}" for m in messages if _told(m)]
    if builder.unsplit:
        draft.todos.append(f"{len(builder.unsplit)} reference(s) kept as text: split them into fields")
    return draft


# mammoth's words for a picture linked to a file or address instead of stored in the document.
_LINKED = re.compile(r"could not (?:open|find) external image '([^']*)'")


def _told(message: str) -> bool:
    """Whether mammoth's ``message`` is worth a TODO (its other picture messages repeat ours)."""
    return bool(_LINKED.match(message)) or "image" not in message.lower()


def _linked_picture_todo(message: str) -> str:
    match = _LINKED.match(message)
    address = match[1] if match else "?"
    return (
        f"a picture linked to {address} rather than stored in the Word file was not brought in (linked "
        "files are never opened): insert the picture itself in Word, or add it to leaflets/images"
    )


def draft_yaml(draft: Draft, docx_name: str) -> str:
    """The draft as YAML, with what is left to do at the top and unsplit references as comments."""
    header = [f"Imported from {docx_name} by leafpress: a draft to finish and check before use."]
    if draft.todos:
        header.append("TODO before this leaflet can be approved:")
        header += [f"- {todo}" for todo in draft.todos]
    text = dump_leaflet(draft.data, "\n".join(header))
    if draft.unsplit_references:
        text += "# TODO: references kept as text; split each into fields (see docs/references.md):\n"
        text += "".join(f"#   {' '.join(reference.split())}\n" for reference in draft.unsplit_references)
    return text
