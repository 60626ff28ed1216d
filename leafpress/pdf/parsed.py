"""One pdfplumber parse of a PDF, shared by the checks that read its pages back.

Parsing a leaflet's content streams with pdfplumber (pdfminer) takes most of a second, and both
the smallest-type check (:func:`leafpress.pdf.inspect.small_text`) and the layout figures
(:func:`leafpress.pdf.layout.measure`) need every character and drawing of every page; the
PDF judged last is kept open, so the second of them reuses the parsed pages. Each thread keeps
its own: a parse reads one shared stream and is not safe to share between threads.
"""

from __future__ import annotations

import threading
from io import BytesIO
from typing import Any

_last = threading.local()


def parsed_pdf(pdf: bytes) -> Any:
    """``pdf`` opened with pdfplumber; the same object for the same bytes as this thread's previous call."""
    import pdfplumber  # only checks read a PDF back this way

    kept: tuple[bytes, Any] | None = getattr(_last, "pdf", None)
    if kept is not None and kept[0] == pdf:
        return kept[1]
    if kept is not None:
        kept[1].close()
    opened = pdfplumber.open(BytesIO(pdf))
    _last.pdf = (pdf, opened)
    return opened
