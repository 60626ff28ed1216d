"""Markdown (CommonMark) to safe HTML for leaflet bodies.

Raw HTML is refused: ``<script>``, ``<iframe>`` or an event attribute typed into a leaflet
stops the build with a message, and the renderer has HTML off besides, so nothing typed as
HTML is ever passed on. Links may only go to web pages, e-mail or phone numbers; images
must name a file the leaflet may use (checked by the caller's ``images`` function).
Headings inside a body sit below the section heading (h2).

A phrase in another language is marked ``[bore da]{lang=cy}`` (the attribute syntax of
mdit-py-plugins' attrs plugin, limited to ``lang``): it becomes ``<span lang="cy">`` with
the language's direction, so it gets the language's font, and its own language in the
PDF's structure, for screen readers to switch voice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.attrs import attrs_plugin

from leafpress.core.errors import LeafpressError
from leafpress.core.language import describe
from leafpress.core.model import LANGUAGE_TAG_PATTERN
from leafpress.enrich.citations import CiteRenderer, citation_rule
from leafpress.enrich.images import ImageProblem, check_alt, natural_width, sized_image
from leafpress.source.load import Key, Loaded

# Renders: raw HTML off. Link checking is done here, so every link reaches the check below
# (markdown-it would otherwise quietly print a "javascript:" or "file:" link as text).
# Only bracketed spans take attributes, and only "lang": no classes, ids or styles from authors.
# GitHub-style pipe tables (markdown-it's own "table" rule) are on: a medicines schedule is a table.
_md = (
    MarkdownIt("commonmark", {"html": False, "typographer": False})
    .enable("table")
    .use(attrs_plugin, spans=True, allowed=["lang"], after=())
)
_md.validateLink = lambda url: True  # type: ignore[method-assign]
# Only finds raw HTML, to refuse it with a message; never renders.
_html_finder = MarkdownIt("commonmark", {"html": True}).enable("table")
# "[@key]" citations become links to the references, when a renderer is given.
_md.core.ruler.push("citations", citation_rule)

# Section headings are h2, so a "#" inside a body becomes h3.
BODY_HEADING_OFFSET = 2
LINK_SCHEMES = ("http", "https", "mailto", "tel")
# A paragraph holding one picture and nothing else.
PICTURE_CLASS = "picture"
# A word longer than this in a table cell may break anywhere: about a quarter of a narrow column.
LONG_WORD = 15
# A column's alignment (":--", "--:") is written for the text's own direction: its start and end,
# so that a right-to-left leaflet's ":--" column lines up on the right.
_LOGICAL_ALIGNMENT = {"text-align:left": "text-align:start", "text-align:right": "text-align:end"}
# ![](rule.svg "decorative"): a picture that carries no meaning, on purpose without alt text.
DECORATIVE = "decorative"

# Given an image's address as written, return the URL to render it from (or raise ImageProblem).
ImageResolver = Callable[[str], str]


class MarkupProblem(ValueError):
    """A problem in Markdown text: ``line`` counts from the text's first line (0), ``needle`` is what to point at."""

    def __init__(self, message: str, hint: str, line: int = 0, needle: str = "") -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.needle = message, hint, line, needle


def set_list_start(element: Any, start: int) -> None:
    """Number the list ``element`` (a Markdown token or an lxml element) from ``start``: the HTML
    ``start`` attribute for browsers, and the list-item counter's reset, as WeasyPrint does not read it."""
    reset = f"counter-reset: list-item {start - 1}"
    if isinstance(element, Token):
        element.attrSet("start", str(start))
        element.attrSet("style", reset)
    else:
        element.set("start", str(start))
        element.set("style", reset)


def markdown_tree(
    text: str, images: ImageResolver | None = None, cite: CiteRenderer | None = None, *, inline: bool = False
) -> list[Token]:
    """The checked token stream of ``text``: the format-neutral form of a body or a one-line text.

    Body headings are already moved below the section heading; citations are ``html_inline``
    tokens holding their printed form; images hold the URL ``images`` gave.
    """
    if "<" in text:  # HTML, block or inline, always starts with one: no need to look for it otherwise
        _refuse_raw_html(text, _html_finder.parseInline(text) if inline else _html_finder.parse(text))
    tokens = _md.parseInline(text, {"cite": cite}) if inline else _md.parse(text, {"cite": cite})
    outline: list[int] = []  # the Markdown levels of the headings the current one sits under
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            # "###" under a section heading is the next level down, not three: headings never skip one.
            written = int(token.tag[1])
            while outline and outline[-1] >= written:
                outline.pop()
            token.tag = f"h{min(len(outline) + 1 + BODY_HEADING_OFFSET, 6)}"
            outline.append(written)
            tokens[index + 2].tag = token.tag  # its heading_close, after the inline token
        if token.type == "ordered_list_open" and token.attrGet("start") is not None:
            set_list_start(token, int(str(token.attrGet("start"))))
        if token.type == "paragraph_open" and _only_a_picture(tokens[index + 1]):
            token.attrJoin("class", PICTURE_CLASS)  # a picture on its own: a block the page layout can size
        if token.type == "th_open":
            token.attrSet("scope", "col")  # a pipe table's header row heads its columns
        if token.type in ("th_open", "td_open") and token.attrGet("style") in _LOGICAL_ALIGNMENT:
            token.attrSet("style", _LOGICAL_ALIGNMENT[str(token.attrGet("style"))])
        if token.type in ("th_open", "td_open") and _has_long_word(tokens[index + 1]):
            token.attrJoin("class", "long-words")
        if token.type == "inline":
            _check_inline(token.children or [], 0 if inline or not token.map else token.map[0], images)
    return tokens


