"""The html format: the leaflet as one standalone, accessible web page.

The page is the same HTML the PDF is made from (semantic headings, lists, landmarks,
``lang``, alt text), with its stylesheets inlined and its images embedded as ``data:``
URLs, so the single file can be put on a website or sent by email as it is.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from leafpress.core.errors import LeafpressError, Location
from leafpress.formats.base import Format, RenderContext

if TYPE_CHECKING:  # the fetcher loads WeasyPrint: only when a page is made
    from leafpress.render.fetcher import ProjectFetcher

_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
# Tables (never nested: Markdown makes none, the templates none) and what is in them.
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def scrolling_tables(html: str) -> str:
    """Each table in a box of its own that scrolls sideways when the screen is too narrow for its
    columns (a week's chart at 320 px), so the page itself never does (WCAG 1.4.10 exempts data
    tables). It can take the keyboard's focus, to be scrolled without a mouse."""
    return _TABLE.sub(lambda match: f'<div class="table-scroll" tabindex="0">{match.group(0)}</div>', html)


def _data_url(url: str, fetcher: ProjectFetcher) -> str:
    """``url`` (a project file) as a ``data:`` URL, read through the project's fetcher."""
    response = fetcher.fetch(url)
    body = response.read()
    import mimetypes  # here: listing the formats stays quick

    kind = mimetypes.guess_type(urlsplit(response.url).path)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(body).decode('ascii')}"


def inline_images(html: str, fetcher: ProjectFetcher, base: Path) -> str:
    """Every ``<img src>`` that is a file becomes a ``data:`` URL; web and data URLs stay."""
    base_url = base.resolve().as_uri() + "/"

    def embed(match: re.Match[str]) -> str:
        src = match.group(2).replace("&amp;", "&")
        if src.startswith(("data:", "http://", "https://")):
            return match.group(0)
        return match.group(1) + _data_url(urljoin(base_url, src), fetcher) + match.group(3)

    return _IMG_SRC.sub(embed, html)


def inline_styles(html: str, stylesheets: list[Path]) -> str:
    """The stylesheets' text in one ``<style>`` element (and a viewport) at the end of ``<head>``."""
    css = "\n".join(f"/* {path.name} */\n{path.read_text(encoding='utf-8')}" for path in stylesheets)
    # Phones lay the page out at their own width instead of a shrunken desktop one.
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    style = viewport + "<style>\n" + css.replace("</", "<\\/") + "\n</style>\n"
    if _HEAD_END.search(html):
        return _HEAD_END.sub(lambda match: style + match.group(0), html, count=1)
    return style + html


def standalone_html(html: str, stylesheets: list[Path], fetcher: ProjectFetcher, source: Path) -> str:
    """``html`` with its styles and images inside it; ``source`` is the leaflet file."""
    from leafpress.render.fetcher import RefusedFetch

    try:
        page = scrolling_tables(inline_images(html, fetcher, source.resolve().parent))
        return inline_styles(page, stylesheets)
    except RefusedFetch as exc:
        raise LeafpressError(Location(source), str(exc), "use only files inside the project") from None


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.render.pdf import load_stylesheets

    # The same checks as for a PDF before the CSS is copied into the page.
    load_stylesheets(context.stylesheets, context.fetcher)
    return standalone_html(html, context.stylesheets, context.fetcher, context.source).encode("utf-8"), []


FORMAT = Format(
    "html", "A standalone accessible web page.", render, suffix=".html", kind="html", stylesheets=("web.css",), order=60
)
