"""Whether an SVG drawing is safe to hand to WeasyPrint.

An SVG is a program of sorts: entity declarations expand text ("billion laughs"), and each
``<use>`` draws another element again, so ten ``<use>`` of ten ``<use>`` of … draws millions of
shapes from a kilobyte (1 KB took 23 s and 900 MB). The drawing is parsed with lxml with
entities, DTDs and the network off and the elements it would draw, with every ``<use>`` expanded, are counted
before WeasyPrint sees it.
"""

from __future__ import annotations

from lxml import etree

# A detailed drawing has a few thousand elements; a map or chart perhaps ten thousand.
MAX_DRAWN_ELEMENTS = 20_000
# Groups inside groups and <use> of <use>: a real drawing needs a handful.
MAX_SVG_DEPTH = 50

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_REDRAW = "use"

SvgFault = tuple[str, str]


class _TooLarge(Exception):
    def __init__(self, fault: SvgFault) -> None:
        super().__init__(fault[0])
        self.fault = fault


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


class _Counter:
    """Counts the elements a drawing draws, each ``<use>`` standing for what it points at."""

    def __init__(self, root: etree._Element) -> None:
        # Held so each element keeps one Python object (and one id()) while counting.
        self.elements = list(root.iter())
        self.by_id = {element.get("id"): element for element in self.elements if element.get("id")}
        self.drawn: dict[int, int] = {}
        self.open: set[int] = set()

    def count(self, element: etree._Element, depth: int) -> int:
        if depth > MAX_SVG_DEPTH:
            raise _TooLarge(
                (
                    f"nests groups or <use> more than {MAX_SVG_DEPTH} levels deep",
                    "flatten the drawing in your editor (ungroup, and unlink clones)",
                )
            )
        key = id(element)
        if key in self.drawn:
            return self.drawn[key]
        if key in self.open:
            raise _TooLarge(("has a <use> that draws itself", "unlink the clone in your editor"))
        self.open.add(key)
        total = 1
        for child in element:
            total += self.count(child, depth + 1)
        if _local(element.tag) == _REDRAW:
            href = element.get("href") or element.get(_XLINK_HREF) or ""
            target = self.by_id.get(href[1:]) if href.startswith("#") else None
            if target is not None:
                total += self.count(target, depth + 1)
        self.open.discard(key)
        self.drawn[key] = total
        if total > MAX_DRAWN_ELEMENTS:
            raise _TooLarge(
                (
                    f"would draw more than {MAX_DRAWN_ELEMENTS:,} shapes once its <use> copies are expanded",
                    "simplify the drawing, or export it as PNG",
                )
            )
        return total


def svg_fault(data: bytes) -> SvgFault | None:
    """What is wrong with the SVG ``data`` (what it is or does, how to fix it), or None if it is safe."""
    upper = data.upper()
    # Entity declarations are how XML bombs and local-file tricks start; drawings never need them.
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return "is an SVG with a DOCTYPE or entities, which leafpress refuses", (
            "export the drawing again as plain SVG (without a DOCTYPE)"
        )
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"is not a well-formed SVG ({exc})", "export the drawing again from your editor"
    if _local(root.tag) != "svg":
        return "is not an SVG drawing", "save it as PNG, JPEG, GIF, WebP or SVG"
    try:
        _Counter(root).count(root, 0)
    except _TooLarge as exc:
        return exc.fault
    return None