def _only_a_picture(inline: Token) -> bool:
    children = [child for child in inline.children or [] if child.type != "softbreak"]
    return len(children) == 1 and children[0].type == "image"


def _has_long_word(cell: Token) -> bool:
    """A table cell holding a run of characters too long to keep whole (an address, a compound word):
    it may break anywhere, and only such a cell, so short words elsewhere keep their column's width."""
    return any(len(word) > LONG_WORD for word in cell.content.split())


def tree_to_html(tokens: list[Token]) -> Markup:
    """HTML for a token stream from ``markdown_tree``."""
    return Markup(_md.renderer.render(tokens, _md.options, {}))


def markdown_to_html(text: str, images: ImageResolver | None = None, cite: CiteRenderer | None = None) -> Markup:
    """Render ``text`` as HTML safe to put into the leaflet template; ``cite`` prints citations."""
    return tree_to_html(markdown_tree(text, images, cite))


def inline_markdown_to_html(text: str, images: ImageResolver | None = None, cite: CiteRenderer | None = None) -> Markup:
    """Render a one-line text (a key point, a caption) allowing bold and links only."""
    return tree_to_html(markdown_tree(text, images, cite, inline=True))


def located(loaded: Loaded, key: Key, problem: MarkupProblem) -> LeafpressError:
    """``problem`` as an error at its place in the leaflet file."""
    return LeafpressError(loaded.text_location(key, problem.line, problem.needle), problem.message, problem.hint)


def render_markdown(
    loaded: Loaded,
    key: Key,
    text: str,
    *,
    inline: bool = False,
    images: ImageResolver | None = None,
    cite: CiteRenderer | None = None,
) -> Markup:
    """Render the Markdown at ``key`` of the leaflet; a problem becomes an error at its line."""
    return tree_to_html(render_markdown_tree(loaded, key, text, inline=inline, images=images, cite=cite))


def render_markdown_tree(
    loaded: Loaded,
    key: Key,
    text: str,
    *,
    inline: bool = False,
    images: ImageResolver | None = None,
    cite: CiteRenderer | None = None,
) -> list[Token]:
    """The checked token stream of the Markdown at ``key``; a problem becomes an error at its line."""
    try:
        return markdown_tree(text, images, cite, inline=inline)
    except MarkupProblem as problem:
        raise located(loaded, key, problem) from None


def _refuse_raw_html(text: str, tokens: list[Token]) -> None:
    for token in tokens:
        children = token.children or []
        found = [token] if token.type == "html_block" else [c for c in children if c.type == "html_inline"]
        if token.type == "html_inline":
            found.append(token)
        for html in found:
            tag = html.content.strip().splitlines()[0][:60] if html.content.strip() else html.content
            line = token.map[0] if token.map else 0
            raise MarkupProblem(
                f"HTML is not allowed in leaflet text: '{tag}'",
                "use Markdown instead: **bold**, [text](https://…), a blank line for a new "
                "paragraph; write '\\<' to show a '<'",
                line,
                tag,
            )


def _check_inline(children: list[Token], line: int, images: ImageResolver | None) -> None:
    for child in children:
        if child.type == "span_open":
            _check_language(child, line)
        elif child.type == "link_open":
            _check_link(str(child.attrs.get("href", "")), line)
        elif child.type == "image":
            src = unquote(str(child.attrs.get("src", "")))
            alt = child.content
            if images is None:
                raise MarkupProblem(f"an image ('{src}') cannot go here", "put images in a section's body", line, src)
            decorative = not alt.strip() and child.attrs.get("title") == DECORATIVE
            if decorative:
                child.attrs.pop("title")  # alt="" marks it decorative: an artifact, skipped by screen readers
            try:
                if not decorative:
                    check_alt(alt, src)
                child.attrs["src"] = images(src)
            except ImageProblem as problem:
                raise MarkupProblem(problem.message, problem.hint, line, src) from None
            if (width := natural_width(str(child.attrs["src"]))) is not None:
                child.attrs.update(sized_image(width))


def _check_link(href: str, line: int) -> None:
    address = unquote(href)
    scheme = urlsplit(address).scheme.lower()
    if scheme in LINK_SCHEMES or (address.startswith("#") and len(address) > 1):
        return
    raise MarkupProblem(
        f"the link '{address}' does not go to a web page, e-mail address or phone number",
        "a printed leaflet can only point to addresses readers can type: write the full address "
        "(https://…), mailto: or tel:",
        line,
        address[:40],
    )


@lru_cache(maxsize=256)
def parse_markdown(text: str) -> tuple[Token, ...]:
    """The token stream of ``text``, parsed exactly as the leaflet renders it, once for every check
    that reads it (the tokens are shared: read them, never change them)."""
    return tuple(_md.parse(text))


def _check_language(span: Token, line: int) -> None:
    """A ``[phrase]{lang=xx}`` span: a real language tag, and the language's writing direction."""
    tag = str(span.attrs.get("lang", ""))
    if not tag:
        raise MarkupProblem("[text]{...} takes only a language", "write it as [bore da]{lang=cy}", line, "]{")
    if not re.fullmatch(LANGUAGE_TAG_PATTERN, tag):
        raise MarkupProblem(f"'{tag}' is not a language tag", "use a tag such as cy, pl or ar", line, tag)
    span.attrs["dir"] = describe(tag).direction
