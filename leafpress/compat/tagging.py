"""WeasyPrint's structure tree: each element's language and structure attributes (see the package's docstring)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from leafpress.compat.versions import WEASYPRINT_SERIES
from leafpress.compat.versions import require as _require

# Elements WeasyPrint does not turn into structure elements: their language is the document's.
_DOCUMENT_LEVEL = {"html", "body"}


def _element_language(box: Any) -> str | None:
    box = getattr(box, "_box", box)  # absolutely positioned boxes come wrapped
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in _DOCUMENT_LEVEL:
        return None
    if type(box).__name__ == "MarginBox":
        return None
    language = element.get("lang")
    return language or None


# PDF 1.7's ListNumbering names (table 347), from CSS list-style-type; other numbered styles are Decimal.
_LIST_NUMBERING = {
    "decimal": "/Decimal",
    "decimal-leading-zero": "/Decimal",
    "lower-roman": "/LowerRoman",
    "upper-roman": "/UpperRoman",
    "lower-alpha": "/LowerAlpha",
    "lower-latin": "/LowerAlpha",
    "upper-alpha": "/UpperAlpha",
    "upper-latin": "/UpperAlpha",
    "disc": "/Disc",
    "circle": "/Circle",
    "square": "/Square",
    "none": "/None",
}
_HEADER_SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def _structure_attributes(box: Any, element: Any) -> None:
    """What WeasyPrint leaves out: a list's numbering, a header cell's scope, a term as its item's label."""
    import pydyf

    tag = getattr(box, "element_tag", None)
    kind = str(element.get("S", ""))
    if kind == "/L" and tag in ("ol", "ul"):
        style = box.style["list_style_type"]
        fallback = "/Decimal" if tag == "ol" else "/Disc"
        numbering = _LIST_NUMBERING.get(style, fallback) if isinstance(style, str) else fallback
        element.setdefault("A", pydyf.Dictionary({"O": "/List"}))["ListNumbering"] = numbering
    elif kind == "/TH":
        scope = _HEADER_SCOPES.get((box.element.get("scope") or "").lower(), "/Column")
        element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope
    elif kind == "/LBody" and tag == "dt":
        # WeasyPrint makes a term and its definition two list items; the term is the label
        # (pdf.fixes.pair_definition_lists then puts its definitions in the same item).
        element["S"] = "/Lbl"


def _tag_languages(build: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        language = _element_language(box)
        for element in build(box, *args, **kwargs):
            if language and "Lang" not in element:
                import pydyf

                element["Lang"] = pydyf.String(language)
            _structure_attributes(getattr(box, "_box", box), element)
            yield element

    build_box_tree.leafpress_languages = True  # type: ignore[attr-defined]
    return build_box_tree


def tag_element_languages() -> bool:
    """Make WeasyPrint write ``/Lang`` for elements with a ``lang`` (and the list and table attributes
    it leaves out); False if its tagger is not the one known.

    Called by the PDF renderer before each render (it is idempotent), never on import.
    """
    _require("weasyprint", WEASYPRINT_SERIES)
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        return False
    if not getattr(build, "leafpress_languages", False):
        # The function calls itself through the module, so every nested box passes through the wrapper.
        tags._build_box_tree = _tag_languages(build)
    return True
