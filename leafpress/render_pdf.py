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

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from leafpress.errors import LeafpressError, Location
from leafpress.fetcher import ProjectFetcher
from leafpress.project import THEME_DIR
from leafpress.styles import collect_weasyprint_logs, parse_stylesheet
from leafpress.xmp import add_to_xmp

PDF_VARIANT = "pdf/ua-1"
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\bsrc="([^"]*)"', re.IGNORECASE)
_EMPTY_ALT = re.compile(r'\balt=""', re.IGNORECASE)


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """One font configuration per process: building it is slow and it can be shared."""
    return FontConfiguration()


def load_stylesheets(paths: list[Path], fetcher: ProjectFetcher) -> list[CSS]:
    """Parse the stylesheets once so a batch can reuse them; the project's own must parse cleanly."""
    return [parse_stylesheet(path, fetcher, font_config(), strict=not path.resolve().is_relative_to(THEME_DIR))
            for path in paths]


@dataclass(frozen=True)
class ParsedStylesheets:
    sheets: list[CSS]
    # Files the parsing fetched (@import, @font-face), with their SHA-256: the build depends on them too.
    files_read: dict[str, str]


_parsed: dict[tuple[object, ...], ParsedStylesheets] = {}
_PARSED_KEPT = 16


def reusable_stylesheets(paths: list[Path], fetcher: ProjectFetcher) -> ParsedStylesheets:
    """The stylesheets parsed once per process and shared by every leaflet it renders.

    Parsing is a large part of a small leaflet's cost. A sheet is parsed again when its
    file changes (a long-lived process such as a preview must see edits).
    """
    key = (tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths),
           tuple(fetcher.allowed_roots), fetcher.allowed_hosts, fetcher.max_bytes)
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


def render_pdf(html: str, *, base_url: Path, stylesheets: list[CSS], fetcher: ProjectFetcher,
               source: Path, metadata: dict[str, str] | None = None,
               on_layout: Callable[[Document], None] | None = None) -> tuple[bytes, list[str]]:
    """The PDF bytes for ``html``, and WeasyPrint's warnings. ``source`` names the leaflet in errors.

    ``on_layout`` is given the laid-out document before it is written (the tagging fixes
    read where page breaks split elements from it).
    """
    fetcher.refused.clear()
    with collect_weasyprint_logs() as logs:
        try:
            document = HTML(string=html, base_url=base_url.as_uri() + "/", url_fetcher=fetcher).render(
                stylesheets=stylesheets, font_config=font_config(), pdf_variant=PDF_VARIANT,
            )
            if not (document.metadata.title or "").strip():
                # WeasyPrint writes an untitled PDF/UA file without a word.
                raise LeafpressError(Location(source), "the PDF would have no title",
                                     "keep <title> in the <head> of the leaflet template")
            if on_layout:
                on_layout(document)
            if metadata:
                document.metadata.custom.update(metadata)
                add_to_xmp(document.metadata, metadata)
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=bool(metadata))
        except FatalURLFetchingError as exc:
            # A refusal says why; any other failed fetch names its address through its cause.
            message = fetcher.refused[0] if fetcher.refused else f"{exc}: {exc.__cause__ or 'failed'}"
            raise LeafpressError(Location(source), message, "use only files inside the project") from None
    if fetcher.refused:
        raise LeafpressError(Location(source), fetcher.refused[0], "use only files inside the project")
    decorative = {f'Image "{src}" has no required alt description' for src in decorative_images(html)}
    errors = [message for message in logs.errors if message not in decorative]
    if errors:
        raise LeafpressError(Location(source), "the PDF would be flawed: " + "; ".join(errors),
                             "fix the leaflet, template or style named above")
    return pdf or b"", logs.warnings
