"""Lay an edited document out again from the first page the edit can change, reusing the pages before it.

The page-break passes (:mod:`leafpress.render.breaks`) change the element tree after a layout —
a class on a box, a repeated heading — and need a new layout. Everything before the page the
change is on lays out exactly as before, so laying it out again is wasted: a leaflet needing two
changes paid for three whole layouts. WeasyPrint already re-makes single pages from its page
maker (the state each page starts from) when page-based counters change; this reuses that
machinery across two layouts of the same ``HTML`` object: the new layout starts with the earlier
layout's pages and page-maker states up to the changed page and re-makes the rest.

The earlier pages are reused only when nothing they show can have changed: the declarations that
won the cascade for their elements (and the ancestors they inherit from) are compared with the new
cascade's (a selector such as ``:last-child`` can react to an edit further down); a page that
resumes inside a grid, a flex box or columns, whose layout keeps state of its own between pages, is
made again too; and a document with floats, absolute or running boxes or footnotes, whose state
crosses pages outside the page maker, is always laid out whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from leafpress.compat.versions import WEASYPRINT_SERIES
from leafpress.compat.versions import require as _require


@dataclass
class _Laid:
    """One finished layout: its context, and each page's children as they were before WeasyPrint
    added the margin boxes (what a later layout needs to take the page as it was laid out)."""

    html: Any
    context: Any
    pages: list[tuple[Any, tuple[Any, ...], list[Any]]]


@dataclass
class PageReuse:
    """Lays the same ``HTML`` out again, reusing the pages before a change (see the module's doc)."""

    # The last layout of each HTML object, by its id (the object is kept alive with it).
    last: dict[int, _Laid] = field(default_factory=dict)
    # Set by :meth:`render_from` for the one layout that may reuse, read by the page maker.
    _reuse_before: int | None = None
    # How many pages the layouts reused and re-made: what the benchmark and tests read.
    reused_pages: int = 0
    made_pages: int = 0
    _reusing: bool = False

    def render_from(self, first_changed_page: int, render: Callable[[], Any]) -> Any:
        """Call ``render`` (a new layout of the edited tree) reusing pages before ``first_changed_page``.

        Should the page maker refuse the states carried over (an edit this module did not foresee),
        the tree is laid out whole instead.
        """
        self._reuse_before = first_changed_page
        try:
            return render()
        except Exception:
            if not self._reusing:
                raise
        finally:
            self._reuse_before = None
            self._reusing = False
        return render()

    # The wrapper of WeasyPrint's ``make_all_pages`` ---------------------------------------
    def _make_all_pages(
        self, original: Callable[..., Iterator[Any]], context: Any, root_box: Any, html: Any, pages: list[Any]
    ) -> Iterator[Any]:
        if not pages and self._reuse_before and id(html) in self.last:
            pages = self._seed(context, root_box, html, self._reuse_before) or pages
            self._reusing = bool(pages)
        made = list(original(context, root_box, html, pages))
        reused = sum(1 for index, page in enumerate(made) if index < len(pages) and pages[index] is page)
        self.reused_pages += reused
        self.made_pages += len(made) - reused
        self.last[id(html)] = _Laid(
            html, context, [(page, page.children, list(page.children[0].children)) for page in made]
        )
        yield from made

    def _seed(self, context: Any, root_box: Any, html: Any, before: int) -> list[Any] | None:
        """Give the new layout the earlier pages before ``before`` and the states that follow them."""
        earlier = self.last[id(html)]
        old_maker = earlier.context.page_maker
        before = min(before, len(earlier.pages))
        # Start at a page that resumes in blocks and tables: a grid, flex box or columns cut by the
        # page break before it carries state of its own into the next page.
        while before >= 1 and not _resumes_in_block_flow(root_box, old_maker[before][0]):
            before -= 1
        if before < 1 or not _self_contained(earlier.context) or not _same_styles(earlier, context, before):
            return None
        maker = [context.page_maker[0]]
        for index in range(1, before + 1):
            resume_at, next_page, right_page, page_state, _ = old_maker[index]
            # WeasyPrint's own bookkeeping for one page: only the changed page is made again.
            state = {"content_changed": index == before, "pages_wanted": False, "anchors": [], "content_lookups": []}
            maker.append((resume_at, next_page, right_page, page_state, state))
        context.page_maker = maker
        from weasyprint.layout.page import set_page_type_computed_styles

        pages = []
        for page, children, root_children in earlier.pages[:before]:
            page.children = children  # as laid out, before the margin boxes were added
            children[0].children = root_children
            # The new cascade styles a page type when a page of it is made: the margin boxes need it.
            set_page_type_computed_styles(page.page_type, html, context.style_for)
            pages.append(page)
        return pages


def _self_contained(context: Any) -> bool:
    """Whether the earlier layout's pages carry no state outside the page maker."""
    return not (
        context.footnotes
        or context.page_footnotes
        or context.reported_footnotes
        or any(context.running_elements.values())
        or context.broken_out_of_flow
    )


def _resumes_in_block_flow(box: Any, resume_at: dict[int, Any] | None) -> bool:
    """Whether the path a page resumes at goes down blocks and tables only, to the lines it starts with
    (grids, flex boxes and columns keep state of their own from one page to the next)."""
    from weasyprint.formatting_structure import boxes

    if not resume_at or isinstance(box, (boxes.LineBox, boxes.InlineLevelBox)):
        return True  # a paragraph cut between lines: its lines are laid out afresh
    if not isinstance(box, boxes.ParentBox) or not _plain_flow(box):
        return False
    return all(
        index < len(box.children) and _resumes_in_block_flow(box.children[index], skip)
        for index, skip in resume_at.items()
    )


def _plain_flow(box: Any) -> bool:
    display = box.style["display"]
    return (
        not any(kind in display for kind in ("grid", "flex", "inline-grid", "inline-flex"))
        and box.style["column_count"] == "auto"
        and box.style["column_width"] == "auto"
    )


def _same_styles(earlier: _Laid, context: Any, before: int) -> bool:
    """Whether every element with a box on the pages to reuse, and every ancestor it inherits from,
    has the cascaded declarations it had: then its computed style is the one the new cascade gives.

    The declarations are compared, not the computed values, which the new cascade computes lazily
    (comparing those made it compute every property of every element on the pages kept).
    """
    old_styles = earlier.context.style_for._computed_styles
    new_styles = context.style_for._computed_styles
    compared: set[tuple[int, int]] = set()

    def same(old: Any, new: Any) -> bool:
        while old is not None and new is not None and (id(old), id(new)) not in compared:
            compared.add((id(old), id(new)))
            if not _same_cascade(old.cascaded, new.cascaded):
                return False
            old, new = old.parent_style, new.parent_style  # the root's is None
        return (old is None) == (new is None)

    for _page, _, root_children in earlier.pages[:before]:
        for box in _descendants(root_children):
            if _out_of_flow(box):
                return False
            element = getattr(box, "element", None)
            for pseudo in () if element is None else (None, *_pseudo_of(box)):
                old = old_styles.get((element, pseudo))
                if old is not None and not same(old, new_styles.get((element, pseudo))):
                    return False
    return True


def _same_cascade(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """The same declarations won the cascade for every property (``(value, weight)`` by name)."""
    old, new = old or {}, new or {}
    if old.keys() != new.keys():
        return False
    for name, (value, weight) in old.items():
        new_value, new_weight = new[name]
        if new_weight != weight or not (new_value is value or _same_value(new_value, value)):
            return False
    return True


def _out_of_flow(box: Any) -> bool:
    """A float, absolute or running box, which may carry on past its page outside the page maker
    (a list's outside marker is placed absolutely beside its own line, so it never does)."""
    if (getattr(box, "element_tag", "") or "").endswith("::marker"):
        return False
    return bool(box.is_floated() or box.is_absolutely_positioned() or box.is_running())


def _same_value(new: Any, old: Any) -> bool:
    """Equal computed values; a custom property's tokens (``--natural-width``) compare by their text,
    as each cascade makes new token objects."""
    return bool(new == old) or _serialized(new) == _serialized(old)


def _serialized(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return tuple(_serialized(item) for item in value)
    serialize = getattr(value, "serialize", None)
    return serialize() if callable(serialize) else value


def _pseudo_of(box: Any) -> tuple[str, ...]:
    tag = getattr(box, "element_tag", "") or ""
    return (tag.split("::", 1)[1],) if "::" in tag else ()


def _descendants(children: list[Any]) -> Iterator[Any]:
    for child in children:
        yield child
        yield from _descendants(getattr(child, "children", None) or [])


@contextmanager
def reusing_pages() -> Iterator[PageReuse]:
    """While open, WeasyPrint layouts record their pages, and :meth:`PageReuse.render_from` reuses them."""
    _require("weasyprint", WEASYPRINT_SERIES)
    import weasyprint.layout as layout

    reuse = PageReuse()
    original = layout.make_all_pages

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        return reuse._make_all_pages(original, context, root_box, html, pages)

    layout.make_all_pages = make_all_pages
    try:
        yield reuse
    finally:
        layout.make_all_pages = original
