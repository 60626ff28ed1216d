"""Laying a leaflet's HTML out with WeasyPrint: the page-break passes, and layouts edited in place.

Each layout is settled by :mod:`leafpress.render.breaks` (a change, then a new layout, until no
break needs one). An arrangement (a Notes area sized to the room left, a booklet's padding)
may ask for a variant of a layout it has: :meth:`Layouts.without` removes an element from the
laid-out tree, :meth:`Layouts.insert` adds elements at a marked place, and either lays it out again
from the page the edit is on, so the pages before it, and the page-break changes already made to
them, are kept (:mod:`leafpress.compat.relayout`). The layout edited is used up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from leafpress import compat
from leafpress.render import breaks
from leafpress.render.engine import CSS, HTML, LaidOut
from leafpress.render.fetcher import ProjectFetcher

PDF_VARIANT = "pdf/ua-1"
# Pictures are kept at up to this many dots per inch at the size they print: print shops ask for
# 300; a phone photo of 4,000 pixels printed 15 cm wide is 680, over four times the bytes.
IMAGE_DPI = 300

# WeasyPrint's page maker can fail an internal assertion when a block that must stay whole is
# taller than a page (a very long list of reviewers on a booklet's back cover). Laid out again
# with every block allowed to split, the leaflet still builds, with a warning.
_LET_BLOCKS_SPLIT = "* { break-inside: auto !important; page-break-inside: auto !important; }"
RELAXED = (
    "a block that should stay whole on one page is taller than the page, so blocks were "
    "allowed to split across pages in this file — shorten the longest list or box"
)


class LayOut(Protocol):
    """What an arrangement lays its variants out with."""

    def __call__(self, html: str) -> LaidOut:
        """The settled layout of ``html``."""

    def without(self, laid_out: LaidOut, css_class: str, html: str) -> LaidOut:
        """``laid_out`` with its first element of ``css_class`` removed, settled again; ``html`` is the
        same page without it, laid out whole should the edited tree not lay out."""

    def insert(self, laid_out: LaidOut, marker: str, fragment: str, html: str) -> LaidOut:
        """``laid_out`` with the elements of ``fragment`` added where the comment ``marker`` is,
        settled again; ``html`` is the same page with them, laid out whole should that be needed."""


class Layouts:
    """Lays out one leaflet's HTML variants, each settled by the page-break passes (a :class:`LayOut`)."""

    def __init__(
        self,
        base_url: Path,
        stylesheets: list[CSS],
        fetcher: ProjectFetcher,
        font_config: Any,
        reuse: compat.PageReuse,
        prepare: Callable[[str], str] | None = None,
    ) -> None:
        self.base_url = base_url.as_uri() + "/"
        self.stylesheets = stylesheets
        self.fetcher = fetcher
        self.font_config = font_config
        self.reuse = reuse
        self.prepare = prepare
        # Said once, however many layouts the leaflet needed.
        self.warnings: list[str] = []
        self._sheets: dict[int, list[CSS]] = {}  # each laid-out tree's stylesheets, by id of its HTML
        self._changed: dict[int, list[int]] = {}  # the pages each tree's page-break changes were made for

    def __call__(self, html: str) -> LaidOut:
        html = self.prepare(html) if self.prepare else html
        try:
            return self._lay_out(html, self.stylesheets)
        except AssertionError:
            if RELAXED not in self.warnings:
                self.warnings.append(RELAXED)
            return self._lay_out(html, [*self.stylesheets, CSS(string=_LET_BLOCKS_SPLIT)])

    def without(self, laid_out: LaidOut, css_class: str, html: str) -> LaidOut:
        page = laid_out._html
        element = next((each for each in page.etree_element.iter() if css_class in breaks.classes(each)), None)
        first_page = compat.first_page_holding(laid_out, element) if element is not None else None
        if element is None or first_page is None or id(page) not in self._sheets:
            return self(html)
        _remove(page.etree_element, element)
        return self._edited(page, first_page, html)

    def insert(self, laid_out: LaidOut, marker: str, fragment: str, html: str) -> LaidOut:
        page = laid_out._html
        place = _comment(page.etree_element, marker)
        if place is None or id(page) not in self._sheets:
            return self(html)
        parent, index = place
        # The edit moves what follows the marker: the first page holding any of it is the first that can change.
        following = next((element for element in list(parent)[index + 1 :] if isinstance(element.tag, str)), None)
        first_page = compat.first_page_holding(laid_out, following) if following is not None else None
        first_page = len(laid_out.pages) if first_page is None else first_page
        # A page-break change made for a page the edit moves may no longer be wanted, and cannot be undone.
        if any(changed >= first_page - 1 for changed in self._changed.get(id(page), [])):
            return self(html)
        elements = compat.parse_fragment(self.prepare(fragment) if self.prepare else fragment)
        for offset, element in enumerate(elements):
            parent.insert(index + offset, element)
        return self._edited(page, first_page, html)

    def _edited(self, page: HTML, first_page: int, html: str) -> LaidOut:
        """The tree of ``page``, edited on page ``first_page``, laid out again from there and settled."""
        compat.tree_edited(page)
        sheets = self._sheets[id(page)]
        try:
            # The page before too: what ends it can depend on what followed (a break avoided there).
            document = self.reuse.render_from(max(first_page - 1, 0), lambda: self._render(page, sheets))
            return self._settled(page, sheets, document)
        except AssertionError:
            return self(html)

    def _lay_out(self, html: str, sheets: list[CSS]) -> LaidOut:
        page = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        self._sheets[id(page)] = sheets
        return self._settled(page, sheets, self._render(page, sheets))

    def _render(self, page: HTML, sheets: list[CSS]) -> LaidOut:
        return page.render(stylesheets=sheets, font_config=self.font_config, pdf_variant=PDF_VARIANT, dpi=IMAGE_DPI)

    def _settled(self, page: HTML, sheets: list[CSS], document: LaidOut) -> LaidOut:
        """Breaks a designer would not allow, settled from the layout one change at a time; each new
        layout starts at the first page the change can move (the pages before it are kept)."""
        for _ in range(breaks.MAX_CHANGES):
            changed = breaks.refine(document)
            if changed is None:
                break
            self._changed.setdefault(id(page), []).extend(changed)
            compat.tree_edited(page)
            document = self.reuse.render_from(changed[0], lambda: self._render(page, sheets), changed[-1])
        return document


def _remove(root: Any, element: Any) -> None:
    """Take ``element`` out of the tree under ``root``, keeping the text that followed it."""
    parent = next(each for each in root.iter() if any(child is element for child in each))
    siblings = list(parent)
    index = next(position for position, child in enumerate(siblings) if child is element)
    previous = siblings[index - 1] if index else None
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _comment(root: Any, text: str) -> tuple[Any, int] | None:
    """The parent and index of the first comment in the tree under ``root`` that reads ``text``."""
    for parent in root.iter():
        for index, child in enumerate(parent):
            if not isinstance(child.tag, str) and (child.text or "").strip() == text:
                return parent, index
    return None
