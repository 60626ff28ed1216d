"""The text format: the leaflet's HTML as plain UTF-8 text, in reading order.

For braille transcription and text-to-speech: one paragraph per line (braille software and
speech engines reflow it, so nothing is hard-wrapped), headings on their own lines with an
underline for the title and section headings, list markers kept ("-" and "1."), pictures
as their alt text, and web addresses written out after the link text. Elements with the
class ``not-in-text`` (print-only hints) are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from leafpress.formats.base import Format, RenderContext

_BLOCKS = {
    "p",
    "div",
    "section",
    "header",
    "footer",
    "main",
    "article",
    "aside",
    "nav",
    "address",
    "figure",
    "figcaption",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "li",
    "dt",
    "dd",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_SKIPPED = {"head", "script", "style", "template", "svg"}
_UNDERLINES = {"h1": "=", "h2": "-"}
_SPACE = re.compile(r"\s+")
# Elements with this class are left out of the text (say, "scan the code" beside a QR code).
NOT_IN_TEXT = "not-in-text"


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number] for ol, [] for ul
        self.skipping = 0
        self.links: list[str | None] = []
        self.heading: str | None = None
        self.pending_marker = ""
        self.after_dt = False
        self.skipped_tags: list[list[Any]] = []  # [tag, open count] of elements marked not-in-text

    # Blocks -----------------------------------------------------------------------------
    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.inline)).strip()
        self.inline = []
        if not text and not self.pending_marker:
            return
        indent = "  " * max(len(self.lists) - 1, 0)
        line = indent + self.pending_marker + text
        self.pending_marker = ""
        if self.heading:
            self._gap()
            self.lines.append(line)
            if self.heading in _UNDERLINES:
                self.lines.append(_UNDERLINES[self.heading] * len(line))
            self.lines.append("")
        else:
            self.lines.append(line)

    def _gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.skipped_tags and tag == self.skipped_tags[-1][0]:
            self.skipped_tags[-1][1] += 1
        if tag in _SKIPPED or NOT_IN_TEXT in (attributes.get("class") or "").split():
            self.skipping += 1
            if tag not in _SKIPPED:
                self.skipped_tags.append([tag, 1])
            return
        if self.skipping:
            return
        if tag == "dd" and self.after_dt:
            self.inline.append(" ")
            self.after_dt = False
            return
        self.after_dt = False
        if tag in _BLOCKS:
            self._flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = tag
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._gap()
            start = int(attributes.get("start") or 1) if tag == "ol" else 0
            self.lists.append([start] if tag == "ol" else [])
        elif tag == "li":
            numbering = self.lists[-1] if self.lists else []
            if numbering:
                self.pending_marker = f"{numbering[0]}. "
                numbering[0] += 1
            else:
                self.pending_marker = "- "
        elif tag == "p" and not self.lists:
            self._gap()
        elif tag == "br":
            self._flush()
        elif tag == "img":
            alt = (attributes.get("alt") or "").strip()
            if alt:  # alt="" is decorative: nothing to say
                self.inline.append(f" [Picture: {alt}] ")
        elif tag == "a":
            self.links.append(attributes.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if self.skipped_tags and tag == self.skipped_tags[-1][0]:
            self.skipped_tags[-1][1] -= 1
            if self.skipped_tags[-1][1] == 0:
                self.skipped_tags.pop()
                self.skipping = max(self.skipping - 1, 0)
            return
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
            return
        if self.skipping:
            return
        if tag == "a" and self.links:
            href = self.links.pop()
            text = "".join(self.inline)
            if (
                href
                and href.startswith(("http://", "https://", "mailto:"))
                and href.split(":", 1)[1].strip("/") not in text
            ):
                self.inline.append(f" ({href.removeprefix('mailto:')})")
        elif tag == "dt":
            self.inline.append(":")
            self.after_dt = True
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self._gap()
        elif tag in ("p", "section", "figure", "dl", "address", "blockquote") and not self.lists:
            self._gap()
        self.after_dt = False

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.inline.append(data)


def html_to_text(html: str) -> str:
    """``html`` as plain text in reading order, ending with one newline."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    writer._flush()
    text = "\n".join(writer.lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    return html_to_text(html).encode("utf-8"), []


FORMAT = Format(
    "text",
    "Plain UTF-8 text in reading order, for braille and text-to-speech.",
    render,
    suffix=".txt",
    kind="text",
    min_font_pt=0.0,
    order=70,
)
