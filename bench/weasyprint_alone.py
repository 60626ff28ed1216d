#!/usr/bin/env python3
"""The baseline for the one-leaflet build: WeasyPrint alone, as a whole process, writing a
PDF/UA-1 file from a leaflet's HTML with the same stylesheets leafpress uses.

    python bench/weasyprint_alone.py page.html out.pdf --stylesheet a.css --stylesheet b.css

It imports nothing of leafpress, so its time is the engine's floor: interpreter start,
importing WeasyPrint, fonts, parsing the stylesheets, layout and writing the PDF.
bench/run.py times it side by side with ``leafpress build FILE``.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the leaflet's HTML; relative addresses resolve from its folder")
    parser.add_argument("pdf", type=Path, help="the PDF to write")
    parser.add_argument("--stylesheet", type=Path, action="append", default=[], help="a stylesheet, in order")
    args = parser.parse_args()

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheets = [CSS(filename=str(path), font_config=fonts) for path in args.stylesheet]
    document = HTML(filename=str(args.html)).render(stylesheets=sheets, font_config=fonts, pdf_variant="pdf/ua-1")
    args.pdf.write_bytes(document.write_pdf(pdf_variant="pdf/ua-1"))


if __name__ == "__main__":
    main()
