"""The bilingual format: a leaflet and its translation side by side, part by part.

Public bodies in Wales give Welsh and English together, with the Welsh first: here
each language is laid out by the normal templates, then the two pages are set in two
columns, the Welsh on the left, so each section sits beside its translation (title
beside title, section 3 beside section 3). Each column carries its ``lang``, so it gets
its fonts and its own language in the PDF's structure.

The partner is the leaflet's source when it is a translation (``liver.cy.yaml`` pairs
with ``liver.yaml``), or its one translation when it is a source (with several, the
Welsh one).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from leafpress.core.bidi import isolate_ltr_runs_in_html
from leafpress.core.errors import LeafpressError, Location, NotApplicable
from leafpress.formats.base import Format, RenderContext, paged_pdf

if TYPE_CHECKING:  # lxml loads only when a bilingual file is made (listing formats stays quick)
    from lxml.html import HtmlElement

    from leafpress.core.project import Project
    from leafpress.enrich.document import Document

FIRST_LANGUAGE = "cy"  # the Welsh Language Standards put Welsh first (on the left)


def partner_of(document: Document) -> Path:
    """The file to set beside ``document``: its source, or its (Welsh) translation."""
    # Imported here: it loads the leaflet model, which listing the formats (for --help) does not need.
    from leafpress.source.translations import find_source, name_parts, translations_of

    path = document.source_path
    found = find_source(path)
    if found is not None:
        return found[0]
    translations = translations_of(path, document.leaflet)
    if len(translations) == 1:
        return translations[0]
    welsh = [p for p in translations if (name_parts(p)[1] or "").split("-")[0].lower() == FIRST_LANGUAGE]
    if len(welsh) == 1:
        return welsh[0]
    if not translations:
        raise NotApplicable(f"it has no translation to set beside it (add {path.stem}.cy.yaml, see docs/languages.md)")
    names = ", ".join(p.name for p in translations)
    # Not an error: in a whole-project build each translation's own bilingual file pairs it
    # with this source, so there is nothing to choose here.
    raise NotApplicable(
        f"it has several translations ({names}): build the bilingual format from the translation "
        "you want beside it (each translation's bilingual file pairs it with this leaflet)"
    )


def bilingual_html(document: Document, html: str, project: Project) -> str:
    """The HTML of ``document`` and its partner, side by side."""
    # Imported when used: listing the formats must not load the whole enrich stage.
    from leafpress.enrich.prepare import prepare
    from leafpress.render.html import render_html

    partner = prepare(partner_of(document), project)
    sides = [(document, html), (partner, render_html(partner, project))]
    if partner.language.split("-")[0].lower() == FIRST_LANGUAGE:
        sides.reverse()
    sides = [(doc, isolate_ltr_runs_in_html(page) if doc.direction == "rtl" else page) for doc, page in sides]
    return combine(*sides[0], *sides[1])


def _kind(element: HtmlElement) -> str:
    """What a part of the page is, to pair it with the same part in the other language."""
    classes = (element.get("class") or "").split()
    return f"{element.tag}#{element.get('id') or ''}.{classes[0] if classes else ''}"


def _parts(main: HtmlElement) -> list[HtmlElement]:
    """The parts of ``<main>`` to pair; a plain wrapper (the end matter's <div>) gives its own parts."""
    parts = []
    for part in main:
        if not isinstance(part.tag, str):
            continue
        wrapper = part.tag == "div" and not part.get("id") and len(part) > 1
        parts += [child for child in part if isinstance(child.tag, str)] if wrapper else [part]
    return parts


def _prefix_ids(root: HtmlElement, prefix: str) -> None:
    """Keep ids unique once both pages share one: the second language's get a prefix."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            element.set("id", f"{prefix}-{element.get('id')}")
        for attribute in ("aria-labelledby", "aria-describedby"):
            if element.get(attribute):
                element.set(attribute, " ".join(f"{prefix}-{ref}" for ref in element.get(attribute).split()))
        if (element.get("href") or "").startswith("#"):
            element.set("href", f"#{prefix}-{element.get('href')[1:]}")


def _column(document: Document, part: HtmlElement | None) -> HtmlElement:
    import lxml.html

    column = lxml.html.Element(
        "div", {"class": "bilingual-column", "lang": document.language, "dir": document.direction}
    )
    if part is not None:
        column.append(part)
    return column


def combine(first: Document, first_html: str, second: Document, second_html: str) -> str:
    """One page holding both: ``first``'s head, masthead and footer, and each part of ``<main>`` paired."""
    import difflib

    import lxml.html

    page, other = lxml.html.document_fromstring(first_html), lxml.html.document_fromstring(second_html)
    _prefix_ids(other, second.language)
    main, other_main = page.find(".//main"), other.find(".//main")
    if main is None or other_main is None:
        raise LeafpressError(
            Location(first.source_path),
            "the bilingual format needs a <main> in the template",
            "keep <main> around the leaflet's content in templates/leaflet.html.j2",
        )
    ours, theirs = _parts(main), _parts(other_main)
    rows: list[tuple[Any, Any]] = []
    matcher = difflib.SequenceMatcher(None, [_kind(p) for p in ours], [_kind(p) for p in theirs], autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = ours[i1:i2], theirs[j1:j2]
        rows += [
            (left[k] if k < len(left) else None, right[k] if k < len(right) else None)
            for k in range(max(len(left), len(right)))
        ]
    # The template's marks (where a Notes area may go) stay after the parts, below both columns.
    marks = [part for part in main if not isinstance(part.tag, str)]
    for part in list(main):
        main.remove(part)  # the parts found above move into the rows
    main.set("class", "bilingual")
    for left, right in rows:
        row = lxml.html.Element("div", {"class": "bilingual-row"})
        row.extend([_column(first, left), _column(second, right)])
        main.append(row)
    for mark in marks:
        mark.tail = "\n"
        main.append(mark)
    _combine_head_and_body(page, other, first, second)
    return lxml.html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode")


def _combine_head_and_body(page: HtmlElement, other: HtmlElement, first: Document, second: Document) -> None:
    title = page.find(".//title")
    if title is not None:
        title.text = f"{first.title} / {second.title}"
    body, other_body = page.find(".//body"), other.find(".//body")
    before, middle, after = second.page_of_parts
    body.set("data-page-before-2", before)
    body.set("data-page-middle-2", middle)
    body.set("data-page-after-2", after)
    body.set("data-footer", f"{first.footer_id} / {second.footer_id}")
    # The other language's page marks ("DRAFT") go in the masthead too, in their language.
    header = page.find(".//header")
    marks = other_body.find_class("page-mark") if other_body is not None else []
    if header is not None:
        place = max((i + 1 for i, child in enumerate(header) if "page-mark" in (child.get("class") or "")), default=0)
        for offset, mark in enumerate(marks):
            mark.set("lang", second.language)
            header.insert(place + offset, mark)


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    both = bilingual_html(context.document, html, context.project)
    # The room left on the last page takes a Notes area, as in the other print formats.
    return paged_pdf(both, context, isolate_rtl=False)


FORMAT = Format(
    "bilingual",
    "A4 landscape: the leaflet and its translation side by side, Welsh on the left.",
    render,
    suffix=".bilingual.pdf",
    stylesheets=("bilingual.css",),
    order=50,
)
