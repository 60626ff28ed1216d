"""dl: the DL tri-fold, six 99 × 210 mm panels imposed three a side on A4 landscape (print only).

Printed duplex and folded in three, it is the leaflet on every reception desk and in every
rack. The sheet is for the printer; ``dl-panels`` is the same panels as a tagged PDF.
"""

from __future__ import annotations

from leafpress.formats.base import Format, RenderContext
from leafpress.formats.dl_panels import dl_panels_pdf


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.pdf.imposition import impose_dl

    pdf, warnings = dl_panels_pdf(context, accessible=False)
    return impose_dl(pdf), warnings


FORMAT = Format(
    "dl",
    "DL tri-fold: six 99 × 210 mm panels, three a side of an A4 landscape sheet, in folding order (print only).",
    render,
    suffix=".dl.pdf",
    stylesheets=("dl.css",),
    accessible=False,
    order=35,
)
