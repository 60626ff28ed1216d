"""Which glyphs each character cluster of a drawn line became, read from Pango as WeasyPrint draws."""

from __future__ import annotations

import contextlib
import contextvars
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from leafpress.compat.versions import WEASYPRINT_SERIES
from leafpress.compat.versions import require as _require


@dataclass(frozen=True)
class Cluster:
    """One character cluster of a drawn line: its text and the glyphs drawn for it, in drawing order.

    In a right-to-left run the clusters come in drawing order too (left to right on the page),
    so the last of them holds the run's first characters.
    """

    text: str
    glyphs: tuple[int, ...]
    rtl: bool = False


@dataclass
class GlyphClusters:
    """Clusters of each text span drawn, by (page number from 0, marked-content id)."""

    spans: dict[tuple[int, int], list[Cluster]] = field(default_factory=dict)
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # each span's text, in reading order
    # Record lines with brackets too: right to left a bracket is drawn with its mirror's glyph, so
    # the glyph of "]" reads "[" wherever it was first used in right-to-left text.
    mirrored: bool = False
    _pages: dict[int, int] = field(default_factory=dict)

    def page_of(self, tags: object) -> int:
        # Each page's stream (and the groups drawn inside it) shares one tag table, made in page order.
        return self._pages.setdefault(id(tags), len(self._pages))


_recording: contextvars.ContextVar[GlyphClusters | None] = contextvars.ContextVar("leafpress_clusters", default=None)
_RTL_BIDI = {"R", "AL"}


# The complex scripts of South and South-East Asia, Ethiopia and beyond (U+0900 to U+1DFF): a
# glyph that is part of a syllable elsewhere in the document was given no text by WeasyPrint, so a
# line where the same glyph stands alone, with no mark on the line (Sinhala "ඔබට"), needs its clusters.
_COMPLEX_SCRIPTS = range(0x0900, 0x1E00)


def _needs_clusters(text: str) -> bool:
    """Text where a character can become several glyphs: combining marks, a complex or right-to-left script."""
    if text.isascii():  # most lines of most leaflets: no mark, no complex or right-to-left letter
        return False
    return any(
        unicodedata.category(char) in ("Mn", "Mc")
        or ord(char) in _COMPLEX_SCRIPTS
        or unicodedata.bidirectional(char) in _RTL_BIDI
        for char in text
    )


def _line_clusters(textbox: Any) -> list[Cluster] | None:
    """The clusters of ``textbox``'s line as WeasyPrint's ``draw_first_line`` will draw them, or None."""
    from weasyprint.text.ffi import ffi, pango

    layout = textbox.pango_layout
    layout.reactivate(textbox.style)
    try:
        utf8 = layout.text.encode()
        clusters: list[Cluster] = []
        run = layout.get_first_line()[0].runs[0]
        while run != ffi.NULL:
            item = run.data
            run = run.next
            glyphs = item.glyphs
            offsets = [glyphs.log_clusters[i] for i in range(glyphs.num_glyphs)]
            starts = sorted(set(offsets))
            ends = {
                start: (starts[n + 1] if n + 1 < len(starts) else item.item.length) for n, start in enumerate(starts)
            }
            index = 0
            while index < len(offsets):  # glyphs of one cluster are drawn next to each other
                start, ids = offsets[index], []
                while index < len(offsets) and offsets[index] == start:
                    ids.append(glyphs.glyphs[index].glyph)
                    index += 1
                if any(glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG for glyph in ids):
                    return None  # a missing glyph: the glyph check fails the build anyway
                text = utf8[item.item.offset + start : item.item.offset + ends[start]].decode()
                kept = tuple(glyph for glyph in ids if glyph != pango.PANGO_GLYPH_EMPTY)
                clusters.append(Cluster(text, kept, bool(item.item.analysis.level % 2)))
        return clusters
    finally:
        layout.deactivate()


def _record_clusters(marked: Callable[..., Any]) -> Callable[..., Any]:
    @contextlib.contextmanager
    def recording_marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        recording = _recording.get()
        tags = getattr(self, "_tags", None)
        text = getattr(box, "text", "")
        if (
            recording is not None
            and tags is not None
            and tag == "Span"
            and (_needs_clusters(text) or (recording.mirrored and any(unicodedata.mirrored(char) for char in text)))
        ):
            mcid = len(tags)
            clusters = _line_clusters(box) if getattr(box, "pango_layout", None) is not None else None
            if clusters:
                key = (recording.page_of(tags), mcid)
                recording.spans[key] = clusters
                recording.texts[key] = box.text
        with marked(self, box, tag):
            yield

    recording_marked.leafpress_clusters = True  # type: ignore[attr-defined]
    return recording_marked


@contextlib.contextmanager
def recording_glyph_clusters(mirrored: bool = False) -> Iterator[GlyphClusters]:
    """Record the glyph clusters of every complex-script line WeasyPrint draws inside the block.

    ``mirrored``: also every line with a bracket (for documents with right-to-left text).
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.pdf.stream import Stream

    if not getattr(Stream.marked, "leafpress_clusters", False):
        Stream.marked = _record_clusters(Stream.marked)
    recording = GlyphClusters(mirrored=mirrored)
    token = _recording.set(recording)
    try:
        yield recording
    finally:
        _recording.reset(token)
