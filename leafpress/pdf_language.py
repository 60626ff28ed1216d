"""Per-element language in the tagged PDF: ``lang`` on an element becomes ``/Lang`` on its structure element.

PDF/UA lets any structure element say its language (ISO 32000 14.9.2), and screen readers
switch voice on it: a Welsh phrase in an English leaflet, or the English column of a
bilingual one. WeasyPrint 70 writes the document's language only. Once the PDF is
written, nothing ties a structure element back to its HTML element, so a later pass
could only guess by matching text; the exact link exists while WeasyPrint builds the
tree, in ``weasyprint.pdf.tags._build_box_tree``, which gets each box with its HTML
element. :func:`install` wraps that function (WeasyPrint is pinned in pyproject.toml;
tests/test_languages.py reads ``/Lang`` back from the structure tree with pikepdf and
fails if a new WeasyPrint changes the function).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import pydyf
from weasyprint.pdf import tags

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


def _tag_languages(build: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        language = _element_language(box)
        for element in build(box, *args, **kwargs):
            if language and "Lang" not in element:
                element["Lang"] = pydyf.String(language)
            yield element

    build_box_tree.leafpress_languages = True  # type: ignore[attr-defined]
    return build_box_tree


def install() -> bool:
    """Make WeasyPrint write ``/Lang`` for elements with a ``lang``; False if its tagger is not the one known."""
    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        return False
    if not getattr(build, "leafpress_languages", False):
        # The function calls itself through the module, so every nested box passes through the wrapper.
        tags._build_box_tree = _tag_languages(build)
    return True
