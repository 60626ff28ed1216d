"""Side-by-side languages (the bilingual format) in reading order: one language, then the other.

WeasyPrint tags a row (a table row here) through wrappers of its own, and a row that a page
break splits as one fragment per page, each holding both languages: Welsh, English, Welsh,
English. :func:`columns_in_reading_order` regroups them by language.
"""

from __future__ import annotations

from collections.abc import Sequence

import pikepdf

from leafpress.pdf.structure import Tagged, elements, is_element, kids, set_kids


def _language_columns(fragment: pikepdf.Object) -> list[pikepdf.Object] | None:
    """The elements with a /Lang under ``fragment``, reached through plain wrappers (a table's
    row and cell boxes); None when a wrapper holds content of its own."""
    if "/Lang" in fragment:
        return [fragment]
    if fragment.S != "/Div":
        return None
    found: list[pikepdf.Object] = []
    for kid in kids(fragment):
        columns = _language_columns(kid) if is_element(kid) else None
        if columns is None:
            return None
        found += columns
    return found


def columns_in_reading_order(tagged: Tagged, splits: Sequence[Sequence[str]] = ()) -> int:
    """Each row of side-by-side languages read one language whole, then the other.

    The row's language columns become its own children, each language's fragments joined into
    one element, in the order the languages first come; inside a column, what a page break cut
    (``splits``: its ``columns`` for the column's language) is joined too, so a section, paragraph
    or table cut by the break is one element. Returns the number of rows reordered.
    """
    rows = [row for part in elements(tagged.root) if part.S == "/Part" for row in kids(part) if is_element(row)]
    reordered = 0
    for row in rows:
        fragments = kids(row)
        pages = [tagged.element_page(fragment) if is_element(fragment) else None for fragment in fragments]
        known = [page for page in pages if page is not None]
        # A row's fragments: one per page, in page order.
        if not fragments or len(known) != len(pages) or known != sorted(set(known)):
            continue
        columns = [_language_columns(fragment) for fragment in fragments]
        if any(found is None or len(found) < 2 for found in columns):
            continue
        flat = [column for found in columns for column in found or []]
        languages = list(dict.fromkeys(str(column.Lang) for column in flat))
        if len(languages) < 2:
            continue
        ordered = sorted(flat, key=lambda column: languages.index(str(column.Lang)))  # stable: pages stay in order
        for column in ordered:
            column.P = row
        set_kids(row, ordered)
        # One column element per language: a page's part of it joins the one before.
        kept: dict[str, pikepdf.Object] = {}
        for column in ordered:
            lang = str(column.Lang)
            if lang not in kept:
                kept[lang] = column
                continue
            before, after = _last_element(kept[lang]), _first_element(column)
            cut = _cut_at(splits, tagged.element_page(column), lang)
            tagged.merge_into(kept[lang], column)
            _join_cut(tagged, before, after, cut)
        reordered += 1
    return reordered


def _cut_at(splits: Sequence[Sequence[str]], page: int | None, lang: str) -> list[str]:
    """The structure types a page break cut in the column of ``lang``, for the break before ``page``."""
    if not page or page > len(splits):
        return []
    return list(getattr(splits[page - 1], "columns", {}).get(lang, []))


def _join_cut(tagged: Tagged, first: pikepdf.Object | None, second: pikepdf.Object | None, cut: list[str]) -> None:
    """Join ``second`` (starting a page) into ``first`` (ending the page before) when the break cut
    them from one element, then their own last and first children, level by level."""
    while cut and first is not None and second is not None and first.S == second.S:
        if cut[0] == first.S:
            cut.pop(0)
        elif first.S != "/LBody":  # WeasyPrint's own list-body level, not an HTML element
            return
        first_next, second_next = _last_element(first), _first_element(second)
        tagged.merge_into(first, second)
        first, second = first_next, second_next


def _first_element(parent: pikepdf.Object) -> pikepdf.Object | None:
    return next((kid for kid in kids(parent) if is_element(kid)), None)


def _last_element(parent: pikepdf.Object) -> pikepdf.Object | None:
    return next((kid for kid in reversed(kids(parent)) if is_element(kid)), None)
