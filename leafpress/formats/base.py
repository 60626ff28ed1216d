"""What an output format is: a name, its stylesheets, its rules, and one ``render()``.

A format module defines ``FORMAT = Format(...)`` and the ``render`` function it names. It
imports its heavy machinery (WeasyPrint, pikepdf) inside ``render`` only, so listing the
formats (for ``--help`` or a build with nothing to do) stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.document import Document as LaidOut

    from leafpress.core.project import Project
    from leafpress.enrich.document import Document
    from leafpress.render.fetcher import ProjectFetcher


@dataclass(frozen=True)
class RenderContext:
    """What a format's ``render`` gets beside the leaflet's HTML."""

    document: Document
    source: Path
    project: Project
    # Reads only the project's own files, and records each one read (for incremental builds).
    fetcher: ProjectFetcher
    # The base, language, project and format stylesheets, in cascade order.
    stylesheets: list[Path]


# The finished file's bytes for the leaflet's HTML, and any warnings.
Renderer = Callable[[str, RenderContext], tuple[bytes, list[str]]]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    render: Renderer
    # What the output file name ends with after the leaflet's stem.
    suffix: str
    # What kind of file comes out: "pdf", "html", "epub", "text", "braille", "audio".
    kind: str = "pdf"
    # Built-in theme stylesheets laid over leaflet.css; a project's styles/<same name> replaces one.
    stylesheets: tuple[str, ...] = ()
    # Nothing in the output may be smaller than this (checked from the CSS and the PDF).
    min_font_pt: float = 11.0
    # Tagged PDF/UA (or an accessible page); False for print-only files such as the booklet.
    accessible: bool = True
    # Where the format comes in lists (help, the preview): lower first.
    order: int = 100


def paged_pdf(
    html: str, context: RenderContext, *, accessible: bool = True, isolate_rtl: bool = True
) -> tuple[bytes, list[str]]:
    """The leaflet's PDF, with the room left on its last page given to a designed Notes area
    (unless the project's ``layout: notes`` is off), read back when ``accessible``."""
    from leafpress.render.layouts import LayOut
    from leafpress.render.notes import fill_last_page
    from leafpress.render.pdf import leaflet_pdf

    def with_notes(page: str, lay_out: LayOut) -> LaidOut:
        return fill_last_page(page, context.document, lay_out)

    return leaflet_pdf(
        html,
        context.document,
        context.source,
        context.stylesheets,
        context.fetcher,
        accessible=accessible,
        isolate_rtl=isolate_rtl,
        arrange=with_notes if context.project.config.layout.notes else None,
    )
