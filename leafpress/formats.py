"""Output formats: each a named set of template and style choices, for every kind of reader.

The NHS Accessible Information Standard asks for information in the format a person needs.
A format here is data only: which stylesheets go on top of the base one, what kind of file
comes out, its smallest allowed type size, and an optional finishing step for the written
PDF (booklet imposition, print-shop boxes). The pipeline builds one (leaflet, format) per call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from leafpress.enrich import Document
    from leafpress.project import Project

Kind = Literal["pdf", "html", "text"]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    kind: Kind = "pdf"
    # Built-in theme stylesheets laid over leaflet.css; a project's styles/<same name> replaces one.
    stylesheets: tuple[str, ...] = ()
    # Nothing in the output may be smaller than this (checked from the CSS and the PDF).
    min_font_pt: float = 11.0
    # Tagged PDF/UA (or an accessible page); False for print-only files such as the booklet.
    accessible: bool = True
    # A last step on the written PDF's bytes (imposition, print boxes).
    finish: Callable[[bytes], bytes] | None = None
    # A step from the leaflet's HTML to the format's (the bilingual format sets the translation beside it).
    compose: Callable[[Document, str, Project], str] | None = None

    @property
    def suffix(self) -> str:
        """What the output file name ends with after the leaflet's stem."""
        if self.kind == "html":
            return ".html"
        if self.kind == "text":
            return ".txt"
        return ".pdf" if self.name == DEFAULT_FORMAT else f".{self.name}.pdf"


DEFAULT_FORMAT = "standard"


# The finishing steps load pypdf and pikepdf only when a format needs them, so a build with
# nothing to rebuild starts quickly.
def impose_booklet(pdf: bytes) -> bytes:
    from leafpress.booklet import impose_booklet as impose

    return impose(pdf)


def bilingual_html(document: Document, html: str, project: Project) -> str:
    from leafpress.bilingual import bilingual_html as compose

    return compose(document, html, project)


def set_print_boxes(pdf: bytes) -> bytes:
    from leafpress.pdf_fixes import set_print_boxes as set_boxes

    return set_boxes(pdf)


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("standard", "A4, clear print: the accessible PDF.", min_font_pt=11.0),
        Format("large-print", "A4 large print: 18 pt body, nothing under 16 pt.",
               stylesheets=("large-print.css",), min_font_pt=16.0),
        Format("booklet", "A5 booklet imposed two-up on A4 landscape, for duplex office printing (print only).",
               stylesheets=("booklet.css",), min_font_pt=11.0, accessible=False, finish=impose_booklet),
        Format("print-shop", "A4 with 3 mm bleed, crop marks, TrimBox and BleedBox, for a print shop.",
               stylesheets=("print-shop.css",), min_font_pt=11.0, finish=set_print_boxes),
        Format("bilingual", "A4 landscape: the leaflet and its translation side by side, Welsh on the left.",
               stylesheets=("bilingual.css",), min_font_pt=11.0, compose=bilingual_html),
        Format("html", "A standalone accessible web page.", kind="html", stylesheets=("web.css",),
               min_font_pt=11.0),
        Format("text", "Plain UTF-8 text in reading order, for braille and text-to-speech.", kind="text",
               min_font_pt=0.0),
    )
}

FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)


def get_format(name: str | Format) -> Format:
    """The format called ``name`` (a Format is passed through)."""
    if isinstance(name, Format):
        return name
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format '{name}'; choose from {', '.join(FORMAT_NAMES)}") from None


def stylesheets_for(fmt: Format, project: Project) -> list[Path]:
    """The base stylesheet, the project's own styles, then the format's (so its sizes win).

    Format stylesheets in the project's ``styles/`` replace the built-in ones of the same
    name and are used only by their format.
    """
    from leafpress.project import THEME_DIR

    reserved = {name for each in FORMATS.values() for name in each.stylesheets}
    base, *others = project.stylesheets()
    sheets = [base, *(path for path in others if path.name not in reserved)]
    for name in fmt.stylesheets:
        own = project.root / "styles" / name
        sheets.append(own if own.is_file() else THEME_DIR / "styles" / name)
    return sheets
