"""Stage 5, render PDF: WeasyPrint turns the HTML into a tagged PDF/UA-1 document.

WeasyPrint only logs an error (and still writes a file) when, say, an image has no alt
text; here any error it logs fails the build, so no flawed PDF goes out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

from leafpress import __version__, compat
from leafpress.core.bidi import isolate_ltr_runs_in_html
from leafpress.core.errors import LeafpressError, Location
from leafpress.core.project import THEME_DIR
from leafpress.enrich.document import Document
from leafpress.pdf.conformance import PDFUA_WARNING, validate_pdfua
from leafpress.pdf.fixes import fix_tagging, page_break_splits
from leafpress.pdf.glyphs import check_glyphs
from leafpress.pdf.inspect import check_pdf
from leafpress.pdf.links import join_split_links
from leafpress.pdf.rtl_text import mend_right_to_left_text
from leafpress.pdf.text_layer import UNSPACED_RANGES
from leafpress.pdf.unicode_map import fix_text_layer
from leafpress.pdf.xmp import add_to_xmp
from leafpress.render.engine import CSS, FatalURLFetchingError, FontConfiguration, LaidOut
from leafpress.render.fetcher import ProjectFetcher
from leafpress.render.layouts import IMAGE_DPI, PDF_VARIANT, LayOut, Layouts
from leafpress.render.stylesheets import collect_weasyprint_logs, parse_stylesheet

_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# A word this long may not fit a narrow column at a heading's size (a Welsh place name, a German
# compound; 19 letters fit a DL panel's title): a leaflet with one is marked "long-words" and its
# words may break where they must (leaflet.css). Only then: the rule slows WeasyPrint's line breaking.
LONG_WORD_LETTERS = 20
_LONG_WORD = re.compile(rf"(?:(?![{UNSPACED_RANGES}])\w){{{LONG_WORD_LETTERS},}}")
_NOT_TEXT = re.compile(r"<(style|script)\b.*?</\1>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\bsrc="([^"]*)"', re.IGNORECASE)
_EMPTY_ALT = re.compile(r'\balt=""', re.IGNORECASE)

# Chooses the layout to write: from the leaflet's HTML, laying out what variants of it it needs.
Arrange = Callable[[str, LayOut], LaidOut]


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """One font configuration per process: building it is slow and it can be shared."""
    return FontConfiguration()


def load_stylesheets(paths: list[Path], fetcher: ProjectFetcher) -> list[CSS]:
    """Parse the stylesheets once so a batch can reuse them; the project's own must parse cleanly."""
    return [
        parse_stylesheet(path, fetcher, font_config(), strict=not path.resolve().is_relative_to(THEME_DIR))
        for path in paths
    ]


@dataclass(frozen=True)
class ParsedStylesheets:
    sheets: list[CSS]
    # Files the parsing fetched (@import, @font-face), with their SHA-256: the build depends on them too.
    files_read: dict[str, str]


_parsed: dict[tuple[object, ...], ParsedStylesheets] = {}
_PARSED_KEPT = 16


