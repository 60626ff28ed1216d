"""Lay an edited document out again from the first page the edit can change, reusing the pages before it.

The page-break passes (:mod:`leafpress.render.breaks`) change the element tree after a layout —
a class on a box, a repeated heading — and need a new layout. Everything before the page the
change is on lays out exactly as before, so laying it out again is wasted: a leaflet needing two
changes paid for three whole layouts. WeasyPrint already re-makes single pages from its page
maker (the state each page starts from) when page-based counters change; this reuses that
machinery across two layouts of the same ``HTML`` object: the new layout starts with the earlier
layout's pages and page-maker states up to the changed page, and re-makes pages from there until
one ends where an earlier page ended (the same place in the content, found in the edited tree,
and the same counters): the earlier pages after it are kept too.

The earlier pages are reused only when nothing they show can have changed: the declarations that
won the cascade for their elements (and the ancestors they inherit from) are compared with the new
cascade's (a selector such as ``:last-child`` can react to an edit further down); a page that
resumes inside a grid, a flex box or columns, whose layout keeps state of its own between pages, is
made again too, and so is a page with a ``::first-letter`` (WeasyPrint makes those boxes as it lays the
page out); and a document with floats, absolute or running boxes or footnotes, whose state crosses
pages outside the page maker, is always laid out whole. The styles themselves are shared with the
earlier layout where the edit did not change them (:mod:`leafpress.compat.restyle`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from leafpress.compat.restyle import SameStyles, lend_style
from leafpress.compat.versions import WEASYPRINT_SERIES
from leafpress.compat.versions import require as _require


@dataclass
class _Laid:
    """One finished layout: its context, and each page's children as they were before WeasyPrint
    added the margin boxes (what a later layout needs to take the page as it was laid out)."""

    html: Any
    context: Any
    root_box: Any
    pages: list[tuple[Any, tuple[Any, ...], list[Any]]]


@dataclass
class PageReuse:
    """Lays the same ``HTML`` out again, reusing the pages before a change (see the module's doc)."""

    # The last layout of each HTML object, by its id (the object is kept alive with it).
    last: dict[int, _Laid] = field(default_factory=dict)
    # Set by :meth:`render_from` for the one layout that may reuse, read by the page maker.
    _reuse_before: int | None = None
    _edited_through: int | None = None
    # How many pages the layouts reused and re-made: what the benchmark and tests read.
    reused_pages: int = 0
    made_pages: int = 0
    # Of the pages reused, those after the changed page (the new layout caught the earlier one up).
    caught_up_pages: int = 0
    # Each page's margin boxes (running head and foot) and what they were made from, by id of the page.
    _margins: dict[int, tuple[Any, Any, list[Any]]] = field(default_factory=dict)
    # Each page's boxes when its backgrounds were laid out, by id of the page.
    _backgrounds: dict[int, tuple[Any, tuple[Any, ...]]] = field(default_factory=dict)
    _reusing: bool = False
    # While a layout of an HTML laid out before computes its styles: that layout's styles, by element.
    _styles_before: dict[Any, Any] | None = None
    # How many element styles the layouts took from an earlier layout: what the tests read.
    reused_styles: int = 0

    def render_from(
        self, first_changed_page: int, render: Callable[[], Any], last_changed_page: int | None = None
    ) -> Any:
        """Call ``render`` (a new layout of the edited tree) reusing pages before ``first_changed_page``,
        and pages after the page following ``last_changed_page`` that the new layout catches up with
        (``None``: none after the change: the edit may have added content anywhere).

        The edits were made for the page breaks after the pages ``first_changed_page`` to
        ``last_changed_page``: an earlier page after those holds nothing they changed, except what it
        resumes inside (then its start is not found in the new tree, and it is made again).
        Should the page maker refuse the states carried over (an edit this module did not foresee),
        the tree is laid out whole instead.
        """
        self._reuse_before = first_changed_page
        self._edited_through = last_changed_page
        try:
            return render()
        except Exception:
            if not self._reusing:
                raise
        finally:
            self._reuse_before = None
            self._edited_through = None
            self._reusing = False
        return render()

    # The wrapper of WeasyPrint's ``make_all_pages`` ---------------------------------------
    def _make_all_pages(
        self, original: Callable[..., Iterator[Any]], context: Any, root_box: Any, html: Any, pages: list[Any]
    ) -> Iterator[Any]:
        remade_from = None  # the first page this layout makes again, when it reuses pages
        if not pages and self._reuse_before and id(html) in self.last:
            seeded = self._seed(context, root_box, html, self._reuse_before)
            if seeded is not None:
                pages, remade_from = seeded
            self._reusing = bool(pages)
        made = list(original(context, root_box, html, pages))
        reused = [index for index, page in enumerate(made) if index < len(pages) and pages[index] is page]
        self.reused_pages += len(reused)
        if remade_from is not None:
            self.caught_up_pages += sum(1 for index in reused if index > remade_from)
        self.made_pages += len(made) - len(reused)
        self.last[id(html)] = _Laid(
            html, context, root_box, [(page, page.children, list(page.children[0].children)) for page in made]
        )
        yield from made

    # The wrapper of WeasyPrint's ``make_margin_boxes`` -------------------------------------
    def _make_margin_boxes(
        self, original: Callable[..., Iterator[Any]], context: Any, page: Any, state: Any
    ) -> list[Any]:
        """A kept page's margin boxes as they were made, when what they show cannot have changed: the
        same page number, total and counters, and the same running strings up to the page."""
        made_from = (context.current_page, repr(state), _strings_up_to(context.string_set, context.current_page))
        kept = self._margins.get(id(page))
        if kept is not None and kept[0] is page and kept[1] == made_from:
            return kept[2]
        margin_boxes = list(original(context, page, state))
        self._margins[id(page)] = (page, made_from, margin_boxes)
        return margin_boxes

    # The wrapper of WeasyPrint's ``layout_backgrounds`` ------------------------------------
    def _layout_backgrounds(self, original: Callable[..., None], page: Any, get_image_from_uri: Any) -> None:
        """Lay out the backgrounds of a page, unless it is a kept page holding the very boxes whose
        backgrounds were laid out before (they would come out the same)."""
        holds = (*page.children, *page.children[0].children)
        kept = self._backgrounds.get(id(page))
        if (
            kept is not None
            and kept[0] is page
            and len(kept[1]) == len(holds)
            and all(old is new for old, new in zip(kept[1], holds, strict=True))
        ):
            return
        original(page, get_image_from_uri)
        self._backgrounds[id(page)] = (page, holds)

    # The wrappers of WeasyPrint's ``get_all_computed_styles`` and ``StyleFor.set_computed_styles`` --
    def _computed_styles(self, original: Callable[..., Any], html: Any, *args: Any, **kwargs: Any) -> Any:
        """Style ``html``; a layout of the same tree done before lends the styles it can (below)."""
        earlier = self.last.get(id(html))
        self._styles_before = earlier.context.style_for._computed_styles if earlier is not None else None
        try:
            return original(html, *args, **kwargs)
        finally:
            self._styles_before = None

    def _set_computed_styles(
        self,
        original: Callable[..., None],
        style_for: Any,
        element: Any,
        parent: Any,
        root: Any = None,
        pseudo_type: str | None = None,
        base_url: str | None = None,
        target_collector: Any = None,
    ) -> None:
        """Take an element's style from the earlier layout of the tree when the same declarations won
        its cascade and its parent's style is the one taken too: its computed values are then those the
        new cascade gives, and those already computed (most, once laid out) are not computed again."""
        if self._styles_before is not None and lend_style(
            self._styles_before, style_for, element, parent, root, pseudo_type, target_collector
        ):
            self.reused_styles += 1
            return
        original(
            style_for,
            element,
            parent,
            root=root,
            pseudo_type=pseudo_type,
            base_url=base_url,
            target_collector=target_collector,
        )

    def _seed(self, context: Any, root_box: Any, html: Any, before: int) -> tuple[list[Any], int] | None:
        """Give the new layout the earlier pages and the states they start from, the page ``before``
        (or one before it) to be made again; and the index of that page."""
        earlier = self.last[id(html)]
        old_maker = earlier.context.page_maker
        before = min(before, len(earlier.pages))
        # Start at a page that resumes in blocks and tables: a grid, flex box or columns cut by the
        # page break before it carries state of its own into the next page.
        while before >= 1 and not _resumes_in_block_flow(root_box, old_maker[before][0]):
            before -= 1
        same_styles = SameStyles(earlier, context)
        if (
            before < 1
            or not _self_contained(earlier.context)
            or not all(same_styles.page(root_children) for _, _, root_children in earlier.pages[:before])
        ):
            return None
        maker = [context.page_maker[0]]
        for index in range(1, before + 1):
            resume_at, next_page, right_page, page_state, _ = old_maker[index]
            # WeasyPrint's own bookkeeping for one page: only the changed page is made again.
            maker.append((resume_at, next_page, right_page, page_state, _remake(index == before)))
        if self._edited_through is not None:
            maker += _later_states(earlier, root_box, before, self._edited_through + 1, same_styles)
        context.page_maker = maker
        from weasyprint.layout.page import set_page_type_computed_styles

        pages = []
        for page, children, root_children in earlier.pages[: len(maker) - 1]:
            page.children = children  # as laid out, before the margin boxes were added
            children[0].children = root_children
            # The new cascade styles a page type when a page of it is made: the margin boxes need it.
            set_page_type_computed_styles(page.page_type, html, context.style_for)
            pages.append(page)
        return pages, before


def _remake(changed: bool) -> dict[str, Any]:
    """A page's remake state in WeasyPrint's page maker: ``changed`` has the page made again."""
    return {"content_changed": changed, "pages_wanted": False, "anchors": [], "content_lookups": []}


# A place in the box tree that the edit moved: it never equals a place a new page starts at.
_MOVED: dict[int, Any] = {-1: None}


def _later_states(earlier: _Laid, root_box: Any, before: int, edited: int, same_styles: SameStyles) -> list[Any]:
    """The page maker's states for the earlier layout's pages after ``before``, carried into the new box tree.

    WeasyPrint makes a page again only when the state it starts from differs from the one the page
    before it now ends with: once the new layout reaches a page break the earlier one had (the same
    place in the content, the same page number and counters), the pages after it are the earlier
    ones. A page whose start cannot be found in the new tree (the edit moved it), that starts
    inside a grid, flex box or columns, or whose elements are styled differently now, is made
    again, with the page before it when its start is in doubt; and so is every page up to
    ``edited``, the last that can hold what the edit changed.
    """
    old_maker = earlier.context.page_maker
    states = []
    for index in range(before + 1, len(old_maker)):
        resume_at, next_page, right_page, page_state, _ = old_maker[index]
        moved = _in_new_tree(earlier.root_box, root_box, resume_at)
        starts_known = moved is not _MOVED and _resumes_in_block_flow(root_box, moved)
        # A page made again anyway needs no look at its styles.
        remade = index <= edited or not starts_known
        remade = remade or (index < len(earlier.pages) and not same_styles.page(earlier.pages[index][2]))
        states.append((moved, next_page, right_page, page_state, _remake(remade)))
        if not starts_known and index - 1 > before:
            states[-2][4]["content_changed"] = True
    return states


def _in_new_tree(old: Any, new: Any, skip: dict[int, Any] | None) -> dict[int, Any] | None:
    """The place ``skip`` (a WeasyPrint skip stack: child indexes down the box tree) in the box tree
    ``old`` names, as the same place in the box tree ``new`` of the edited element tree; or
    :data:`_MOVED`. Boxes are matched by their element, tag and order among boxes of the same element."""
    from weasyprint.formatting_structure import boxes

    if skip is None:
        return None
    if isinstance(old, (boxes.LineBox, boxes.InlineLevelBox)) or not isinstance(old, boxes.ParentBox):
        return skip  # a place in a paragraph's lines: its text is never edited
    moved: dict[int, Any] = {}
    for index, rest in skip.items():
        if not isinstance(new, boxes.ParentBox) or index >= len(old.children):
            return _MOVED
        child = old.children[index]
        key = _box_key(child)
        order = sum(1 for sibling in old.children[:index] if _box_key(sibling) == key)
        matches = [position for position, sibling in enumerate(new.children) if _box_key(sibling) == key]
        if order >= len(matches):
            return _MOVED
        position = matches[order]
        inner = _in_new_tree(child, new.children[position], rest)
        if inner is _MOVED:
            return _MOVED
        moved[position] = inner
    return moved


def _box_key(box: Any) -> tuple[int, str | None, str]:
    return id(getattr(box, "element", None)), getattr(box, "element_tag", None), type(box).__name__


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


def _strings_up_to(string_set: Any, page_number: int) -> tuple[Any, ...]:
    """The running strings (``string-set``) set on the pages up to ``page_number``."""
    return tuple(
        (name, tuple((number, tuple(values)) for number, values in sorted(pages.items()) if number <= page_number))
        for name, pages in sorted(string_set.items())
    )


@contextmanager
def reusing_pages() -> Iterator[PageReuse]:
    """While open, WeasyPrint layouts record their pages, and :meth:`PageReuse.render_from` reuses them."""
    _require("weasyprint", WEASYPRINT_SERIES)
    import weasyprint.document as document
    import weasyprint.layout as layout
    from weasyprint.css import StyleFor

    reuse = PageReuse()
    originals = layout.make_all_pages, layout.make_margin_boxes, layout.layout_backgrounds
    style_originals = document.get_all_computed_styles, StyleFor.set_computed_styles

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        return reuse._make_all_pages(originals[0], context, root_box, html, pages)

    def make_margin_boxes(context: Any, page: Any, state: Any) -> list[Any]:
        return reuse._make_margin_boxes(originals[1], context, page, state)

    def layout_backgrounds(page: Any, get_image_from_uri: Any) -> None:
        reuse._layout_backgrounds(originals[2], page, get_image_from_uri)

    def get_all_computed_styles(html: Any, *args: Any, **kwargs: Any) -> Any:
        return reuse._computed_styles(style_originals[0], html, *args, **kwargs)

    def set_computed_styles(style_for: Any, element: Any, parent: Any, **kwargs: Any) -> None:
        reuse._set_computed_styles(style_originals[1], style_for, element, parent, **kwargs)

    layout.make_all_pages, layout.make_margin_boxes, layout.layout_backgrounds = (
        make_all_pages,
        make_margin_boxes,
        layout_backgrounds,
    )
    document.get_all_computed_styles = get_all_computed_styles
    StyleFor.set_computed_styles = set_computed_styles
    try:
        yield reuse
    finally:
        layout.make_all_pages, layout.make_margin_boxes, layout.layout_backgrounds = originals
        document.get_all_computed_styles, StyleFor.set_computed_styles = style_originals
