"""Checks on a built PDF, read back with pikepdf: is it the accessible PDF/UA file it claims to be?"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leafpress.core.errors import Location
from leafpress.pdf.drawn import drawn_pages

if TYPE_CHECKING:
    import pikepdf


@dataclass(frozen=True)
class Problem:
    """An accessibility problem and the place to fix it."""

    location: Location
    message: str
    hint: str = ""
    rule: str = ""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" + (f" — {self.hint}" if self.hint else "")

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.location.path),
            "line": self.location.line,
            "column": self.location.column,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
        }


def structure_elements(root: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """Every structure element under ``root`` (in no particular order)."""
    import pikepdf  # imported when a PDF is read: `check` of just-built leaflets reads none

    found, stack = [], [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def _fonts(pdf: pikepdf.Pdf) -> dict[str, Any]:
    fonts: dict[str, Any] = {}
    for page in pdf.pages:
        resources: Any = page.obj.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            fonts[str(font.get("/BaseFont", "?"))] = font
    return fonts


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # drawn from glyph procedures inside the file
    if "/DescendantFonts" in font:
        font = font.DescendantFonts[0]
    descriptor: Any = font.get("/FontDescriptor", {})
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def small_text(pdf_file: Path | bytes, min_pt: float) -> list[tuple[int, float, str]]:
    """(page, size, words) for each run of text under ``min_pt``, measured from the PDF's characters.

    This sees what CSS cannot: words inside images (an SVG logo or diagram) and sizes set by a
    template's inline styles.
    """
    runs: list[tuple[int, float, str]] = []
    pages = drawn_pages(pdf_file if isinstance(pdf_file, bytes) else pdf_file.read_bytes())
    for number, page in enumerate(pages, start=1):
        previous_small = False
        # Each text object is set in one size, in the order it is drawn (reading order here).
        for obj in page.objects:
            if obj["kind"] != "chars" or not obj["text"].strip():
                continue
            size = round(obj["size"], 1)
            small = obj["size"] < min_pt - 0.05
            text = " ".join(obj["text"].split())
            if small and previous_small and runs[-1][:2] == (number, size):
                runs[-1] = (number, size, f"{runs[-1][2]} {text}")
            elif small:
                runs.append((number, size, text))
            previous_small = small
    return runs


# The last read-back this thread made: a build reads each PDF back, then measures the same bytes
# for ``check`` (leafpress.pdf.findings), and opening it with pikepdf once is enough.
_last = threading.local()


def _read_back(pdf_bytes: bytes) -> list[tuple[str, str, str]]:
    """(message, hint, rule) for each way the PDF falls short of tagged PDF/UA, read with pikepdf."""
    kept: tuple[bytes, list[tuple[str, str, str]]] | None = getattr(_last, "read_back", None)
    if kept is not None and kept[0] == pdf_bytes:
        return kept[1]
    found: list[tuple[str, str, str]] = []

    def problem(message: str, hint: str, rule: str) -> None:
        found.append((message, hint, rule))

    import pikepdf

    with pikepdf.open(BytesIO(pdf_bytes)) as pdf:
        root: Any = pdf.Root
        if "/StructTreeRoot" not in root:
            problem("the PDF is not tagged (no StructTreeRoot)", "build with the standard pipeline", "pdf-tagged")
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            problem(
                "the PDF is not marked as tagged (MarkInfo /Marked)", "build with the standard pipeline", "pdf-tagged"
            )
        with pdf.open_metadata() as xmp:
            if xmp.get("pdfuaid:part") is None:
                problem(
                    "the XMP metadata has no PDF/UA identifier (pdfuaid:part)",
                    "render with pdf_variant pdf/ua-1",
                    "pdf-ua-id",
                )
        if not str(root.get("/Lang", "")).strip():
            problem("the PDF has no language (/Lang)", "set 'language' in the leaflet or leafpress.yaml", "pdf-lang")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            problem(
                "the PDF does not show its title (ViewerPreferences /DisplayDocTitle)",
                "build with the standard pipeline",
                "pdf-title",
            )
        for number, page in enumerate(pdf.pages, start=1):
            if page.obj.get("/Tabs") != "/S":
                problem(
                    f"page {number} has no structure tab order (/Tabs /S)",
                    "build with the standard pipeline",
                    "pdf-tabs",
                )
        if "/StructTreeRoot" in root:
            for element in structure_elements(root.StructTreeRoot):
                if element.S == "/Figure" and not str(element.get("/Alt", "")).strip():
                    figure_page = element.get("/Pg")
                    figure_page_number = next(
                        (
                            str(i)
                            for i, p in enumerate(pdf.pages, 1)
                            if figure_page is not None and p.obj.objgen == figure_page.objgen
                        ),
                        "?",
                    )
                    problem(
                        f"a figure on page {figure_page_number} has no alternate text (/Alt)",
                        'give the image alt text in the leaflet, or alt="" if it is decorative',
                        "pdf-alt",
                    )
        for font_name, font in sorted(_fonts(pdf).items()):
            if not _embedded(font):
                problem(f"font {font_name.lstrip('/')} is not embedded", "use an installed font file", "pdf-fonts")
    _last.read_back = (pdf_bytes, found)
    return found


def check_pdf(pdf_file: Path | bytes, where: Path | None = None, min_font_pt: float | None = None) -> list[Problem]:
    """What keeps the PDF from being tagged, accessible PDF/UA; ``where`` names it in messages.

    With ``min_font_pt``, text smaller than that is a problem too.
    """
    name = where or (pdf_file if isinstance(pdf_file, Path) else Path("PDF"))
    data = pdf_file if isinstance(pdf_file, bytes) else pdf_file.read_bytes()
    problems = [Problem(Location(name), message, hint, rule) for message, hint, rule in _read_back(data)]

    def problem(message: str, hint: str, rule: str) -> None:
        problems.append(Problem(Location(name), message, hint, rule))

    if min_font_pt:
        for page_number, size, words in small_text(data, min_font_pt):
            shown = words if len(words) <= 40 else words[:39] + "…"
            problem(
                f"text '{shown}' on page {page_number} is {size:g}pt, below the minimum of {min_font_pt:g}pt",
                "make it larger in the styles, or the words inside the image larger",
                "font-size",
            )
    return problems