def _file_state(path: Path) -> tuple[str, int | None, int | None]:
    """The path, change time and size; a broken link has none (parsing then refuses it clearly)."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return str(path), None, None
    return str(path), info.st_mtime_ns, info.st_size


def reusable_stylesheets(paths: list[Path], fetcher: ProjectFetcher) -> ParsedStylesheets:
    """The stylesheets parsed once per process and shared by every leaflet it renders.

    Parsing is a large part of a small leaflet's cost. A sheet is parsed again when its
    file changes (a long-lived process such as a preview must see edits).
    """
    key = (
        tuple(_file_state(path) for path in paths),
        tuple(fetcher.allowed_roots),
        fetcher.allowed_hosts,
        fetcher.max_bytes,
    )
    if key not in _parsed:
        own = ProjectFetcher(fetcher.allowed_roots, fetcher.allowed_hosts, fetcher.max_bytes)
        if len(_parsed) >= _PARSED_KEPT:
            _parsed.clear()
        _parsed[key] = ParsedStylesheets(load_stylesheets(paths, own), own.files_read)
    return _parsed[key]


def decorative_images(html: str) -> set[str]:
    """The ``src`` of every image marked decorative with ``alt=""`` (WeasyPrint calls them missing)."""
    found = set()
    for tag in _IMG_TAG.findall(html):
        src = _SRC.search(tag)
        if _EMPTY_ALT.search(tag) and src:
            found.add(unescape(src.group(1)))
    return found


# Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation forms).
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def render_pdf(
    html: str,
    *,
    base_url: Path,
    stylesheets: list[CSS],
    fetcher: ProjectFetcher,
    source: Path,
    metadata: dict[str, str] | None = None,
    on_layout: Callable[[LaidOut], None] | None = None,
    arrange: Arrange | None = None,
    prepare: Callable[[str], str] | None = None,
) -> tuple[bytes, list[str]]:
    """The PDF bytes for ``html``, and WeasyPrint's warnings. ``source`` names the leaflet in errors.

    ``arrange`` picks the layout written, from as many layouts as it asks for (only one is
    ever written). ``on_layout`` is given the laid-out document before it is written (the
    tagging fixes read where page breaks split elements from it). ``prepare`` changes every
    HTML variant before it is laid out.
    """
    # Elements with their own lang (a Welsh phrase, a bilingual column) get /Lang in the structure tree.
    compat.tag_element_languages()
    fetcher.refused.clear()
    with collect_weasyprint_logs() as logs, compat.reusing_pages() as reuse:
        layouts = Layouts(base_url, stylesheets, fetcher, font_config(), reuse, prepare)
        try:
            document = arrange(html, layouts) if arrange else layouts(html)
            if not (document.metadata.title or "").strip():
                # WeasyPrint writes an untitled PDF/UA file without a word.
                raise LeafpressError(
                    Location(source),
                    "the PDF would have no title",
                    "keep <title> in the <head> of the leaflet template",
                )
            if on_layout:
                on_layout(document)
            if metadata:
                document.metadata.custom.update(metadata)
                add_to_xmp(document.metadata, metadata)
            # Indic glyphs are mapped to text per use, from the clusters Pango shaped (pdf.unicode_map).
            with compat.recording_glyph_clusters(mirrored='dir="rtl"' in html) as clusters:
                pdf = document.write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=bool(metadata), dpi=IMAGE_DPI)
            pdf = fix_text_layer(pdf or b"", clusters)
            if _RIGHT_TO_LEFT.search(html):
                pdf = mend_right_to_left_text(pdf)
        except FatalURLFetchingError as exc:
            # A refusal says why; any other failed fetch names its address through its cause.
            message = fetcher.refused[0] if fetcher.refused else f"{exc}: {exc.__cause__ or 'failed'}"
            raise LeafpressError(Location(source), message, "use only files inside the project") from None
    if fetcher.refused:
        raise LeafpressError(Location(source), fetcher.refused[0], "use only files inside the project")
    decorative = {f'Image "{src}" has no required alt description' for src in decorative_images(html)}
    errors = [message for message in logs.errors if message not in decorative]
    if errors:
        raise LeafpressError(
            Location(source),
            "the PDF would be flawed: " + "; ".join(errors),
            "fix the leaflet, template or style named above",
        )
    return pdf or b"", layouts.warnings + logs.warnings


def provenance(document: Document) -> dict[str, str]:
    """Metadata that ties a PDF to the exact source it was built from, and says if it is fit for use."""
    fields = {
        "LeafletCode": document.leaflet.code or document.source_path.stem,
        "LeafletVersion": document.leaflet.version,
        "LastReviewed": document.last_reviewed.isoformat(),
        "NextReviewDue": document.review_due_date.isoformat(),
        "SourceSHA256": document.source_sha256,
        "Generator": f"leafpress {__version__}",
    }
    if document.signoff is not None:
        fields["LeafletStatus"] = document.signoff.status
        if document.signoff.approved_by and document.leaflet.approved_by:
            fields["ApprovedBy"] = document.signoff.approved_by
            fields["ApprovedOn"] = document.leaflet.approved_by.date.isoformat()
    if document.marks:
        fields["Marks"] = " · ".join(document.marks)
    return fields


def leaflet_pdf(
    html: str,
    document: Document,
    source: Path,
    stylesheets: list[Path],
    fetcher: ProjectFetcher,
    *,
    accessible: bool = True,
    isolate_rtl: bool = True,
    arrange: Arrange | None = None,
) -> tuple[bytes, list[str]]:
    """The leaflet's tagged PDF, its tagging fixed and read back, and any warnings.

    Every PDF format goes through here; ``accessible`` formats are read back as PDF/UA.
    ``arrange`` chooses the layout written (see :func:`render_pdf`): the PDF is written,
    fixed and read back once, whatever it laid out.
    """
    # Browsers isolate left-to-right runs by themselves; WeasyPrint needs help.
    isolate = isolate_rtl and document.direction == "rtl"
    splits: list[list[str]] = []
    parsed = reusable_stylesheets(stylesheets, fetcher)
    fetcher.files_read.update(parsed.files_read)
    pdf, warnings = render_pdf(
        mark_long_words(html),
        base_url=source.resolve().parent,
        stylesheets=parsed.sheets,
        fetcher=fetcher,
        source=source,
        metadata=provenance(document),
        on_layout=lambda laid_out: splits.extend(page_break_splits(laid_out)),
        arrange=arrange,
        prepare=isolate_ltr_runs_in_html if isolate else None,
    )
    pdf = join_split_links(fix_tagging(pdf, splits))
    check_glyphs(pdf, source, language=document.language)
    if accessible:
        warnings = warnings + read_back(pdf, source)
    return pdf, warnings


def mark_long_words(html: str) -> str:
    """``html`` with class ``long-words`` on its root when its text has a word of LONG_WORD_LETTERS
    letters or more (Chinese, Japanese, Thai… break between any two characters anyway)."""
    if not _LONG_WORD.search(_NOT_TEXT.sub(" ", html)):
        return html

    def marked(tag: re.Match[str]) -> str:
        if ' class="' in tag[0]:
            return tag[0].replace(' class="', ' class="long-words ', 1)
        return tag[0].replace("<html", '<html class="long-words"', 1)

    return _HTML_TAG.sub(marked, html, count=1)


def read_back(pdf: bytes, source: Path) -> list[str]:
    """Warnings from reading the finished PDF back: anything short of tagged PDF/UA is worth one,
    and the independent validator's verdict too (an error with --strict, see build.batch)."""
    warnings = [problem.message for problem in check_pdf(pdf, where=source)]
    verdict = validate_pdfua(pdf)
    return warnings + [f"{PDFUA_WARNING} ({verdict.validator}): {line}" for line in verdict.summary()]
